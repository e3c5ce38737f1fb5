// The Revenue tab's X (Twitter) panel against the real binary: visits from
// t.co that carry ?ref=x-POST_ID, one without a post, one X Ads click
// (twclid) that names its post by utm_content, and one from Google (not X);
// payments through POST /api/v1/payments credited to some of them. The
// panel's organic and X Ads figures and its table of posts (rows and order)
// are computed here from what was posted (docs/api.md, GET
// /api/v1/analytics/x); each post links to it on X, in a new tab, with a
// name that says so. A site with payments but no visit from X shows no
// panel. 1280 px light and 320 px dark without sideways scrolling, AA
// contrast, and the keyboard reaches the posts' links.
//
// run: DATAFAST_BIN=build/src/app/datafast node --test tests/browser/dashboard/x_view.test.mjs
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../../lib/datafast.mjs';
import { artifact, contrastIssues, eventually, horizontalOverflow, kTestTimeout, launchBrowser, newContext } from './lib.mjs';

const kOwner = { email: 'founder@example.com', password: 'correct horse battery' };
const kBrowserOptions = { locale: 'en-US', timezoneId: 'UTC' };

const kPostA = '1850000000000000001';
const kPostB = '1850000000000000002';
const kPostC = '1850000000000000003';
const kPostD = '1850000000000000004';

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
let storageState;

async function v1(key, path) {
  const res = await fetch(`${df.url}/api/v1/${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, json: await res.json() };
}

async function pay(key, body) {
  const res = await fetch(`${df.url}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ currency: 'EUR', ...body }),
  });
  assert.equal(res.status, 200, await res.text());
}

// Sends the visits to a site, waits for the store to hold them, then posts
// their payments.
async function seed(siteId, domain, key, visits) {
  const visitors = {};
  for (const v of visits) {
    visitors[v.id] = randomUUID();
    const res = await sendEvent(df.url, {
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
    const r = await v1(key, 'analytics/overview?period=30d');
    assert.equal(r.json.data?.[0]?.visitors, visits.length, JSON.stringify(r.json));
  }, 15_000);
  for (const v of visits.filter((x) => x.paid > 0)) await pay(key, { amount: v.paid, transaction_id: `pay_${siteId}_${v.id}`, datafast_visitor_id: visitors[v.id] });
  const revenue = visits.reduce((s, v) => s + v.paid, 0);
  await eventually(async () => {
    const r = await v1(key, 'analytics/revenue?period=30d');
    assert.equal(r.json.totals?.revenue, revenue, JSON.stringify(r.json.totals));
  }, 15_000);
}

before(async () => {
  browser = await launchBrowser();
  const dataDir = tempDataDir();
  const server = await startServer(dataDir, ['--api-rate-limit', '100000']);
  df = {
    url: server.url.replace(/\/$/, ''),
    stop: async () => {
      await stopServer(server);
      removeDir(dataDir);
    },
  };
  const { app } = await signUpOwner(df, kOwner.email, kOwner.password);
  const made = await app('POST', '/api/app/sites', { domain: 'shop.example', timezone: 'UTC', currency: 'EUR' });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  site = made.json.id;
  const quiet = await app('POST', '/api/app/sites', { domain: 'quiet.example', timezone: 'UTC', currency: 'EUR' });
  assert.equal(quiet.status, 201, JSON.stringify(quiet.json));
  quietSite = quiet.json.id;
  const plain = await app('POST', '/api/app/sites', { domain: 'plain.example', timezone: 'UTC', currency: 'EUR' });
  assert.equal(plain.status, 201, JSON.stringify(plain.json));
  plainSite = plain.json.id;
  const keyOf = async (id) => {
    const k = await app('POST', `/api/app/sites/${id}/keys`, { name: 'checkout' });
    assert.equal(k.status, 201, JSON.stringify(k.json));
    return k.json.secret;
  };
  const key = await keyOf(site);
  await seed(site, 'shop.example', key, kVisits);
  // The quiet site has payments (so the tab shows its reports), none from X.
  await seed(quietSite, 'quiet.example', await keyOf(quietSite), [{ id: 'google-q', from: 'https://www.google.com/', path: '/', paid: 20 }]);
  // This one has visits from X, none naming a post.
  await seed(plainSite, 'plain.example', await keyOf(plainSite), [
    { id: 'x-q', from: 'https://t.co/Uv12Wx', path: '/', paid: 15 },
    { id: 'google-p', from: 'https://www.google.com/', path: '/', paid: 20 },
  ]);
  // The API agrees with what the test expects of it.
  const x = await v1(key, 'analytics/x?period=30d');
  assert.equal(x.status, 200, JSON.stringify(x.json));
  assert.deepEqual(
    x.json.posts.map((p) => [p.post_id, p.visitors, p.revenue]),
    kPosts.map((p) => [p.id, p.visitors, p.revenue]),
  );

  const { context } = await newContext(browser, df, kBrowserOptions);
  const page = await context.newPage();
  await page.goto(`${df.url}/login`);
  await page.getByLabel('Email').fill(kOwner.email);
  await page.getByLabel('Password').fill(kOwner.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/sites');
  storageState = await context.storageState();
  await context.close();
});

after(async () => {
  await browser?.close();
  await df?.stop();
});

const signedIn = (extra = {}) => newContext(browser, df, { ...kBrowserOptions, storageState, ...extra });
const panel = (page) => page.getByRole('region', { name: 'X (Twitter)' });
const side = (page, kind, figure) => panel(page).locator(`[data-x="${kind}"] [data-figure="${figure}"]`);

async function openRevenue(page, siteId = site) {
  await page.goto(`${df.url}/sites/${siteId}?tab=revenue`);
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
