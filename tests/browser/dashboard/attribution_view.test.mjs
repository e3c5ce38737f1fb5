// The Revenue tab's attribution model against the real binary: one visitor
// comes from Google, then from X (through a link naming a post), and pays;
// another comes from a newsletter, a podcast and X, and pays; a third
// payment has no visitor. The table of sources credits each payment to the
// last visit (Last touch), the first (First touch) or in equal shares to all
// (Linear), as computed here from the visits (docs/api.md, "Attribution
// models"); the model is picked by keyboard, kept in the URL across a
// reload, explained in a line under the table, and also applies to the X
// panel's post. The payment without a visitor closes the table under every
// model; visitors do not change. 1280 px light and 320 px dark without
// sideways scrolling, AA contrast.
//
// run: DATAFAST_BIN=build/src/app/datafast node --test tests/browser/dashboard/attribution_view.test.mjs
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { sendEvent, signUpOwner } from '../../lib/datafast.mjs';
import { addSiteByApi, addSiteKey, artifact, contrastIssues, eventually, horizontalOverflow, kTestTimeout, launchBrowser, newContext, recordPayment, signedInState, startDatafast, v1 } from './lib.mjs';

const kOwner = { email: 'founder@example.com', password: 'correct horse battery' };
const kBrowserOptions = { locale: 'en-US', timezoneId: 'UTC' };
const kPost = '1850000000000000007';

// Each visitor's visits in order, as [referrer, path, the Referrer
// breakdown's name for it], and what the visitor paid.
const kVisitors = [
  {
    id: 'google-then-x',
    visits: [
      ['https://www.google.com/', '/pricing', 'Google'],
      ['https://t.co/Ab12Cd', `/launch?ref=x-${kPost}`, 'X'],
    ],
    paid: 100,
  },
  {
    id: 'three-sources',
    visits: [
      [null, '/?utm_source=newsletter&utm_medium=email', 'newsletter'],
      [null, '/?utm_source=podcast', 'podcast'],
      ['https://t.co/Ef34Gh', '/', 'X'],
    ],
    paid: 30,
  },
];
const kUnattributed = 20;

// Revenue and payments by source under a model: the whole payment to the
// last or first visit, or an equal share to each.
function credited(model) {
  const out = {};
  for (const v of kVisitors) {
    const names = v.visits.map(([, , name]) => name);
    const shares = model === 'last' ? [names.at(-1)] : model === 'first' ? [names[0]] : names;
    for (const name of shares) {
      out[name] ??= { revenue: 0, payments: 0 };
      out[name].revenue += v.paid / shares.length;
      out[name].payments += 1 / shares.length;
    }
  }
  return out;
}
const eur = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(n);
const payments = (n) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(n);
// The paying rows the table must show under a model, by name.
const expected = (model) => Object.fromEntries(Object.entries(credited(model)).map(([name, c]) => [name, [eur(c.revenue), payments(c.payments)]]));
// The post's revenue: the share of the visit from X that named it.
const postRevenue = { last: 100, first: 0, linear: 50 };
const kVisitorsBySource = { Google: 1, X: 2, newsletter: 1, podcast: 1 };

let browser;
let df;
let site;
let storageState;

before(async () => {
  browser = await launchBrowser();
  df = await startDatafast(['--api-rate-limit', '100000']);
  const { app } = await signUpOwner(df, kOwner.email, kOwner.password);
  site = await addSiteByApi(app, 'shop.example');
  const key = await addSiteKey(app, site);
  const siteV1 = (path) => v1(df, key, path);
  const pay = (body) => recordPayment(df, key, body);

  // A visitor's visits a second apart, so that which came first is plain.
  const ids = {};
  for (const v of kVisitors) {
    ids[v.id] = randomUUID();
    for (const [from, path] of v.visits) {
      const res = await sendEvent(df.url, {
        websiteId: site,
        domain: 'shop.example',
        type: 'pageview',
        href: `https://shop.example${path}`,
        referrer: from,
        visitorId: ids[v.id],
        sessionId: randomUUID(),
        screenWidth: 1280,
        language: 'en-US',
      });
      assert.equal(res.status, 202, await res.text());
      await sleep(1100);
    }
  }
  const sessions = kVisitors.reduce((s, v) => s + v.visits.length, 0);
  await eventually(async () => {
    const r = await siteV1('analytics/overview?period=30d');
    assert.equal(r.json.data?.[0]?.sessions, sessions, JSON.stringify(r.json));
  }, 15_000);
  for (const v of kVisitors) await pay({ amount: v.paid, transaction_id: `pay_${v.id}`, datafast_visitor_id: ids[v.id] });
  await pay({ amount: kUnattributed, transaction_id: 'pay_nobody' });
  const total = kVisitors.reduce((s, v) => s + v.paid, 0) + kUnattributed;
  await eventually(async () => {
    const r = await siteV1('analytics/revenue?period=30d');
    assert.equal(r.json.totals?.revenue, total, JSON.stringify(r.json.totals));
  }, 15_000);
  // The API agrees with what the test expects of it, under every model, once
  // the payments are credited.
  for (const model of ['last', 'first', 'linear']) {
    await eventually(async () => {
      const r = await siteV1(`analytics/referrers?period=30d&attribution=${model}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const paying = Object.fromEntries(r.json.data.filter((row) => row.referrer !== 'Direct/None' && row.payments > 0).map((row) => [row.referrer, [eur(row.revenue), payments(row.payments)]]));
      assert.deepEqual(paying, expected(model), `${model}: ${JSON.stringify(r.json.data)}`);
    }, 15_000);
  }

  storageState = await signedInState(browser, df, kOwner, kBrowserOptions);
});

after(async () => {
  await browser?.close();
  await df?.stop();
});

const signedIn = (extra = {}) => newContext(browser, df, { ...kBrowserOptions, storageState, ...extra });
const sources = (page) => page.getByRole('region', { name: 'Which source makes money' });
const model = (page) => sources(page).getByRole('combobox', { name: 'Attribution' });
const xPanel = (page) => page.getByRole('region', { name: 'X (Twitter)' });

// The table's rows as {name: [revenue, payments, visitors]}, its order, and
// its closing line.
async function table(page) {
  const rows = await sources(page)
    .locator('table.money-table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent.trim(), ...['revenue', 'payments', 'visitors'].map((c) => tr.querySelector(`td.c-${c}`).textContent.trim())]));
  const foot = await sources(page)
    .locator('table.money-table tfoot tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
  return { rows, foot };
}

// The table shows the model's credit: the paying rows, by revenue; the same
// visitors; the unpaid rows at nothing; the unattributed payment below.
async function assertCredited(page, name) {
  const want = expected(name);
  await eventually(async () => {
    const { rows, foot } = await table(page);
    const paying = Object.fromEntries(rows.filter(([, , p]) => p !== '0').map(([n, r, p]) => [n, [r, p]]));
    assert.deepEqual(paying, want, name);
    const revenues = rows.map(([, r]) => Number(r.replace(/[^\d.]/g, '')));
    assert.deepEqual(revenues, [...revenues].sort((a, b) => b - a), `${name}: rows by revenue`);
    for (const [n, , p, visitors] of rows) {
      if (!want[n]) assert.equal(p, '0', `${name}: ${n}`);
      if (kVisitorsBySource[n]) assert.equal(visitors, String(kVisitorsBySource[n]), `${name}: visitors of ${n}`);
    }
    assert.equal(foot.length, 1, `${name}: no line for the payment without a visitor`);
    assert.deepEqual(foot[0].slice(0, 4), ['Not attributed to a visit', '—', '1', eur(kUnattributed)], name);
  });
  await eventually(async () => {
    const post = xPanel(page).locator(`tr[data-post="${kPost}"] td.c-revenue`);
    assert.equal(await post.textContent(), eur(postRevenue[name]), `${name}: the X post's revenue`);
  });
}

test('Last touch, First touch and Linear credit the sources, picked by keyboard and kept in the URL', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${site}?tab=revenue`);
    await sources(page).locator('table.money-table').waitFor();
    // Last touch by default, said under the table.
    assert.equal(await model(page).inputValue(), 'last');
    assert.deepEqual(await model(page).locator('option').allTextContents(), ['Last touch', 'First touch', 'Linear']);
    await assertCredited(page, 'last');
    const note = sources(page).locator('.rev-model-note');
    assert.equal(await note.textContent(), 'Each payment goes to the visitor’s last visit from a source (not direct) in the 30-day window.');
    assert.equal(await model(page).getAttribute('aria-describedby'), await note.getAttribute('id'));
    assert.equal(new URL(page.url()).searchParams.get('attribution'), null);

    // From the table's switch, Tab reaches the model; the arrow keys pick.
    await sources(page).getByRole('tab', { name: 'Referrer' }).focus();
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { tag: el.tagName, value: el.value, ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    assert.deepEqual([f.tag, f.value], ['SELECT', 'last']);
    assert.ok(f.ring, 'the model picker shows no focus');

    await page.keyboard.press('ArrowDown');
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('attribution'), 'first'));
    await assertCredited(page, 'first');
    assert.equal(await note.textContent(), 'Each payment goes to the visitor’s first visit from a source (not direct) in the 30-day window.');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SELECT', 'the focus stays on the picker');

    await page.keyboard.press('ArrowDown');
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('attribution'), 'linear'));
    await assertCredited(page, 'linear');
    assert.equal(await note.textContent(), 'Each payment is shared equally among the visitor’s visits from a source (not direct) in the 30-day window.');
    // Google and X each get half the first visitor's payment.
    const { rows } = await table(page);
    const row = (n) => rows.find(([name]) => name === n);
    assert.deepEqual(row('Google').slice(1, 3), [eur(50), '0.5']);
    assert.deepEqual(row('X').slice(1, 3), [eur(50 + 10), payments(0.5 + 1 / 3)]);
    assert.equal(await xPanel(page).locator('.x-total').textContent(), `2 visitors · ${eur(postRevenue.linear + 10)}, linear`);
    await sources(page).screenshot({ path: artifact('attribution-view-1280-light-linear.png') });

    // The model is in the URL: a reload keeps it.
    await page.reload();
    await sources(page).locator('table.money-table').waitFor();
    assert.equal(await model(page).inputValue(), 'linear');
    await assertCredited(page, 'linear');

    // Back to Last touch, by keyboard: the URL drops it.
    await model(page).focus();
    await page.keyboard.press('Home');
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('attribution'), null));
    await assertCredited(page, 'last');
    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, [], 'the dashboard makes no request to another origin');
  } finally {
    await context.close();
  }
});

test('the model picker fits 320 px in dark mode and 1280 px in light, readable; screenshots', { timeout: kTestTimeout }, async () => {
  for (const [width, colorScheme] of [
    [320, 'dark'],
    [1280, 'light'],
    [320, 'light'],
    [1280, 'dark'],
  ]) {
    const { context, watch } = await signedIn({ viewport: { width, height: 800 }, colorScheme });
    try {
      const page = await context.newPage();
      await page.goto(`${df.url}/sites/${site}?tab=revenue&attribution=linear`);
      await assertCredited(page, 'linear');
      await page.waitForLoadState('networkidle');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= width, `${width} px ${colorScheme}: ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
      assert.deepEqual(await contrastIssues(page), [], `text below AA contrast (${width} px ${colorScheme})`);
      const box = await model(page).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${width} px: the picker is cut off`);
      await sources(page).screenshot({ path: artifact(`attribution-view-${width}-${colorScheme}.png`) });
      assert.deepEqual(watch.pageErrors, []);
    } finally {
      await context.close();
    }
  }
});
