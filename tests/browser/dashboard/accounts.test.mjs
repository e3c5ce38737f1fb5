// Accounts in the browser: the links the server mails (written to its log
// without SMTP) for password reset and email confirmation, inviting a viewer
// who then sees everything read-only, changing the password, the usage page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addSite, kPassword, kTestTimeout, launchBrowser, mailedLink, newContext, screenshot, signUp, startDatafast } from './lib.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('forgot password, reset by the mailed link, log in with the new one; confirm the email', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const { context, watch } = await newContext(browser, df);
  try {
    const page = await context.newPage();
    await signUp(page, df, 'forgetful@example.com');

    // The confirmation link from sign-up.
    await page.goto(`${df.url}/account`);
    await page.getByText('Confirm your email address.').waitFor();
    const verify = await mailedLink(df, /\/verify\?token=[A-Za-z0-9_-]+/g);
    await page.goto(`${df.url}${verify}`);
    await page.getByText('Your email address is confirmed.').waitFor();
    await page.goto(`${df.url}/account`);
    await page.getByText('confirmed', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill('forgetful@example.com');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('Check your inbox').waitFor();
    await page.getByText('the link is written to the server’s log').waitFor();

    const reset = await mailedLink(df, /\/reset\?token=[A-Za-z0-9_-]+/g);
    await page.goto(`${df.url}${reset}`);
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Password changed').waitFor();

    // The link works once.
    await page.goto(`${df.url}${reset}`);
    await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
    await page.getByLabel('Repeat the new password').fill('yet another passphrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').filter({ hasText: /expired or was already used/ }).waitFor();

    await page.goto(`${df.url}/login`);
    await page.getByLabel('Email').fill('forgetful@example.com');
    await page.getByLabel('Password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/sites');

    // Change it again from the account page.
    await page.goto(`${df.url}/account`);
    await page.getByLabel('Current password').fill('wrong current password');
    await page.getByLabel('New password').fill(kPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.field-error, [role=alert].alert-error').first().waitFor();
    await page.getByLabel('Current password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});

test('invite a viewer by email; they join and see everything read-only', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const owner = await newContext(browser, df);
  const viewer = await newContext(browser, df);
  try {
    const page = await owner.context.newPage();
    await signUp(page, df);
    const siteId = await addSite(page, 'example.com');

    await page.goto(`${df.url}/team`);
    await page.getByLabel('Email').fill('viewer@example.com');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation sent to viewer@example.com.').first().waitFor();
    await page.getByRole('button', { name: 'Revoke the invitation for viewer@example.com' }).waitFor();
    await screenshot(page, 'team-owner');

    const link = await mailedLink(df, /\/invite\/[A-Za-z0-9_-]+/g);
    const v = await viewer.context.newPage();
    await v.goto(`${df.url}${link}`);
    await v.getByText('as Viewer').waitFor();
    await v.getByRole('link', { name: 'Create your account' }).click();
    await v.getByRole('heading', { name: 'Create your account' }).waitFor();
    assert.equal(await v.getByLabel('Email').inputValue(), 'viewer@example.com');
    await v.getByLabel('Password').fill(kPassword);
    await v.getByRole('button', { name: 'Create account' }).click();
    await v.waitForURL('**/sites');
    await v.getByRole('link', { name: 'example.com' }).first().waitFor();

    // Read-only: no invite form, no role controls, settings disabled, no delete.
    await v.goto(`${df.url}/team`);
    await v.getByText('You’re a viewer on this team').waitFor();
    assert.equal(await v.getByRole('button', { name: 'Send invitation' }).count(), 0);
    assert.equal(await v.getByRole('button', { name: /^Remove / }).count(), 0);
    await screenshot(v, 'team-viewer');
    await v.goto(`${df.url}/sites/${siteId}/settings`);
    await v.getByText('You have view-only access to this site').waitFor();
    assert.equal(await v.getByLabel('Time zone').isDisabled(), true);
    assert.equal(await v.getByRole('button', { name: 'Save changes' }).count(), 0);
    assert.equal(await v.getByRole('button', { name: 'Delete site…' }).count(), 0);
    assert.equal(await v.getByRole('button', { name: 'Create key' }).count(), 0);

    // The owner sees the new member and can change the role.
    await page.reload();
    await page.getByText('viewer@example.com').first().waitFor();
    await page.getByLabel('Role of viewer@example.com').selectOption('admin');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('button', { name: 'Save role' }).waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('Role of viewer@example.com').inputValue(), 'admin');
    assert.deepEqual(owner.watch.pageErrors, []);
    assert.deepEqual(viewer.watch.pageErrors, []);
  } finally {
    await owner.context.close();
    await viewer.context.close();
    await df.stop();
  }
});

test('usage shows this period’s events against the plan', { timeout: kTestTimeout }, async () => {
  const df = await startDatafast();
  const { context, watch } = await newContext(browser, df);
  try {
    const page = await context.newPage();
    await signUp(page, df);
    await page.goto(`${df.url}/usage`);
    await page.getByRole('heading', { name: 'Events this period' }).waitFor();
    const limited = await page.getByRole('progressbar').count();
    if (limited) {
      assert.match(await page.getByRole('progressbar').getAttribute('aria-valuetext'), /% of [\d,.\s]+ events/);
      await page.getByRole('heading', { name: 'When the limit is reached' }).waitFor();
    } else {
      await page.getByText(/No monthly limit/).waitFor();
    }
    await screenshot(page, 'usage');
    assert.deepEqual(watch.pageErrors, []);
  } finally {
    await context.close();
    await df.stop();
  }
});
