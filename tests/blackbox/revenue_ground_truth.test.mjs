// Revenue ground truth: generated visitors from known sources, some paying
// through each provider's webhook with the visitor id at checkout, some
// through the payments API, some identified by email only, some anonymous.
// Every breakdown's revenue, payments and revenue per visitor must equal
// what the test computes from what it sent, exactly, under each attribution
// model (last touch, first touch, linear).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CHROME_UA, removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';
import { connectAll, deliver, fixture, providerFlags, signed, startProviderPeer } from '../lib/providers.mjs';

const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

// Where visits come from, and what the reports call it: without a
// referrer, the source is named after utm_source ("google" is Google).
const SOURCES = [
  { key: 'google', referrer: 'https://www.google.com/', query: '', report: { referrer: 'Google', channel: 'organic_search' } },
  { key: 'x', referrer: 'https://t.co/abc123', query: '', report: { referrer: 'X', channel: 'social' } },
  { key: 'newsletter', referrer: '', query: '?utm_source=newsletter&utm_medium=email&utm_campaign=november',
    report: { referrer: 'newsletter', channel: 'email', utm_source: 'newsletter', utm_campaign: 'november' } },
  { key: 'ads', referrer: '', query: '?utm_source=google&utm_medium=cpc&utm_campaign=brand',
    report: { referrer: 'Google', channel: 'paid', utm_source: 'google', utm_campaign: 'brand' } },
  { key: 'direct', referrer: '', query: '', report: { referrer: 'Direct/None', channel: 'direct' } },
];
const PAGES = ['/', '/pricing', '/blog/launch', '/features'];
const DEVICES = [
  { ua: CHROME_UA, browser: 'Chrome', device: 'desktop' },
  { ua: FIREFOX_UA, browser: 'Firefox', device: 'desktop' },
  { ua: IPHONE_UA, browser: 'Mobile Safari', device: 'mobile' },
];
// Each breakdown's field for its value.
const FIELD = {
  referrers: 'referrer', channels: 'channel', 'utm-sources': 'utm_source', 'utm-campaigns': 'utm_campaign',
  'entry-pages': 'entry_page', browsers: 'browser', devices: 'device',
};
const HOW = ['stripe', 'lemonsqueezy', 'polar', 'shopify', 'api', 'email', 'anonymous', 'none'];

let dataDir;
let server;
let peer;
let site;
let key;
let app;
const visitors = [];  // {id, sessions: [{source, page, device}], pays: {how, cents} | null}
const payments = [];  // {visitor (or null), cents}

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

before(async () => {
  dataDir = tempDataDir();
  peer = await startProviderPeer();
  server = await startServer(dataDir, ['--api-rate-limit', '100000', ...providerFlags(peer)]);
  ({ app } = await signUpOwner(server));
  const created = await app('POST', '/api/app/sites', { domain: 'shop.example', currency: 'USD' });
  site = created.json.id;
  key = (await app('POST', `/api/app/sites/${site}/keys`, { name: 'truth' })).json.secret;
  await connectAll(app, site);

  const random = rng(20261126);
  const pick = (list) => list[Math.floor(random() * list.length)];
  for (let i = 0; i < 48; i++) {
    const sessions = [{ source: pick(SOURCES), page: pick(PAGES), device: pick(DEVICES) }];
    // Some come back from another source: the models share the payment
    // differently.
    if (i % 3 === 0) sessions.push({ source: pick(SOURCES.slice(0, 4)), page: pick(PAGES), device: pick(DEVICES) });
    // Some come back directly later: the earlier, non-direct visits keep the credit.
    if (i % 5 === 0) sessions.push({ source: SOURCES[4], page: '/', device: sessions[0].device });
    const how = HOW[i % HOW.length];
    visitors.push({ id: randomUUID(), email: `buyer${i}@example.com`, sessions, how, cents: 1000 + 137 * i });
  }
  for (const v of visitors) {
    for (const s of v.sessions) {
      const res = await sendEvent(
        server.url,
        { websiteId: site, href: `https://shop.example${s.page}${s.source.query}`, referrer: s.source.referrer, visitorId: v.id, sessionId: randomUUID() },
        { 'user-agent': s.device.ua },
      );
      assert.equal(res.status, 202, await res.text());
    }
  }
});

after(async () => {
  await stopServer(server);
  peer.close();
  removeDir(dataDir);
});

async function v1(method, path, body) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

// Pays for `v` the way `v.how` says; returns the visitor the payment must be
// credited to (null: unattributed).
async function pay(v, n) {
  const amount = v.cents;
  const webhook = async (provider, body, topic) => {
    const text = JSON.stringify(body);
    const r = await deliver(server.url, provider, site, text, signed(provider, text, { id: `msg_${n}`, topic }));
    assert.equal(r.status, 200, `${provider}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.payments, 1, `${provider}: ${JSON.stringify(r.json)}`);
  };
  if (v.how === 'stripe') {
    const e = fixture('stripe', 'checkout.session.completed');
    e.id = `evt_${n}`;
    Object.assign(e.data.object, { id: `cs_${n}`, payment_intent: `pi_${n}`, invoice: null, amount_total: amount, currency: 'usd', metadata: { datafast_visitor_id: v.id } });
    await webhook('stripe', e);
  } else if (v.how === 'lemonsqueezy') {
    const e = fixture('lemonsqueezy', 'order_created');
    e.data.id = String(900000 + n);
    Object.assign(e.data.attributes, { total: amount, currency: 'USD', identifier: randomUUID() });
    e.meta.custom_data = { datafast_visitor_id: v.id };
    await webhook('lemonsqueezy', e);
  } else if (v.how === 'polar') {
    const e = fixture('polar', 'order.paid');
    Object.assign(e.data, { id: randomUUID(), total_amount: amount, currency: 'usd', metadata: { datafast_visitor_id: v.id }, checkout_id: randomUUID() });
    await webhook('polar', e);
  } else if (v.how === 'shopify') {
    const e = fixture('shopify', 'orders_paid');
    Object.assign(e, { id: 7000000000 + n, total_price: (amount / 100).toFixed(2), currency: 'USD', admin_graphql_api_id: `gid://shopify/Order/${7000000000 + n}` });
    e.note_attributes = [{ name: 'datafast_visitor_id', value: v.id }];
    await webhook('shopify', e, 'orders/paid');
  } else if (v.how === 'api' || v.how === 'email' || v.how === 'anonymous') {
    if (v.how === 'email') {
      const identified = await v1('POST', '/api/v1/identify', { user_id: `user_${n}`, datafast_visitor_id: v.id, email: v.email });
      assert.equal(identified.status, 200);
    }
    const r = await v1('POST', '/api/v1/payments', {
      amount: amount / 100,
      currency: 'USD',
      transaction_id: `api_${n}`,
      datafast_visitor_id: v.how === 'api' ? v.id : undefined,
      email: v.how === 'email' ? v.email.toUpperCase() : undefined,
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
  } else {
    return undefined;  // 'none': visits and never pays
  }
  return v.how === 'anonymous' ? null : v;
}

// `total` in `parts` whole shares that add up to it, the first ones larger
// by one where it does not divide.
function split(total, parts) {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

// The sessions an attribution model credits for a visitor's payment, each
// with its share in millionths: the non-direct visits (all are inside the
// window), else the last direct one.
function credits(visitor, model) {
  const touches = visitor.sessions.filter((s) => s.source.key !== 'direct');
  if (touches.length === 0) touches.push(visitor.sessions.at(-1));
  if (model === 'last') return [{ session: touches.at(-1), share: 1_000_000 }];
  if (model === 'first') return [{ session: touches[0], share: 1_000_000 }];
  return split(1_000_000, touches.length).map((share, i) => ({ session: touches[i], share }));
}

// What a report must say under `model`, computed from what was sent: per
// dimension value, its visitors, revenue and payments (in millionths).
function truth(payers, model) {
  const rows = {};
  const row = (dimension, value) => {
    rows[dimension] ??= {};
    return (rows[dimension][value] ??= { visitors: new Set(), micros: 0, credit: 0 });
  };
  const attributes = (s) => ({
    referrers: s.source.report.referrer,
    channels: s.source.report.channel,
    'utm-sources': s.source.report.utm_source,
    'utm-campaigns': s.source.report.utm_campaign,
    'entry-pages': s.page,
    browsers: s.device.browser,
    devices: s.device.device,
  });
  for (const v of visitors) {
    for (const s of v.sessions) {
      for (const [dimension, value] of Object.entries(attributes(s))) if (value !== undefined) row(dimension, value).visitors.add(v.id);
    }
  }
  for (const { visitor, cents } of payers) {
    // An unattributed payment has no session: it counts under each
    // breakdown's empty value (Direct/None for referrers), never under a
    // campaign.
    const shares = visitor ? credits(visitor, model) : [{ session: null, share: 1_000_000 }];
    const amounts = split(cents * 10_000, shares.length);
    for (const [i, { session, share }] of shares.entries()) {
      const attrs = session
        ? attributes(session)
        : { referrers: 'Direct/None', channels: '', 'entry-pages': '', browsers: '', devices: '' };
      for (const [dimension, value] of Object.entries(attrs)) {
        if (value === undefined) continue;
        const r = row(dimension, value);
        r.micros += amounts[i];
        r.credit += share;
      }
    }
  }
  return rows;
}

test('every breakdown shows exactly the revenue, payments and revenue per visitor that were sent', async () => {
  const payers = [];
  for (const [n, v] of visitors.entries()) {
    const credited = await pay(v, n);
    if (credited !== undefined) payers.push({ visitor: credited, cents: v.cents });
  }
  const expectedTotal = payers.reduce((sum, p) => sum + p.cents, 0);
  // Payments are readable a moment after their answer.
  let overview;
  for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    overview = (await v1('GET', '/api/v1/analytics/overview?fields=visitors,revenue,payments')).json.data[0];
    if (overview.payments === payers.length) break;
  }
  assert.equal(overview.payments, payers.length);
  assert.equal(Math.round(overview.revenue * 100), expectedTotal);
  assert.equal(overview.visitors, visitors.length);

  for (const model of ['last', 'first', 'linear']) {
    const expected = truth(payers, model);
    for (const [dimension, values] of Object.entries(expected)) {
      const name = FIELD[dimension];
      const r = await v1('GET', `/api/v1/analytics/${dimension}?limit=1000&attribution=${model}&fields=${name},visitors,revenue,payments,revenue_per_visitor`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const got = Object.fromEntries(r.json.data.map((row) => [row[name], row]));
      const where = `${model}: ${dimension}`;
      for (const [value, want] of Object.entries(values)) {
        const row = got[value];
        assert.ok(row, `${where}: no row for "${value}" in ${JSON.stringify(Object.keys(got))}`);
        assert.equal(row.visitors, want.visitors.size, `${where} ${value}: visitors`);
        assert.equal(Math.round(row.revenue * 1e6), want.micros, `${where} ${value}: revenue`);
        assert.equal(Math.round(row.payments * 1e6), want.credit, `${where} ${value}: payments`);
        const rpv = want.visitors.size === 0 ? 0 : Math.round((want.micros / 1e6 / want.visitors.size) * 100) / 100;
        assert.equal(row.revenue_per_visitor, rpv, `${where} ${value}: revenue per visitor`);
      }
      assert.equal(Object.keys(got).length, Object.keys(values).length, `${where}: rows ${JSON.stringify(Object.keys(got))}`);
    }
  }
  // The models share the same payments differently: some visitor in this
  // data has two sources, so some row must differ between them.
  assert.notDeepEqual(truth(payers, 'first').referrers, truth(payers, 'last').referrers);

  // The revenue report agrees, and counts the anonymous payments as such.
  const report = (await v1('GET', '/api/v1/analytics/revenue')).json;
  assert.equal(Math.round(report.totals.revenue * 100), expectedTotal);
  assert.equal(report.totals.payments, payers.length);
  const anonymous = payers.filter((p) => p.visitor === null).reduce((sum, p) => sum + p.cents, 0);
  assert.equal(Math.round(report.totals.unattributed_revenue * 100), anonymous);
  const rules = Object.fromEntries(report.attribution.map((a) => [a.rule, a.payments]));
  const count = (how) => visitors.filter((v) => v.how === how).length;
  assert.equal(rules.metadata, count('stripe') + count('lemonsqueezy') + count('polar') + count('shopify') + count('api'));
  assert.equal(rules.identified, count('email'));
  assert.equal(rules.none, count('anonymous'));
});
