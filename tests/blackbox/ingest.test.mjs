// Black-box tests of ingestion: the real binary on a spare port, spoken to
// over HTTP, its stored events read back with `datafast export`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import {
  createSite, exportEvents, removeDir, sendEvent, startServer, stopServer, tempDataDir, CHROME_UA,
} from '../lib/datafast.mjs';

let dataDir;
let server;
let siteId;
let otherSiteId;
// A distinctive address we can search for in everything the server wrote.
const CLIENT_IP = '81.2.69.142';

before(async () => {
  dataDir = tempDataDir();
  siteId = createSite(dataDir, 'https://www.Example.com/', ['--timezone', 'Europe/Paris', '--currency', 'EUR']);
  otherSiteId = createSite(dataDir, 'other.test');
  server = await startServer(dataDir);
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

const page = (path, extra = {}) => ({ websiteId: siteId, domain: 'example.com', href: `https://example.com${path}`, ...extra });

async function expectError(res, status, messagePart) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type'), /application\/json/);
  const body = await res.json();
  assert.equal(body.status, 'error');
  assert.equal(body.error.code, status);
  assert.ok(body.error.message.includes(messagePart), `"${body.error.message}" should mention "${messagePart}"`);
}

test('site create normalises the domain and prints only the id', () => {
  assert.match(siteId, /^dfid_[0-9a-f]{16}$/);
});

test('healthz answers ok', async () => {
  const res = await fetch(`${server.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('the tracker is served precompressed with ETag and cache headers', async () => {
  for (const variant of ['script.js', 'script.cookieless.js', 'script.hash.js']) {
    const plain = await fetch(`${server.url}/js/${variant}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.status, 200);
    assert.match(plain.headers.get('content-type'), /javascript/);
    assert.match(plain.headers.get('cache-control'), /max-age=\d+/);
    assert.equal(plain.headers.get('access-control-allow-origin'), '*');
    const source = await plain.text();
    assert.ok(source.includes('datafast'), 'looks like the tracker');
    const etag = plain.headers.get('etag');
    assert.match(etag, /^".+"$/);

    // Node's fetch decodes bodies itself; use raw requests to see the bytes.
    const http = await import('node:http');
    const raw = (encoding) =>
      new Promise((resolve, reject) => {
        http.get(`${server.url}/js/${variant}`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const gz = await raw('gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), source);
    if (variant === 'script.js') assert.ok(gz.body.length <= 2048, `script.js is ${gz.body.length} bytes gzipped`);
    const br = await raw('gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(br.body).toString(), source);

    const cached = await fetch(`${server.url}/js/${variant}`, { headers: { 'if-none-match': etag } });
    assert.equal(cached.status, 304);
  }
});

test('a pageview is accepted with CORS and stored enriched', async () => {
  const res = await sendEvent(
    server.url,
    page('/pricing?utm_source=twitter&utm_medium=social&utm_campaign=launch&via=alice', {
      referrer: 'https://t.co/abc?amp=1',
      screenWidth: 1280,
      language: 'en-GB',
      visitorId: '0b6f2d9e-3b7a-4c55-9a3e-1f6b8c2d4e5f',
      sessionId: '5c1e7a2b-8d4f-4e6a-b9c3-2a1d0f8e7b6c',
    }),
    { 'x-forwarded-for': CLIENT_IP },
  );
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { status: 'accepted' });
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
});

test('a goal with params is accepted', async () => {
  const res = await sendEvent(server.url, page('/signup', { type: 'goal', name: 'signup', params: { plan: 'pro' } }), {
    'x-forwarded-for': CLIENT_IP,
  });
  assert.equal(res.status, 202);
});

test('CORS preflight is answered', async () => {
  const res = await fetch(`${server.url}/api/events`, {
    method: 'OPTIONS',
    headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.match(res.headers.get('access-control-allow-methods'), /POST/);
});

test('bad input gets a 4xx naming the problem', async () => {
  await expectError(await sendEvent(server.url, JSON.stringify(page('/x', { pad: 'a'.repeat(9000) }))), 413, 'larger than');
  await expectError(await sendEvent(server.url, '{"websiteId": '), 400, 'not valid JSON');
  const badUtf8 = Buffer.concat([Buffer.from(`{"websiteId":"${siteId}","href":"https://example.com/`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  await expectError(await sendEvent(server.url, badUtf8), 400, 'not valid JSON');
  await expectError(await sendEvent(server.url, { websiteId: siteId, href: 'data:text/html,<h1>x</h1>' }), 400, 'http or https');
  await expectError(await sendEvent(server.url, { websiteId: 'dfid_ffffffffffffffff', href: 'https://example.com/' }), 404, 'dfid_ffffffffffffffff');
  await expectError(await sendEvent(server.url, { websiteId: siteId, href: 'https://evil.example.org/' }), 403, 'evil.example.org');
  const params = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, 'v']));
  await expectError(await sendEvent(server.url, page('/x', { type: 'goal', name: 'many', params })), 400, '31');
  await expectError(await sendEvent(server.url, page('/' + 'a'.repeat(5000))), 400, 'longer than 2048');
  await expectError(await sendEvent(server.url, page('/x', { type: 'goal', name: 'Bad Name' })), 400, 'lowercase');
});

test('unknown paths and wrong methods get JSON errors', async () => {
  await expectError(await fetch(`${server.url}/api/nope`), 404, '/api/nope');
  await expectError(await fetch(`${server.url}/api/events`), 405, 'GET');
});

test('bots are ignored with a 202 and nothing stored', async () => {
  const res = await sendEvent(server.url, page('/from-a-bot'), {
    'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  });
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), { status: 'ignored', reason: 'bot' });
});

test('metrics report accepted, dropped by reason, queue and commit latency', async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(text, /^datafast_events_accepted_total [1-9]/m);
  assert.match(text, /^datafast_events_dropped_total\{reason="bot"\} 1$/m);
  assert.match(text, /^datafast_events_dropped_total\{reason="foreign_host"\} 1$/m);
  assert.match(text, /^datafast_events_dropped_total\{reason="unknown_site"\} 1$/m);
  assert.match(text, /^datafast_events_dropped_total\{reason="too_large"\} 1$/m);
  assert.match(text, /^datafast_ingest_queue_depth 0$/m);
  assert.match(text, /^datafast_event_commit_seconds_count [1-9]/m);
});

test('after shutdown: exactly the accepted events are stored, enriched, and no raw IP anywhere', async () => {
  const exit = await stopServer(server);
  assert.equal(exit.code, 0, server.stderr);
  const events = exportEvents(dataDir, siteId);
  assert.equal(events.length, 2, JSON.stringify(events, null, 1));
  const [view, goal] = events;
  assert.equal(view.type, 'pageview');
  assert.equal(view.hostname, 'example.com');
  assert.equal(view.pathname, '/pricing');
  assert.equal(view.referrer, 'https://t.co/abc');
  assert.equal(view.source, 'X');
  assert.equal(view.channel, 'social');
  assert.equal(view.utm_source, 'twitter');
  assert.equal(view.utm_campaign, 'launch');
  assert.equal(view.via_param, 'alice');
  assert.equal(view.browser, 'Chrome');
  assert.equal(view.os, 'Mac OS X');
  assert.equal(view.device, 'desktop');
  assert.equal(view.country, 'GB');
  assert.equal(view.screen_width, 1280);
  assert.equal(view.language, 'en-GB');
  assert.equal(view.visitor_id, '0b6f2d9e-3b7a-4c55-9a3e-1f6b8c2d4e5f');
  assert.equal(goal.type, 'goal');
  assert.equal(goal.goal_name, 'signup');
  assert.deepEqual(JSON.parse(goal.goal_params), { plan: 'pro' });
  assert.equal(exportEvents(dataDir, otherSiteId).length, 0);

  assert.ok(!server.stderr.includes(CLIENT_IP), 'the log must not contain the client IP');
  for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.path, entry.name);
    const bytes = readFileSync(file);
    assert.ok(!bytes.includes(Buffer.from(CLIENT_IP)), `${file} must not contain the client IP`);
  }
  assert.match(server.stderr, /"msg":"stopped"/);
  // Restart it for the remaining hooks.
  server = await startServer(dataDir);
});
