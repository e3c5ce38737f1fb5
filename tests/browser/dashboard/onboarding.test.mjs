// The first five minutes, end to end against the real binary: create the
// owner account, add a site, copy the snippet, send a test visit, see the
// first real visit turn the check green, land on the site's overview.
//
// run: node --test tests/browser/dashboard/   (needs build/src/app/datafast and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addSite, kTestTimeout, launchBrowser, newContext, screenshot, sendPageview, signUp, startDatafast } from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('sign up, add a site, copy the snippet, test visit, first visit, overview', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const { context, watch } = await newContext(browser, df);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: df.url });
    const page = await context.newPage();

    // An empty server sends everyone to the owner sign-up.
    await page.goto(`${df.url}/sites`);
    await page.waitForURL('**/signup');
    await screenshot(page, 'onboarding-1-signup');
    await signUp(page, df);

    // The domain is normalised as it is typed; time zone defaults to the browser's.
    const domain = page.getByLabel('Website address');
    await domain.fill('https://www.Example.com/pricing');
    await page.getByText('We’ll track example.com and its subdomains.').waitFor();
    const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.equal(await page.getByLabel('Time zone').inputValue(), tz);
    await screenshot(page, 'onboarding-2-add-site');
    const siteId = await addSite(page, 'https://www.Example.com/pricing');
    assert.match(siteId, /^dfid_/);

    // The snippet, with this server's origin.
    const expected = `<script defer data-website-id="${siteId}" data-domain="example.com" src="${df.url}/js/script.js"></script>`;
    const code = page.locator('figure', { hasText: 'Tracking snippet' }).locator('pre');
    assert.equal((await code.textContent()).trim(), expected);
    await page.getByText('Waiting for the first visit from example.com…').waitFor();

    // One-click copy, announced to screen readers.
    await page.getByRole('button', { name: 'Copy the tracking snippet' }).click();
    await page.getByRole('status').filter({ hasText: /^Copied$/ }).first().waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);

    // Every install guide names the real id.
    for (const tab of ['Next.js (App Router)', 'WordPress', 'Google Tag Manager', 'First-party proxy']) {
      await page.getByRole('tab', { name: tab }).click();
      assert.match(await page.getByRole('tabpanel').textContent(), new RegExp(siteId));
    }

    // The test visit goes through the real ingestion endpoint.
    const posted = page.waitForRequest((r) => r.url() === `${df.url}/api/events` && r.method() === 'POST');
    await page.getByRole('button', { name: 'Send a test visit' }).click();
    const req = await posted;
    assert.match(req.headers()['content-type'], /^text\/plain/);
    const body = JSON.parse(req.postData());
    assert.deepEqual(
      { websiteId: body.websiteId, domain: body.domain, type: body.type, href: body.href, referrer: body.referrer },
      { websiteId: siteId, domain: 'example.com', type: 'pageview', href: 'https://example.com/__datafast/test-visit', referrer: null },
    );
    await page.getByText('Test visit received.').waitFor({ timeout: 15_000 });
    // A test visit is not an installation.
    assert.equal(await page.getByRole('link', { name: 'Go to your dashboard' }).count(), 0);
    await screenshot(page, 'onboarding-3-test-visit');

    // A real visit turns the check green within a poll or two.
    const res = await sendPageview(df, siteId, 'example.com', '/pricing');
    assert.equal(res.status, 202);
    await page.getByRole('link', { name: 'Go to your dashboard' }).waitFor({ timeout: 15_000 });
    await page.getByText('DataFast is receiving visits from example.com').waitFor();
    await screenshot(page, 'onboarding-4-received');

    await page.getByRole('link', { name: 'Go to your dashboard' }).click();
    await page.waitForURL(`**/sites/${siteId}`);
    await page.getByRole('region', { name: 'Pages', exact: true }).getByRole('button', { name: '/pricing' }).waitFor();
    await screenshot(page, 'onboarding-5-overview');

    // The site switcher lists it.
    await page.getByRole('button', { name: /Current site: example\.com/ }).click();
    await page.getByRole('link', { name: 'Add website' }).waitFor();

    assert.deepEqual(watch.pageErrors, []);
    assert.deepEqual(watch.foreign, [], 'the dashboard makes no request to another origin');
  } finally {
    await context.close();
    await df.stop();
  }
});

test('log out, the sign-in gate, a wrong password, log in back to where you were', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const { context, watch } = await newContext(browser, df);
  try {
    const page = await context.newPage();
    await signUp(page, df, 'founder@example.com');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');

    await page.goto(`${df.url}/team`);
    await page.waitForURL(/\/login\?next=%2Fteam$/);
    await page.getByLabel('Email').fill('founder@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: /wrong email or password/i }).waitFor();

    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/team');
    await page.getByText('founder@example.com').first().waitFor();

    // Signed in, the login page sends you on.
    await page.goto(`${df.url}/login`);
    await page.waitForURL('**/sites');
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});

test('site settings: save, API key shown once and revoked, delete with the domain typed', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const { context, watch } = await newContext(browser, df);
  try {
    const page = await context.newPage();
    await signUp(page, df);
    const siteId = await addSite(page, 'shop.example.org');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.waitForURL(`**/sites/${siteId}/settings`);

    // General settings round-trip through the server.
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByLabel('Keep events for (days)').fill('365');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    assert.equal(await page.getByLabel('Currency').inputValue(), 'EUR');
    assert.equal(await page.getByLabel('Keep events for (days)').inputValue(), '365');

    // A key: the secret once, then only its prefix.
    await page.getByLabel('Key name').fill('Zapier');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.locator('figure', { hasText: 'Secret key' }).locator('pre').textContent()).trim();
    assert.match(secret, /^df_/);
    await screenshot(page, 'settings-new-key');
    await page.getByRole('button', { name: 'I’ve saved it' }).click();
    assert.equal(await page.getByText(secret).count(), 0);
    await page.getByRole('button', { name: 'Revoke Zapier' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('No keys yet.').waitFor();

    // Deleting needs the domain typed.
    await page.getByRole('button', { name: 'Delete site…' }).click();
    const del = page.getByRole('dialog', { name: 'Delete shop.example.org?' });
    const confirm = del.getByRole('button', { name: 'Delete site for good' });
    assert.equal(await confirm.isDisabled(), true);
    await del.getByLabel('Type shop.example.org to confirm').fill('shop.example.org');
    await confirm.click();
    await page.waitForURL('**/sites');
    await page.getByRole('heading', { name: 'Welcome to DataFast' }).waitFor();
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});
