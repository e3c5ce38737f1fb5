// Black-box test of `datafast migrate`: an embedded install (SQLite and
// DuckDB) with an owner, a site, a key, visits and a payment is copied into
// the PostgreSQL and ClickHouse that scripts/test-servers.sh started; the
// counts are checked, a second run finds everything there, and a server on
// the copied accounts store signs the owner in. Without those servers the
// test fails: it is never skipped.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { BIN, removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const run = promisify(execFile);
const dirs = [];

after(() => dirs.forEach(removeDir));

function targets() {
  const pg = process.env.DATAFAST_TEST_POSTGRES;
  const ch = process.env.DATAFAST_TEST_CLICKHOUSE;
  assert.ok(pg && ch, 'DATAFAST_TEST_POSTGRES and DATAFAST_TEST_CLICKHOUSE must be set: run the tests with scripts/test.sh');
  const field = (name) => new RegExp(`${name}=(\\S+)`).exec(pg)[1];
  const name = `mig_${randomUUID().replaceAll('-', '')}`;
  execFileSync('psql', [`${pg} dbname=postgres`, '-qc', `CREATE DATABASE ${name}`]);
  return {
    meta: `postgres://${field('user')}@${field('host')}:${field('port')}/${name}`,
    events: `clickhouse://${ch}/${name}`,
    clickhouse: async (sql) => (await (await fetch(`http://${ch}/?database=${name}`, { method: 'POST', body: sql })).text()).trim(),
  };
}

test('an embedded install moves to PostgreSQL and ClickHouse whole, and a second run finds it there', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  let server = await startServer(dataDir, ['--api-rate-limit', '100000']);
  const { app } = await signUpOwner(server);
  const site = (await app('POST', '/api/app/sites', { domain: 'shop.example' })).json.id;
  const key = (await app('POST', `/api/app/sites/${site}/keys`, { name: 'migrate' })).json.secret;
  const visitor = randomUUID();
  for (const path of ['/', '/pricing', '/checkout']) {
    const sent = await sendEvent(server.url, { websiteId: site, href: `https://shop.example${path}`, visitorId: visitor, sessionId: visitor });
    assert.equal(sent.status, 202);
  }
  const paid = await fetch(`${server.url}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 49, currency: 'USD', transaction_id: 'mig_1', datafast_visitor_id: visitor }),
  });
  assert.equal(paid.status, 200, await paid.text());
  await stopServer(server);  // the events database is the server's while it runs

  const t = targets();
  const first = await run(BIN, ['migrate', '--data-dir', dataDir, '--meta', t.meta, '--events', t.events]);
  assert.match(first.stderr, /accounts: users, 1 rows/);
  assert.match(first.stderr, /accounts: payments, 1 rows/);
  // 3 pageviews and the payment's revenue rows, one per attribution model.
  assert.match(first.stderr, new RegExp(`events: ${site}, 6 events`));
  assert.equal(await t.clickhouse(`SELECT count() FROM events WHERE site_id = '${site}'`), '6');
  assert.equal(await t.clickhouse(`SELECT sum(revenue_micros) FROM events WHERE site_id = '${site}' AND attribution = 'last'`), '49000000');

  const again = await run(BIN, ['migrate', '--data-dir', dataDir, '--meta', t.meta, '--events', t.events]);
  assert.match(again.stderr, new RegExp(`events: ${site}, 6 events`));
  assert.doesNotMatch(again.stderr, / of 6/);  // nothing sent again
  assert.equal(await t.clickhouse(`SELECT count() FROM events WHERE site_id = '${site}'`), '6');

  // The copied accounts store signs the owner in and knows the site.
  const fresh = tempDataDir();
  dirs.push(fresh);
  server = await startServer(fresh, ['--meta', t.meta]);
  try {
    const login = await fetch(`${server.url}/api/app/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery' }),
    });
    assert.equal(login.status, 200, await login.text());
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const sites = await (await fetch(`${server.url}/api/app/sites`, { headers: { cookie } })).json();
    assert.deepEqual(sites.sites.map((s) => s.id), [site]);
  } finally {
    await stopServer(server);
  }
});

test('migrate without --meta says what is missing', async () => {
  const dataDir = tempDataDir();
  dirs.push(dataDir);
  await assert.rejects(run(BIN, ['migrate', '--data-dir', dataDir]), (e) => /--meta: the PostgreSQL to copy into is required/.test(e.stderr));
});
