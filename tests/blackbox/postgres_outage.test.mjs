// Fault test of the PostgreSQL accounts store: while PostgreSQL is down,
// requests that need it fail cleanly with 503 (a JSON error and
// Retry-After), requests that do not (tracking a known site) go on, and once
// it is back the same process serves them again: DataFast is not restarted.
// The test runs a PostgreSQL server of its own (scripts/pg-cluster.sh), so
// stopping it disturbs no other test.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, sendEvent, signUpOwner, sparePort, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const CLUSTER = new URL('../../scripts/pg-cluster.sh', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'datafast-pg-outage-'));
const pgDir = join(root, 'pg');
const dataDir = tempDataDir();
let server;

const cluster = (...args) => execFileSync('bash', [CLUSTER, ...args], { stdio: 'pipe' });
after(async () => {
  if (server) await stopServer(server);
  try {
    cluster('stop', pgDir);
  } catch {
    // already stopped by a failed assertion's path
  }
  rmSync(root, { recursive: true, force: true });
  removeDir(dataDir);
});

test('PostgreSQL going away gives 503 and its return needs no restart', async () => {
  const port = await sparePort();
  cluster('start', pgDir, String(port));
  server = await startServer(dataDir, ['--meta', `postgres://postgres@127.0.0.1:${port}/postgres`]);
  const { app, session } = await signUpOwner(server);
  const site = (await app('POST', '/api/app/sites', { domain: 'shop.example' })).json.id;
  const track = () => sendEvent(server.url, { websiteId: site, href: 'https://shop.example/', visitorId: randomUUID(), sessionId: randomUUID() });
  assert.equal((await track()).status, 202);
  const me = () => fetch(`${server.url}/api/app/me`, { headers: { cookie: session.cookie } });
  assert.equal((await me()).status, 200);

  cluster('stop', pgDir);
  const down = await me();
  assert.equal(down.status, 503);
  assert.equal(down.headers.get('retry-after'), '1');
  const body = await down.json();
  assert.match(body.error.message, /unavailable; retry shortly/);
  assert.doesNotMatch(body.error.message, /127\.0\.0\.1|port/);  // details stay in the log
  // Tracking a site the server knows goes on.
  assert.equal((await track()).status, 202);

  cluster('start', pgDir, String(port));
  const back = await me();
  assert.equal(back.status, 200, await back.text());
  assert.equal((await app('GET', '/api/app/sites')).json.sites[0].id, site);
  assert.match(server.stderr, /PostgreSQL is unavailable/);
  assert.match(server.stderr, /PostgreSQL is back/);
});
