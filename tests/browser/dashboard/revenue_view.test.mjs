// The analytics view's Revenue tab against the real binary: visits from
// Google, X (t.co), a newsletter (utm_source) and nowhere, payments through
// POST /api/v1/payments credited to some of them, one refunded and one
// without a visitor id. The cards show the totals computed here from what
// was posted, the table ranks the sources by revenue (referrers, then
// channels and campaigns), the attribution mix shows the unattributed
// payment, the lifetime value by month of first visit shows this month's
// visitors, customers and revenue per visitor (and no one in the eleven
// months before), the period picker applies, a site without payments gets
// the empty state and its link to the Revenue settings; 1280 px light,
// 320 px dark without sideways scrolling (the cohort table scrolls in its
// own box, reachable by keyboard), and the keyboard.
//
// run: DATAFAST_BIN=build/src/app/datafast node --test tests/browser/dashboard/revenue_view.test.mjs
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { sendEvent, signUpOwner } from '../../lib/datafast.mjs';
import { addSiteByApi, addSiteKey, artifact, contrastIssues, eventually, horizontalOverflow, kTestTimeout, launchBrowser, newContext, recordPayment, screenshot, signedInState, startDatafast, v1 } from './lib.mjs';

const kOwner = { email: 'founder@example.com', password: 'correct horse battery' };
const kBrowserOptions = { locale: 'en-US', timezoneId: 'UTC' };

// Who came from where. `referrer` is the Referrer breakdown's name for the
// visit (utm_source when there is no referrer), `channel` the Channel
// breakdown's label.
const kVisits = [
  { id: 'google-1', from: 'https://www.google.com/', path: '/pricing', referrer: 'Google', channel: 'Organic search' },
  { id: 'google-2', from: 'https://www.google.com/', path: '/', referrer: 'Google', channel: 'Organic search' },
  { id: 'google-3', from: 'https://www.google.com/', path: '/blog/pricing-guide', referrer: 'Google', channel: 'Organic search' },
  { id: 'x-1', from: 'https://t.co/Ab12Cd', path: '/launch', referrer: 'X', channel: 'Social' },
  { id: 'x-2', from: 'https://t.co/Ef34Gh', path: '/launch', referrer: 'X', channel: 'Social' },
  { id: 'newsletter-1', from: null, path: '/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale', referrer: 'newsletter', channel: 'Email', campaign: 'spring-sale' },
  { id: 'direct-1', from: null, path: '/', referrer: 'Direct/None', channel: 'Direct' },
];
// What they paid; `visit: null` is a payment with no visitor id, customer or
// email: nothing to credit it to.
const kPayments = [
  { tx: 'pay_google_1', visit: 'google-1', amount: 99 },
  { tx: 'pay_google_2', visit: 'google-2', amount: 49, refunded: true },
  { tx: 'pay_x_1', visit: 'x-1', amount: 29 },
  { tx: 'pay_news_1', visit: 'newsletter-1', amount: 199 },
  { tx: 'pay_unknown_1', visit: null, amount: 49 },
];

// The numbers the tab must show, from the payments above (docs/api.md:
// revenue is net of refunds, new revenue and the average order value are
// gross, a refund is not a payment).
const gross = kPayments.reduce((s, p) => s + p.amount, 0);
const refunds = kPayments.filter((p) => p.refunded).reduce((s, p) => s + p.amount, 0);
const kExpected = {
  revenue: gross - refunds,
  newRevenue: gross,
  refunds,
  refundCount: kPayments.filter((p) => p.refunded).length,
  payments: kPayments.length,
  averageOrderValue: gross / kPayments.length,
  unattributed: kPayments.filter((p) => !p.visit).reduce((s, p) => s + p.amount - (p.refunded ? p.amount : 0), 0),
  unattributedPayments: kPayments.filter((p) => !p.visit).length,
};
// Net revenue and payments by a breakdown's label (`key` of the visit).
function bySource(key) {
  const out = {};
  for (const p of kPayments) {
    const visit = kVisits.find((v) => v.id === p.visit);
    const name = visit?.[key];
    if (!name) continue;
    out[name] ??= { revenue: 0, payments: 0 };
    out[name].revenue += p.amount - (p.refunded ? p.amount : 0);
    out[name].payments += 1;
  }
  return out;
}
const eur = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(n);

// Lifetime value (docs/api.md, `ltv`): every visit and payment is this
// month's, so this month's cohort is every visitor; its customers are the
// visitors with a payment (a refund later does not unmake one), its revenue
// per visitor what they paid net of refunds, over all of them. The payment
// without a visitor belongs to no cohort.
const kCredited = kPayments.filter((p) => p.visit);
const kLtv = {
  cohort: new Date().toISOString().slice(0, 7),
  label: new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date()),
  visitors: kVisits.length,
  customers: new Set(kCredited.map((p) => p.visit)).size,
  revenuePerVisitor: Math.round((kCredited.reduce((s, p) => s + p.amount - (p.refunded ? p.amount : 0), 0) / kVisits.length) * 100) / 100,
};

let browser;
let df;
let site;
let quietSite;
let key;
let storageState;

const siteV1 = (path) => v1(df, key, path);
const pay = (body) => recordPayment(df, key, body);

before(async () => {
  browser = await launchBrowser();
  // The test polls the API with its key while the store catches up: no
  // rate limit in the way.
  df = await startDatafast(['--api-rate-limit', '100000']);
  const { app } = await signUpOwner(df, kOwner.email, kOwner.password);
  site = await addSiteByApi(app, 'shop.example');
  quietSite = await addSiteByApi(app, 'quiet.example');
  key = await addSiteKey(app, site);

  // The visits, then the payments credited to them.
  const visitors = {};
  for (const v of kVisits) {
    visitors[v.id] = randomUUID();
    const res = await sendEvent(df.url, {
      websiteId: site,
      domain: 'shop.example',
      type: 'pageview',
      href: `https://shop.example${v.path}`,
      referrer: v.from,
      visitorId: visitors[v.id],
      sessionId: randomUUID(),
      screenWidth: 1280,
      language: 'en-US',
    });
    assert.equal(res.status, 202, await res.text());
  }
  const quietVisit = await sendEvent(df.url, { websiteId: quietSite, domain: 'quiet.example', type: 'pageview', href: 'https://quiet.example/', referrer: null, visitorId: randomUUID(), sessionId: randomUUID() });
  assert.equal(quietVisit.status, 202, await quietVisit.text());
  // A payment is credited to a visit the store already holds.
  await eventually(async () => {
    const r = await siteV1(`analytics/overview?websiteId=${site}&period=30d`);
    assert.equal(r.json.data?.[0]?.visitors, kVisits.length, JSON.stringify(r.json));
  }, 15_000);
  for (const p of kPayments) {
    await pay({ amount: p.amount, transaction_id: p.tx, ...(p.visit ? { datafast_visitor_id: visitors[p.visit] } : {}) });
  }
  for (const p of kPayments.filter((x) => x.refunded)) await pay({ amount: p.amount, transaction_id: p.tx, refunded: true });
  await eventually(async () => {
    const r = await siteV1('analytics/revenue?period=30d');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.totals.revenue, kExpected.revenue, JSON.stringify(r.json.totals));
    const b = await siteV1('analytics/channels?period=30d&fields=channel,revenue');
    assert.equal(b.json.data.reduce((s, row) => s + row.revenue, 0), kExpected.revenue);
  }, 15_000);

  storageState = await signedInState(browser, df, kOwner, kBrowserOptions);
});

after(async () => {
  await browser?.close();
  await df?.stop();
});

const signedIn = (extra = {}) => newContext(browser, df, { ...kBrowserOptions, storageState, ...extra });
const card = (page, key) => page.locator(`[data-metric="${key}"] .metric-value`);
const sources = (page) => page.getByRole('region', { name: 'Which source makes money' });

// The table's rows as [name, {visitors, payments, revenue, rpv, conversion}].
async function tableRows(page) {
  await sources(page).locator('table.money-table').waitFor();
  return sources(page)
    .locator('table.money-table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const cell = (c) => tr.querySelector(`td.c-${c}`).textContent.trim();
        return [tr.querySelector('th').textContent.trim(), { visitors: cell('visitors'), payments: cell('payments'), revenue: cell('revenue'), rpv: cell('rpv'), conversion: cell('conversion_rate') }];
      }),
    );
}

// The paying rows, in order, as the test computes them.
function expectedRanking(key) {
  return Object.entries(bySource(key))
    .sort((a, b) => b[1].revenue - a[1].revenue)
    .map(([name, s]) => [name, eur(s.revenue), String(s.payments)]);
}

const ltv = (page) => page.getByRole('region', { name: 'Lifetime value by first visit' });

// The cohort table's rows as {cohort, name, visitors, customers, months}.
async function cohortRows(page) {
  await ltv(page).locator('table.ltv-table').waitFor();
  return ltv(page)
    .locator('table.ltv-table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => ({
        cohort: tr.dataset.cohort,
        name: tr.querySelector('th').textContent.trim(),
        visitors: tr.querySelector('td.c-visitors').textContent.trim(),
        customers: tr.querySelector('td.c-customers').textContent.trim(),
        months: [...tr.querySelectorAll('td[data-month]')].map((td) => td.textContent.trim()),
      })),
    );
}

async function openRevenue(page, query = '') {
  await page.goto(`${df.url}/sites/${site}?tab=revenue${query}`);
  await eventually(async () => assert.equal(await card(page, 'revenue').textContent(), eur(kExpected.revenue)));
}

test('the cards, the chart, the sources by revenue and the attribution mix show what was paid', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${site}`);
    // The tab is a switch of the analytics view, kept in the URL.
    await page.getByRole('tablist', { name: 'Report' }).getByRole('tab', { name: 'Revenue' }).click();
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('tab'), 'revenue'));
    await eventually(async () => assert.equal(await card(page, 'revenue').textContent(), eur(kExpected.revenue)));
    assert.equal(await card(page, 'new_revenue').textContent(), eur(kExpected.newRevenue));
    assert.equal(await card(page, 'renewal_revenue').textContent(), eur(0));
    assert.equal(await card(page, 'refunds').textContent(), eur(kExpected.refunds));
    assert.match(await page.locator('[data-metric="refunds"] .metric-note').textContent(), new RegExp(`^${kExpected.refundCount} refund`));
    assert.equal(await card(page, 'payments').textContent(), String(kExpected.payments));
    assert.equal(await card(page, 'average_order_value').textContent(), eur(kExpected.averageOrderValue));
    assert.equal(await card(page, 'mrr').textContent(), eur(0));
    assert.equal(await card(page, 'churned_mrr').textContent(), eur(0));
    assert.match(await card(page, 'median_days_to_first_payment').textContent(), /^(same day|[\d.]+ days?)$/);
    assert.match(await page.locator('[data-metric="revenue"] .metric-note').textContent(), new RegExp(`net of ${eur(kExpected.refunds).replace('.', '\\.')} refunded`));
    // The money no visit earned, said plainly.
    const unattributed = await page.locator('[data-metric="unattributed_revenue"]').textContent();
    assert.match(unattributed, new RegExp(`${eur(kExpected.unattributed).replace('.', '\\.')} not attributed to a visit \\(${kExpected.unattributedPayments} payment\\)`));

    // Referrers ranked by revenue, with their payments; the unattributed
    // payment closes the table.
    const ranking = expectedRanking('referrer');
    await eventually(async () => {
      const rows = await tableRows(page);
      const paying = rows.filter(([, c]) => c.payments !== '0');
      assert.deepEqual(
        paying.map(([name, c]) => [name, c.revenue, c.payments]),
        ranking,
      );
    });
    const rows = Object.fromEntries(await tableRows(page));
    // Revenue per visitor: the three Google visitors share its revenue.
    assert.equal(rows.Google.visitors, '3');
    assert.equal(rows.Google.rpv, eur(bySource('referrer').Google.revenue / 3));
    assert.equal(rows.X.conversion, '50%');
    // The unattributed payment is not the direct visitor's: the API counts it
    // under Direct/None, the table on its own line.
    assert.deepEqual([rows['Direct/None'].visitors, rows['Direct/None'].payments, rows['Direct/None'].revenue], ['1', '0', eur(0)]);
    const foot = await sources(page).locator('tfoot tr').textContent();
    assert.match(foot, /Not attributed to a visit/);
    assert.match(foot, new RegExp(eur(kExpected.unattributed).replace('.', '\\.')));

    // The attribution mix: four payments by the visitor id at checkout, one
    // not attributed.
    const mix = page.getByRole('region', { name: 'How payments were attributed' });
    const none = await mix.locator('li[data-rule="none"]').textContent();
    assert.match(none, /Not attributed/);
    assert.match(none, new RegExp(`${eur(kExpected.unattributed).replace('.', '\\.')}1 payment`));
    const metadata = await mix.locator('li[data-rule="metadata"]').textContent();
    assert.match(metadata, new RegExp(`${eur(kExpected.revenue - kExpected.unattributed).replace('.', '\\.')}${kExpected.payments - kExpected.unattributedPayments} payments`));

    // Lifetime value: twelve months of first visits, oldest first; this
    // month's is every visitor, the months before had none.
    const cohorts = await cohortRows(page);
    assert.equal(cohorts.length, 12);
    const newest = cohorts.at(-1);
    assert.deepEqual(newest, {
      cohort: kLtv.cohort,
      name: kLtv.label,
      visitors: String(kLtv.visitors),
      customers: String(kLtv.customers),
      months: [eur(kLtv.revenuePerVisitor)],
    });
    for (const [i, c] of cohorts.slice(0, -1).entries()) {
      assert.equal(c.visitors, '0', `${c.name}: ${JSON.stringify(c)}`);
      assert.equal(c.customers, '0', c.name);
      // A triangle: the oldest month has twelve months to show, the newest one.
      assert.deepEqual(c.months, Array(12 - i).fill('—'), c.name);
    }
    assert.ok(cohorts.every((c, i) => i === 0 || c.cohort > cohorts[i - 1].cohort), 'the months go oldest first');
    // The value's cell is shaded (the table's highest: the darkest shade).
    assert.match(await ltv(page).locator(`tr[data-cohort="${kLtv.cohort}"] td[data-month="0"]`).getAttribute('class'), /\bltv-h5\b/);
    // At 1280 px the table fits: its box is no tab stop.
    const box = ltv(page).locator('.ltv-scroll');
    const fits = await box.evaluate((el) => el.scrollWidth <= el.clientWidth);
    assert.equal(await box.getAttribute('tabindex'), fits ? null : '0');

    await page.locator('.chart-box canvas').first().waitFor();
    await screenshot(page, 'revenue-view-1280-light');
    await ltv(page).screenshot({ path: artifact('revenue-view-1280-light-ltv.png') });
    await page.locator('.rev-metrics').screenshot({ path: artifact('revenue-view-1280-light-cards.png') });
    await page.locator('.rev-grid').screenshot({ path: artifact('revenue-view-1280-light-sources.png') });

    // The chart: today's bar, read by keyboard.
    await page.locator('.chart-box').focus();
    await page.keyboard.press('End');
    const tip = await page.locator('.chart-tip').textContent();
    assert.match(tip, new RegExp(`${eur(kExpected.newRevenue).replace('.', '\\.')} new`));
    assert.match(tip, new RegExp(`−${eur(kExpected.refunds).replace('.', '\\.')} refunded`));
    assert.match(tip, new RegExp(`${eur(kExpected.revenue).replace('.', '\\.')} net from ${kExpected.payments} payments`));
    await page.locator('.chart-wrap').screenshot({ path: artifact('revenue-view-1280-light-chart-tip.png') });
    await page.keyboard.press('Escape');
    await page.locator('.chart-tip').waitFor({ state: 'detached' });

    // The tab's CSV: the totals, the attribution and the ranked sources.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'shop.example-revenue-30d.csv');
    const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
    for (const line of [
      '# Revenue',
      `revenue,${kExpected.revenue}`,
      `refunds,${kExpected.refunds}`,
      `unattributed_revenue,${kExpected.unattributed}`,
      '# Attribution',
      `none,${kExpected.unattributed},${kExpected.unattributedPayments}`,
      '# Referrer by revenue',
      'referrer,visitors,payments,revenue,revenue_per_visitor,conversion_rate',
      `(not attributed to a visit),,${kExpected.unattributedPayments},${kExpected.unattributed},,`,
      '# Lifetime value by first visit',
      `cohort,start,visitors,customers,${Array.from({ length: 12 }, (_, k) => `revenue_per_visitor_month_${k}`).join(',')}`,
    ]) {
      assert.ok(lines.includes(line), `the CSV has no line ${line}:\n${lines.join('\n')}`);
    }
    const cohortLine = lines.find((l) => l.startsWith(`${kLtv.cohort},`));
    assert.match(cohortLine ?? '', new RegExp(`^${kLtv.cohort},${kLtv.cohort}-01T00:00:00\\+00:00,${kLtv.visitors},${kLtv.customers},${kLtv.revenuePerVisitor},*$`));
    const ranked = lines.slice(lines.indexOf('# Referrer by revenue') + 2, lines.indexOf('# Referrer by revenue') + 5).map((l) => l.split(',')[0]);
    assert.deepEqual(ranked, expectedRanking('referrer').map(([name]) => name));

    // Channels and campaigns; the switch is in the URL and survives a reload.
    await sources(page).getByRole('tab', { name: 'Channel' }).click();
    await eventually(async () => {
      const paying = (await tableRows(page)).filter(([, c]) => c.payments !== '0');
      assert.deepEqual(paying.map(([name, c]) => [name, c.revenue, c.payments]), expectedRanking('channel'));
    });
    assert.equal(new URL(page.url()).searchParams.get('by'), 'channels');
    await page.reload();
    await sources(page).getByRole('tab', { name: 'Channel', selected: true }).waitFor();
    await sources(page).getByRole('tab', { name: 'Campaign' }).click();
    await eventually(async () => {
      const all = await tableRows(page);
      assert.deepEqual(all.map(([name, c]) => [name, c.revenue, c.payments]), expectedRanking('campaign'));
    });
    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, [], 'the dashboard makes no request to another origin');
  } finally {
    await context.close();
  }
});

test('the period picker applies: a month long ago has no payment, and says so', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openRevenue(page);
    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Custom range…' });
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => assert.equal(await card(page, 'revenue').textContent(), eur(0)));
    assert.equal(new URL(page.url()).searchParams.get('tab'), 'revenue');
    assert.equal(await card(page, 'payments').textContent(), '0');
    await sources(page).getByText('No payments in this period.').waitFor();
    await page.locator('.chart-empty').getByText('No payments in this period.').waitFor();
    // Payments exist, only not then: no "set up" empty state.
    assert.equal(await page.getByRole('heading', { name: 'No payments yet' }).count(), 0);
    // No one came in the twelve months up to January 2020.
    await ltv(page).getByText('No visitors were first seen in the 12 months up to the end of this period.').waitFor();
    assert.equal(await ltv(page).locator('table').count(), 0);
    await ltv(page).screenshot({ path: artifact('revenue-view-ltv-empty-1280-light.png') });
    // Filters narrow the table alone, and say so.
    await page.goto(`${df.url}/sites/${site}?tab=revenue&by=channels&filter_channel=organic_search`);
    await eventually(async () => assert.deepEqual((await tableRows(page)).map(([name, c]) => [name, c.revenue]), [['Organic search', eur(bySource('channel')['Organic search'].revenue)]]));
    assert.equal(await card(page, 'revenue').textContent(), eur(kExpected.revenue));
    await page.getByText('the filters narrow the table of sources').waitFor();
    assert.equal(await sources(page).locator('tfoot').count(), 0);
    await page.getByRole('button', { name: 'Remove filter: Channel is Organic search' }).click();
    await eventually(async () => assert.equal((await tableRows(page)).length, 4));

    // Last 7 days holds them all; the interval offers no hours.
    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 7 days' });
    await eventually(async () => assert.equal(await card(page, 'revenue').textContent(), eur(kExpected.revenue)));
    const intervals = await page.getByLabel('Interval', { exact: true }).locator('option').allTextContents();
    assert.deepEqual(intervals, ['Day']);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a site without payments shows how to get them, with a link to the Revenue settings', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${quietSite}?tab=revenue`);
    const empty = page.getByRole('region', { name: 'No payments yet' });
    await empty.waitFor();
    assert.equal(await page.locator('[data-metric="revenue"]').count(), 0);
    await screenshot(page, 'revenue-view-empty-1280-light');
    await empty.getByRole('link', { name: 'Set up revenue tracking' }).click();
    await page.waitForURL(`**/sites/${quietSite}/settings#revenue`);
    const heading = page.getByRole('heading', { name: 'Revenue', exact: true });
    await heading.waitFor();
    // The link lands on the section itself, focused and in view.
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Revenue'));
    const box = await heading.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 800, `the Revenue section is out of view (y = ${box?.y})`);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

// The focused element, and whether it shows a focus ring.
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return {
      label: el.getAttribute('aria-label') || el.textContent.trim(),
      role: el.getAttribute('role'),
      ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
    };
  });

test('fits 320 px in dark mode without sideways scrolling; screenshots', { timeout: kTestTimeout }, async () => {
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
      await eventually(async () => assert.ok((await tableRows(page)).length > 0));
      await page.locator('.chart-box canvas').first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= width, `${width} px ${colorScheme}: ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
      assert.deepEqual(await contrastIssues(page), [], `text below AA contrast (${width} px ${colorScheme})`);
      // Every shade of the cohort table keeps its number readable: the
      // newest month's cell in each in turn.
      const cell = ltv(page).locator(`tr[data-cohort="${kLtv.cohort}"] td[data-month="0"]`);
      await cell.waitFor();
      const shade = await cell.getAttribute('class');
      for (let level = 0; level <= 5; level++) {
        await cell.evaluate((td, l) => (td.className = `ltv-cell ltv-h${l}`), level);
        assert.deepEqual(await contrastIssues(page), [], `shade ${level}, ${width} px ${colorScheme}`);
      }
      await cell.evaluate((td, c) => (td.className = c), shade);
      // The table scrolls inside its box when it is wider, the months'
      // names staying at its left; a keyboard reaches the box and scrolls it.
      const box = ltv(page).locator('.ltv-scroll');
      const scrolls = await box.evaluate((el) => el.scrollWidth > el.clientWidth);
      if (width === 320) assert.ok(scrolls, 'at 320 px the cohort table is wider than its box');
      if (scrolls) {
        assert.equal(await box.getAttribute('tabindex'), '0');
        assert.equal(await box.getAttribute('role'), 'region');
        assert.ok(await box.getAttribute('aria-label'));
        const name = ltv(page).locator(`tr[data-cohort="${kLtv.cohort}"] th`);
        const before = await name.boundingBox();
        await box.focus();
        assert.ok((await focused(page)).ring, 'the cohort table\'s box has no visible focus');
        // The arrow keys scroll it to its end (each press a step, maybe animated).
        await eventually(async () => {
          await page.keyboard.press('ArrowRight');
          assert.ok(await box.evaluate((el) => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1), `the arrow keys do not scroll the cohort table to its end (${width} px)`);
        });
        // At the end, no fade says there is more.
        await eventually(async () => assert.equal(await ltv(page).locator('.ltv-more').count(), 0));
        const after = await name.boundingBox();
        assert.ok(Math.abs(after.x - before.x) < 1, `the month's name moved from ${before.x} to ${after.x}`);
        if (width === 320 && colorScheme === 'dark') await ltv(page).screenshot({ path: artifact('revenue-view-320-dark-ltv-scrolled.png') });
        await eventually(async () => {
          await page.keyboard.press('ArrowLeft');
          assert.equal(await box.evaluate((el) => el.scrollLeft), 0);
        });
        await ltv(page).locator('.ltv-more').waitFor();
        await box.evaluate((el) => el.blur());
      } else {
        assert.equal(await box.getAttribute('tabindex'), null);
      }
      if (width === 320 && colorScheme === 'dark') {
        await ltv(page).screenshot({ path: artifact('revenue-view-320-dark-ltv.png') });
        await screenshot(page, 'revenue-view-320-dark');
        await page.locator('.rev-metrics').screenshot({ path: artifact('revenue-view-320-dark-cards.png') });
        await sources(page).screenshot({ path: artifact('revenue-view-320-dark-sources.png') });
        await page.getByRole('region', { name: 'How payments were attributed' }).screenshot({ path: artifact('revenue-view-320-dark-attribution.png') });
        // Every switch of the table fits too.
        for (const tab of ['Channel', 'Campaign', 'Entry page', 'Country']) {
          await sources(page).getByRole('tab', { name: tab }).click();
          await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('by') !== null, true));
          const f = await horizontalOverflow(page);
          assert.ok(f.scrollWidth <= width, `${tab}, ${width} px: ${f.culprits.join(', ')}`);
        }
      }
      if (width === 1280 && colorScheme === 'dark') await screenshot(page, 'revenue-view-1280-dark');
      assert.deepEqual(watch.pageErrors, []);
    } finally {
      await context.close();
    }
  }
});

test('the keyboard switches to the Revenue tab and between sources, with a visible focus', { timeout: kTestTimeout }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${site}`);
    await page.locator('[data-metric="visitors"] .metric-value').getByText(String(kVisits.length)).waitFor();
    let f;
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      f = await focused(page);
      if (f.role === 'tab') break;
    }
    assert.equal(f.label, 'Traffic', 'the first tab stop of the view is its Traffic/Revenue switch');
    assert.ok(f.ring, 'the Traffic tab has no visible focus');
    await page.keyboard.press('ArrowRight');
    f = await focused(page);
    assert.equal(f.label, 'Revenue');
    assert.ok(f.ring, 'the Revenue tab has no visible focus');
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('tab'), 'revenue'));
    await eventually(async () => assert.equal(await card(page, 'revenue').textContent(), eur(kExpected.revenue)));

    // On through the toolbar and the chart to the table's switch.
    const seen = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      f = await focused(page);
      seen.push(f.label);
      if (f.role === 'tab') break;
    }
    assert.equal(f.label, 'Referrer', `Tab went: ${seen.join(' | ')}`);
    assert.ok(f.ring, 'the Referrer tab has no visible focus');
    assert.ok(seen.some((l) => l.startsWith('Revenue by day')), 'the chart is a tab stop');
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page)).label, 'Channel');
    await sources(page).getByRole('tab', { name: 'Channel', selected: true }).waitFor();
    await eventually(async () => assert.equal((await tableRows(page))[0][0], expectedRanking('channel')[0][0]));
    await page.keyboard.press('End');
    assert.equal((await focused(page)).label, 'Country');
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('by'), 'countries'));
    // And back to the traffic tab, which leaves the URL.
    await page.goto(`${df.url}/sites/${site}?tab=revenue`);
    await page.getByRole('tablist', { name: 'Report' }).getByRole('tab', { name: 'Traffic' }).click();
    await page.getByRole('region', { name: 'Sources', exact: true }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('tab'), null);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});
