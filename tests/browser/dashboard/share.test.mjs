// Public links: made in the site's settings, opened by someone without an
// account, read-only (no notes editing, no way into the app), a password
// asked first when set, and a clear message once revoked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launchBrowser, logIn, newContext, screenshot } from './lib.mjs';
import { kBrowserOptions, kExpected, kOwner, metric, seededServer } from './fixture.mjs';

let browser;
let df;
before(async () => {
  browser = await launchBrowser();
  df = await seededServer();
});
after(async () => {
  await browser?.close();
  await df?.stop();
});

async function ownerPage() {
  const { context, watch } = await newContext(browser, df, kBrowserOptions);
  const page = await context.newPage();
  await logIn(page, df, kOwner);
  await page.goto(`${df.url}/sites/${df.siteId}/settings`);
  await page.getByRole('heading', { name: 'Public link' }).waitFor();
  return { context, watch, page };
}

// Creates a link in the settings; resolves with its URL.
async function createLink(page, password = '') {
  const section = page.getByRole('region', { name: 'Public link' });
  const before = await section.locator('[data-share]').count();
  if (password) await section.getByLabel(/Password/).fill(password);
  await section.getByRole('button', { name: 'Create link' }).click();
  await eventually(async () => assert.equal(await section.locator('[data-share]').count(), before + 1));
  const item = section.locator('[data-share]').filter({ hasText: password ? 'Password-protected' : 'No password' }).first();
  return { item, url: await item.getByRole('link').getAttribute('href') };
}

test('a link without a password opens the dashboard read-only for anyone', async () => {
  const owner = await ownerPage();
  const visitor = await newContext(browser, df, kBrowserOptions);
  try {
    const { item, url } = await createLink(owner.page);
    assert.match(url, /\/share\/[A-Za-z0-9_-]+$/);
    await screenshot(owner.page, 'share-settings');

    const page = await visitor.context.newPage();
    await page.goto(`${df.url}${new URL(url).pathname}?period=30d`);
    await page.getByRole('heading', { name: 'example.com' }).waitFor();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), String(kExpected.visitors)));
    assert.equal(await metric(page, 'revenue'), '€376.00');
    await page.getByRole('region', { name: 'Notes' }).getByText('No notes in this period.').waitFor();

    // Read-only: nothing to edit, no way into the app.
    assert.equal(await page.getByRole('button', { name: 'Add note' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Settings' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Setup' }).count(), 0);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);

    // Filters work there too, in the URL.
    await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Social' }).click();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), '4'));
    assert.equal(new URL(page.url()).searchParams.get('filter_channel'), 'social');
    await screenshot(page, 'share-public');

    // Revoked: the page says so at once.
    await item.getByRole('button', { name: /^Revoke link/ }).click();
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Revoke link' }).click();
    await eventually(async () => assert.equal(await item.count(), 0));
    await page.reload();
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    assert.equal(await page.locator('[data-metric]').count(), 0);
    await screenshot(page, 'share-revoked');
    assert.deepEqual(visitor.watch.pageErrors, []);
    assert.deepEqual(owner.watch.pageErrors, []);
  } finally {
    await owner.context.close();
    await visitor.context.close();
  }
});

test('a password-protected link asks for the password first', async () => {
  const owner = await ownerPage();
  const visitor = await newContext(browser, df, kBrowserOptions);
  try {
    const { url } = await createLink(owner.page, 'open sesame 42');
    const page = await visitor.context.newPage();
    await page.goto(`${df.url}${new URL(url).pathname}`);
    await page.getByRole('heading', { name: 'example.com analytics' }).waitFor();
    assert.equal(await page.locator('[data-metric]').count(), 0);

    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'View dashboard' }).click();
    await page.getByText('That password is not right.').waitFor();
    await screenshot(page, 'share-password');

    await page.getByLabel('Password').fill('open sesame 42');
    await page.getByRole('button', { name: 'View dashboard' }).click();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), String(kExpected.visitors)));
    // The proof lasts for the tab: a reload does not ask again.
    await page.reload();
    await eventually(async () => assert.equal(await metric(page, 'visitors'), String(kExpected.visitors)));
    assert.equal(await page.getByLabel('Password').count(), 0);
    assert.deepEqual(visitor.watch.pageErrors, []);
  } finally {
    await owner.context.close();
    await visitor.context.close();
  }
});
