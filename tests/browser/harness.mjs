// Test harness for the tracker's browser tests: the real datafast binary on a
// spare loopback port with a temporary data dir, a small fixture server for
// the host pages, and Debian's Chromium driven by playwright-core.
//
// The pages live at http://example.test:PORT/ (Chromium maps example.test,
// its subdomains and other.test to 127.0.0.1), so the page host matches the
// site's domain without data-allow-localhost; the snippet's src points at the
// datafast server on 127.0.0.1. A missing binary or Chromium fails the test.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const kRoot = join(here, '..', '..');
export const kBinary = process.env.DATAFAST_BIN || join(kRoot, 'build', 'src', 'app', 'datafast');
export const kChromium = process.env.CHROMIUM || '/usr/bin/chromium';
export const kArtifacts = join(kRoot, 'tests', 'artifacts', 'browser');
export const kDomain = 'example.test';
export const kTestTimeout = 60_000;

// Runs the binary to completion; resolves with stdout, rejects on a non-zero exit.
function run(args, { timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(kBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`datafast ${args.join(' ')} exited ${code ?? signal}: ${err.trim()}`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, deadlineMs = 15_000) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`datafast serve exited early with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`datafast serve did not answer ${url} within ${deadlineMs} ms`);
}

// The datafast binary: one site for kDomain, serving on 127.0.0.1:port.
export class Datafast {
  static async start() {
    if (!existsSync(kBinary)) throw new Error(`datafast binary not found at ${kBinary} (build it with cmake --build build)`);
    const df = new Datafast();
    df.dataDir = mkdtempSync(join(tmpdir(), 'datafast-browser-'));
    try {
      df.siteId = (await run(['site', 'create', '--domain', kDomain, '--data-dir', df.dataDir])).trim();
      if (!/^dfid_\w+$/.test(df.siteId)) throw new Error(`site create printed ${JSON.stringify(df.siteId)}`);
      await df.serve();
      return df;
    } catch (e) {
      await df.dispose();
      throw e;
    }
  }

  async serve() {
    this.port = await freePort();
    this.origin = `http://127.0.0.1:${this.port}`;
    this.log = '';
    this.child = spawn(kBinary, ['serve', '--listen', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (c) => (this.log += c));
    this.child.stderr.on('data', (c) => (this.log += c));
    try {
      await waitForHttp(`${this.origin}/js/script.js`, this.child);
    } catch (e) {
      e.message += `\n${this.log}`;
      throw e;
    }
  }

  // SIGTERM and wait for a graceful exit (every acknowledged event flushed).
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`datafast serve exited ${code ?? signal} after SIGTERM:\n${this.log}`);
  }

  // The site's stored events, oldest first; run after stop().
  async export() {
    const out = await run(['export', '--site', this.siteId, '--data-dir', this.dataDir]);
    return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }

  async dispose() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// Serves tests/browser/fixtures. `{{SNIPPET}}` in a page becomes the tracker
// snippet built from `fixtures.snippet`, `{{OTHER}}` the origin of other.test.
export class Fixtures {
  static async start() {
    const fx = new Fixtures();
    fx.snippet = null;
    fx.server = createServer((req, res) => fx.handle(req, res));
    fx.server.listen(0, '127.0.0.1');
    await once(fx.server, 'listening');
    fx.port = fx.server.address().port;
    return fx;
  }

  url(path, host = kDomain) {
    return `http://${host}:${this.port}${path}`;
  }

  // {src, websiteId, domain, attrs: {name: value}} -> <script defer …>
  snippetHtml() {
    const s = this.snippet;
    if (!s) return '';
    const attrs = { 'website-id': s.websiteId, domain: s.domain ?? kDomain, ...s.attrs };
    const list = Object.entries(attrs).filter(([, v]) => v != null).map(([k, v]) => ` data-${k}="${v}"`).join('');
    return `<script defer${list} src="${s.src}"></script>`;
  }

  handle(req, res) {
    const url = new URL(req.url, 'http://x');
    const routes = { '/': 'index.html', '/pricing': 'index.html', '/about': 'index.html',
      '/success': 'success.html', '/hash': 'hash.html', '/app': 'app.html', '/landing': 'landing.html' };
    const file = routes[url.pathname];
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const html = readFileSync(join(here, 'fixtures', file), 'utf8')
      .replaceAll('{{SNIPPET}}', this.snippetHtml())
      .replaceAll('{{OTHER}}', `http://other.test:${this.port}`);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

// Headless Chromium says "HeadlessChrome" in its user agent, which the
// server's bot filter rightly drops; the tests present a desktop Chrome.
export const kUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ userAgent: kUserAgent, viewport: { width: 1280, height: 720 }, ...options });
  return { context, watcher: new Watcher(context) };
}

export async function launchBrowser() {
  if (!existsSync(kChromium)) throw new Error(`Chromium not found at ${kChromium}`);
  return chromium.launch({
    executablePath: kChromium,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-blink-features=AutomationControlled',
      `--host-resolver-rules=MAP ${kDomain} 127.0.0.1, MAP *.${kDomain} 127.0.0.1, MAP other.test 127.0.0.1`,
    ],
  });
}

// Watches a browser context: tracker requests to /api/events with their
// statuses, page errors, and console errors.
export class Watcher {
  constructor(context) {
    this.sent = []; // {body, status}
    this.pageErrors = [];
    this.consoleErrors = [];
    this.console = [];
    this.waiters = [];
    context.on('request', (req) => {
      if (new URL(req.url()).pathname !== '/api/events' || req.method() !== 'POST') return;
      const entry = { body: JSON.parse(req.postData() || 'null'), contentType: req.headers()['content-type'], status: null };
      this.sent.push(entry);
      // Resolves with null when no response came (connection refused…).
      const settle = (res) => {
        entry.status = res ? res.status() : 'failed';
        this.poke();
      };
      req.response().then(settle, () => settle(null));
    });
  }

  watchPage(page) {
    page.on('pageerror', (err) => this.pageErrors.push(String(err)));
    page.on('console', (msg) => {
      this.console.push(`${msg.type()}: ${msg.text()}`);
      if (msg.type() === 'error') this.consoleErrors.push(msg.text());
    });
    return page;
  }

  poke() {
    for (const w of [...this.waiters]) w();
  }

  // Resolves when `count` events have been answered with `status` (a number,
  // 'failed' for no response, or 'any' for either).
  async waitFor(count, status = 202, timeoutMs = 10_000) {
    const done = () => this.sent.filter((e) => (status === 'any' ? e.status !== null : e.status === status)).length >= count;
    if (done()) return;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(check), 1);
        reject(new Error(`waited for ${count} events answered ${status}; have ${JSON.stringify(this.sent.map((e) => [e.body && e.body.type, e.status]))}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(check), 1);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  // Console errors that are not the browser's own failed-network lines.
  nonNetworkErrors() {
    return this.consoleErrors.filter((t) => !/Failed to load resource|net::ERR_/.test(t));
  }
}

export function artifactPath(name) {
  mkdirSync(kArtifacts, { recursive: true });
  return join(kArtifacts, name);
}
