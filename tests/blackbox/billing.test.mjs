// Stripe Billing, behind configuration: Checkout and the Customer Portal
// requested from a Stripe API peer on loopback (the base URL is
// configuration), and plan changes applied from webhooks signed with
// Stripe's real scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const WEBHOOK_SECRET = 'whsec_billing_test_secret';
const SECRET_KEY = 'sk_test_datafast';
let dataDir;
let server;
let stripe;
const stripeRequests = [];
let app;
let account;

before(async () => {
  // What Stripe's API answers for the two calls DataFast makes.
  stripe = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      stripeRequests.push({ path: req.url, auth: req.headers.authorization, type: req.headers['content-type'], form: new URLSearchParams(body) });
      res.writeHead(200, { 'content-type': 'application/json' });
      const kind = req.url === '/v1/checkout/sessions' ? 'checkout.session' : 'billing_portal.session';
      res.end(JSON.stringify({ id: `${kind}_1`, object: kind, url: `https://stripe.test/${kind}` }));
    });
  });
  await new Promise((resolve) => stripe.listen(0, '127.0.0.1', resolve));
  dataDir = tempDataDir();
  const plans = join(dataDir, 'plans.json');
  writeFileSync(plans, JSON.stringify([
    { id: 'free', name: 'Free', events_per_month: 1000, sites: 1 },
    { id: 'growth', name: 'Growth', events_per_month: 100000, sites: 30, stripe_price: 'price_growth' },
  ]));
  server = await startServer(dataDir, [
    '--plans', plans, '--stripe-secret-key', SECRET_KEY, '--stripe-webhook-secret', WEBHOOK_SECRET,
    '--stripe-api-url', `http://127.0.0.1:${stripe.address().port}`, '--public-url', 'https://df.test',
  ]);
  ({ account, app } = await signUpOwner(server));
});

after(async () => {
  await stopServer(server);
  stripe.close();
  removeDir(dataDir);
});


function signed(event, { secret = WEBHOOK_SECRET, at = Math.floor(Date.now() / 1000) } = {}) {
  const body = JSON.stringify(event);
  const v1 = createHmac('sha256', secret).update(`${at}.${body}`).digest('hex');
  return { body, header: `t=${at},v1=${v1}` };
}

async function webhook(event, options) {
  const { body, header } = signed(event, options);
  const res = await fetch(`${server.url}/api/billing/stripe/webhook`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body,
  });
  return { status: res.status, json: await res.json() };
}

const plan = async () => (await app('GET', `/api/app/accounts/${account}/usage`)).json.plan.id;

test('the app offers billing; a new account is on the first plan', async () => {
  assert.equal((await (await fetch(`${server.url}/api/app/state`)).json()).billing, true);
  assert.equal(await plan(), 'free');
  const usage = (await app('GET', `/api/app/accounts/${account}/usage`)).json;
  assert.deepEqual(usage.available_plans.map((p) => [p.id, p.purchasable]), [['free', false], ['growth', true]]);
});

test('upgrading opens Stripe Checkout for the plan, for this account', async () => {
  const refused = await app('POST', `/api/app/accounts/${account}/billing/checkout`, { plan: 'free' });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.field, 'plan');
  const r = await app('POST', `/api/app/accounts/${account}/billing/checkout`, { plan: 'growth' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.url, 'https://stripe.test/checkout.session');
  const sent = stripeRequests.at(-1);
  assert.equal(sent.path, '/v1/checkout/sessions');
  assert.equal(sent.auth, `Bearer ${SECRET_KEY}`);
  assert.equal(sent.type, 'application/x-www-form-urlencoded');
  assert.equal(sent.form.get('mode'), 'subscription');
  assert.equal(sent.form.get('line_items[0][price]'), 'price_growth');
  assert.equal(sent.form.get('client_reference_id'), account);
  assert.equal(sent.form.get('customer_email'), 'owner@example.com');
  assert.equal(sent.form.get('success_url'), 'https://df.test/usage?checkout=success');
  // No portal before a first checkout.
  assert.equal((await app('POST', `/api/app/accounts/${account}/billing/portal`)).status, 400);
});

test('webhooks with a bad signature, an old timestamp or another secret are refused and change nothing', async () => {
  const event = { id: 'evt_forged', type: 'checkout.session.completed', data: { object: { object: 'checkout.session', client_reference_id: account, customer: 'cus_evil', metadata: { plan: 'growth' } } } };
  assert.equal((await webhook(event, { secret: 'whsec_wrong' })).status, 400);
  assert.equal((await webhook(event, { at: Math.floor(Date.now() / 1000) - 301 })).status, 400);
  const tampered = signed(event);
  const res = await fetch(`${server.url}/api/billing/stripe/webhook`, {
    method: 'POST', headers: { 'stripe-signature': tampered.header }, body: tampered.body.replace('growth', 'growtH'),
  });
  assert.equal(res.status, 400);
  assert.equal(await plan(), 'free');
});

test('a completed checkout moves the account to the plan, once; the portal then opens', async () => {
  const event = { id: 'evt_checkout_1', type: 'checkout.session.completed', data: { object: { id: 'cs_1', object: 'checkout.session', mode: 'subscription', client_reference_id: account, customer: 'cus_123', subscription: 'sub_1', metadata: { account_id: account, plan: 'growth' } } } };
  const first = await webhook(event);
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.received, 'applied');
  assert.equal(await plan(), 'growth');
  assert.equal((await webhook(event)).json.received, 'duplicate');
  const portal = await app('POST', `/api/app/accounts/${account}/billing/portal`);
  assert.equal(portal.status, 200);
  assert.equal(stripeRequests.at(-1).path, '/v1/billing_portal/sessions');
  assert.equal(stripeRequests.at(-1).form.get('customer'), 'cus_123');
});

test('a cancelled subscription returns the account to the first plan', async () => {
  const sub = { id: 'sub_1', object: 'subscription', customer: 'cus_123', status: 'canceled', items: { object: 'list', data: [{ price: { id: 'price_growth' } }] } };
  assert.equal((await webhook({ id: 'evt_sub_deleted', type: 'customer.subscription.deleted', data: { object: sub } })).status, 200);
  assert.equal(await plan(), 'free');
  const other = await webhook({ id: 'evt_other', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
  assert.equal(other.json.received, 'ignored');
});
