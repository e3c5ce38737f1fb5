// Usability across screens: no horizontal scrolling at 320 px on any page,
// light and dark themes (system preference and the remembered toggle), and
// the add-site form done with the keyboard alone.
//
// Screenshots land in tests/artifacts/dashboard/ for a person to look at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addSite, horizontalOverflow, kTestTimeout, launchBrowser, newContext, screenshot, sendPageview, signUp, startDatafast } from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// A server with an owner and one site that has seen a visit; the signed-in
// browser state is handed to the contexts of each test.
async function seeded() {
  const df = await startDatafast();
  const { context } = await newContext(browser, df);
  const page = await context.newPage();
  await signUp(page, df);
  const siteId = await addSite(page, 'example.com');
  assert.equal((await sendPageview(df, siteId, 'example.com', '/pricing')).status, 202);
  const storageState = await context.storageState();
  await context.close();
  return { df, siteId, storageState };
}

const pages = (id) => [
  '/sites',
  '/sites/new',
  `/sites/${id}`,
  `/sites/${id}/setup`,
  `/sites/${id}/settings`,
  '/account',
  '/team',
  '/usage',
  '/privacy',
  '/terms',
  '/dpa',
];
const slug = (path) => path.replace(/dfid_\w+/, 'site').replace(/\//g, '_').replace(/^_/, '') || 'root';

test('every page fits 320 px without horizontal scrolling, light and dark', { timeout: 180_000 }, async () => {
  const { df, siteId, storageState } = await seeded();
  try {
    for (const colorScheme of ['light', 'dark']) {
      const { context, watch } = await newContext(browser, df, { viewport: { width: 320, height: 640 }, colorScheme, storageState });
      const page = await context.newPage();
      for (const path of pages(siteId)) {
        await page.goto(`${df.url}${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= 320, `${path} (${colorScheme}) is ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
        await screenshot(page, `320-${colorScheme}-${slug(path)}`);
      }
      assert.deepEqual(watch.pageErrors, []);
      await context.close();
    }

    // The signed-out pages (logging out ends the shared session, so last).
    const { context, watch } = await newContext(browser, df, { viewport: { width: 320, height: 640 }, storageState });
    const page = await context.newPage();
    await page.goto(`${df.url}/sites`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      for (const path of ['/login', '/signup', '/forgot', '/reset?token=x', '/verify', '/privacy']) {
        await page.goto(`${df.url}${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= 320, `${path} (${colorScheme}) is ${o.scrollWidth} px wide: ${o.culprits.join(', ')}`);
        await screenshot(page, `320-${colorScheme}-signed-out-${slug(path.split('?')[0])}`);
      }
    }
    assert.deepEqual(watch.pageErrors, []);
    await context.close();
  } finally {
    await df.stop();
  }
});

test('desktop screenshots, light and dark, and the theme toggle is remembered', { timeout: kTestTimeout }, async () => {
  const { df, siteId, storageState } = await seeded();
  try {
    for (const colorScheme of ['light', 'dark']) {
      const { context } = await newContext(browser, df, { colorScheme, storageState });
      const page = await context.newPage();
      for (const path of [`/sites/${siteId}/setup`, `/sites/${siteId}`, '/sites', '/usage', '/account']) {
        await page.goto(`${df.url}${path}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, `1280-${colorScheme}-${slug(path)}`);
      }
      // The system preference decides the theme until the user picks one.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      if (colorScheme === 'dark') assert.ok(luminance < 0.2, `dark background expected, got ${bg}`);
      else assert.ok(luminance > 0.8, `light background expected, got ${bg}`);
      await context.close();
    }

    // The toggle overrides the system and survives a reload.
    const { context } = await newContext(browser, df, { colorScheme: 'light', storageState });
    const page = await context.newPage();
    await page.goto(`${df.url}/sites`);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.reload();
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('datafast.theme')), 'dark');
    await screenshot(page, '1280-toggled-dark-sites');
    await context.close();
  } finally {
    await df.stop();
  }
});

// The element that has focus, described for assertions.
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    const label = el.labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent;
    const style = getComputedStyle(el);
    return { tag: el.tagName.toLowerCase(), label: (label ?? '').trim(), outline: style.outlineStyle, outlineWidth: style.outlineWidth };
  });

test('keyboard only: add a website with Tab, typing and Enter; visible focus rings; tabs with arrow keys', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const { context, watch } = await newContext(browser, df);
  try {
    const page = await context.newPage();
    await signUp(page, df);

    // The skip link comes first; the welcome page's form has no autofocus.
    await page.goto(`${df.url}/sites`);
    await page.getByLabel('Website address').waitFor();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).label, 'Skip to content');
    await page.keyboard.press('Enter');

    // From the top of main, Tab reaches the form's first field.
    let f;
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      f = await focused(page);
      if (f.label === 'Website address') break;
    }
    assert.equal(f.label, 'Website address', 'Tab reaches the domain field');
    assert.notEqual(f.outline, 'none', 'the focused field shows a focus ring');
    await page.keyboard.type('https://www.Keyboard-Example.com/docs');
    await page.getByText('We’ll track keyboard-example.com and its subdomains.').waitFor();

    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).label, 'Time zone');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).label, 'Currency');
    await page.keyboard.press('Tab');
    f = await focused(page);
    assert.equal(f.tag, 'button');
    assert.equal(f.label, 'Add website');
    assert.notEqual(f.outline, 'none', 'the focused button shows a focus ring');
    await screenshot(page, 'keyboard-add-site-focus');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sites\/[^/]+\/setup$/);
    await page.getByText('Waiting for the first visit from keyboard-example.com…').waitFor();

    // After navigation focus moves to the new page's heading.
    assert.equal((await focused(page)).tag, 'h1');

    // Platform tabs: arrow keys move between them.
    await page.getByRole('tab', { name: 'HTML' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page)).label, 'Next.js (App Router)');
    assert.equal(await page.getByRole('tab', { name: 'Next.js (App Router)' }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    assert.equal((await focused(page)).label, 'First-party proxy');
    assert.match(await page.getByRole('tabpanel').textContent(), /location = \/api\/events/);

    // An invalid domain is explained inline, under the field.
    await page.goto(`${df.url}/sites/new`);
    await page.getByLabel('Website address').fill('localhost');
    await page.getByLabel('Website address').press('Enter');
    const input = page.getByLabel('Website address');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    const describedBy = await input.getAttribute('aria-describedby');
    const message = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    assert.match(message, /public domain/);
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});
