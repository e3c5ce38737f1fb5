// The revenue path end to end in a real browser: a visitor comes from a
// newsletter to a shop page with the tracker, buys; the shop's backend reads
// the tracker's first-party cookies and passes them to "Stripe" as checkout
// metadata; Stripe's signed webhook reports the payment (and the success page
// reports it too); the owner's dashboard shows the revenue under the
// newsletter, once. Stripe itself is a local stand-in (it cannot be reached
// from here); its webhook is signed with Stripe's real scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { removeDir, startServer, stopServer, tempDataDir } from '../../lib/datafast.mjs';
import { GOOD_KEY, SECRET, deliver, fixture, providerFlags, signed, startProviderPeer } from '../../lib/providers.mjs';
import { addSite, eventually, kTestTimeout, kUserAgent, launchBrowser, newContext, screenshot, signUp } from './lib.mjs';

const SHOP = 'shop.test';
const NEWS = 'news.test';

let server;
let dataDir;
let peer;
let shop;
let browser;
let siteId = '';
const sessions = {};  // the checkout sessions the stand-in Stripe "created", by id

// The shop: a newsletter page elsewhere links to its pricing page (with the
// tracker); "Buy" posts to its backend, which creates the checkout with the
// visitor's cookies as metadata, lets Stripe tell DataFast it was paid, and
// sends the browser to the success page.
function startShop() {
  const s = createServer(async (req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const snippet = `<script defer data-website-id="${siteId}" data-domain="${SHOP}" src="${server.url}/js/script.js"></script>`;
    const html = (title, body) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${url.hostname === SHOP ? snippet : ''}</head><body>${body}</body></html>`);
    };
    if (url.pathname === '/issue-12') {
      html('The newsletter', `<h1>Issue 12</h1><a id="deal" href="http://${SHOP}:${s.address().port}/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=issue-12">Our deal</a>`);
    } else if (url.pathname === '/pricing') {
      html('Pricing', '<h1>Pro plan: $49</h1><form method="post" action="/checkout"><button id="buy">Buy</button></form>');
    } else if (url.pathname === '/checkout' && req.method === 'POST') {
      const cookies = Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((c) => c.split('=')));
      const event = fixture('stripe', 'checkout.session.completed');
      const id = `cs_test_${Object.keys(sessions).length + 1}`;
      event.id = `evt_${id}`;
      Object.assign(event.data.object, {
        id,
        payment_intent: `pi_${id}`,
        invoice: null,
        amount_total: 4900,
        currency: 'usd',
        metadata: { datafast_visitor_id: cookies.datafast_visitor_id, datafast_session_id: cookies.datafast_session_id },
      });
      sessions[id] = event.data.object;
      const body = JSON.stringify(event);
      const r = await deliver(server.url, 'stripe', siteId, body, signed('stripe', body));
      if (r.status !== 200) throw new Error(`the webhook was refused: ${JSON.stringify(r.json)}`);
      res.writeHead(303, { location: `/thanks?session_id=${id}` }).end();
    } else if (url.pathname === '/thanks') {
      html('Thank you', '<h1>Thanks for your order</h1>');
    } else {
      res.writeHead(404).end();
    }
  });
  s.listen(0, '127.0.0.1');
  return once(s, 'listening').then(() => s);
}

before(async () => {
  // The stand-in Stripe answers for the sessions the shop created, so the
  // success page's lookup finds the same payment the webhook reported.
  peer = await startProviderPeer((path) => (path.startsWith('/v1/checkout/sessions/') ? sessions[path.split('/').pop()] : undefined));
  dataDir = tempDataDir();
  server = await startServer(dataDir, providerFlags(peer));
  shop = await startShop();
  browser = await launchBrowser([
    `--host-resolver-rules=MAP ${SHOP} 127.0.0.1, MAP ${NEWS} 127.0.0.1`,
    // Otherwise navigator.webdriver is true and the tracker, rightly, ignores the visit.
    '--disable-blink-features=AutomationControlled',
  ]);
});

after(async () => {
  await browser?.close();
  shop?.close();
  peer?.close();
  await stopServer(server);
  removeDir(dataDir);
});

test('a newsletter visit that buys through Stripe shows its revenue under the newsletter, once', { timeout: kTestTimeout * 2 }, async () => {
  const df = { url: server.url.replace(/\/$/, '') };
  const { context: ownerContext, watch } = await newContext(browser, df);
  const owner = await ownerContext.newPage();
  await signUp(owner, df);
  siteId = await addSite(owner, SHOP);

  // Connect Stripe in the site's Revenue settings.
  await owner.goto(`${df.url}/sites/${siteId}/settings`);
  await owner.getByRole('button', { name: 'Connect Stripe' }).click();
  const form = owner.getByRole('form', { name: 'Connect Stripe' });
  await form.getByLabel('API key').fill(GOOD_KEY);
  await form.getByLabel('Webhook signing secret').fill(SECRET.stripe);
  await form.getByRole('button', { name: 'Connect Stripe' }).click();
  await owner.getByText('…1234').waitFor();

  // The visitor, in a browser of their own.
  const visitor = await (await browser.newContext({ userAgent: kUserAgent })).newPage();
  const port = shop.address().port;
  await visitor.goto(`http://${NEWS}:${port}/issue-12`);
  await Promise.all([visitor.waitForURL(`**/pricing?**`), visitor.click('#deal')]);
  await visitor.waitForFunction(() => document.cookie.includes('datafast_visitor_id='));
  // The success page reports the payment too, once the tracker has run.
  const reported = visitor.waitForResponse((r) => r.url().endsWith('/api/events') && r.request().postData()?.includes('"payment"'));
  await Promise.all([visitor.waitForURL('**/thanks?session_id=*'), visitor.click('#buy')]);
  assert.equal((await reported).status(), 202);

  // The dashboard: one payment of $49.00, under the newsletter.
  await eventually(async () => {
    const overview = (await (await ownerContext.request.get(`${df.url}/api/v1/analytics/overview?websiteId=${siteId}&fields=revenue,payments`)).json()).data[0];
    assert.deepEqual(overview, { revenue: 49, payments: 1 });
  });
  await owner.goto(`${df.url}/sites/${siteId}`);
  const sources = owner.getByRole('region', { name: 'Sources' });
  const email = sources.getByRole('row').filter({ hasText: 'Email' });
  await email.waitFor();
  assert.match(await email.innerText(), /\$49\.00/);
  await sources.getByRole('tab', { name: 'UTM' }).click();
  const newsletter = sources.getByRole('row').filter({ hasText: 'newsletter' });
  await newsletter.waitFor();
  assert.match(await newsletter.innerText(), /\$49\.00/);
  await screenshot(owner, 'checkout-revenue-by-source');
  // Both reports of the checkout (the webhook and the success page) made
  // one payment: it stays one after the success page's lookup has run.
  await new Promise((r) => setTimeout(r, 1000));
  const after = (await (await ownerContext.request.get(`${df.url}/api/v1/analytics/overview?websiteId=${siteId}&fields=revenue,payments`)).json()).data[0];
  assert.deepEqual(after, { revenue: 49, payments: 1 });
  assert.deepEqual(watch.pageErrors, []);
});
