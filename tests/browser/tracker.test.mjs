// Browser tests of the tracker against the real datafast binary: Debian's
// Chromium loads fixture pages from http://example.test:PORT/ with the snippet
// pointing at `datafast serve`; after the 202s the server gets SIGTERM and
// `datafast export` shows what was stored.
//
// run: node --test tests/browser/   (needs build/src/app/datafast and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Datafast, Fixtures, artifactPath, freePort, kDomain, kTestTimeout, launchBrowser, newContext } from './harness.mjs';

const kUuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let browserPromise;
const browser = () => (browserPromise ??= launchBrowser());
after(async () => {
  if (browserPromise) await (await browserPromise.catch(() => null))?.close();
});

// One scenario: a datafast server, the fixture server, a fresh browser
// context with a watched page. `fn` gets them all; everything
// is torn down afterwards whatever happens.
async function scenario({ variant = 'script.js', attrs = {}, init } = {}, fn) {
  const cleanup = [];
  try {
    const df = await Datafast.start();
    cleanup.push(() => df.dispose());
    const fx = await Fixtures.start();
    cleanup.push(() => fx.stop());
    const { context, watcher } = await newContext(await browser());
    cleanup.push(() => context.close());
    if (init) await context.addInitScript(init);
    fx.snippet = { src: `${df.origin}/js/${variant}`, websiteId: df.siteId, attrs };
    const page = watcher.watchPage(await context.newPage());
    return await fn({ df, fx, context, watcher, page });
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

const byTs = (a, b) => (a.ts > b.ts) - (a.ts < b.ts);
const ofType = (events, type) => events.filter((e) => e.type === type).sort(byTs);
const params = (e) => (typeof e.goal_params === 'string' ? JSON.parse(e.goal_params) : e.goal_params);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('pageviews, SPA navigation, goals, scroll goal and outbound clicks land with their fields', { timeout: kTestTimeout }, async () => {
  await scenario({}, async ({ df, fx, context, watcher, page }) => {
    await page.goto(fx.url('/'));
    await watcher.waitFor(2); // the pageview and the goal queued through the stub
    await page.click('#to-pricing');
    await page.click('#same-path'); // replaceState to the same path: no pageview
    await page.click('#to-about');
    await page.click('#signup-label'); // inside the data-fast-goal element
    await page.click('#newsletter');
    await page.click('#bad-goal'); // invalid name: a warning, nothing sent
    await watcher.waitFor(6);
    await page.locator('#plans').scrollIntoViewIfNeeded();
    await watcher.waitFor(7);
    await page.evaluate(() => window.scrollTo(0, 0)); // out and back in: no second scroll goal
    await page.locator('#plans').scrollIntoViewIfNeeded();
    await sleep(300);
    assert.equal(watcher.sent.length, 7);
    await page.screenshot({ path: artifactPath('fixture-page.png') });
    await page.locator('#out').click({ button: 'middle' }); // auxclick, opens a background tab
    await watcher.waitFor(8);
    await page.click('#out'); // navigates away; the beacon must still land
    await page.waitForURL(/other\.test/);
    // The page that sent this beacon is gone, so the browser reports it to
    // Playwright as aborted although it goes on to the server (the export
    // below checks that it landed); give it a moment to arrive.
    await watcher.waitFor(9, 'any');
    await sleep(500);
    assert.equal(watcher.sent.length, 9, JSON.stringify(watcher.sent.map((e) => e.body)));
    assert.deepEqual(watcher.sent.slice(0, 8).map((e) => e.status), Array(8).fill(202));
    for (const e of watcher.sent) assert.match(e.contentType, /^text\/plain/);

    // The payload contract.
    const first = watcher.sent[0].body;
    assert.equal(first.websiteId, df.siteId);
    assert.equal(first.domain, kDomain);
    assert.equal(first.type, 'pageview');
    assert.equal(first.href, fx.url('/'));
    assert.equal(first.referrer, null);
    assert.equal(first.screenWidth, 1280);
    assert.equal(first.language, 'en-US');
    assert.equal(first.hash, undefined);
    assert.ok(watcher.console.some((l) => /^warning: .*invalid goal name.*Bad Name!/.test(l)), watcher.console.join('\n'));
    assert.deepEqual(watcher.pageErrors, []);

    // First-party cookies on the root domain.
    const cookies = Object.fromEntries((await context.cookies()).map((c) => [c.name, c]));
    assert.deepEqual(Object.keys(cookies).sort(), ['datafast_session_id', 'datafast_visitor_id']);
    const visitor = cookies.datafast_visitor_id;
    const session = cookies.datafast_session_id;
    for (const c of [visitor, session]) {
      assert.match(c.value, kUuidV4);
      assert.equal(c.domain, '.' + kDomain);
      assert.equal(c.path, '/');
      assert.equal(c.sameSite, 'Lax');
      assert.equal(c.secure, false); // http page
    }
    const now = Date.now() / 1000;
    assert.ok(Math.abs(visitor.expires - (now + 365 * 86400)) < 120, `visitor expires ${visitor.expires}`);
    assert.ok(Math.abs(session.expires - (now + 30 * 60)) < 120, `session expires ${session.expires}`);
    for (const e of watcher.sent) {
      assert.equal(e.body.visitorId, visitor.value);
      assert.equal(e.body.sessionId, session.value);
    }

    await df.stop();
    const events = await df.export();
    assert.equal(events.length, 9, JSON.stringify(events, null, 1));
    for (const e of events) {
      assert.equal(e.visitor_id, visitor.value);
      assert.equal(e.session_id, session.value);
      assert.equal(e.hostname, kDomain);
      assert.equal(Number(e.screen_width), 1280);
      assert.equal(e.language, 'en-US');
    }
    assert.deepEqual(ofType(events, 'pageview').map((e) => e.pathname), ['/', '/pricing', '/about']);

    const goals = Object.fromEntries(ofType(events, 'goal').map((e) => [e.goal_name, e]));
    assert.deepEqual(Object.keys(goals).sort(), ['newsletter', 'queued_goal', 'saw_plans', 'signup']);
    assert.deepEqual(params(goals.queued_goal), { from: 'stub' });
    assert.equal(goals.queued_goal.pathname, '/');
    assert.deepEqual(params(goals.signup), { plan: 'pro', product_id: 'p_1' });
    assert.equal(goals.signup.pathname, '/about');
    assert.deepEqual(params(goals.newsletter), { source: 'footer', count: '3' });
    assert.deepEqual(params(goals.saw_plans), { section: 'plans' });

    const outbound = ofType(events, 'outbound');
    assert.equal(outbound.length, 2);
    for (const e of outbound) assert.equal(e.outbound_url, `http://other.test:${fx.port}/landing?x=1`);
  });
});

test('with the endpoint down the host page keeps working and sees no error', { timeout: kTestTimeout }, async () => {
  const closed = await freePort();
  const cases = [
    { name: 'sendBeacon', init: undefined },
    { name: 'fetch fallback (sendBeacon returns false)', init: () => { navigator.sendBeacon = () => false; } },
    { name: 'fetch fallback (no sendBeacon)', init: () => { delete Navigator.prototype.sendBeacon; } },
  ];
  for (const c of cases) {
    await scenario({ attrs: { 'api-url': `http://127.0.0.1:${closed}/api/events` }, init: c.init },
      async ({ fx, watcher, page }) => {
        await page.goto(fx.url('/app'));
        await page.click('#inc');
        await page.click('#nav');
        await page.evaluate(() => window.datafast('late_goal', { b: 2 }));
        await page.click('#out');
        // pageview, queued goal, increment goal, SPA pageview, late goal, outbound
        await watcher.waitFor(6, 'failed');
        assert.equal(await page.locator('#count').textContent(), '11', c.name);
        assert.equal(await page.evaluate(() => location.pathname), '/app/next');
        assert.equal(await page.evaluate(() => typeof window.datafast), 'function');
        assert.deepEqual(watcher.pageErrors, [], c.name);
        assert.deepEqual(watcher.nonNetworkErrors(), [], `${c.name}: ${watcher.console.join('\n')}`);
      });
  }

  // The default endpoint going away after the page has loaded.
  await scenario({}, async ({ df, fx, watcher, page }) => {
    await page.goto(fx.url('/app'));
    await watcher.waitFor(2);
    await df.stop();
    await page.click('#inc');
    await page.click('#nav');
    await watcher.waitFor(2, 'failed');
    assert.equal(await page.locator('#count').textContent(), '11');
    assert.deepEqual(watcher.pageErrors, []);
    assert.deepEqual(watcher.nonNetworkErrors(), [], watcher.console.join('\n'));
  });
});

test('the fetch fallback reaches the server (CORS, text/plain)', { timeout: kTestTimeout }, async () => {
  await scenario({ init: () => { navigator.sendBeacon = () => false; } }, async ({ df, fx, watcher, page }) => {
    await page.goto(fx.url('/app'));
    await page.click('#inc');
    await watcher.waitFor(3);
    assert.deepEqual(watcher.nonNetworkErrors(), [], watcher.console.join('\n'));
    await df.stop();
    const events = await df.export();
    assert.deepEqual(events.map((e) => e.goal_name || e.type).sort(), ['early', 'increment', 'pageview']);
  });
});

test('the cookieless variant stores nothing in the browser and its events land', { timeout: kTestTimeout }, async () => {
  await scenario({ variant: 'script.cookieless.js' }, async ({ df, fx, context, watcher, page }) => {
    await page.goto(fx.url('/'));
    await watcher.waitFor(2);
    await page.click('#to-pricing');
    await page.click('#signup');
    await watcher.waitFor(4);
    assert.deepEqual(await context.cookies(), []);
    assert.deepEqual(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length]), ['', 0, 0]);
    for (const e of watcher.sent) {
      assert.equal(e.body.visitorId, undefined);
      assert.equal(e.body.sessionId, undefined);
    }
    await df.stop();
    const events = await df.export();
    assert.deepEqual(ofType(events, 'pageview').map((e) => e.pathname), ['/', '/pricing']);
    assert.deepEqual(ofType(events, 'goal').map((e) => e.goal_name).sort(), ['queued_goal', 'signup']);
    // The server derives one visitor for the page's requests.
    assert.ok(events[0].visitor_id, 'server-derived visitor id');
    assert.equal(new Set(events.map((e) => e.visitor_id)).size, 1);
  });
});

test('the hash variant records hash navigation as pageviews', { timeout: kTestTimeout }, async () => {
  await scenario({ variant: 'script.hash.js' }, async ({ df, fx, watcher, page }) => {
    await page.goto(fx.url('/hash'));
    await watcher.waitFor(1);
    await page.click('#features');
    await watcher.waitFor(2);
    await page.click('#pricing');
    await watcher.waitFor(3);
    await page.goBack(); // back to #/features: popstate and hashchange, one pageview
    await watcher.waitFor(4);
    await sleep(300);
    assert.equal(watcher.sent.length, 4);
    for (const e of watcher.sent) assert.equal(e.body.hash, true);
    await df.stop();
    const events = await df.export();
    const paths = ofType(events, 'pageview').map((e) => e.pathname);
    assert.deepEqual(paths, ['/hash', '/hash#/features', '/hash#/pricing', '/hash#/features']);
  });

  // The default variant ignores hash changes.
  await scenario({}, async ({ fx, watcher, page }) => {
    await page.goto(fx.url('/hash'));
    await watcher.waitFor(1);
    await page.click('#features');
    await page.click('#pricing');
    await sleep(500);
    assert.equal(watcher.sent.length, 1);
  });
});

test('payments are detected from the success URL unless disabled', { timeout: kTestTimeout }, async () => {
  await scenario({}, async ({ df, fx, watcher, page }) => {
    await page.goto(fx.url('/success?session_id=cs_test_123'));
    await watcher.waitFor(2);
    await page.goto(fx.url('/success?order_id=ls_456'));
    await watcher.waitFor(4);
    await page.goto(fx.url('/success?checkout_id=polar_789'));
    await watcher.waitFor(6);
    await page.goto(fx.url('/success?session_id=not_a_checkout'));
    await watcher.waitFor(7);
    await sleep(300);
    assert.equal(watcher.sent.length, 7);
    const first = watcher.sent.find((e) => e.body.type === 'payment').body;
    assert.equal(first.provider, 'stripe');
    assert.equal(first.transactionId, 'cs_test_123');
    await df.stop();
    const payments = ofType(await df.export(), 'payment');
    assert.deepEqual(payments.map((e) => [e.payment_provider, e.payment_id]),
      [['stripe', 'cs_test_123'], ['lemonsqueezy', 'ls_456'], ['polar', 'polar_789']]);
  });

  await scenario({ attrs: { 'disable-payments': 'true' } }, async ({ df, fx, watcher, page }) => {
    await page.goto(fx.url('/success?session_id=cs_test_123'));
    await watcher.waitFor(1);
    await sleep(500);
    assert.deepEqual(watcher.sent.map((e) => e.body.type), ['pageview']);
    await df.stop();
    assert.deepEqual((await df.export()).map((e) => e.type), ['pageview']);
  });
});

test('pages the tracker must not track send nothing', { timeout: kTestTimeout }, async () => {
  const cases = [
    { name: 'a host outside data-domain', host: 'other.test', note: /hostname other\.test/ },
    { name: 'localhost', host: 'localhost', note: /localhost/ },
    { name: '127.0.0.1', host: '127.0.0.1', note: /localhost/ },
    { name: 'navigator.webdriver', host: kDomain, note: /bot/,
      init: () => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => true }) },
    { name: 'Cypress', host: kDomain, note: /bot/, init: () => { window.Cypress = {}; } },
  ];
  for (const c of cases) {
    await scenario({ init: c.init }, async ({ fx, watcher, page }) => {
      await page.goto(fx.url('/', c.host));
      await page.evaluate(() => window.datafast('signup'));
      await sleep(300);
      assert.deepEqual(watcher.sent, [], c.name);
      assert.ok(watcher.console.some((l) => /^log: \[DataFast\] ignored pageview/.test(l) && c.note.test(l)),
        `${c.name}: ${watcher.console.join('\n')}`);
      assert.deepEqual(watcher.pageErrors, []);
    });
  }

  // data-disable-console silences the note.
  await scenario({ attrs: { 'disable-console': 'true' } }, async ({ fx, watcher, page }) => {
    await page.goto(fx.url('/', 'other.test'));
    await page.evaluate(() => window.datafast('Bad Name'));
    await sleep(300);
    assert.deepEqual(watcher.sent, []);
    assert.deepEqual(watcher.console, []);
  });

  // data-allowed-hostnames, data-allow-localhost and subdomains are tracked.
  const tracked = [
    { host: 'other.test', attrs: { 'allowed-hostnames': 'foo.test, other.test' } },
    { host: 'localhost', attrs: { 'allow-localhost': 'true' } },
    { host: 'shop.' + kDomain, attrs: {} },
  ];
  for (const c of tracked) {
    await scenario({ attrs: c.attrs }, async ({ fx, context, watcher, page }) => {
      await page.goto(fx.url('/success', c.host));
      await watcher.waitFor(1, 'any');
      await sleep(300);
      assert.deepEqual(watcher.sent.map((e) => e.body.type), ['pageview'], c.host);
      if (c.host.endsWith('.' + kDomain)) {
        const cookies = await context.cookies();
        assert.deepEqual(cookies.map((x) => x.domain), ['.' + kDomain, '.' + kDomain]);
      }
    });
  }
});

test('window.datafast is the only global the tracker defines', { timeout: kTestTimeout }, async () => {
  await scenario({}, async ({ fx, watcher, page }) => {
    await page.goto(fx.url('/landing'));
    const before = await page.evaluate(() => Object.getOwnPropertyNames(window));
    await page.goto(fx.url('/success'));
    await watcher.waitFor(1);
    const afterLoad = await page.evaluate(() => Object.getOwnPropertyNames(window));
    assert.deepEqual(afterLoad.filter((k) => !before.includes(k)), ['datafast']);
  });
});

test('the served script.js fits its 2 KB gzip budget', { timeout: kTestTimeout }, async () => {
  const df = await Datafast.start();
  try {
    const sizes = {};
    for (const variant of ['script.js', 'script.cookieless.js', 'script.hash.js']) {
      const res = await fetch(`${df.origin}/js/${variant}`, { headers: { 'Accept-Encoding': 'identity' } });
      assert.equal(res.status, 200, variant);
      const body = Buffer.from(await res.arrayBuffer());
      sizes[variant] = gzipSync(body, { level: 9 }).length;
      if (variant === 'script.cookieless.js') assert.doesNotMatch(body.toString(), /cookie|Storage/);
    }
    assert.ok(sizes['script.js'] <= 2048, JSON.stringify(sizes));
  } finally {
    await df.stop();
    await df.dispose();
  }
});
