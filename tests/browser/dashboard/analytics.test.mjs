// The analytics dashboard against the real binary and a seeded store
// (fixture.mjs): the cards show the fixture's numbers, a filter narrows every
// panel, the CSV exports hold the rows, notes, the sites list's totals, the
// real-time counter, small screens and dark mode, and the keyboard.
//
// Screenshots land in tests/artifacts/dashboard/ for a person to look at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { addSite, contrastIssues, eventually, horizontalOverflow, kPassword, kUserAgent, launchBrowser, logIn, mailedLink, newContext, screenshot, sendPageview } from './lib.mjs';
import { kBrowserOptions, kExpected, kOwner, metric, seededServer } from './fixture.mjs';

let browser;
let df;
let storageState;
before(async () => {
  browser = await launchBrowser();
  df = await seededServer();
  const { context } = await newContext(browser, df);
  const page = await context.newPage();
  await logIn(page, df, kOwner);
  storageState = await context.storageState();
  await context.close();
});
after(async () => {
  await browser?.close();
  await df?.stop();
});

const signedIn = (extra = {}) => newContext(browser, df, { ...kBrowserOptions, storageState, ...extra });

const panel = (page, name) => page.getByRole('region', { name, exact: true });

// A panel's rows as {label: [cells…]}.
async function rows(page, name) {
  const table = panel(page, name).locator('table.rows');
  const error = panel(page, name).locator('.alert-error');
  await table.or(error).first().waitFor();
  // A failed request shows its message instead of rows: the failure says it.
  if (await error.isVisible()) throw new Error(`the ${name} panel shows an error: ${await error.textContent()}`);
  return Object.fromEntries(
    await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th').textContent.trim(), [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())]),
    ),
  );
}

async function openDashboard(page, query = '', visitors = kExpected.visitors) {
  await page.goto(`${df.url}/sites/${df.siteId}${query}`);
  await eventually(async () => assert.equal(await metric(page, 'visitors'), String(visitors)));
}

// Reads a download triggered by `click` as text.
async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

test('the cards, the chart and the panels show the seeded numbers', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openDashboard(page);
    assert.equal(await metric(page, 'revenue'), '€376.00');
    assert.equal(await metric(page, 'revenue_per_visitor'), '€25.07');
    assert.equal(await metric(page, 'conversion_rate'), '26.7%');
    assert.equal(await metric(page, 'pageviews'), String(kExpected.pageviews));
    assert.equal(await metric(page, 'views_per_session'), '1.40');
    // Compared with the 10 visitors and €100 of the 30 days before.
    assert.match(await page.locator('[data-metric="visitors"] .delta').textContent(), /up 50%/);
    assert.match(await page.locator('[data-metric="revenue"] .delta').textContent(), /up 276%/);

    // Sources: visitors, revenue and revenue per visitor side by side.
    const sources = await eventually(async () => {
      const r = await rows(page, 'Sources');
      assert.ok(r['Organic search']);
      return r;
    });
    assert.deepEqual(sources['Organic search'].slice(0, 3), ['6', '€148.00', '€24.67']);
    assert.deepEqual(sources.Social.slice(0, 3), ['4', '€29.00', '€7.25']);
    assert.deepEqual(sources.Email.slice(0, 3), ['2', '€199.00', '€99.50']);
    assert.equal(sources.Direct[0], '3');

    // The chart is drawn and answers the mouse with a tooltip; the map
    // shades the countries with visitors.
    await page.locator('.chart-box canvas').first().waitFor();
    await page.locator('.chart-box .u-over').hover({ position: { x: 200, y: 60 } });
    await page.locator('.chart-tip').getByText(/\d+ visitors/).waitFor();
    await page.mouse.move(0, 0);
    await page.locator('.chart-tip').waitFor({ state: 'detached' });
    await panel(page, 'Locations').locator('path.has-data[data-code="FR"]').waitFor();
    assert.equal(await panel(page, 'Locations').locator('path.has-data').count(), 3);

    // Sorting by revenue puts the newsletter's big payment first.
    await panel(page, 'Sources').getByRole('button', { name: 'Revenue', exact: true }).click();
    await eventually(async () => assert.equal(Object.keys(await rows(page, 'Sources'))[0], 'Email'));
    assert.equal(await panel(page, 'Sources').locator('th[aria-sort="descending"]').textContent(), 'Revenue↓');

    // The other tabs: referrers, UTM campaigns, pages, countries, goals.
    await panel(page, 'Sources').getByRole('tab', { name: 'Referrer' }).click();
    await eventually(async () => assert.equal((await rows(page, 'Sources')).Google?.[0], '6'));
    await panel(page, 'Sources').getByRole('tab', { name: 'UTM' }).click();
    await panel(page, 'Sources').getByLabel('UTM parameter').selectOption({ label: 'UTM campaign' });
    await eventually(async () => assert.deepEqual(Object.keys(await rows(page, 'Sources')), ['black-friday']));
    await eventually(async () => assert.equal((await rows(page, 'Pages'))['/pricing']?.[0], '8'));
    await panel(page, 'Locations').getByRole('tab', { name: 'Country' }).click();
    await eventually(async () => {
      const r = await rows(page, 'Locations');
      assert.deepEqual([r.France?.[0], r['United States']?.[0], r.Germany?.[0]], ['8', '4', '3']);
    });
    await eventually(async () => assert.equal((await rows(page, 'Goals')).signup?.[0], '2'));

    await screenshot(page, 'analytics-1280-light');
    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, [], 'the dashboard makes no request to another origin');
  } finally {
    await context.close();
  }
});

test('a click on a row filters every panel; the filter is a removable chip in the URL', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openDashboard(page);
    await panel(page, 'Locations').getByRole('tab', { name: 'Country' }).click();
    await panel(page, 'Locations').getByRole('button', { name: 'France' }).click();

    await eventually(async () => assert.equal(await metric(page, 'visitors'), String(kExpected.france.visitors)));
    assert.equal(new URL(page.url()).searchParams.get('filter_country'), 'FR');
    assert.equal(await metric(page, 'revenue'), '€347.00');
    await page.getByRole('group', { name: 'Filters' }).getByText('Country is France').waitFor();
    await eventually(async () => {
      const s = await rows(page, 'Sources');
      assert.deepEqual(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v[0]])), { 'Organic search': '6', Email: '2' });
    });
    await eventually(async () => {
      const d = await rows(page, 'Devices');
      assert.deepEqual(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v[0]])), { Desktop: '6', Mobile: '2' });
    });
    await eventually(async () => assert.deepEqual(Object.keys(await rows(page, 'Locations')), ['France']));

    // A second filter from another panel narrows further; both survive a reload.
    await panel(page, 'Devices').getByRole('button', { name: 'Mobile' }).click();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), '2'));
    await page.reload();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), '2'));
    await eventually(async () => assert.deepEqual(Object.keys(await rows(page, 'Sources')), ['Email']));

    // Removing the chips brings the whole numbers back.
    await page.getByRole('button', { name: 'Remove filter: Device is Mobile' }).click();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), '8'));
    await page.getByRole('button', { name: 'Remove filter: Country is France' }).click();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), String(kExpected.visitors)));
    assert.equal(new URL(page.url()).search, '');

    // Back goes to the filtered view again.
    await page.goBack();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), '8'));
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('periods, comparison, interval and the conversion goal live in the URL', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openDashboard(page);
    // Conversion as completing the goal "signup": the newsletter's 2 of 15.
    await page.getByLabel('Conversion', { exact: true }).selectOption({ label: 'Goal: signup' });
    await eventually(async () => assert.equal(await metric(page, 'conversion_rate'), '13.3%'));
    assert.equal(new URL(page.url()).searchParams.get('conversion_goal'), 'signup');
    await page.locator('[data-metric="conversion_rate"]').getByText('to signup').waitFor();
    await eventually(async () => assert.equal((await rows(page, 'Sources')).Email?.[3], '100%'));
    await page.getByLabel('Conversion', { exact: true }).selectOption({ label: 'Payment' });
    await eventually(async () => assert.equal(await metric(page, 'conversion_rate'), '26.7%'));

    // A year ago the site had no visitors: nothing to compare with.
    await page.getByLabel('Compare to', { exact: true }).selectOption({ label: 'Same period last year' });
    await eventually(async () => assert.match(await page.locator('[data-metric="visitors"] .delta').textContent(), /No data vs same period last year/));
    assert.equal(new URL(page.url()).searchParams.get('compare'), 'year');
    const lastYear = String(new Date().getUTCFullYear() - 1);
    assert.match(await page.locator('.period-caption').textContent(), new RegExp(`compared with .*${lastYear}`));
    await page.getByLabel('Compare to', { exact: true }).selectOption({ label: 'Previous period' });

    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 7 days' });
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('period'), '7d'));
    await page.getByLabel('Compare to', { exact: true }).selectOption({ label: 'No comparison' });
    await eventually(async () => assert.equal(await page.locator('[data-metric="visitors"] .delta').count(), 0));
    await page.getByLabel('Interval', { exact: true }).selectOption({ label: 'Hour' });
    assert.equal(new URL(page.url()).searchParams.get('interval'), 'hour');
    await page.reload();
    assert.equal(await page.getByLabel('Period', { exact: true }).inputValue(), '7d');
    assert.equal(await page.getByLabel('Interval', { exact: true }).inputValue(), 'hour');

    // All time holds the previous period's visitors too.
    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'All time' });
    await eventually(async () => assert.equal(await metric(page, 'visitors'), String(kExpected.visitors + kExpected.previousVisitors)));

    // A custom range of two days long ago: nothing in it, and the panels say so.
    await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Custom range…' });
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-02');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), '0'));
    const q = new URL(page.url()).searchParams;
    assert.deepEqual([q.get('period'), q.get('from'), q.get('to')], ['custom', '2020-01-01', '2020-01-02']);
    await panel(page, 'Sources').getByText('No data for this period yet.').waitFor();
    await page.getByText('No visitors in this period.').waitFor();
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

// Splits CSV text into rows of cells (quotes, doubled quotes, CRLF).
function parseCsv(text) {
  const out = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), out.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  return out;
}

test('notes: add, edit, list, export with the view, delete', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openDashboard(page);
    const notes = panel(page, 'Notes');
    await notes.getByText('No notes in this period.').waitFor();
    await notes.getByRole('button', { name: 'Add note' }).click();
    const day = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    await notes.getByLabel('Day', { exact: true }).fill(day);
    await notes.getByLabel('Note', { exact: true }).fill('Launched on Product Hunt');
    await notes.getByLabel(/Tags/).fill('launch, marketing');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await notes.getByText('Launched on Product Hunt').waitFor();
    await notes.getByText('launch', { exact: true }).waitFor();

    // The chart flags the note's day: its tooltip, read with the arrow keys, has the note.
    await page.locator('.chart-box').focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await page.locator('.chart-tip .tip-note').getByText('Launched on Product Hunt').waitFor();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('.chart-tip .tip-note').count(), 0);
    await page.keyboard.press('Escape');

    await notes.getByRole('button', { name: /^Edit note/ }).click();
    await notes.getByLabel('Note', { exact: true }).fill('Launched on Product Hunt (#3 of the day)');
    await notes.getByRole('button', { name: 'Save note' }).click();
    await notes.getByText('Launched on Product Hunt (#3 of the day)').waitFor();

    // The whole view as one CSV: overview, time series, every panel, notes.
    const { name, text } = await downloaded(page, () => page.getByRole('button', { name: 'Export CSV', exact: true }).click());
    assert.match(name, /^example\.com-analytics-30d\.csv$/);
    const csv = parseCsv(text);
    const section = (title) => {
      const start = csv.findIndex((r) => r[0] === `# ${title}`);
      assert.ok(start >= 0, `section ${title}`);
      const end = csv.findIndex((r, i) => i > start && r.length === 1 && r[0] === '');
      return csv.slice(start + 1, end < 0 ? undefined : end);
    };
    const overview = Object.fromEntries(section('Overview').slice(1).map((r) => [r[0], r.slice(1)]));
    assert.deepEqual(overview.visitors, ['15', '10']);
    assert.deepEqual(overview.revenue, ['376', '100']);
    const channels = section('Channel');
    assert.deepEqual(channels[0], ['channel', 'visitors', 'pageviews', 'revenue', 'payments', 'revenue_per_visitor', 'conversion_rate']);
    assert.deepEqual(
      channels.slice(1).map((r) => [r[0], r[1], r[3]]),
      [
        ['organic_search', '6', '148'],
        ['social', '4', '29'],
        ['direct', '3', '0'],
        ['email', '2', '199'],
      ],
    );
    const series = section('Time series (day)');
    assert.equal(series.slice(1).reduce((n, r) => n + Number(r[2]), 0), kExpected.visitors);
    assert.equal(section('Country').length - 1, 3);
    assert.deepEqual(section('Notes').slice(1), [[day, 'Launched on Product Hunt (#3 of the day)', 'launch marketing', kOwner.email]]);

    await notes.getByRole('button', { name: /^Delete note/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete note' }).click();
    await notes.getByText('No notes in this period.').waitFor();
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a panel exports its rows as CSV, all pages of them', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openDashboard(page);
    await panel(page, 'Locations').getByRole('tab', { name: 'City' }).click();
    // Cities carry their country.
    await eventually(async () => assert.equal((await rows(page, 'Locations'))['Paris France']?.[0], '6'));
    const { name, text } = await downloaded(page, () => panel(page, 'Locations').getByRole('button', { name: 'Export City as CSV' }).click());
    assert.equal(name, 'example.com-cities-30d.csv');
    const csv = parseCsv(text);
    assert.deepEqual(csv[0], ['city', 'country', 'visitors', 'pageviews', 'revenue', 'payments', 'revenue_per_visitor', 'conversion_rate']);
    assert.deepEqual(
      csv.slice(1).map((r) => r.slice(0, 3)),
      [
        ['Paris', 'FR', '6'],
        ['San Francisco', 'US', '4'],
        ['Berlin', 'DE', '3'],
        ['Lyon', 'FR', '2'],
      ],
    );
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a site without visits says what to do next', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/new`);
    const id = await addSite(page, 'shop.example');
    await page.goto(`${df.url}/sites/${id}`);
    await page.getByRole('heading', { name: 'No visits yet' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Set up tracking' }).getAttribute('href'), `/sites/${id}/setup`);
    assert.equal(await page.locator('[data-metric]').count(), 0);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('the sites list shows each site’s last 30 days and the total', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites`);
    // shop.example (above) has no visits: no numbers, and no "+ $0.00" in the total.
    await page.locator('[data-site="shop.example"]').getByText('Waiting for the first visit').waitFor();
    const card = page.locator('[data-site="example.com"]');
    await eventually(async () => assert.equal(await card.getByTestId('site-visitors').textContent(), '15'));
    assert.equal(await card.getByTestId('site-revenue').textContent(), '€376.00');
    // The total waits for every site's numbers ("…" until then).
    await eventually(async () => assert.equal(await page.getByTestId('total-visitors').textContent(), '15'));
    assert.equal(await page.getByTestId('total-revenue').textContent(), '€376.00');
    await screenshot(page, 'analytics-sites-1280-light');
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('fits 360 and 320 px without sideways scrolling, light and dark; screenshots', { timeout: 120_000 }, async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [1280, 360, 320]) {
      const { context, watch } = await signedIn({ viewport: { width, height: 800 }, colorScheme });
      const page = await context.newPage();
      await openDashboard(page);
      await panel(page, 'Locations').locator('path.has-data').first().waitFor();
      await page.locator('.chart-box canvas').first().waitFor();
      await page.waitForLoadState('networkidle');
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= width, `${width} px ${colorScheme}: ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), colorScheme);
      if (width === 1280) assert.deepEqual(await contrastIssues(page), [], `text below AA contrast (${colorScheme})`);
      if (width !== 320 || colorScheme === 'light') await screenshot(page, `analytics-${width}-${colorScheme}`);
      // With a filter chip, the custom range's inputs and the note form open.
      if (width === 320) {
        await panel(page, 'Sources').getByRole('button', { name: 'Organic search' }).click();
        await eventually(async () => assert.equal(await metric(page, 'visitors'), '6'));
        await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Custom range…' });
        await panel(page, 'Notes').getByRole('button', { name: 'Add note' }).click();
        await panel(page, 'Locations').getByRole('tab', { name: 'City' }).click();
        await panel(page, 'Locations').getByRole('button', { name: 'Paris' }).waitFor();
        const f = await horizontalOverflow(page);
        assert.ok(f.scrollWidth <= width, `filtered, ${width} px ${colorScheme}: ${f.culprits.join(', ')}`);
        await screenshot(page, `analytics-320-${colorScheme}-open`);
      }
      assert.deepEqual(watch.pageErrors, []);
      await context.close();
    }
  }
});

// The focused element, and whether it shows a focus ring.
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      label: el.getAttribute('aria-label') || el.labels?.[0]?.textContent.trim() || el.textContent.trim(),
      role: el.getAttribute('role'),
      ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
    };
  });

test('the keyboard reaches the period picker, filters and panel tabs, with a visible focus', async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await openDashboard(page, '?filter_channel=organic_search', 6);
    const seen = [];
    for (let i = 0; i < 100; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      seen.push(f);
      if (f.role === 'tab' && f.label === 'Map') break;
    }
    const find = (pred, what) => {
      const f = seen.find(pred);
      assert.ok(f, `Tab never reached ${what}: ${seen.map((s) => s.label).join(' | ')}`);
      assert.ok(f.ring, `${what} has no visible focus`);
      return f;
    };
    find((f) => f.tag === 'select' && f.label === 'Period', 'the period picker');
    find((f) => f.label === 'Remove filter: Channel is Organic search', 'the filter chip');
    find((f) => f.role === 'tab' && f.label === 'Channel', 'the Sources tabs');
    find((f) => f.role === 'tab' && f.label === 'Map', 'the Locations tabs');

    // Arrow keys move between tabs; Tab goes into the rows; Enter filters.
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page)).label, 'Country');
    await panel(page, 'Locations').getByRole('tab', { name: 'Country', selected: true }).waitFor();
    await panel(page, 'Locations').getByRole('button', { name: 'France' }).waitFor();
    for (let i = 0; i < 10 && (await focused(page)).label !== 'France'; i++) await page.keyboard.press('Tab');
    const france = await focused(page);
    assert.equal(france.label, 'France');
    assert.ok(france.ring, 'the row has no visible focus');
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('filter_country'), 'FR'));
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a viewer reads notes but cannot add, change or delete them', async () => {
  const owner = await signedIn();
  const viewer = await newContext(browser, df, kBrowserOptions);
  try {
    // The owner writes a note and invites a viewer, through the app API.
    const page = await owner.context.newPage();
    await page.goto(`${df.url}/sites`);
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const made = await page.evaluate(
      async ({ siteId, day }) => {
        const me = await (await fetch('/api/app/me')).json();
        const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token };
        const post = (path, body) => fetch(path, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.status);
        return [
          await post(`/api/app/sites/${siteId}/notes`, { date: day, text: 'New prices', tags: ['pricing'] }),
          await post(`/api/app/accounts/${me.accounts[0].id}/invites`, { email: 'viewer@example.com', role: 'viewer' }),
        ];
      },
      { siteId: df.siteId, day },
    );
    assert.deepEqual(made, [201, 201]);

    const v = await viewer.context.newPage();
    await v.goto(`${df.url}${await mailedLink(df, /\/invite\/[A-Za-z0-9_-]+/g)}`);
    await v.getByRole('link', { name: 'Create your account' }).click();
    await v.getByLabel('Password').fill(kPassword);
    await v.getByRole('button', { name: 'Create account' }).click();
    await v.waitForURL('**/sites');
    await v.goto(`${df.url}/sites/${df.siteId}`);
    await eventually(async () => assert.equal(await metric(v, 'visitors'), String(kExpected.visitors)));
    const notes = panel(v, 'Notes');
    await notes.getByText('New prices').waitFor();
    assert.equal(await notes.getByRole('button').count(), 0, 'no Add, Edit or Delete for a viewer');
    assert.deepEqual(viewer.watch.pageErrors, []);

    // The owner sees the controls, and deletes the note again.
    await page.goto(`${df.url}/sites/${df.siteId}`);
    await panel(page, 'Notes').getByRole('button', { name: /^Delete note/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete note' }).click();
    await panel(page, 'Notes').getByText('No notes in this period.').waitFor();
    assert.deepEqual(owner.watch.pageErrors, []);
  } finally {
    await owner.context.close();
    await viewer.context.close();
  }
});

// Near the end: it adds pages to the store.
test('beyond 50 rows, "View all" pages through them and exports every one', { timeout: 60_000 }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    for (let i = 1; i <= 60; i++) assert.equal((await sendPageview(df, df.siteId, 'example.com', `/docs/page-${i}`)).status, 202);
    await eventually(async () => {
      await page.goto(`${df.url}/sites/${df.siteId}`);
      await panel(page, 'Pages').getByRole('button', { name: 'View all 63' }).waitFor({ timeout: 2000 });
    }, 20_000);
    await panel(page, 'Pages').getByRole('button', { name: 'View all 63' }).click();
    const dialog = page.getByRole('dialog', { name: 'Page' });
    await dialog.getByText('Page 1 of 2', { exact: true }).waitFor();
    assert.equal(await dialog.locator('tbody tr').count(), 50);
    await screenshot(page, 'analytics-all-rows-1280-light');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByText('Page 2 of 2', { exact: true }).waitFor();
    assert.equal(await dialog.locator('tbody tr').count(), 13);
    assert.equal(await dialog.getByRole('button', { name: 'Next' }).isDisabled(), true);
    const { text } = await downloaded(page, () => dialog.getByRole('button', { name: 'Export CSV' }).click());
    assert.equal(parseCsv(text).length, 64);
    // A row in the dialog filters the view and closes it.
    await dialog.getByRole('button', { name: '/docs/page-7', exact: true }).click();
    await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('filter_page'), '/docs/page-7'));
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});

// Last: it adds a visitor to the store.
test('the real-time counter counts a new visitor within 10 seconds and opens the live view', { timeout: 60_000 }, async () => {
  const { context, watch } = await signedIn();
  try {
    const page = await context.newPage();
    await page.goto(`${df.url}/sites/${df.siteId}`);
    // The pages test's visitor is still active.
    await eventually(async () => assert.equal(await page.getByTestId('realtime').textContent(), '1'));
    // Another browser: another visitor.
    const res = await fetch(`${df.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': kUserAgent.replace('Chrome/131', 'Chrome/132') },
      body: JSON.stringify({ websiteId: df.siteId, domain: 'example.com', type: 'pageview', href: 'https://example.com/live', referrer: null, screenWidth: 1280, language: 'en-US' }),
    });
    assert.equal(res.status, 202);
    await eventually(async () => assert.equal(await page.getByTestId('realtime').textContent(), '2'), 15_000);

    // A click shows what they do: the latest events, newest first.
    await page.getByRole('button', { name: /2 current visitors/ }).click();
    const live = page.getByRole('dialog', { name: 'Live' });
    await live.getByRole('region', { name: 'Latest events' }).getByText('/live', { exact: true }).first().waitFor();
    await screenshot(page, 'analytics-live');
    await page.keyboard.press('Escape');
    await live.waitFor({ state: 'detached' });
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
  }
});
