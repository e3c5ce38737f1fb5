// Helpers for the dashboard's browser tests: the real datafast binary (which
// embeds and serves the app) on a spare loopback port with a fresh data dir,
// Debian's Chromium through playwright-core, and the steps most tests share
// (sign up, add a site).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { BIN, removeDir, startServer, stopServer, tempDataDir } from '../../lib/datafast.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const kRoot = join(here, '..', '..', '..');
export const kArtifacts = join(kRoot, 'tests', 'artifacts', 'dashboard');
export const kChromium = process.env.CHROMIUM || '/usr/bin/chromium';
export const kTestTimeout = 90_000;
export const kPassword = 'correct horse battery staple';

// Headless Chromium says "HeadlessChrome", which the server's bot filter
// drops; the test visit must look like a real browser's.
export const kUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// A running server with a fresh data dir and `flags`. `log()` is
// everything it printed.
export async function startDatafast(flags = []) {
  if (!existsSync(BIN)) throw new Error(`datafast binary not found at ${BIN} (build it with cmake --build build)`);
  const dataDir = tempDataDir();
  let server;
  try {
    server = await startServer(dataDir, flags);
  } catch (e) {
    removeDir(dataDir);
    throw e;
  }
  return {
    url: server.url.replace(/\/$/, ''),
    dataDir,
    log: () => server.stdout + server.stderr,
    stop: async () => {
      await stopServer(server);
      removeDir(dataDir);
    },
  };
}

// `extraArgs` adds Chromium flags (e.g. host resolver rules for fixture sites).
export async function launchBrowser(extraArgs = []) {
  if (!existsSync(kChromium)) throw new Error(`Chromium not found at ${kChromium}`);
  return chromium.launch({
    executablePath: kChromium,
    args: [
      ...extraArgs,
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A browser context on the server's origin, recording page errors and every
// request that leaves the origin (the dashboard must make none).
export async function newContext(browser, df, options = {}) {
  const context = await browser.newContext({
    userAgent: kUserAgent,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...options,
  });
  const watch = { pageErrors: [], foreign: [] };
  const origin = new URL(df.url).origin;
  context.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) watch.foreign.push(u);
  });
  context.on('page', (page) => page.on('pageerror', (e) => watch.pageErrors.push(String(e))));
  return { context, watch };
}

// Logs `account` ({email, password}) in through the form.
export async function logIn(page, df, account) {
  await page.goto(`${df.url}/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/sites');
}

// The browser state of `account` logged in once, for the contexts of each
// test to start from.
export async function signedInState(browser, df, account, options = {}) {
  const { context } = await newContext(browser, df, options);
  const page = await context.newPage();
  await logIn(page, df, account);
  const state = await context.storageState();
  await context.close();
  return state;
}

export function artifact(name) {
  mkdirSync(kArtifacts, { recursive: true });
  return join(kArtifacts, name);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: artifact(`${name}.png`), fullPage: true });
}

// Signs up through the form; the first user sees the owner wording. Resolves
// on the page the app goes to next (/sites/new for an owner).
export async function signUp(page, df, email = 'owner@example.com', { expectOwner = true } = {}) {
  await page.goto(`${df.url}/`);
  await page.waitForURL('**/signup');
  await page.getByRole('heading', { name: expectOwner ? 'Create the owner account' : 'Create your account' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(kPassword);
  await page.getByRole('button', { name: expectOwner ? 'Create owner account' : 'Create account' }).click();
  await page.waitForURL('**/sites/new');
}

// Adds a site through the form; resolves with its id, on the setup page.
export async function addSite(page, domain) {
  if (!page.url().endsWith('/sites/new')) await page.goto(new URL('/sites/new', page.url()).href);
  await page.getByLabel('Website address').fill(domain);
  await page.getByRole('button', { name: 'Add website' }).click();
  await page.waitForURL(/\/sites\/[^/]+\/setup$/);
  return decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
}

// One pageview as the tracker sends it from a visitor's browser.
export function sendPageview(df, siteId, domain, path = '/') {
  return fetch(`${df.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': kUserAgent },
    body: JSON.stringify({
      websiteId: siteId,
      domain,
      type: 'pageview',
      href: `https://${domain}${path}`,
      referrer: null,
      screenWidth: 1280,
      language: 'en-US',
    }),
  });
}

// The document is no wider than the viewport (no horizontal scrolling).
export async function horizontalOverflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    culprits: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .filter((el) => !el.closest('pre, .table-wrap, .nav'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  }));
}

// Retries `fn` until it stops throwing or `timeout` ms pass (pages load
// their data asynchronously); resolves with its value.
export async function eventually(fn, timeout = 10_000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// The last link matching `pattern` (a /g regex) that the server wrote to its
// log (it has no SMTP in tests, so mail goes there), waiting for it a while.
export async function mailedLink(df, pattern, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = [...df.log().matchAll(pattern)];
    if (links.length) return links.at(-1)[0];
    if (Date.now() > deadline) throw new Error(`no link matching ${pattern} in the server log:\n${df.log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Text that fails WCAG 2.1 AA contrast (4.5:1, or 3:1 for large text: 24 px,
// or 18.66 px bold) against the first opaque background behind it. Checks
// every visible element that holds text of its own; skips disabled controls
// (exempt) and text over images. Resolves with up to 10 "text: ratio" lines.
export function contrastIssues(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      let m = /^rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:[,/]\s*([\d.]+))?\)$/.exec(c);
      if (m) return [Number(m[1]) / 255, Number(m[2]) / 255, Number(m[3]) / 255, m[4] === undefined ? 1 : Number(m[4])];
      m = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(c);
      if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
      return null;
    };
    const lum = ([r, g, b]) => {
      const f = (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const over = (top, bottom) => top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3]));
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage !== 'none' && !s.backgroundImage.startsWith('linear-gradient')) return null;
        const c = parse(s.backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] === 1) break;
        }
      }
      let color = [1, 1, 1];
      for (const l of layers.reverse()) color = over(l, color);
      return color;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest('[aria-hidden="true"], .visually-hidden, :disabled, svg, canvas')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
      const fg = parse(s.color);
      const bg = background(el);
      if (!fg || !bg) continue;
      const c = over(fg, bg);
      const [a, b] = [lum(c), lum(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${el.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
    }
    return out.slice(0, 10);
  });
}

// A site made through the app API (UTC, euros unless `extra` says), its id.
export async function addSiteByApi(app, domain, extra = {}) {
  const made = await app('POST', '/api/app/sites', { domain, timezone: 'UTC', currency: 'EUR', ...extra });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  return made.json.id;
}

// A new key of `site`, made through the app API.
export async function addSiteKey(app, site) {
  const k = await app('POST', `/api/app/sites/${site}/keys`, { name: 'checkout' });
  assert.equal(k.status, 201, JSON.stringify(k.json));
  return k.json.secret;
}

// GET /api/v1/PATH with a site key: its status and JSON.
export async function v1(df, key, path) {
  const res = await fetch(`${df.url}/api/v1/${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, json: await res.json() };
}

// Records a payment through the v1 API (in euros unless `body` says).
export async function recordPayment(df, key, body) {
  const res = await fetch(`${df.url}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ currency: 'EUR', ...body }),
  });
  assert.equal(res.status, 200, await res.text());
}
