// The Revenue tab's X (Twitter) panel against the real binary: visits from
// t.co that carry ?ref=x-POST_ID, one without a post, one X Ads click
// (twclid) that names its post by utm_content, and one from Google (not X);
// payments through POST /api/v1/payments credited to some of them. The
// panel's organic and X Ads figures and its table of posts (rows and order)
// are computed here from what was posted (docs/api.md, GET
// /api/v1/analytics/x); each post links to it on X, in a new tab, with a
// name that says so. A site with payments but no visit from X shows no
// panel. In a site's Revenue settings, an X account and a post are added by
// keyboard (an address that is no post is explained under its field) and
// removed; the panel then lists the account and the post, which no one
// visited. With the operator's X API token (a local stand-in for the X API
// answers), a post's text, author and engagement show in both places, and a
// post X does not know says so in the settings. 1280 px light and 320 px dark without sideways scrolling, AA
// contrast, and the keyboard reaches the posts' links.
//
// run: DATAFAST_BIN=build/src/app/datafast node --test tests/browser/dashboard/x_view.test.mjs
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../../lib/datafast.mjs';
import { addSiteByApi, addSiteKey, artifact, contrastIssues, eventually, horizontalOverflow, kTestTimeout, launchBrowser, newContext, recordPayment, signedInState, startDatafast, v1 } from './lib.mjs';

const kOwner = { email: 'founder@example.com', password: 'correct horse battery' };
const kBrowserOptions = { locale: 'en-US', timezoneId: 'UTC' };

const kPostA = '1850000000000000001';
const kPostB = '1850000000000000002';
const kPostC = '1850000000000000003';
const kPostD = '1850000000000000004';
// Registered in the settings, never visited.
const kPostE = '1850000000000000005';
const kHandle = 'ShopMaker';

// Who came from where, and what they paid (0: nothing).
const kVisits = [
  { id: 'x-a-1', from: 'https://t.co/Ab12Cd', path: `/launch?ref=x-${kPostA}`, paid: 30 },
  { id: 'x-a-2', from: 'https://t.co/Ab12Cd', path: `/launch?ref=x-${kPostA}`, paid: 0 },
  { id: 'x-b-1', from: 'https://t.co/Ef34Gh', path: `/?ref=x-${kPostB}`, paid: 100 },
  { id: 'x-d-1', from: 'https://t.co/Ij56Kl', path: `/blog?ref=x-${kPostD}`, paid: 0 },
  { id: 'x-plain', from: 'https://t.co/Mn78Op', path: '/', paid: 0 },
  { id: 'x-ads', from: 'https://t.co/Qr90St', path: `/pricing?twclid=tw.ad.123&utm_content=${kPostC}`, paid: 50 },
  { id: 'google-1', from: 'https://www.google.com/', path: '/pricing', paid: 70 },
];

// What the panel must show, from the visits above: a visit from X is ads
// with an ad click id, organic otherwise; its post is the ?ref=x-ID, or its
// utm_content. Posts by revenue, then visitors.
const fromX = (v) => new URL(v.from).hostname === 't.co';
const isAds = (v) => v.path.includes('twclid=');
function postOf(v) {
  const q = new URL(v.path, 'https://shop.example').searchParams;
  const ref = q.get('ref');
  if (ref?.startsWith('x-')) return ref.slice(2);
  return fromX(v) ? q.get('utm_content') : null;
}
function figures(visits) {
  const revenue = visits.reduce((s, v) => s + v.paid, 0);
  return { visitors: visits.length, revenue, payments: visits.filter((v) => v.paid > 0).length, rpv: visits.length ? revenue / visits.length : 0 };
}
const kOrganic = figures(kVisits.filter((v) => fromX(v) && !isAds(v)));
const kAds = figures(kVisits.filter((v) => fromX(v) && isAds(v)));
const kPosts = [...new Set(kVisits.map(postOf).filter(Boolean))]
  .map((id) => ({ id, ...figures(kVisits.filter((v) => postOf(v) === id)) }))
  .sort((a, b) => b.revenue - a.revenue || b.visitors - a.visitors);

const eur = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(n);
const short = (id) => `${id.slice(0, 4)}…${id.slice(-4)}`;

let browser;
let df;
let site;
let quietSite;
let plainSite;
let postingSite;
let storageState;

// Sends the visits to a site, waits for the store to hold them, then posts
// their payments.
async function seed(siteId, domain, key, visits, server = df) {
  const visitors = {};
  for (const v of visits) {
    visitors[v.id] = randomUUID();
    const res = await sendEvent(server.url, {
      websiteId: siteId,
      domain,
      type: 'pageview',
      href: `https://${domain}${v.path}`,
      referrer: v.from,
      visitorId: visitors[v.id],
      sessionId: randomUUID(),
      screenWidth: 1280,
      language: 'en-US',
    });
    assert.equal(res.status, 202, await res.text());
  }
  await eventually(async () => {
    const r = await v1(server, key, 'analytics/overview?period=30d');
    assert.equal(r.json.data?.[0]?.visitors, visits.length, JSON.stringify(r.json));
  }, 15_000);
  for (const v of visits.filter((x) => x.paid > 0)) await recordPayment(server, key, { amount: v.paid, transaction_id: `pay_${siteId}_${v.id}`, datafast_visitor_id: visitors[v.id] });
  const revenue = visits.reduce((s, v) => s + v.paid, 0);
  await eventually(async () => {
    const r = await v1(server, key, 'analytics/revenue?period=30d');
    assert.equal(r.json.totals?.revenue, revenue, JSON.stringify(r.json.totals));
  }, 15_000);
}

before(async () => {
  browser = await launchBrowser();
  df = await startDatafast(['--api-rate-limit', '100000']);
  const { app } = await signUpOwner(df, kOwner.email, kOwner.password);
  site = await addSiteByApi(app, 'shop.example');
  quietSite = await addSiteByApi(app, 'quiet.example');
  plainSite = await addSiteByApi(app, 'plain.example');
  postingSite = await addSiteByApi(app, 'posting.example');
  const keyOf = (id) => addSiteKey(app, id);
  const key = await keyOf(site);
  await seed(site, 'shop.example', key, kVisits);
  // The quiet site has payments (so the tab shows its reports), none from X.
  await seed(quietSite, 'quiet.example', await keyOf(quietSite), [{ id: 'google-q', from: 'https://www.google.com/', path: '/', paid: 20 }]);
  // This one has visits from X, none naming a post.
  await seed(plainSite, 'plain.example', await keyOf(plainSite), [
    { id: 'x-q', from: 'https://t.co/Uv12Wx', path: '/', paid: 15 },
    { id: 'google-p', from: 'https://www.google.com/', path: '/', paid: 20 },
  ]);
  // This one posts on X, but no visit came from there yet.
  await seed(postingSite, 'posting.example', await keyOf(postingSite), [{ id: 'google-s', from: 'https://www.google.com/', path: '/', paid: 25 }]);
  // The API agrees with what the test expects of it.
  const x = await v1(df, key, 'analytics/x?period=30d');
  assert.equal(x.status, 200, JSON.stringify(x.json));
  assert.deepEqual(
    x.json.posts.map((p) => [p.post_id, p.visitors, p.revenue]),
    kPosts.map((p) => [p.id, p.visitors, p.revenue]),
  );

  storageState = await signedInState(browser, df, kOwner, kBrowserOptions);
});

after(async () => {
  await browser?.close();
  await df?.stop();
});

const signedIn = (extra = {}) => newContext(browser, df, { ...kBrowserOptions, storageState, ...extra });
const panel = (page) => page.getByRole('region', { name: 'X (Twitter)' });
const side = (page, kind, figure) => panel(page).locator(`[data-x="${kind}"] [data-figure="${figure}"]`);

async function openRevenue(page, siteId = site, server = df) {
  await page.goto(`${server.url}/sites/${siteId}?tab=revenue`);
  await page.getByRole('region', { name: 'How payments were attributed' }).locator('.attr-list').waitFor();
}

// The posts table as [link name, href, visitors, payments, revenue, per visitor].
function postRows(page) {
  return panel(page)
    .locator('table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const a = tr.querySelector('th a');
        const cell = (c) => tr.querySelector(`td.c-${c}`).textContent.trim();
        return [a.getAttribute('aria-label'), a.getAttribute('href'), cell('visitors'), cell('payments'), cell('revenue'), cell('rpv')];
      }),
    );
}

test('the X panel shows organic against X Ads and the posts, by revenue', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openRevenue(page);
    await panel(page).waitFor();
    for (const [kind, f] of [
      ['organic', kOrganic],
      ['ads', kAds],
    ]) {
      assert.equal(await side(page, kind, 'visitors').textContent(), String(f.visitors), kind);
      assert.equal(await side(page, kind, 'revenue').textContent(), eur(f.revenue), kind);
      assert.equal(await side(page, kind, 'rpv').textContent(), eur(f.rpv), kind);
    }
    assert.equal(await panel(page).locator('[data-x="organic"] .x-side-name').textContent(), 'Organic');
    assert.equal(await panel(page).locator('[data-x="ads"] .x-side-name').textContent(), 'X Ads');

    // The posts in the API's order (revenue, then visitors), each a link to
    // the post on X, in a new tab that cannot reach back.
    assert.deepEqual(
      await postRows(page),
      kPosts.map((p) => [`Post ${short(p.id)} on X (opens in a new tab)`, `https://x.com/i/web/status/${p.id}`, String(p.visitors), String(p.payments), eur(p.revenue), eur(p.rpv)]),
    );
    const first = panel(page).getByRole('link', { name: `Post ${short(kPosts[0].id)} on X (opens in a new tab)` });
    assert.equal(await first.getAttribute('target'), '_blank');
    assert.equal(await first.getAttribute('rel'), 'noopener noreferrer');
    assert.equal((await first.textContent()).trim(), `${short(kPosts[0].id)} ↗`);
    assert.equal(await panel(page).getByText('credit their post').count(), 0);

    // The keyboard reaches every post's link, with a visible focus.
    await panel(page).getByRole('heading', { name: 'X (Twitter)' }).click();
    for (const p of kPosts) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return { label: el.getAttribute('aria-label'), ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
      });
      assert.equal(f.label, `Post ${short(p.id)} on X (opens in a new tab)`);
      assert.ok(f.ring, `${f.label} shows no focus`);
    }
    await panel(page).screenshot({ path: artifact('x-view-1280-light.png') });
    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, [], 'the dashboard makes no request to another origin');
  } finally {
    await context.close();
  }
});

test('visits from X without a post named: the panel says how to credit one', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openRevenue(page, plainSite);
    await panel(page).waitFor();
    assert.equal(await side(page, 'organic', 'revenue').textContent(), eur(15));
    assert.equal(await side(page, 'ads', 'visitors').textContent(), '0');
    await eventually(async () => {
      const text = await panel(page).locator('.x-posts-empty').textContent();
      assert.equal(text.replace(/\s+/g, ' ').trim(), 'Links to your site that carry ?ref=x-POST_ID or utm_content=POST_ID credit their post.');
    });
    assert.equal(await panel(page).locator('table').count(), 0);
    await panel(page).screenshot({ path: artifact('x-view-no-posts-1280-light.png') });
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a site without visits from X shows no X panel', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/analytics/x?') && r.status() === 200);
    await openRevenue(page, quietSite);
    await answered;
    await page.getByRole('region', { name: 'Lifetime value by first visit' }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await panel(page).count(), 0);
    assert.equal(await page.locator('.rev-x').count(), 0);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('fits 320 px in dark mode and 1280 px in light, readable; screenshots', { timeout: kTestTimeout }, async () => {
  for (const [width, colorScheme] of [
    [1280, 'light'],
    [320, 'dark'],
    [320, 'light'],
    [1280, 'dark'],
  ]) {
    const { context, watch } = await signedIn({ viewport: { width, height: 800 }, colorScheme });
    try {
      const page = await context.newPage();
      await openRevenue(page);
      await panel(page).locator('table tbody tr').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= width, `${width} px ${colorScheme}: ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
      assert.deepEqual(await contrastIssues(page), [], `text below AA contrast (${width} px ${colorScheme})`);
      // Nothing in the panel is cut off: each post's name shows whole.
      const clipped = await panel(page)
        .locator('.money-name, .x-figures dd, .x-figures dt')
        .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
      assert.deepEqual(clipped, [], `${width} px: cut off`);
      await panel(page).screenshot({ path: artifact(`x-view-${width}-${colorScheme}.png`) });
      assert.deepEqual(watch.pageErrors, []);
    } finally {
      await context.close();
    }
  }
});

// The text of the error an input is described by (its first aria-describedby).
async function fieldError(page, input) {
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  const ids = (await input.getAttribute('aria-describedby')).split(' ');
  return (await page.locator(`[id="${ids[0]}"]`).textContent()).trim();
}

test('settings: an X account and posts are added by keyboard, a bad address explained; the panel lists them unvisited', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${postingSite}/settings#revenue`);
    const x = page.locator('.x-settings');
    await x.getByRole('heading', { name: 'X (Twitter)' }).waitFor();
    await x.getByText('No accounts yet.').waitFor();
    await x.getByText('No posts yet.').waitFor();
    // How links credit a post, and, without a token, how to get the posts' text.
    assert.match(await x.textContent(), /credits its post when it carries \?ref=x-POST_ID or utm_content=POST_ID/);
    assert.match(await x.locator('.x-api-note').textContent(), /--x-api-token or DATAFAST_X_API_TOKEN/);

    // An account, typed with its @ and sent with Enter.
    const handle = x.getByLabel('Add account');
    await handle.focus();
    await page.keyboard.type(`@${kHandle}`);
    await page.keyboard.press('Enter');
    const account = x.getByRole('list', { name: 'X accounts' }).locator(`li[data-account="${kHandle}"]`);
    await account.waitFor();
    assert.equal(await account.getByRole('link').getAttribute('href'), `https://x.com/${kHandle}`);
    assert.equal(await handle.inputValue(), '');
    await x.locator('.saved-note', { hasText: `@${kHandle} added.` }).waitFor();

    // Not a post: the server's reason under the field, the text kept.
    const url = x.getByLabel('Add a post');
    await url.focus();
    await page.keyboard.type('https://example.com/not-a-post');
    await page.keyboard.press('Enter');
    const why = await eventually(() => fieldError(page, url));
    assert.ok(why.length > 1, 'the field says why the address was refused');
    assert.equal(await url.inputValue(), 'https://example.com/not-a-post');
    assert.equal(await x.getByRole('list', { name: 'X posts' }).count(), 0);
    await x.screenshot({ path: artifact('x-settings-bad-url-1280-light.png') });

    // Two posts by their addresses; one is removed again.
    for (const id of [kPostE, kPostA]) {
      await url.fill(`https://x.com/${kHandle}/status/${id}`);
      await page.keyboard.press('Enter');
      await x.locator(`li[data-post="${id}"]`).waitFor();
    }
    assert.equal(await url.getAttribute('aria-invalid'), null);
    const post = x.locator(`li[data-post="${kPostE}"]`);
    assert.equal((await post.locator('.key-name').textContent()).replace(/\s+/g, ' ').trim(), `Post ${short(kPostE)} on X (opens in a new tab) by @${kHandle}`);
    assert.equal(await post.getByRole('link').getAttribute('href'), `https://x.com/${kHandle}/status/${kPostE}`);
    await x.getByRole('button', { name: `Remove post ${short(kPostA)}` }).click();
    await x.locator(`li[data-post="${kPostA}"]`).waitFor({ state: 'detached' });
    await x.locator('.saved-note', { hasText: `Post ${short(kPostA)} removed.` }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.closest('.field')?.querySelector('label')?.textContent), 'Add a post', 'the focus goes back to the field');
    await x.screenshot({ path: artifact('x-settings-1280-light.png') });

    // The Revenue tab's panel: the account and the post, no one came from X.
    await openRevenue(page, postingSite);
    await panel(page).waitFor();
    assert.equal(await side(page, 'organic', 'visitors').textContent(), '0');
    const acc = panel(page).getByRole('list', { name: 'Accounts on X' }).locator(`li[data-account="${kHandle}"]`);
    await acc.waitFor();
    assert.equal(await acc.getByRole('link', { name: `@${kHandle} on X (opens in a new tab)` }).getAttribute('href'), `https://x.com/${kHandle}`);
    assert.deepEqual(
      await acc.locator('[data-figure]').evaluateAll((els) => els.map((el) => [el.dataset.figure, el.textContent.trim()])),
      [
        ['posts', '1 post'],
        ['visitors', '0 visitors'],
        ['revenue', eur(0)],
      ],
    );
    assert.deepEqual(await postRows(page), [[`Post ${short(kPostE)} on X (opens in a new tab)`, `https://x.com/${kHandle}/status/${kPostE}`, '0', '0', eur(0), eur(0)]]);
    assert.equal(await panel(page).locator(`tr[data-post="${kPostE}"] .x-post-facts`).textContent(), `@${kHandle}`);
    await panel(page).screenshot({ path: artifact('x-view-registered-1280-light.png') });
    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, [], 'the dashboard makes no request to another origin');
  } finally {
    await context.close();
  }
});

test('the X settings and the registered post fit 320 px in dark mode, readable; screenshots', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn({ viewport: { width: 320, height: 800 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${postingSite}/settings#revenue`);
    const x = page.locator('.x-settings');
    await x.locator(`li[data-post="${kPostE}"]`).waitFor();
    // The bad address again, so its error is measured too.
    await x.getByLabel('Add a post').fill('nope');
    await x.getByRole('button', { name: 'Add post' }).click();
    await x.locator('.field-error').waitFor();
    await page.waitForLoadState('networkidle');
    for (const where of ['settings', 'revenue']) {
      if (where === 'revenue') {
        await openRevenue(page, postingSite);
        await panel(page).locator(`tr[data-post="${kPostE}"]`).waitFor();
        await page.waitForLoadState('networkidle');
      }
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= 320, `${where}: ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
      assert.deepEqual(await contrastIssues(page), [], `${where}: text below AA contrast`);
    }
    await panel(page).screenshot({ path: artifact('x-view-registered-320-dark.png') });
    await page.goto(`${df.url}/sites/${postingSite}/settings#revenue`);
    await x.locator(`li[data-post="${kPostE}"]`).waitFor();
    await x.screenshot({ path: artifact('x-settings-320-dark.png') });
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

const kXToken = 'x-operator-bearer-token';
// Not known to the X API stand-in.
const kPostGone = '1850000000000000009';
const kLongText = `${JSON.parse(readFileSync(new URL('../../fixtures/x/tweets_lookup.json', import.meta.url), 'utf8')).data[0].text} ${'Built for founders who want to see which post pays. '.repeat(4)}`.trim();

// The X API's post lookup as X documents it (tests/fixtures/x/), its one
// post (kPostA) with a text long enough to need cutting short; the ids it
// does not know in `errors`.
async function startXApi() {
  const answer = JSON.parse(readFileSync(new URL('../../fixtures/x/tweets_lookup.json', import.meta.url), 'utf8'));
  answer.data[0].text = kLongText;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== `Bearer ${kXToken}` || url.pathname !== '/2/tweets') return res.writeHead(401).end('{}');
    const ids = url.searchParams.get('ids').split(',');
    const data = answer.data.filter((d) => ids.includes(d.id));
    const errors = ids.filter((id) => !data.some((d) => d.id === id)).map((id) => ({ ...answer.errors[0], value: id, resource_id: id, detail: `Could not find tweet with ids: [${id}].` }));
    res.writeHead(200).end(JSON.stringify({ data, includes: answer.includes, ...(errors.length ? { errors } : {}) }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

test('with an X API token: the post\'s text, author and engagement in the settings and the panel; a post X does not know says so', { timeout: kTestTimeout }, async () => {
  const xApi = await startXApi();
  const dataDir = tempDataDir();
  const server = await startServer(dataDir, ['--api-rate-limit', '100000', '--x-api-url', xApi.url, '--x-api-token', kXToken]);
  const other = { url: server.url.replace(/\/$/, '') };
  let context;
  try {
    const { app } = await signUpOwner(other, kOwner.email, kOwner.password);
    const id = await addSiteByApi(app, 'shop.example');
    const key = await addSiteKey(app, id);
    await seed(id, 'shop.example', key, [{ id: 'x-a', from: 'https://t.co/Ab12Cd', path: `/launch?ref=x-${kPostA}`, paid: 40 }], other);
    for (const url of [kPostA, kPostGone]) assert.equal((await app('POST', `/api/app/sites/${id}/x/posts`, { url })).status, 201);

    for (const [width, colorScheme] of [
      [1280, 'light'],
      [320, 'dark'],
    ]) {
      ({ context } = await newContext(browser, other, { ...kBrowserOptions, viewport: { width, height: 800 }, colorScheme }));
      const page = await context.newPage();
      await page.goto(`${other.url}/login`);
      await page.getByLabel('Email').fill(kOwner.email);
      await page.getByLabel('Password').fill(kOwner.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL('**/sites');

      await page.goto(`${other.url}/sites/${id}/settings#revenue`);
      const x = page.locator('.x-settings');
      const known = x.locator(`li[data-post="${kPostA}"]`);
      await known.waitFor();
      assert.equal(await x.locator('.x-api-note').count(), 0, 'the token is set: no word of it');
      assert.match(await known.locator('.key-name').textContent(), /by @ShopMaker$/);
      assert.equal(await known.locator('.x-settings-text').textContent(), kLongText);
      assert.equal(await known.locator('.x-settings-text').getAttribute('title'), kLongText);
      assert.equal(await known.locator('.muted.small').textContent(), 'Posted Nov 20, 2026 · 240 likes · 12 reposts · 48,210 impressions');
      const gone = x.locator(`li[data-post="${kPostGone}"]`);
      assert.match(await gone.locator('.x-fetch-error').textContent(), /^Not fetched .*not found on X/);
      assert.equal(await gone.locator('.x-settings-text').count(), 0);
      assert.equal(await gone.getByText('likes').count(), 0, 'a failed look-up shows no counts');
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= width, `settings, ${width} px: ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
      assert.deepEqual(await contrastIssues(page), [], `settings, ${width} px ${colorScheme}: text below AA contrast`);
      await x.screenshot({ path: artifact(`x-settings-fetched-${width}-${colorScheme}.png`) });

      // The panel: the text cut to two lines (all of it in the title), the
      // author and the engagement under the post's link.
      await openRevenue(page, id, other);
      const row = panel(page).locator(`tr[data-post="${kPostA}"]`);
      await row.waitFor();
      const text = row.locator('.x-post-text');
      assert.equal(await text.textContent(), kLongText);
      assert.equal(await text.getAttribute('title'), kLongText);
      const lines = await text.evaluate((el) => Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight)));
      assert.ok(lines <= 2, `the post's text takes ${lines} lines`);
      assert.ok(await text.evaluate((el) => el.scrollHeight > el.clientHeight), 'the long text is cut short');
      assert.equal(await row.locator('.x-post-facts').textContent(), '@ShopMaker · 240 likes · 12 reposts · 48.2K impressions');
      assert.equal(await row.locator('td.c-revenue').textContent(), eur(40));
      // The post X does not know is listed, without text.
      assert.equal(await panel(page).locator(`tr[data-post="${kPostGone}"] .x-post-text`).count(), 0);
      assert.equal(await panel(page).locator(`tr[data-post="${kPostGone}"] .x-post-facts`).count(), 0);
      await page.waitForLoadState('networkidle');
      const p = await horizontalOverflow(page);
      assert.ok(p.scrollWidth <= width, `panel, ${width} px: ${p.scrollWidth} px wide: ${p.culprits.join(', ')}`);
      assert.deepEqual(await contrastIssues(page), [], `panel, ${width} px ${colorScheme}: text below AA contrast`);
      await panel(page).screenshot({ path: artifact(`x-view-fetched-${width}-${colorScheme}.png`) });
      await context.close();
      context = null;
    }
  } finally {
    await context?.close();
    await stopServer(server);
    removeDir(dataDir);
    await xApi.stop();
  }
});
