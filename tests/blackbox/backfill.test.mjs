// Black-box tests of importing past payments (backfill) through each
// provider's list API, against a local stand-in that pages its lists as the
// providers document: Stripe by starting_after and has_more, Lemon Squeezy
// by page number and meta.page.lastPage, Polar by page and
// pagination.max_page, Shopify by since_id. The import is idempotent with
// the webhooks, resumes after a failure, and runs from the app (progress on
// the connection) and from the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { BIN, removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';
import { connectAll, deliver, fixture, providerFlags, signed, startProviderPeer, SHOP } from '../lib/providers.mjs';

const VISITOR = randomUUID();
const iso = (seconds) => new Date(seconds * 1000).toISOString();

// What each provider's list API holds: payments made after the visit (in
// the last minutes), filled in once the visit is in.
let stripeSessions, stripeCharges, polarOrders, lsOrders, shopifyOrders;
function fillLists() {
  const now = Math.floor(Date.now() / 1000) + 60;
  stripeSessions = [1, 2, 3].map((i) => {
    const s = fixture('stripe', 'checkout.session.completed').data.object;
    return Object.assign(s, { id: `cs_bf_${i}`, payment_intent: `pi_bf_${i}`, invoice: null, amount_total: 1000 * i, currency: 'usd', created: now + i, metadata: { datafast_visitor_id: VISITOR } });
  });
  stripeCharges = [Object.assign(fixture('stripe', 'charge.refunded').data.object, {
    id: 'ch_bf_1', payment_intent: 'pi_bf_1', invoice: null, amount: 1000, amount_refunded: 400, currency: 'usd', created: now + 10,
  })];
  polarOrders = [1, 2, 3].map((i) => Object.assign(fixture('polar', 'order.paid').data, {
    id: randomUUID(), checkout_id: randomUUID(), total_amount: 500 * i, currency: 'usd', created_at: iso(now + i), status: 'paid', billing_reason: 'purchase', subscription_id: null,
  }));
  lsOrders = [Object.assign(fixture('lemonsqueezy', 'order_created').data, { id: '555001' })];
  lsOrders[0].attributes = { ...lsOrders[0].attributes, total: 2500, currency: 'USD', created_at: iso(now), status: 'paid', identifier: randomUUID() };
  shopifyOrders = [11, 12].map((n) => Object.assign(fixture('shopify', 'orders_paid'), {
    id: 8000000000 + n, admin_graphql_api_id: `gid://shopify/Order/${8000000000 + n}`, total_price: `${n}.00`, currency: 'USD', financial_status: 'paid', refunds: [],
  }));
}

let failStripeOnce = true;  // the second page of sessions fails once
let stallCharges = null;  // when set, the charges list answers only once this resolves
function answer(path) {
  const url = new URL(path, 'http://peer');
  if (url.pathname === '/v1/checkout/sessions') {
    const after = url.searchParams.get('starting_after');
    if (after && failStripeOnce) {
      failStripeOnce = false;
      return { status: 500, body: { error: { message: 'An unexpected error occurred', type: 'api_error' } } };
    }
    const start = after ? stripeSessions.findIndex((s) => s.id === after) + 1 : 0;
    const data = stripeSessions.slice(start, start + 2);  // two a page
    return { object: 'list', data, has_more: start + 2 < stripeSessions.length };
  }
  if (url.pathname === '/v1/invoices') return { object: 'list', data: [], has_more: false };
  if (url.pathname === '/v1/charges') {
    if (stallCharges) return { status: 500, body: { error: { message: 'stalled' } }, stall: stallCharges };
    return { object: 'list', data: stripeCharges, has_more: false };
  }
  if (url.pathname === '/v1/orders') {
    return { jsonapi: { version: '1.0' }, meta: { page: { currentPage: 1, lastPage: 1, perPage: 100, total: 1 } }, data: lsOrders };
  }
  if (url.pathname === '/v1/subscription-invoices') return { meta: { page: { currentPage: 1, lastPage: 1 } }, data: [] };
  if (url.pathname === '/v1/orders/') {
    const page = Number(url.searchParams.get('page'));
    return { items: polarOrders.slice((page - 1) * 2, page * 2), pagination: { total_count: 3, max_page: 2 } };
  }
  if (url.pathname === `/${SHOP}/admin/api/2025-01/orders.json`) {
    const since = Number(url.searchParams.get('since_id'));
    return { orders: shopifyOrders.filter((o) => o.id > since) };
  }
  return undefined;
}

// Runs the binary without blocking this process; resolves with its exit status and output.
function run(args) {
  return new Promise((resolve) => {
    execFile(BIN, args, { encoding: 'utf8' }, (error, stdout, stderr) => resolve({ status: error ? error.code : 0, stdout, stderr }));
  });
}

let dataDir;
let server;
let peer;
let app;
let session;
let site;
let key;

before(async () => {
  dataDir = tempDataDir();
  peer = await startProviderPeer(answer);
  server = await startServer(dataDir, ['--api-rate-limit', '100000', ...providerFlags(peer)]);
  ({ app, session } = await signUpOwner(server));
  site = (await app('POST', '/api/app/sites', { domain: 'shop.example', currency: 'USD' })).json.id;
  key = (await app('POST', `/api/app/sites/${site}/keys`, { name: 'backfill' })).json.secret;
  await connectAll(app, site);
  const visit = await sendEvent(server.url, { websiteId: site, href: 'https://shop.example/', referrer: 'https://www.google.com/', visitorId: VISITOR, sessionId: randomUUID() });
  assert.equal(visit.status, 202);
  fillLists();
});

after(async () => {
  await stopServer(server);
  peer.close();
  removeDir(dataDir);
});

// The app API as the owner, on the server as it runs now (tests restart it).
async function appNow(method, path, body) {
  const res = await fetch(server.url + path, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json', origin: server.url },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function overview() {
  const res = await fetch(`${server.url}/api/v1/analytics/overview?period=30d&fields=revenue,payments`, { headers: { authorization: `Bearer ${key}` } });
  return (await res.json()).data[0];
}

// Starts a backfill from the app and waits for it to end; resolves with the connection.
async function backfill(provider, days = 30) {
  const started = await app('POST', `/api/app/sites/${site}/connections/${provider}/backfill`, { days });
  assert.equal(started.status, 202, JSON.stringify(started.json));
  for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const c = (await app('GET', `/api/app/sites/${site}/connections`)).json.connections.find((x) => x.provider === provider);
    if (c.backfill && c.backfill.state !== 'running') return c;
  }
  throw new Error(`the ${provider} backfill did not end`);
}

test('a Stripe import pages through sessions, invoices and charges, resumes after a failure, and counts webhooked payments once', async () => {
  // One of the sessions reached DataFast by webhook already.
  const event = fixture('stripe', 'checkout.session.completed');
  event.id = 'evt_bf_1';
  event.data.object = stripeSessions[0];
  const body = JSON.stringify(event);
  assert.equal((await deliver(server.url, 'stripe', site, body, signed('stripe', body))).status, 200);

  const failed = await backfill('stripe');
  assert.equal(failed.backfill.state, 'failed');
  assert.match(failed.backfill.error, /Stripe answered 500/);
  assert.equal(failed.backfill.pages, 1);
  const resumed = await backfill('stripe');
  assert.equal(resumed.backfill.state, 'done', JSON.stringify(resumed.backfill));
  // It went on from the second page rather than starting over.
  const sessionCalls = peer.seen.filter((p) => p.startsWith('/v1/checkout/sessions?') && p.includes('created%5Bgte%5D='));
  assert.equal(sessionCalls.filter((p) => !p.includes('starting_after')).length, 1);

  // 10 + 20 + 30 dollars, less 4 refunded on the first: once each.
  let o;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    o = await overview();
    if (o.payments === 3 && o.revenue === 56) break;
  }
  assert.deepEqual(o, { revenue: 56, payments: 3 });
  const google = (await (await fetch(`${server.url}/api/v1/analytics/referrers?fields=referrer,revenue`, { headers: { authorization: `Bearer ${key}` } })).json()).data.find((r) => r.referrer === 'Google');
  assert.equal(google.revenue, 56);  // the metadata kept the visitor

  // Again: nothing new.
  const again = await backfill('stripe');
  assert.equal(again.backfill.state, 'done');
  assert.deepEqual(await overview(), { revenue: 56, payments: 3 });
});

test('Lemon Squeezy, Shopify and Polar imports page their own ways; Polar from the command line with the server stopped', async () => {
  assert.equal((await backfill('lemonsqueezy')).backfill.payments, 1);
  const shopify = await backfill('shopify');
  assert.equal(shopify.backfill.payments, 2);
  // Fewer orders than a page holds: one request, from the start.
  const shopifyCalls = peer.seen.filter((p) => p.includes('/orders.json?'));
  assert.deepEqual(shopifyCalls.map((p) => new URL(p, 'http://peer').searchParams.get('since_id')), ['0']);
  let o;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    o = await overview();
    if (o.payments === 6) break;
  }
  assert.deepEqual(o, { revenue: 56 + 25 + 23, payments: 6 });

  const bad = await app('POST', `/api/app/sites/${site}/connections/polar/backfill`, { days: 0 });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'days');

  await stopServer(server);
  const url = `http://127.0.0.1:${peer.address().port}`;
  // Not spawnSync: the stand-in answering the command runs in this process.
  const cli = await run(['payments', 'backfill', '--site', site, '--provider', 'polar', '--days', '7', '--data-dir', dataDir, '--polar-api-url', url]);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(cli.stdout.trim(), '3');
  assert.match(cli.stderr, /done: 2 pages, 3 payments/);
  const unknown = spawnSync(BIN, ['payments', 'backfill', '--site', site, '--provider', 'paypal', '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /--provider/);

  server = await startServer(dataDir, ['--api-rate-limit', '100000', ...providerFlags(peer)]);
  assert.deepEqual(await overview(), { revenue: 56 + 25 + 23 + 30, payments: 9 });
});

test('an import the server was killed in the middle of goes on by itself at the next start', async () => {
  // The charges list hangs: the import is in the middle of its last phase.
  let release;
  stallCharges = new Promise((r) => (release = r));
  const started = await appNow('POST', `/api/app/sites/${site}/connections/stripe/backfill`, { days: 30 });
  assert.equal(started.status, 202, JSON.stringify(started.json));
  for (const deadline = Date.now() + 5000; !peer.seen.some((p) => p.startsWith('/v1/charges?')) && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const before = peer.seen.filter((p) => p.startsWith('/v1/charges?')).length;
  assert.ok(before >= 1);
  server.child.kill('SIGKILL');
  await server.exited;
  stallCharges = null;
  release();

  server = await startServer(dataDir, ['--api-rate-limit', '100000', ...providerFlags(peer)]);
  let stripe;
  for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    stripe = (await appNow('GET', `/api/app/sites/${site}/connections`)).json.connections.find((c) => c.provider === 'stripe');
    if (stripe.backfill.state === 'done') break;
  }
  assert.equal(stripe.backfill.state, 'done', JSON.stringify(stripe.backfill));
  assert.ok(peer.seen.filter((p) => p.startsWith('/v1/charges?')).length > before, 'the charges list was read again');
  assert.deepEqual(await overview(), { revenue: 56 + 25 + 23 + 30, payments: 9 });
});
