// Black-box tests of plans and usage (FR-10): the site limit, usage against
// the monthly events limit, warnings, and pausing tracking over the limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

let dataDir;
let server;
let app;
let account;
let site;


before(async () => {
  dataDir = tempDataDir();
  const plans = join(dataDir, 'plans.json');
  writeFileSync(plans, JSON.stringify([{ id: 'starter', name: 'Starter', events_per_month: 5, sites: 1 }]));
  server = await startServer(dataDir, ['--plans', plans, '--usage-interval', '1']);
  ({ account, app } = await signUpOwner(server));
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

const pageview = (path) => sendEvent(server.url, { websiteId: site, domain: 'limited.example', type: 'pageview', href: `https://limited.example${path}` });

async function waitFor(predicate, what) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("the plan's site limit refuses a second website", async () => {
  const first = await app('POST', '/api/app/sites', { domain: 'limited.example' });
  assert.equal(first.status, 201);
  site = first.json.id;
  const second = await app('POST', '/api/app/sites', { domain: 'another.example' });
  assert.equal(second.status, 403);
  assert.match(second.json.error.message, /Starter plan allows 1 website/);
});

test('usage counts this month against the plan and warns at 80 %', async () => {
  for (let i = 0; i < 4; ++i) assert.equal((await pageview(`/${i}`)).status, 202);
  const usage = await waitFor(async () => {
    const u = await app('GET', `/api/app/accounts/${account}/usage`);
    return u.json.events === 4 && u.json;
  }, 'four events counted');
  assert.deepEqual(usage.plan, { id: 'starter', name: 'Starter', events_per_month: 5, sites: 1 });
  assert.equal(usage.percent, 80);
  assert.equal(usage.warning, 80);
  assert.equal(usage.over_limit, 'keep');
  assert.equal(usage.paused, false);
  await waitFor(() => server.stderr.includes('at 80 % of its monthly events'), 'the 80 % warning mail');
});

test('over the limit, "keep" goes on tracking and "pause" stops it', async () => {
  assert.equal((await pageview('/5')).status, 202);
  assert.equal((await pageview('/6')).status, 202);
  await waitFor(async () => (await app('GET', `/api/app/accounts/${account}/usage`)).json.events === 6, 'six events');
  const paused = await app('PATCH', `/api/app/accounts/${account}`, { over_limit: 'pause' });
  assert.equal(paused.status, 200);
  assert.equal(paused.json.over_limit, 'pause');
  await waitFor(async () => (await app('GET', `/api/app/accounts/${account}/usage`)).json.paused, 'tracking paused');
  const refused = await waitFor(async () => {
    const res = await pageview('/7');
    const body = await res.json();
    return body.reason === 'over_limit' && { status: res.status, body };
  }, 'an event refused over the limit');
  assert.equal(refused.status, 202);
  assert.deepEqual(refused.body, { status: 'ignored', reason: 'over_limit' });
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^datafast_events_dropped_total\{reason="over_limit"\} [1-9]/m);
  const usage = (await app('GET', `/api/app/accounts/${account}/usage`)).json;
  assert.equal(usage.events, 6);
});
