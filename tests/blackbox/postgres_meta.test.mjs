// Black-box test of the scale-out accounts store: `--meta postgres://…` keeps
// sites, accounts, sessions, keys and payments in PostgreSQL (the server
// scripts/test-servers.sh started), so a second instance with its own data
// directory sees the same accounts, sites and sign-ins, and the command
// line reaches the same store with the same flag. Without that server the
// test fails: it is never skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { BIN, removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

let meta;
const dirs = [];
const servers = [];

// A database of its own on the test server, as a postgres:// URL.
function freshDatabase() {
  const server = process.env.DATAFAST_TEST_POSTGRES;
  assert.ok(server, 'DATAFAST_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL');
  const field = (name) => new RegExp(`${name}=(\\S+)`).exec(server)[1];
  const name = `bb_${randomUUID().replaceAll('-', '')}`;
  execFileSync('psql', [`${server} dbname=postgres`, '-qc', `CREATE DATABASE ${name}`]);
  return `postgres://${field('user')}@${field('host')}:${field('port')}/${name}`;
}

before(() => {
  meta = freshDatabase();
});

after(async () => {
  for (const s of servers) await stopServer(s);
  for (const d of dirs) removeDir(d);
});

async function instance() {
  const dir = tempDataDir();
  dirs.push(dir);
  const server = await startServer(dir, ['--meta', meta, '--api-rate-limit', '100000']);
  servers.push(server);
  return { dir, server };
}

test('two instances share one PostgreSQL accounts store', async () => {
  const first = await instance();
  // The command line writes to the same store.
  const site = execFileSync(BIN, ['site', 'create', '--domain', 'shop.example', '--meta', meta, '--data-dir', first.dir], { encoding: 'utf8' }).trim();
  assert.match(site, /^dfid_/);
  const { app, session } = await signUpOwner(first.server);  // adopts the site
  const sites = (await app('GET', '/api/app/sites')).json.sites;
  assert.deepEqual(sites.map((s) => s.id), [site]);
  const key = (await app('POST', `/api/app/sites/${site}/keys`, { name: 'pg' })).json.secret;

  const second = await instance();
  // The session cookie made on the first instance is good on the second.
  const me = await fetch(`${second.server.url}/api/app/me`, { headers: { cookie: session.cookie } });
  assert.equal(me.status, 200, await me.text());
  // So is the key, and the site it reads; a payment recorded there is in the
  // shared store for the first instance too.
  const visitor = randomUUID();
  const sent = await sendEvent(second.server.url, { websiteId: site, href: 'https://shop.example/pricing?utm_source=newsletter', visitorId: visitor, sessionId: randomUUID() });
  assert.equal(sent.status, 202, await sent.text());
  const paid = await fetch(`${second.server.url}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 19, currency: 'USD', transaction_id: 'pg_1', datafast_visitor_id: visitor }),
  });
  assert.equal(paid.status, 200, await paid.text());
  const again = await fetch(`${first.server.url}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 19, currency: 'USD', transaction_id: 'pg_1', datafast_visitor_id: visitor }),
  });
  assert.match((await again.json()).message, /already recorded/);

  const list = execFileSync(BIN, ['site', 'list', '--meta', meta, '--data-dir', second.dir], { encoding: 'utf8' });
  assert.match(list, new RegExp(`^${site}\\tshop.example\\t`));
});

test('a bad --meta is refused by name', () => {
  const dir = tempDataDir();
  dirs.push(dir);
  let failure;
  try {
    execFileSync(BIN, ['site', 'list', '--meta', 'mysql://localhost/x', '--data-dir', dir], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    failure = e;
  }
  assert.ok(failure, 'the command succeeded');
  assert.match(failure.stderr, /--meta: must be a PostgreSQL URL/);
});
