// The Revenue part of a site's settings in the browser: the four payment
// provider cards with their webhook URLs, connecting Stripe (a key Stripe
// refuses is explained under the field; a good one connects), the last
// delivery the webhook received, disconnecting after a confirmation, the
// attribution window, a viewer's read-only view (the X accounts too), and
// the layout at 320 px.
//
// Stripe can't be reached from here: a local peer answers the key check the
// server makes (GET /v1/checkout/sessions?limit=1), and datafast is started
// with --stripe-api-url pointing at it.
//
// run: DATAFAST_BIN=build/src/app/datafast node --test tests/browser/dashboard/revenue.test.mjs
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { addSite, contrastIssues, eventually, horizontalOverflow, kPassword, kRoot, kTestTimeout, launchBrowser, mailedLink, newContext, screenshot, signUp, startDatafast } from './lib.mjs';

const kGoodKey = 'rk_test_51PqRsT2eZvKYlo2CdatafastXb12';
const kBadKey = 'rk_test_51PqRsT2eZvKYlo2Cwrongwrong';
const kSecret = 'whsec_datafast_browser_test_secret';
const kProviders = [
  ['stripe', 'Stripe'],
  ['lemonsqueezy', 'Lemon Squeezy'],
  ['polar', 'Polar'],
  ['shopify', 'Shopify'],
];

// Stands in for every provider's API; only Stripe is answered: its key
// check, and for an import of past payments, its lists (one checkout
// session, the fixture's, and no invoices or charges).
async function startProviderPeer() {
  const seen = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://peer');
    seen.push({ method: req.method, path: url.pathname, query: url.search, auth: req.headers.authorization ?? '' });
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const lists = ['/v1/checkout/sessions', '/v1/invoices', '/v1/charges'];
    if (req.method === 'GET' && lists.includes(url.pathname)) {
      const importing = url.pathname === '/v1/checkout/sessions' && url.searchParams.has('created[gte]');
      const data = importing ? [JSON.parse(readFileSync(join(kRoot, 'tests/fixtures/webhooks/stripe/checkout.session.completed.json'), 'utf8')).data.object] : [];
      if (req.headers.authorization === `Bearer ${kGoodKey}`) return send(200, { object: 'list', data, has_more: false, url: url.pathname });
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return send(401, { error: { message: `Invalid API Key provided: ${key.slice(0, 8)}***${key.slice(-4)}`, type: 'invalid_request_error' } });
    }
    send(404, { error: { message: `Unrecognized request URL (${req.method}: ${url.pathname})`, type: 'invalid_request_error' } });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, seen, stop: () => new Promise((resolve) => server.close(resolve)) };
}

// datafast with every provider's API at the peer.
async function startWithPeer(peer) {
  return startDatafast([
    '--stripe-api-url', peer.url,
    '--lemonsqueezy-api-url', peer.url,
    '--polar-api-url', peer.url,
    '--shopify-api-url', `${peer.url}/{shop}`,
  ]);
}

let browser;
let peer;
before(async () => {
  browser = await launchBrowser();
  peer = await startProviderPeer();
});
after(async () => {
  await browser?.close();
  await peer?.stop();
});

// A signed-in owner with example.com, on its settings page.
async function ownerOnSettings(df, contextOptions = {}) {
  const { context, watch } = await newContext(browser, df, contextOptions);
  const page = await context.newPage();
  await signUp(page, df);
  const siteId = await addSite(page, 'example.com');
  await page.goto(`${df.url}/sites/${siteId}/settings`);
  await page.getByRole('heading', { name: 'Revenue' }).waitFor();
  await card(page, 'shopify').waitFor();
  return { context, watch, page, siteId };
}

const card = (page, provider) => page.locator(`li[data-provider="${provider}"]`);

// The text of the error an input is described by (its first aria-describedby).
async function fieldError(page, input) {
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  const ids = (await input.getAttribute('aria-describedby')).split(' ');
  return page.locator(`[id="${ids[0]}"]`);
}

// A Stripe event as Stripe signs it (Stripe-Signature: t=…,v1=HMAC).
function stripeDelivery(df, webhookUrl, body, secret = kSecret) {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return fetch(`${df.url}${new URL(webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
    body,
  });
}

test('four provider cards; Stripe: a refused key is explained, a good one connects; deliveries; disconnect after confirming', { timeout: kTestTimeout }, async () => {
  const df = await startWithPeer(peer);
  const { context, watch, page, siteId } = await ownerOnSettings(df);
  try {
    // One card per provider, in the API's order, each with its webhook URL.
    const order = await page.locator('li[data-provider]').evaluateAll((els) => els.map((el) => el.dataset.provider));
    assert.deepEqual(order, kProviders.map(([id]) => id));
    for (const [id, name] of kProviders) {
      const c = card(page, id);
      await c.getByRole('heading', { name }).waitFor();
      await c.getByText('Not connected').waitFor();
      await c.getByText('No delivery yet').waitFor();
      const url = (await c.locator('figure', { hasText: 'Webhook URL' }).locator('pre').textContent()).trim();
      assert.ok(url.endsWith(`/webhooks/${id}/${siteId}`), `${name}: ${url}`);
      assert.ok(await c.getByRole('button', { name: `Copy the ${name} webhook URL` }).isVisible());
      assert.ok(await c.getByRole('button', { name: `Connect ${name}` }).isVisible());
    }
    const stripe = card(page, 'stripe');
    const events = await stripe.getByRole('list', { name: 'Events to send from Stripe' }).locator('li').allTextContents();
    assert.ok(events.includes('checkout.session.completed'), events.join(', '));
    assert.match(await stripe.textContent(), /metadata: \{datafast_visitor_id, datafast_session_id\}/);
    assert.match(await card(page, 'lemonsqueezy').textContent(), /checkout_data\.custom/);
    assert.match(await card(page, 'shopify').textContent(), /cart attributes/);
    // The Shopify form asks for the shop too.
    await card(page, 'shopify').getByRole('button', { name: 'Connect Shopify' }).click();
    await card(page, 'shopify').getByLabel('Shop domain').waitFor();
    await card(page, 'shopify').getByRole('button', { name: 'Cancel' }).click();

    // The form: the key field is a password field the browser won't fill,
    // and it has the focus once opened.
    await stripe.getByRole('button', { name: 'Connect Stripe' }).click();
    const key = stripe.getByLabel('API key', { exact: true });
    assert.equal(await key.getAttribute('type'), 'password');
    assert.equal(await key.getAttribute('autocomplete'), 'off');
    assert.equal(await key.evaluate((el) => el === document.activeElement), true);
    assert.equal(await stripe.getByLabel('Webhook signing secret').getAttribute('type'), 'password');

    // A key Stripe refuses: the server's words under the key field, with
    // Stripe's guide to keys.
    await key.fill(kBadKey);
    await stripe.getByLabel('Webhook signing secret').fill(kSecret);
    await stripe.getByRole('button', { name: 'Connect Stripe' }).click();
    const error = await eventually(() => fieldError(page, key));
    assert.match(await error.textContent(), /Stripe does not accept this key.*Invalid API Key provided/);
    assert.equal(await error.locator('a[href="https://docs.stripe.com/keys#create-restricted-api-secret-key"]').count(), 1);
    assert.deepEqual(peer.seen.at(-1), { method: 'GET', path: '/v1/checkout/sessions', query: '?limit=1', auth: `Bearer ${kBadKey}` });
    await stripe.getByText('Not connected').waitFor();

    // The right key connects; the card says so and shows the key's end.
    await key.fill(kGoodKey);
    await stripe.getByRole('button', { name: 'Connect Stripe' }).click();
    await stripe.getByText('Connected', { exact: true }).waitFor();
    assert.match(await stripe.locator('dl').textContent(), /API key…Xb12/);
    assert.match(await stripe.locator('dl').textContent(), /Connected since/);
    assert.equal(await key.count(), 0, 'the form closes');
    await page.getByRole('status').filter({ hasText: 'Stripe connected.' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Replace keys');
    assert.equal(peer.seen.at(-1).auth, `Bearer ${kGoodKey}`);

    // Deliveries to the webhook URL: a bad signature fails, a signed
    // checkout is recorded; the card shows the latest.
    const webhookUrl = (await stripe.locator('figure', { hasText: 'Webhook URL' }).locator('pre').textContent()).trim();
    const checkout = readFileSync(join(kRoot, 'tests/fixtures/webhooks/stripe/checkout.session.completed.json'), 'utf8');
    assert.equal((await stripeDelivery(df, webhookUrl, checkout, 'whsec_not_the_secret')).status, 400);
    await page.reload();
    await stripe.locator('.tag-danger', { hasText: 'Failed' }).waitFor();
    assert.match(await stripe.locator('dl').textContent(), /Last delivery.*just now.*Failed/);
    const delivered = await stripeDelivery(df, webhookUrl, checkout);
    assert.equal(delivered.status, 200, await delivered.text());
    await page.reload();
    await stripe.locator('.delivery .tag-ok', { hasText: 'OK' }).waitFor();
    const last = await stripe.locator('.delivery').textContent();
    assert.match(last, /just now · checkout\.session\.completed/);
    assert.match(last, /1 payment recorded/);
    const time = stripe.locator('.delivery time');
    assert.match(await time.getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
    assert.ok((await time.getAttribute('title')).length > 8, 'the exact time is in the title');

    // Importing past payments: the list's one session is the payment the
    // webhook recorded, reported again, and still one payment.
    await stripe.getByText(/can be imported/).waitFor();
    await stripe.getByLabel('Import payments from').selectOption('30');
    await stripe.getByRole('button', { name: 'Import past payments' }).click();
    await stripe.getByText(/Imported 1 payment since/).waitFor();
    assert.equal(await stripe.locator('.provider-import .alert-error').count(), 0, 'no error under the import');
    assert.ok(peer.seen.some((r) => r.path === '/v1/charges'), 'the import read the refunded charges too');

    await stripe.locator('summary', { hasText: 'Show an example' }).click();
    assert.match(await stripe.locator('details pre').textContent(), /stripe\.checkout\.sessions\.create/);
    assert.deepEqual(await contrastIssues(page), [], 'text below AA contrast (light)');
    await screenshot(page, 'revenue-1280-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await contrastIssues(page), [], 'text below AA contrast (dark)');
    await page.emulateMedia({ colorScheme: 'light' });

    // Disconnect asks first; Escape keeps the connection.
    await stripe.getByRole('button', { name: 'Disconnect' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Disconnect Stripe?' });
    await dialog.waitFor();
    assert.equal(await dialog.evaluate((d) => d.contains(document.activeElement)), true, 'focus moves into the dialog');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await dialog.evaluate((d) => d.contains(document.activeElement) || document.activeElement === document.body), true, 'Tab stays in the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await stripe.getByText('Connected', { exact: true }).waitFor();

    await stripe.getByRole('button', { name: 'Disconnect' }).click();
    await dialog.getByRole('button', { name: 'Disconnect Stripe' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await stripe.getByText('Not connected').waitFor();
    await stripe.getByText('No delivery yet').waitFor();
    await stripe.getByRole('button', { name: 'Connect Stripe' }).waitFor();
    await page.reload();
    await stripe.getByText('Not connected').waitFor();
    assert.equal(await stripe.getByText('…Xb12').count(), 0);

    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, []);
  } finally {
    await context.close();
    await df.stop();
  }
});

test('the attribution window saves and survives a reload; 0 and 91 are refused inline', { timeout: kTestTimeout }, async () => {
  const df = await startWithPeer(peer);
  const { context, watch, page } = await ownerOnSettings(df);
  try {
    const days = page.getByLabel('Attribution window (days)');
    assert.equal(await days.inputValue(), '30');
    await page.getByText('A payment is credited to the visitor’s last non-direct visit within this many days before it.').waitFor();

    for (const wrong of ['0', '91']) {
      await days.fill(wrong);
      await page.getByRole('button', { name: 'Save window' }).click();
      const error = await eventually(() => fieldError(page, days));
      assert.match(await error.textContent(), /1 to 90/);
    }

    await days.fill('45');
    await days.press('Enter');
    await page.getByText('Saved.', { exact: true }).waitFor();
    assert.equal(await days.getAttribute('aria-invalid'), null);
    await page.reload();
    await page.getByLabel('Attribution window (days)').waitFor();
    assert.equal(await page.getByLabel('Attribution window (days)').inputValue(), '45');
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});

test('320 px, dark: no sideways scrolling with the form open and an error shown; keyboard focus is visible', { timeout: kTestTimeout }, async () => {
  const df = await startWithPeer(peer);
  const { context, watch, page } = await ownerOnSettings(df, { viewport: { width: 320, height: 640 }, colorScheme: 'dark' });
  try {
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const stripe = card(page, 'stripe');
    await stripe.getByRole('button', { name: 'Connect Stripe' }).focus();
    await page.keyboard.press('Enter');
    // By keyboard: the key field has the focus, with a focus ring; Tab goes
    // on through the guide's link to the secret; Enter submits.
    const focused = () => page.evaluate(() => ({ label: document.activeElement.labels?.[0]?.textContent, outline: getComputedStyle(document.activeElement).outlineStyle }));
    await eventually(async () => assert.equal((await focused()).label, 'API key'));
    assert.notEqual((await focused()).outline, 'none', 'the focused field shows a focus ring');
    await page.keyboard.type(kBadKey);
    await page.keyboard.press('Tab'); // the guide to keys in the field's hint
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Stripe’s guide to API keys/);
    await page.keyboard.press('Tab');
    assert.equal((await focused()).label, 'Webhook signing secret');
    await page.keyboard.type(kSecret);
    await page.keyboard.press('Enter');
    await eventually(() => fieldError(page, stripe.getByLabel('API key', { exact: true })));
    await card(page, 'shopify').locator('summary', { hasText: 'Show an example' }).click();

    const o = await horizontalOverflow(page);
    assert.ok(o.scrollWidth <= 320, `${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
    await screenshot(page, 'revenue-320-dark');
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});

test('a viewer sees the cards, the window and the X accounts read-only', { timeout: kTestTimeout }, async () => {
  const df = await startWithPeer(peer);
  const owner = await ownerOnSettings(df);
  const viewer = await newContext(browser, df);
  try {
    const page = owner.page;
    const ownerX = page.locator('.x-settings');
    await ownerX.getByLabel('Add account').fill('ShopMaker');
    await ownerX.getByRole('button', { name: 'Add account' }).click();
    await ownerX.locator('li[data-account="ShopMaker"]').waitFor();
    assert.equal(await ownerX.getByRole('button', { name: 'Remove @ShopMaker' }).count(), 1);
    await page.goto(`${df.url}/team`);
    await page.getByLabel('Email').fill('viewer@example.com');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation sent to viewer@example.com.').first().waitFor();

    const v = await viewer.context.newPage();
    await v.goto(`${df.url}${await mailedLink(df, /\/invite\/[A-Za-z0-9_-]+/g)}`);
    await v.getByRole('link', { name: 'Create your account' }).click();
    await v.getByLabel('Password').fill(kPassword);
    await v.getByRole('button', { name: 'Create account' }).click();
    await v.waitForURL('**/sites');
    await v.goto(`${df.url}/sites/${owner.siteId}/settings`);
    await card(v, 'shopify').waitFor();
    for (const [id, name] of kProviders) {
      assert.match(await card(v, id).locator('pre').first().textContent(), new RegExp(`/webhooks/${id}/${owner.siteId}`));
      assert.equal(await card(v, id).getByRole('button', { name: `Connect ${name}` }).count(), 0);
    }
    assert.equal(await v.getByLabel('Attribution window (days)').isDisabled(), true);
    assert.equal(await v.getByRole('button', { name: 'Save window' }).count(), 0);
    const viewerX = v.locator('.x-settings');
    await viewerX.locator('li[data-account="ShopMaker"]').waitFor();
    assert.equal(await viewerX.getByLabel('Add account').count(), 0);
    assert.equal(await viewerX.getByLabel('Add a post').count(), 0);
    assert.equal(await viewerX.getByRole('button').count(), 0);
    assert.deepEqual(owner.watch.pageErrors, []);
    assert.deepEqual(viewer.watch.pageErrors, []);
  } finally {
    await owner.context.close();
    await viewer.context.close();
    await df.stop();
  }
});
