// Black-box tests of the payments API (POST and DELETE /api/v1/payments,
// POST /api/v1/identify) against the real binary: payments are recorded
// once, credited to the source of the visit that earned them, refunded,
// deleted, and each site's key reaches its own payments alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, createKey, createSite, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

let dataDir;
let server;
let siteA;
let siteB;
let keyA;
let keyB;
const googleVisitor = randomUUID();
const xVisitor = randomUUID();

before(async () => {
  dataDir = tempDataDir();
  siteA = createSite(dataDir, 'shop.example', ['--currency', 'USD']);
  siteB = createSite(dataDir, 'other.example', ['--currency', 'USD']);
  keyA = createKey(dataDir, siteA);
  keyB = createKey(dataDir, siteB);
  server = await startServer(dataDir, ['--api-rate-limit', '10000']);
  for (const [visitor, referrer, path] of [
    [googleVisitor, 'https://www.google.com/', '/pricing'],
    [xVisitor, 'https://t.co/abc', '/launch'],
  ]) {
    const res = await sendEvent(server.url, {
      websiteId: siteA,
      href: `https://shop.example${path}`,
      referrer,
      visitorId: visitor,
      sessionId: randomUUID(),
    });
    assert.equal(res.status, 202, await res.text());
  }
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

async function call(method, path, secret, body) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

// Revenue and payments by referrer, once the store shows `expected` revenue
// in all (a payment is readable a moment after its answer).
async function revenueByReferrer(expectedTotal) {
  let rows;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const r = await call('GET', '/api/v1/analytics/referrers?fields=referrer,visitors,revenue,payments', keyA);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    rows = r.json.data;
    const total = rows.reduce((sum, row) => sum + row.revenue, 0);
    if (Math.abs(total - expectedTotal) < 1e-9) break;
  }
  return Object.fromEntries(rows.map((row) => [row.referrer, { revenue: row.revenue, payments: row.payments }]));
}

test('a payment with the visitor id is credited to that visit, once, and answered bare', async () => {
  const payment = { amount: 49.99, currency: 'USD', transaction_id: 'tx_1', datafast_visitor_id: googleVisitor };
  const first = await call('POST', '/api/v1/payments', keyA, payment);
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.deepEqual(first.json, { message: 'Payment recorded', transaction_id: 'tx_1' });
  const again = await call('POST', '/api/v1/payments', keyA, payment);
  assert.equal(again.status, 200);
  assert.match(again.json.message, /duplicate/);
  const byReferrer = await revenueByReferrer(49.99);
  assert.deepEqual(byReferrer.Google, { revenue: 49.99, payments: 1 });
});

test('an identified visitor is found by the customer id of a later payment', async () => {
  const identified = await call('POST', '/api/v1/identify', keyA, {
    user_id: 'user_42',
    datafast_visitor_id: xVisitor,
    email: 'ada@example.com',
    plan: 'pro',
  });
  assert.equal(identified.status, 200, JSON.stringify(identified.json));
  assert.equal(identified.json.status, 'success');
  const paid = await call('POST', '/api/v1/payments', keyA, {
    amount: '20',
    currency: 'usd',
    transaction_id: 'tx_2',
    customer_id: 'user_42',
    timestamp: new Date().toISOString(),
  });
  assert.equal(paid.status, 200, JSON.stringify(paid.json));
  const byReferrer = await revenueByReferrer(69.99);
  assert.deepEqual(byReferrer.X, { revenue: 20, payments: 1 });
  assert.deepEqual(byReferrer.Google, { revenue: 49.99, payments: 1 });
});

test('a refund subtracts from the source that earned the payment; deleting removes both', async () => {
  const refund = await call('POST', '/api/v1/payments', keyA, {
    amount: 49.99,
    currency: 'USD',
    transaction_id: 'tx_1',
    refunded: true,
  });
  assert.equal(refund.status, 200, JSON.stringify(refund.json));
  assert.equal(refund.json.message, 'Refund recorded');
  let byReferrer = await revenueByReferrer(20);
  assert.equal(byReferrer.Google.revenue, 0);

  const deleted = await call('DELETE', '/api/v1/payments?transaction_id=tx_1', keyA);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.json));
  assert.equal(deleted.json.data.deleted, 2);
  byReferrer = await revenueByReferrer(20);
  assert.equal(byReferrer.Google?.payments ?? 0, 0);
  assert.deepEqual(byReferrer.X, { revenue: 20, payments: 1 });
  const missing = await call('DELETE', '/api/v1/payments?transaction_id=tx_1', keyA);
  assert.equal(missing.status, 404);
});

test("a site's key neither sees nor deletes another site's payments", async () => {
  const foreign = await call('DELETE', '/api/v1/payments?transaction_id=tx_2', keyB);
  assert.equal(foreign.status, 404, JSON.stringify(foreign.json));
  const other = await call('POST', '/api/v1/payments', keyB, { amount: 5, currency: 'USD', transaction_id: 'tx_2' });
  assert.equal(other.status, 200);
  assert.equal(other.json.message, 'Payment recorded');  // the same id is another site's own transaction
  const byReferrer = await revenueByReferrer(20);
  assert.deepEqual(byReferrer.X, { revenue: 20, payments: 1 });
});

test('bad payments get a 400 naming the problem and store nothing', async () => {
  const cases = [
    [{ currency: 'USD', transaction_id: 'bad_1' }, 'amount'],
    [{ amount: -5, currency: 'USD', transaction_id: 'bad_2' }, 'amount'],
    [{ amount: 5, currency: 'dollars', transaction_id: 'bad_3' }, 'currency'],
    [{ amount: 5, currency: 'USD' }, 'transaction_id'],
    [{ amount: 5.123, currency: 'USD', transaction_id: 'bad_4' }, 'amount'],
    [{ amount: 5, currency: 'USD', transaction_id: 'bad_5', timestamp: 'yesterday' }, 'timestamp'],
    [{ amount: 5, currency: 'USD', transaction_id: 'x'.repeat(256) }, 'transaction_id'],
    ['{not json', 'JSON'],
  ];
  for (const [body, field] of cases) {
    const r = await call('POST', '/api/v1/payments', keyA, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${JSON.stringify(r.json)}`);
    assert.ok(r.json.error.message.includes(field), `"${r.json.error.message}" should name ${field}`);
  }
  const noTarget = await call('DELETE', '/api/v1/payments', keyA);
  assert.equal(noTarget.status, 400);
  const identifyWithoutUser = await call('POST', '/api/v1/identify', keyA, { datafast_visitor_id: xVisitor });
  assert.equal(identifyWithoutUser.status, 400);
  assert.match(identifyWithoutUser.json.error.message, /user_id/);
  const byReferrer = await revenueByReferrer(20);
  assert.equal(Object.values(byReferrer).reduce((n, row) => n + row.payments, 0), 1);
});

test('a payment in another currency waits for a rate, then counts converted at the rate of its date', async () => {
  const eur = await call('POST', '/api/v1/payments', keyA, {
    amount: 10,
    currency: 'EUR',
    transaction_id: 'tx_eur',
    datafast_visitor_id: googleVisitor,
  });
  assert.equal(eur.status, 200, JSON.stringify(eur.json));
  const rates = join(dataDir, 'rates.csv');
  writeFileSync(rates, 'date,currency,per_usd\n2020-01-01,EUR,0.8\n2099-01-01,EUR,0.5\n');
  const bad = join(dataDir, 'bad.csv');
  writeFileSync(bad, 'date,currency,per_usd\n2026-11-19,EUR,zero\n');
  const refused = spawnSync(BIN, ['rates', 'import', bad, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /line 2: per_usd/);
  const loaded = spawnSync(BIN, ['rates', 'import', rates, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(loaded.status, 0, loaded.stderr);
  assert.equal(loaded.stdout.trim(), '2');
  // Waiting payments are settled when the server starts, and every minute.
  await stopServer(server);
  server = await startServer(dataDir, ['--api-rate-limit', '10000']);
  const byReferrer = await revenueByReferrer(20 + 12.5);
  assert.deepEqual(byReferrer.Google, { revenue: 12.5, payments: 1 });  // 10 EUR at 0.8 per dollar
});

test('the revenue report sums what is left: new revenue, customers, attribution rules and days to pay', async () => {
  const r = await call('GET', '/api/v1/analytics/revenue?period=7d', keyA);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const t = r.json.totals;
  // tx_2 (20 USD, the identified visitor) and tx_eur (12.50 USD converted);
  // tx_1 and its refund were deleted, site B's payment is its own.
  assert.equal(t.revenue, 32.5);
  assert.equal(t.new_revenue, 32.5);
  assert.equal(t.renewal_revenue, 0);
  assert.equal(t.refunds, 0);
  assert.equal(t.payments, 2);
  assert.equal(t.customers, 2);
  assert.equal(t.average_order_value, 16.25);
  assert.equal(t.unattributed_revenue, 0);
  assert.ok(t.median_days_to_first_payment >= 0 && t.median_days_to_first_payment < 1, JSON.stringify(t));
  const rules = Object.fromEntries(r.json.attribution.map((a) => [a.rule, [a.revenue, a.confidence]]));
  assert.deepEqual(rules, { identified: [20, 'high'], metadata: [12.5, 'high'] });
  assert.equal(r.json.interval, 'day');
  assert.equal(r.json.data.reduce((n, point) => n + point.revenue, 0), 32.5);
  // Lifetime value by month of first visit: both visitors came this month.
  assert.equal(r.json.ltv.length, 12);
  const thisMonth = r.json.ltv.at(-1);
  assert.equal(thisMonth.cohort, new Date().toISOString().slice(0, 7));
  assert.deepEqual([thisMonth.visitors, thisMonth.customers, thisMonth.revenue_per_visitor], [2, 2, [16.25]]);
  assert.ok(r.json.ltv.slice(0, -1).every((c) => c.visitors === 0 && c.revenue_per_visitor.every((v) => v === 0)));
  const bad = await call('GET', '/api/v1/analytics/revenue?interval=hour', keyA);
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /interval/);
});
