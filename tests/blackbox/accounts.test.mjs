// Black-box tests of the app API's accounts and sites (docs/app-api.md):
// every flow and every refusal, against the real binary over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, createSite, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

let dataDir;
let server;
let cliSiteId;

before(async () => {
  dataDir = tempDataDir();
  cliSiteId = createSite(dataDir, 'example.com');
  server = await startServer(dataDir);
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

// A browser-like client: keeps the session cookie, sends Origin, and the
// CSRF token once it has one.
class Client {
  constructor(extraHeaders = {}) {
    this.cookie = '';
    this.csrf = '';
    this.extraHeaders = extraHeaders;
  }
  async call(method, path, body, { csrf = true, origin = server.url } = {}) {
    const headers = { origin, ...this.extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    if (csrf && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {}
    if (json?.csrf_token) this.csrf = json.csrf_token;
    return { status: res.status, json, text, headers: res.headers };
  }
}

function expectError(r, status, part, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.status, 'error');
  assert.equal(r.json.error.code, status);
  assert.ok(r.json.error.message.includes(part), `"${r.json.error.message}" should mention "${part}"`);
  if (field) assert.equal(r.json.error.field, field);
}

function mailLinkToken(kind) {
  // Without SMTP the server logs each mail; the newest link of that kind.
  const links = [...server.stderr.matchAll(new RegExp(`/${kind}\\?token=([A-Za-z0-9_-]+)`, 'g'))];
  assert.ok(links.length > 0, `no ${kind} link in the log`);
  return links.at(-1)[1];
}

const owner = new Client();
const PASSWORD = 'correct horse battery';

test('a fresh install asks for its owner; sign-up checks each field', async () => {
  const state = await owner.call('GET', '/api/app/state');
  assert.deepEqual(state.json, { needs_owner: true, signup: 'invite_only', email_delivery: 'log', billing: false });
  expectError(await owner.call('POST', '/api/app/signup', { email: 'nope', password: PASSWORD }), 400, 'not an email', 'email');
  expectError(await owner.call('POST', '/api/app/signup', { email: 'o@example.com', password: 'short' }), 400, 'at least 10', 'password');
  expectError(await owner.call('POST', '/api/app/signup', { email: 'o@example.com' }), 400, 'required', 'password');
  expectError(await owner.call('POST', '/api/app/signup', ['not', 'an', 'object']), 400, 'JSON object');
});

test('sign-up from another site is refused by its Origin', async () => {
  const stranger = new Client();
  expectError(await stranger.call('POST', '/api/app/signup', { email: 'o@example.com', password: PASSWORD }, { origin: 'https://evil.test' }),
    403, 'own pages');
});

test('the owner signs up, gets a secure session cookie and owns the command-line site', async () => {
  const r = await owner.call('POST', '/api/app/signup', { email: 'Owner@Example.com', password: PASSWORD });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.user.email, 'owner@example.com');
  assert.equal(r.json.accounts[0].role, 'owner');
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^df_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/);
  const sites = await owner.call('GET', '/api/app/sites');
  assert.deepEqual(sites.json.sites.map((s) => s.id), [cliSiteId]);
  assert.equal((await owner.call('GET', '/api/app/state')).json.needs_owner, false);
});

test('after the owner, sign-up is by invitation', async () => {
  expectError(await new Client().call('POST', '/api/app/signup', { email: 'x@example.com', password: PASSWORD }), 403, 'invitation');
});

test('a state-changing request without the CSRF token is refused and changes nothing', async () => {
  expectError(await owner.call('POST', '/api/app/sites', { domain: 'csrf.example' }, { csrf: false }), 403, 'CSRF');
  const forged = new Client();
  forged.cookie = owner.cookie;
  forged.csrf = 'not-the-token';
  expectError(await forged.call('POST', '/api/app/sites', { domain: 'csrf.example' }), 403, 'CSRF');
  const sites = await owner.call('GET', '/api/app/sites');
  assert.ok(!sites.json.sites.some((s) => s.domain === 'csrf.example'));
});

let siteId;
test('adding a website normalises the domain and checks each field', async () => {
  expectError(await owner.call('POST', '/api/app/sites', {}), 400, 'required', 'domain');
  expectError(await owner.call('POST', '/api/app/sites', { domain: 'not a domain' }), 400, 'not a domain', 'domain');
  expectError(await owner.call('POST', '/api/app/sites', { domain: 'shop.example', timezone: 'Mars/Base' }), 400, 'Mars/Base', 'timezone');
  expectError(await owner.call('POST', '/api/app/sites', { domain: 'shop.example', currency: 'euro' }), 400, 'euro', 'currency');
  const r = await owner.call('POST', '/api/app/sites', { domain: 'https://www.Shop.Example/pricing?x=1', timezone: 'Europe/Paris', currency: 'EUR' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.id, /^dfid_[0-9a-f]{16}$/);
  assert.equal(r.json.domain, 'shop.example');
  assert.equal(r.json.timezone, 'Europe/Paris');
  assert.equal(r.json.retention_days, 730);
  siteId = r.json.id;
  const changed = await owner.call('PATCH', `/api/app/sites/${siteId}`, { retention_days: 365, allowed_hostnames: ['checkout.shop-pay.example'] });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.retention_days, 365);
  assert.deepEqual(changed.json.allowed_hostnames, ['checkout.shop-pay.example']);
  expectError(await owner.call('PATCH', `/api/app/sites/${siteId}`, { retention_days: 3 }), 400, '30 to 3650', 'retention_days');
});

test('the install check turns green on the first real visit, apart from test visits', async () => {
  let status = await owner.call('GET', `/api/app/sites/${siteId}/install`);
  assert.equal(status.json.received, false);
  const test = await sendEvent(server.url, { websiteId: siteId, domain: 'shop.example', type: 'pageview', href: 'https://shop.example/__datafast/test-visit' });
  assert.equal(test.status, 202, await test.text());
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !status.json.test_received) {
    await new Promise((r) => setTimeout(r, 100));
    status = await owner.call('GET', `/api/app/sites/${siteId}/install`);
  }
  assert.equal(status.json.test_received, true);
  assert.equal(status.json.received, false);
  const real = await sendEvent(server.url, { websiteId: siteId, domain: 'shop.example', type: 'pageview', href: 'https://shop.example/', visitorId: 'visitor-to-erase-01', sessionId: 'session-to-erase-01' });
  assert.equal(real.status, 202, await real.text());
  while (Date.now() < deadline + 5000 && !status.json.received) {
    await new Promise((r) => setTimeout(r, 100));
    status = await owner.call('GET', `/api/app/sites/${siteId}/install`);
  }
  assert.equal(status.json.received, true);
  assert.equal(status.json.events_total, 1);
  assert.equal(status.json.recent[0].path, '/');
  assert.match(status.json.first_event_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // The sites list counts this month's events, test visits included (they are events).
  const listed = (await owner.call('GET', '/api/app/sites')).json.sites.find((s) => s.id === siteId);
  assert.equal(listed.events_this_month, 2);
});

test('export is CSV of every event, and erasing a visitor deletes their events at once', async () => {
  const csv = await owner.call('GET', `/api/app/sites/${siteId}/export.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="datafast-shop.example-events.csv"/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^event_id,timestamp,type,visitor_id,session_id,hostname,pathname/);
  const erased = await owner.call('POST', `/api/app/sites/${siteId}/erase-visitor`, { visitor_id: 'visitor-to-erase-01' });
  assert.equal(erased.status, 200, erased.text);
  assert.equal(erased.json.deleted_events, 1);
  const after = await owner.call('GET', `/api/app/sites/${siteId}/export.csv`);
  assert.ok(!after.text.includes('visitor-to-erase-01'));
});

test('site keys are shown once, stored hashed, listed by prefix and revocable', async () => {
  const created = await owner.call('POST', `/api/app/sites/${siteId}/keys`, { name: 'Zapier' });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.secret, /^df_[A-Za-z0-9_-]{43}$/);
  assert.equal(created.json.key.prefix, created.json.secret.slice(0, 9));
  const listed = await owner.call('GET', `/api/app/sites/${siteId}/keys`);
  assert.equal(listed.json.keys.length, 1);
  assert.ok(!listed.text.includes(created.json.secret));
  expectError(await owner.call('POST', `/api/app/sites/${siteId}/keys`, {}), 400, 'required', 'name');
  const revoked = await owner.call('DELETE', `/api/app/sites/${siteId}/keys/${created.json.key.id}`);
  assert.equal(revoked.status, 204);
  assert.equal((await owner.call('GET', `/api/app/sites/${siteId}/keys`)).json.keys.length, 0);
  expectError(await owner.call('DELETE', `/api/app/sites/${siteId}/keys/${created.json.key.id}`), 404, 'no active key');
});

test('account tokens carry chosen scopes only', async () => {
  const me = await owner.call('GET', '/api/app/me');
  const account = me.json.accounts[0].id;
  expectError(await owner.call('POST', `/api/app/accounts/${account}/tokens`, { name: 't', scopes: ['root'] }), 400, 'unknown scope', 'scopes');
  const token = await owner.call('POST', `/api/app/accounts/${account}/tokens`, { name: 't', scopes: ['analytics:read'] });
  assert.equal(token.status, 201, token.text);
  assert.match(token.json.secret, /^dft_/);
  assert.deepEqual(token.json.key.scopes, ['analytics:read']);
});

test('a site of another account is not found, whatever the method', async () => {
  // A second account, made on the command line (the install is invite-only).
  const r = spawnSync(BIN, ['user', 'create', '--email', 'other@example.com', '--data-dir', dataDir],
    { encoding: 'utf8', env: { ...process.env, DATAFAST_PASSWORD: PASSWORD } });
  assert.equal(r.status, 0, r.stderr);
  const other = new Client();
  assert.equal((await other.call('POST', '/api/app/login', { email: 'other@example.com', password: PASSWORD })).status, 200);
  assert.deepEqual((await other.call('GET', '/api/app/sites')).json.sites, []);
  for (const [method, path, body] of [
    ['GET', `/api/app/sites/${siteId}`],
    ['GET', `/api/app/sites/${siteId}/install`],
    ['GET', `/api/app/sites/${siteId}/export.csv`],
    ['GET', `/api/app/sites/${siteId}/keys`],
    ['PATCH', `/api/app/sites/${siteId}`, { retention_days: 60 }],
    ['POST', `/api/app/sites/${siteId}/keys`, { name: 'steal' }],
    ['POST', `/api/app/sites/${siteId}/erase-visitor`, { visitor_id: 'x' }],
    ['DELETE', `/api/app/sites/${siteId}`],
  ]) {
    const res = await other.call(method, path, body);
    expectError(res, 404, `no site ${siteId}`);
    assert.ok(!res.text.includes('shop.example'));
  }
  assert.equal((await owner.call('GET', `/api/app/sites/${siteId}`)).json.retention_days, 365);
});

test('a wrong password gets 401 with the same answer as an unknown email, then 429', async () => {
  // Its own address (loopback is a trusted proxy), so the limit it earns is its own.
  const guesser = new Client({ 'x-forwarded-for': '203.0.113.9' });
  const wrong = await guesser.call('POST', '/api/app/login', { email: 'owner@example.com', password: 'wrong password 1' });
  const unknown = await guesser.call('POST', '/api/app/login', { email: 'nobody@example.com', password: PASSWORD });
  expectError(wrong, 401, 'wrong email or password');
  assert.deepEqual(unknown.json, wrong.json);
  for (let i = 0; i < 9; ++i) await guesser.call('POST', '/api/app/login', { email: 'nobody@example.com', password: `guess ${i} guess` });
  // Ten failures from this client: even the right password waits now,
  // while the owner, from another address, still gets in.
  const limited = await guesser.call('POST', '/api/app/login', { email: 'owner@example.com', password: PASSWORD });
  expectError(limited, 429, 'too many failed logins');
  assert.ok(Number(limited.headers.get('retry-after')) > 60);
  assert.equal((await new Client().call('POST', '/api/app/login', { email: 'owner@example.com', password: PASSWORD })).status, 200);
});

test('a password reset link works once and signs everyone out', async () => {
  const stranger = new Client();
  assert.equal((await stranger.call('POST', '/api/app/password-reset/request', { email: 'nobody@example.com' })).status, 202);
  assert.equal((await stranger.call('POST', '/api/app/password-reset/request', { email: 'owner@example.com' })).status, 202);
  await new Promise((r) => setTimeout(r, 100));
  const token = mailLinkToken('reset');
  const reset = await stranger.call('POST', '/api/app/password-reset/confirm', { token, password: 'a brand new password' });
  assert.equal(reset.status, 204, reset.text);
  expectError(await stranger.call('POST', '/api/app/password-reset/confirm', { token, password: 'another new password' }), 400, 'already used');
  expectError(await owner.call('GET', '/api/app/me'), 401, 'sign in');
  const again = await owner.call('POST', '/api/app/login', { email: 'owner@example.com', password: 'a brand new password' });
  assert.equal(again.status, 200, again.text);
});

test('email verification link verifies once', async () => {
  const token = mailLinkToken('verify');
  const stranger = new Client();
  assert.equal((await stranger.call('POST', '/api/app/email/verify', { token })).status, 204);
  expectError(await stranger.call('POST', '/api/app/email/verify', { token }), 400, 'already used');
});

test('the dashboard is served for app routes, assets are cached for good, unknown API paths are JSON 404', async () => {
  const page = await fetch(`${server.url}/sites/${siteId}/setup`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
  const html = await page.text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)[1];
  const js = await fetch(server.url + asset);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const missing = await fetch(`${server.url}/api/app/nothing-here`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).status, 'error');
});

test('the command line makes site keys for scripts and refuses unknown sites', () => {
  const key = spawnSync(BIN, ['key', 'create', '--site', cliSiteId, '--data-dir', dataDir], { encoding: 'utf8' });
  assert.equal(key.status, 0, key.stderr);
  assert.match(key.stdout, /^df_[A-Za-z0-9_-]{43}\n$/);
  const missing = spawnSync(BIN, ['key', 'create', '--site', 'dfid_ffffffffffffffff', '--data-dir', dataDir], { encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /no site dfid_ffffffffffffffff/);
});
