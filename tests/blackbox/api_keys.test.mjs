// Black-box tests of /api/v1 authentication: site keys, account tokens and
// their scopes, revocation, tenant isolation and the per-key rate limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, createKey, createSite, exportEvents, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const RATE = 20;  // requests a minute per key, low so the test reaches it
let dataDir;
let server;
let siteA;
let siteB;
let keyA;
let keyB;

before(async () => {
  dataDir = tempDataDir();
  siteA = createSite(dataDir, 'a.example');
  siteB = createSite(dataDir, 'b.example');
  keyA = createKey(dataDir, siteA);
  keyB = createKey(dataDir, siteB);
  server = await startServer(dataDir, ['--api-rate-limit', String(RATE)]);
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

async function v1(method, path, secret) {
  const headers = secret === undefined ? {} : { authorization: `Bearer ${secret}` };
  const res = await fetch(server.url + path, { method, headers });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

function expectError(r, status, part) {
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.equal(r.json.status, 'error');
  assert.equal(r.json.error.code, status);
  assert.ok(r.json.error.message.includes(part), `"${r.json.error.message}" should mention "${part}"`);
}

test('a site key reads its own website in the success envelope', async () => {
  const r = await v1('GET', '/api/v1/website', keyA);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'success');
  assert.equal(r.json.data.id, siteA);
  assert.equal(r.json.data.domain, 'a.example');
});

test('no key, a malformed one or an unknown one is 401', async () => {
  expectError(await v1('GET', '/api/v1/website'), 401, 'Bearer');
  expectError(await v1('GET', '/api/v1/website', 'not-a-key'), 401, 'invalid API key');
  expectError(await v1('GET', '/api/v1/website', keyA.slice(0, -2) + 'xx'), 401, 'invalid API key');
});

test("one site's key never reads or deletes another site's data", async () => {
  expectError(await v1('GET', `/api/v1/website?websiteId=${siteB}`, keyA), 404, `no site ${siteB}`);
  const sent = await sendEvent(server.url, { websiteId: siteB, domain: 'b.example', type: 'pageview', href: 'https://b.example/', visitorId: 'visitor-of-b-1', sessionId: 'session-of-b-1' });
  assert.equal(sent.status, 202);
  const stolen = await v1('DELETE', `/api/v1/visitors/visitor-of-b-1?websiteId=${siteB}`, keyA);
  expectError(stolen, 404, `no site ${siteB}`);
  // Without websiteId a site key acts on its own site, where that visitor has nothing.
  const own = await v1('DELETE', '/api/v1/visitors/visitor-of-b-1', keyA);
  assert.equal(own.status, 200);
  assert.equal(own.json.data.deleted_events, 0);
});

test("erasing a visitor with the site's key deletes their events, including those just sent", async () => {
  const sent = await sendEvent(server.url, { websiteId: siteB, domain: 'b.example', type: 'pageview', href: 'https://b.example/x', visitorId: 'visitor-of-b-1', sessionId: 'session-of-b-1' });
  assert.equal(sent.status, 202);
  const erased = await v1('DELETE', '/api/v1/visitors/visitor-of-b-1', keyB);
  assert.equal(erased.status, 200, JSON.stringify(erased.json));
  assert.equal(erased.json.data.deleted_events, 2);
});

test('the rate limit answers 429 with Retry-After, per key', async () => {
  const freshKey = createKey(dataDir, siteA);
  let limited = null;
  for (let i = 0; i < RATE + 1; ++i) {
    const r = await v1('GET', '/api/v1/website', freshKey);
    if (r.status === 429) {
      limited = { i, r };
      break;
    }
    assert.equal(r.status, 200);
  }
  assert.ok(limited, 'never limited');
  assert.equal(limited.i, RATE);
  expectError(limited.r, 429, 'too many requests');
  assert.ok(Number(limited.r.headers.get('retry-after')) >= 1);
  assert.equal((await v1('GET', '/api/v1/website', keyB)).status, 200);  // another key is unaffected
});

test('a revoked key is 401 from then on', async () => {
  const secret = createKey(dataDir, siteA);
  assert.equal((await v1('GET', '/api/v1/website', secret)).status, 200);
  // Revoke through the app, as the owner.
  const signup = await fetch(`${server.url}/api/app/signup`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery' }),
  });
  assert.equal(signup.status, 201);
  const cookie = signup.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await signup.json();
  const app = (method, path, body) => fetch(server.url + path, {
    method, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: server.url },
    body: body && JSON.stringify(body),
  });
  const keys = await (await app('GET', `/api/app/sites/${siteA}/keys`)).json();
  const listed = keys.keys.find((k) => secret.startsWith(k.prefix) && k.last_used_at);
  assert.ok(listed, 'the used key shows its last use');
  assert.equal((await app('DELETE', `/api/app/sites/${siteA}/keys/${listed.id}`)).status, 204);
  expectError(await v1('GET', '/api/v1/website', secret), 401, 'revoked');

  // An account token reaches the account's sites only, with its scopes only.
  const me = await (await app('GET', '/api/app/me')).json();
  const account = me.accounts[0].id;
  const token = await (await app('POST', `/api/app/accounts/${account}/tokens`, { name: 'reader', scopes: ['sites:read'] })).json();
  expectError(await v1('GET', '/api/v1/website', token.secret), 400, 'websiteId');
  const read = await v1('GET', `/api/v1/website?websiteId=${siteB}`, token.secret);
  assert.equal(read.status, 200);
  assert.equal(read.json.data.id, siteB);
  expectError(await v1('DELETE', `/api/v1/visitors/someone-1?websiteId=${siteB}`, token.secret), 403, 'privacy:write');
  expectError(await v1('GET', '/api/v1/website?websiteId=dfid_ffffffffffffffff', token.secret), 404, 'no site');
});

test('the command line lists and revokes keys, with effect on the running server', async () => {
  const secret = createKey(dataDir, siteA);
  assert.equal((await v1('GET', '/api/v1/website', secret)).status, 200);
  const list = spawnSync(BIN, ['key', 'list', '--site', siteA, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const line = list.stdout.split('\n').find((l) => secret.startsWith(l.split('\t')[1]));
  assert.ok(line, list.stdout);
  assert.ok(!list.stdout.includes(secret));
  const id = line.split('\t')[0];
  const revoke = spawnSync(BIN, ['key', 'revoke', '--site', siteA, '--key', id, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(revoke.status, 0, revoke.stderr);
  expectError(await v1('GET', '/api/v1/website', secret), 401, 'revoked');
  const again = spawnSync(BIN, ['key', 'revoke', '--site', siteA, '--key', id, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /no active key/);
});

test('after shutdown the erased visitor is gone from the store', async () => {
  await stopServer(server);
  const events = exportEvents(dataDir, siteB);
  assert.ok(!events.some((e) => e.visitor_id === 'visitor-of-b-1'));
  server = await startServer(dataDir, ['--api-rate-limit', String(RATE)]);
});
