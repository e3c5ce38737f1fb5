// Black-box tests of the payment providers' connections and webhooks against
// the real binary. A local peer stands in for the providers' APIs (they
// cannot be reached from here) to answer the key checks; deliveries are the
// documented payloads of tests/fixtures/webhooks, signed with each provider's
// real scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';
import { GOOD_KEY, SECRET, SHOP, deliver, fixture, nowSeconds, providerFlags, signed, startProviderPeer } from '../lib/providers.mjs';

const VISITOR = '3f1e2d4c-5b6a-4789-8abc-def012345678';  // what the fixtures' checkout metadata carry
const SESSION = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
// The Checkout Session a success page (?session_id=) names, as the Stripe
// API answers it: the fixture's, with ids of its own and no metadata (the
// page itself tells the visitor).
const SUCCESS_SESSION = (() => {
  const session = fixture('stripe', 'checkout.session.completed').data.object;
  Object.assign(session, { id: 'cs_test_success1', payment_intent: 'pi_success_1', invoice: null, amount_total: 1500, metadata: {} });
  return session;
})();

let dataDir;
let server;
let peer;
let app;
let site;
let key;

before(async () => {
  dataDir = tempDataDir();
  peer = await startProviderPeer((path) => (path === `/v1/checkout/sessions/${SUCCESS_SESSION.id}` ? SUCCESS_SESSION : undefined));
  server = await startServer(dataDir, ['--api-rate-limit', '100000', ...providerFlags(peer)]);
  ({ app } = await signUpOwner(server));
  const created = await app('POST', '/api/app/sites', { domain: 'shop.example', currency: 'USD' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  site = created.json.id;
  const k = await app('POST', `/api/app/sites/${site}/keys`, { name: 'test' });
  key = k.json.secret;
  const visit = await sendEvent(server.url, {
    websiteId: site,
    href: 'https://shop.example/pricing',
    referrer: 'https://www.google.com/',
    visitorId: VISITOR,
    sessionId: SESSION,
  });
  assert.equal(visit.status, 202);
});

after(async () => {
  await stopServer(server);
  peer.close();
  removeDir(dataDir);
});

// The fixture as text, its times moved to now.
const fixtureText = (provider, name) => JSON.stringify(fixture(provider, name));
const deliverTo = (provider, body, headers) => deliver(server.url, provider, site, body, headers);

async function overview() {
  const res = await fetch(`${server.url}/api/v1/analytics/overview?fields=revenue,payments`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return (await res.json()).data[0];
}

// The overview once the store shows `payments` payments.
async function overviewWith(payments, revenue) {
  let last;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    last = await overview();
    if (last.payments === payments && Math.abs(last.revenue - revenue) < 1e-6) break;
  }
  return last;
}

test('connecting checks the API key with the provider and shows the webhook URL', async () => {
  const list = await app('GET', `/api/app/sites/${site}/connections`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.connections.map((c) => [c.provider, c.connected]), [
    ['stripe', false], ['lemonsqueezy', false], ['polar', false], ['shopify', false],
  ]);
  assert.equal(list.json.connections[0].webhook_url, `${server.url}/webhooks/stripe/${site}`);

  const wrong = await app('PUT', `/api/app/sites/${site}/connections/stripe`, { api_key: 'rk_test_wrong', webhook_secret: SECRET.stripe });
  assert.equal(wrong.status, 400, JSON.stringify(wrong.json));
  assert.equal(wrong.json.error.field, 'api_key');
  assert.match(wrong.json.error.message, /does not accept this key.*Invalid API Key provided.*docs\.stripe\.com/);
  const noShop = await app('PUT', `/api/app/sites/${site}/connections/shopify`, { api_key: GOOD_KEY, webhook_secret: SECRET.shopify, shop: 'example.com' });
  assert.equal(noShop.status, 400);
  assert.equal(noShop.json.error.field, 'shop');

  for (const provider of ['stripe', 'lemonsqueezy', 'polar', 'shopify']) {
    const r = await app('PUT', `/api/app/sites/${site}/connections/${provider}`, {
      api_key: GOOD_KEY,
      webhook_secret: SECRET[provider],
      shop: provider === 'shopify' ? `https://${SHOP}/admin` : undefined,
    });
    assert.equal(r.status, 200, `${provider}: ${JSON.stringify(r.json)}`);
    assert.equal(r.json.connected, true);
    assert.equal(r.json.api_key_hint, '…1234');
  }
  const shopify = (await app('GET', `/api/app/sites/${site}/connections`)).json.connections[3];
  assert.equal(shopify.shop, SHOP);
  // The secrets are kept sealed: neither appears in the database file.
  const db = readFileSync(`${dataDir}/meta.sqlite`);
  for (const secret of [GOOD_KEY, SECRET.stripe, SECRET.shopify]) assert.equal(db.indexOf(secret), -1, secret);
});

test('each provider signed delivery becomes a payment credited to the visit; forgeries are refused and store nothing', async () => {
  const purchases = [
    ['stripe', 'checkout.session.completed', 49.0],
    ['lemonsqueezy', 'order_created', 11.99],
    ['polar', 'order.paid', 58.8],
    ['shopify', 'orders_paid', 254.98, 'orders/paid'],
  ];
  let payments = 0;
  let revenue = 0;
  for (const [provider, name, amount, topic] of purchases) {
    const body = fixtureText(provider, name);
    // Forgeries first: a tampered body, a wrong secret, and each scheme's
    // own way of being wrong.
    const tampered = body.replace('"', '"x_":1,"').replace(/"x_":1,/, '"x_":2,');
    const forgeries = [
      [body.replace(/\d(?=\d*\D*$)/, '7'), signed(provider, body, { topic })],
      [tampered, signed(provider, body, { topic })],
      [body, signed(provider, body, { secret: 'not-the-secret', topic })],
    ];
    if (provider === 'stripe') forgeries.push([body, signed(provider, body, { timestamp: nowSeconds() - 600 })]);
    if (provider === 'polar') {
      const h = signed(provider, body);
      h['webhook-signature'] = `v1,${Buffer.from(h['webhook-signature'].slice(3), 'base64').toString('hex')}`;
      forgeries.push([body, h]);
    }
    if (provider === 'shopify') {
      const h = signed(provider, body, { topic });
      h['x-shopify-hmac-sha256'] = Buffer.from(h['x-shopify-hmac-sha256'], 'base64').toString('hex');
      forgeries.push([body, h]);
    }
    if (provider === 'lemonsqueezy') {
      const h = signed(provider, body);
      h['x-signature'] = Buffer.from(h['x-signature'], 'hex').toString('base64');
      forgeries.push([body, h]);
    }
    for (const [forged, headers] of forgeries) {
      const r = await deliverTo(provider, forged, headers);
      assert.equal(r.status, 400, `${provider}: a forgery was accepted: ${JSON.stringify(r.json)}`);
    }
    const ok = await deliverTo(provider, body, signed(provider, body, { topic, id: `msg_${name}` }));
    assert.equal(ok.status, 200, `${provider}: ${JSON.stringify(ok.json)}`);
    assert.equal(ok.json.payments, 1, `${provider}: ${JSON.stringify(ok.json)}`);
    payments += 1;
    revenue += amount;
    const now = await overviewWith(payments, revenue);
    assert.equal(now.payments, payments, provider);
    assert.ok(Math.abs(now.revenue - revenue) < 1e-6, `${provider}: revenue ${now.revenue}, expected ${revenue}`);
  }
  const res = await fetch(`${server.url}/api/v1/analytics/referrers?fields=referrer,revenue,payments`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const google = (await res.json()).data.find((row) => row.referrer === 'Google');
  assert.equal(google.payments, 4);
  assert.ok(Math.abs(google.revenue - revenue) < 1e-6);

  const connections = (await app('GET', `/api/app/sites/${site}/connections`)).json.connections;
  for (const c of connections) {
    assert.equal(c.last_delivery.ok, true, JSON.stringify(c));
    assert.equal(c.last_delivery.result, '1 payment recorded');
  }
});

test('the same delivery 20 times at once is one payment; a refund subtracts', async () => {
  const before = await overview();
  const body = fixtureText('stripe', 'invoice.paid_basil');
  const headers = signed('stripe', body);
  const answers = await Promise.all(Array.from({ length: 20 }, () => deliverTo('stripe', body, headers)));
  assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
  assert.equal(answers.reduce((n, a) => n + (a.json.payments ?? 0), 0), 1);
  // invoice.paid_basil is 29.00 EUR: without a rate it waits, so the count
  // stays; its delivery is known either way.
  const again = await deliverTo('stripe', body, headers);
  assert.equal(again.json.duplicate, true);

  const refund = fixtureText('polar', 'order.refunded');
  const r = await deliverTo('polar', refund, signed('polar', refund, { id: 'msg_refund' }));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  // 20.00 refunded and its 4.00 of tax, as Polar reports them apart.
  const after = await overviewWith(before.payments, before.revenue - 24);
  assert.ok(Math.abs(after.revenue - (before.revenue - 24)) < 1e-6, `revenue ${after.revenue}`);
});

test("a success page's payment is fetched from the provider, credited to the page's visitor, and one with its webhook", async () => {
  const before = await overview();
  const visitor = '5d2c6a1e-0f4b-4c8e-9a7d-3b1e2f4a6c8d';
  const session = '1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
  for (const body of [
    { href: 'https://shop.example/launch', referrer: 'https://t.co/xyz' },
    { type: 'payment', provider: 'stripe', transactionId: SUCCESS_SESSION.id, href: `https://shop.example/thanks?session_id=${SUCCESS_SESSION.id}` },
  ]) {
    const res = await sendEvent(server.url, { websiteId: site, visitorId: visitor, sessionId: session, ...body });
    assert.equal(res.status, 202, await res.text());
  }
  const after = await overviewWith(before.payments + 1, before.revenue + 15);
  assert.equal(after.payments, before.payments + 1);
  const res = await fetch(`${server.url}/api/v1/analytics/referrers?fields=referrer,revenue,payments`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const x = (await res.json()).data.find((row) => row.referrer === 'X');
  assert.deepEqual({ revenue: x.revenue, payments: x.payments }, { revenue: 15, payments: 1 });

  // The webhook of the same checkout, later: the same payment.
  const event = fixture('stripe', 'checkout.session.completed');
  event.id = 'evt_success_1';
  event.data.object = { ...SUCCESS_SESSION, metadata: { datafast_visitor_id: visitor } };
  const body = JSON.stringify(event);
  const delivered = await deliverTo('stripe', body, signed('stripe', body));
  assert.equal(delivered.status, 200, JSON.stringify(delivered.json));
  assert.deepEqual([delivered.json.payments, delivered.json.duplicates], [0, 1]);
  const settled = await overview();
  assert.equal(settled.payments, before.payments + 1);
});

test('an unknown event type is acknowledged and ignored; an unconnected site gets 404', async () => {
  const body = JSON.stringify({ id: 'evt_ignored', object: 'event', type: 'customer.created', created: nowSeconds(), data: { object: { id: 'cus_1' } } });
  const r = await deliverTo('stripe', body, signed('stripe', body));
  assert.equal(r.status, 200);
  assert.equal(r.json.payments, 0);
  const stripe = (await app('GET', `/api/app/sites/${site}/connections`)).json.connections[0];
  assert.equal(stripe.last_delivery.result, 'ignored: not a payment event');

  const gone = await app('DELETE', `/api/app/sites/${site}/connections/stripe`);
  assert.equal(gone.status, 204);
  const orphan = await deliverTo('stripe', body, signed('stripe', body));
  assert.equal(orphan.status, 404);
  const unknown = await deliverTo('paypal', body, {});
  assert.equal(unknown.status, 404);
});
