// Black-box tests of the v1 analytics API on the real binary: the three kinds
// of reader (API key, the dashboard's session, a share link) each see their
// own site and nothing else; share passwords; notes; bad parameters. The
// numbers themselves are pinned by the golden tests (tests/golden).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, createSite, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const golden = JSON.parse(readFileSync(new URL('../golden/metrics.json', import.meta.url), 'utf8'));
const PERIOD = 'startAt=2026-11-18&endAt=2026-11-19';
let dataDir;
let server;
let siteA;
let siteB;
let keyA;
let owner;

function cli(...args) {
  return execFileSync(BIN, [...args, '--data-dir', dataDir], { encoding: 'utf8' }).trim();
}

// Imports `events` (golden form, with the fixture's defaults) into `site`.
function seed(site, events) {
  const file = join(dataDir, `${site}.ndjson`);
  writeFileSync(file, events.map((e) => JSON.stringify({ ...golden.defaults, ...e })).join('\n') + '\n');
  assert.equal(cli('import', '--site', site, file), String(events.length));
}

async function get(path, headers = {}) {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, json: await res.json() };
}

async function send(method, path, { cookie, csrf, body } = {}) {
  const headers = { 'content-type': 'application/json', origin: server.url };
  if (cookie) Object.assign(headers, { cookie, 'x-csrf-token': csrf });
  const res = await fetch(server.url + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: res.status, json: res.status === 204 ? null : await res.json() };
}

before(async () => {
  dataDir = tempDataDir();
  siteA = createSite(dataDir, 'a.example', ['--timezone', 'UTC', '--currency', 'USD']);
  siteB = createSite(dataDir, 'b.example', ['--timezone', 'UTC']);
  seed(siteA, golden.events);
  seed(siteB, [{ ts: '2026-11-18T12:00:00Z', visitor_id: 'b1', session_id: 'b1', pathname: '/b-only' }]);
  keyA = cli('key', 'create', '--site', siteA);
  server = await startServer(dataDir, ['--open-signup']);
  const signup = await fetch(`${server.url}/api/app/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery' }),
  });
  assert.equal(signup.status, 201);
  owner = { cookie: signup.headers.get('set-cookie').split(';')[0], csrf: (await signup.json()).csrf_token };
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

test('an API key reads its own site, and only it', async () => {
  const mine = await get(`/api/v1/analytics/overview?${PERIOD}&fields=visitors,revenue`, {
    authorization: `Bearer ${keyA}`,
  });
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.json.data, [{ visitors: 3, revenue: 139 }]);
  const other = await get(`/api/v1/analytics/pages?websiteId=${siteB}`, { authorization: `Bearer ${keyA}` });
  assert.equal(other.status, 404);
  assert.equal(other.json.status, 'error');
  const none = await get('/api/v1/analytics/overview');
  assert.equal(none.status, 401);
});

test("the dashboard's session reads the sites of the user's accounts, no others", async () => {
  const pages = await get(`/api/v1/analytics/pages?websiteId=${siteB}&${PERIOD}&fields=page,visitors`, {
    cookie: owner.cookie,
  });
  assert.equal(pages.status, 200);
  assert.deepEqual(pages.json.data, [{ page: '/b-only', visitors: 1 }]);
  const missing = await get(`/api/v1/analytics/pages?${PERIOD}`, { cookie: owner.cookie });
  assert.equal(missing.status, 400);
  assert.match(missing.json.error.message, /^websiteId:/);

  // Someone with an account of their own sees neither site.
  const signup = await fetch(`${server.url}/api/app/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: 'stranger@example.com', password: 'correct horse battery' }),
  });
  assert.equal(signup.status, 201);
  const cookie = signup.headers.get('set-cookie').split(';')[0];
  const refused = await get(`/api/v1/analytics/overview?websiteId=${siteA}`, { cookie });
  assert.equal(refused.status, 404);
});

test('a share link reads its site only, behind its password, until revoked', async () => {
  const weak = await send('POST', `/api/app/sites/${siteA}/shares`, { ...owner, body: { password: 'short' } });
  assert.equal(weak.status, 400);
  assert.equal(weak.json.error.field, 'password');
  const created = await send('POST', `/api/app/sites/${siteA}/shares`, { ...owner, body: { password: 'open sesame' } });
  assert.equal(created.status, 201);
  const { token, id } = created.json;
  assert.ok(created.json.url.endsWith(`/share/${token}`));

  const info = await get(`/api/app/shares/${token}`);
  assert.deepEqual(info.json, { site: { domain: 'a.example', timezone: 'UTC', currency: 'USD' }, password_required: true });
  const locked = await get(`/api/v1/analytics/overview?${PERIOD}`, { 'x-share-token': token });
  assert.equal(locked.status, 401);
  const wrong = await send('POST', `/api/app/shares/${token}/unlock`, { body: { password: 'nope' } });
  assert.equal(wrong.status, 401);
  const right = await send('POST', `/api/app/shares/${token}/unlock`, { body: { password: 'open sesame' } });
  assert.equal(right.status, 200);
  const reader = { 'x-share-token': token, 'x-share-proof': right.json.proof };
  // websiteId cannot move a share link to another site.
  const read = await get(`/api/v1/analytics/overview?websiteId=${siteB}&${PERIOD}&fields=visitors`, reader);
  assert.equal(read.status, 200);
  assert.deepEqual(read.json.data, [{ visitors: 3 }]);

  assert.equal((await send('DELETE', `/api/app/sites/${siteA}/shares/${id}`, owner)).status, 204);
  assert.equal((await get(`/api/v1/analytics/overview?${PERIOD}`, reader)).status, 404);
  assert.equal((await get(`/api/app/shares/${token}`)).status, 404);
});

test('notes are written in the app and read beside the reports', async () => {
  const bad = await send('POST', `/api/app/sites/${siteA}/notes`, { ...owner, body: { date: '2026-11-18', text: '' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'text');
  const note = await send('POST', `/api/app/sites/${siteA}/notes`, {
    ...owner,
    body: { date: '2026-11-18', text: 'Launched on Product Hunt', tags: ['launch'] },
  });
  assert.equal(note.status, 201);
  assert.equal(note.json.author, 'owner@example.com');
  const edited = await send('PATCH', `/api/app/sites/${siteA}/notes/${note.json.id}`, { ...owner, body: { tags: ['launch', 'ph'] } });
  assert.deepEqual(edited.json.tags, ['launch', 'ph']);

  const inPeriod = await get(`/api/v1/analytics/notes?${PERIOD}`, { authorization: `Bearer ${keyA}` });
  assert.deepEqual(inPeriod.json.data.map((n) => [n.date, n.text, n.tags]), [['2026-11-18', 'Launched on Product Hunt', ['launch', 'ph']]]);
  const later = await get('/api/v1/analytics/notes?startAt=2026-11-19&endAt=2026-11-30', { authorization: `Bearer ${keyA}` });
  assert.deepEqual(later.json.data, []);
  const otherSite = await get(`/api/v1/analytics/notes?websiteId=${siteB}`, { cookie: owner.cookie });
  assert.deepEqual(otherSite.json.data, []);
  assert.equal((await send('DELETE', `/api/app/sites/${siteA}/notes/${note.json.id}`, owner)).status, 204);
});

test('realtime counts the visitors of the last five minutes and shows what they did', async () => {
  const auth = { authorization: `Bearer ${keyA}` };
  const before = await get('/api/v1/analytics/realtime', auth);
  assert.deepEqual(before.json.data, [{ visitors: 0 }]);
  const [one, two] = [randomUUID(), randomUUID()];
  for (const [visitor, path] of [[one, '/pricing'], [two, '/'], [two, '/docs']]) {
    const res = await sendEvent(server.url, {
      websiteId: siteA,
      href: `https://a.example${path}`,
      visitorId: visitor,
      sessionId: randomUUID(),
    });
    assert.equal(res.status, 202, await res.text());
  }
  // A 202 means logged durably; the store has the events a moment later.
  let now;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    now = await get('/api/v1/analytics/realtime', auth);
    if (now.json.data[0].visitors === 2) break;
  }
  assert.deepEqual(now.json.data, [{ visitors: 2 }]);
  const map = await get('/api/v1/analytics/realtime/map', auth);
  assert.equal(map.status, 200);
  assert.equal(map.json.data.visitors.reduce((n, place) => n + place.visitors, 0), 2);
  assert.deepEqual(map.json.data.recent_events.map((e) => e.path), ['/docs', '/', '/pricing']);
  assert.deepEqual(map.json.data.recent_payments, []);
  // Another site's key sees none of it.
  const keyB = cli('key', 'create', '--site', siteB);
  assert.deepEqual((await get('/api/v1/analytics/realtime', { authorization: `Bearer ${keyB}` })).json.data, [{ visitors: 0 }]);
});

test('the OpenAPI document is served without a key', async () => {
  const doc = await get('/api/v1/openapi.json');
  assert.equal(doc.status, 200);
  assert.match(doc.json.openapi, /^3\./);
  assert.ok(doc.json.paths['/analytics/overview'] && doc.json.paths['/analytics/referrers']);
});

test('bad parameters get a 400 that names them', async () => {
  const auth = { authorization: `Bearer ${keyA}` };
  for (const [query, field] of [
    ['limit=abc', 'limit'],
    ['startAt=2026-11-18', 'endAt'],
    ['timezone=Nowhere/Land', 'timezone'],
    ['filter_planet=mars', 'filter_planet'],
    ['fields=visitors,colour', 'fields'],
    ['compare=tomorrow', 'compare'],
    ['attribution=middle', 'attribution'],
  ]) {
    const res = await get(`/api/v1/analytics/pages?${query}`, auth);
    assert.equal(res.status, 400, query);
    assert.ok(res.json.error.message.startsWith(`${field}:`), `${query}: ${res.json.error.message}`);
  }
  const interval = await get('/api/v1/analytics/timeseries?interval=fortnight', auth);
  assert.equal(interval.status, 400);
  assert.match(interval.json.error.message, /^interval:/);
  assert.equal((await get('/api/v1/analytics/planets', auth)).status, 404);
});
