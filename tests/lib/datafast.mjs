// Runs the real datafast binary for black-box and browser tests: a fresh
// data directory, a spare loopback port, and helpers to create sites, stop
// the server and read back what it stored.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.DATAFAST_BIN ?? new URL('../../build/src/app/datafast', import.meta.url).pathname;

export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), 'datafast-test-'));
}

export function createSite(dataDir, domain, extra = []) {
  return execFileSync(BIN, ['site', 'create', '--domain', domain, '--data-dir', dataDir, ...extra], {
    encoding: 'utf8',
  }).trim();
}

// A new site key (df_…) of `site`, made on the command line.
export function createKey(dataDir, site) {
  return execFileSync(BIN, ['key', 'create', '--site', site, '--data-dir', dataDir], { encoding: 'utf8' }).trim();
}

// Starts `datafast serve` on a free port; resolves once it listens.
export async function startServer(dataDir, extraArgs = [], env = {}) {
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { child, stdout: '', stderr: '', url: null, exited: null };
  server.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stderr.on('data', (d) => (server.stderr += d));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${server.stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      server.stdout += d;
      const m = /running at (http:\/\/\S+)/.exec(server.stdout);
      if (m && !server.url) {
        server.url = m[1];
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${server.stderr}`));
    });
  });
  return server;
}

// SIGTERM, then wait for a clean exit.
export async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill('SIGTERM');
  return server.exited;
}

export function exportEvents(dataDir, siteId) {
  const out = execFileSync(BIN, ['export', '--site', siteId, '--data-dir', dataDir], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// Posts one tracker event as the browser's sendBeacon would (text/plain).
export function sendEvent(url, body, headers = {}) {
  return fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME_UA, ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

// Signs up the install's owner through the app API. Resolves with their
// account id, `app(method, path, body)`, which calls the app API as them
// (session cookie, CSRF token, Origin) and resolves with {status, json}, and
// the session itself ({cookie, csrf}) for a server restarted on the same data.
export async function signUpOwner(server, email = 'owner@example.com', password = 'correct horse battery') {
  const res = await fetch(`${server.url}/api/app/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const body = await res.json();
  const app = async (method, path, payload) => {
    const r = await fetch(server.url + path, {
      method,
      headers: { cookie, 'x-csrf-token': body.csrf_token, 'content-type': 'application/json', origin: server.url },
      body: payload && JSON.stringify(payload),
    });
    return { status: r.status, json: r.status === 204 ? null : await r.json() };
  };
  return { account: body.accounts[0].id, app, session: { cookie, csrf: body.csrf_token } };
}

// A TCP port free on loopback right now, for a server a test starts itself.
export function sparePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
