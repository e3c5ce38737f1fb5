// Black-box test of X (Twitter) attribution (FR-7): visits from t.co, x.com
// and twitter.com are X; a link naming a post (?ref=x-ID, or utm_content=ID
// on an X visit) credits that post; X Ads (an X click id) apart from organic.
// A site registers its accounts and posts; with an operator's X API token
// the posts show their text and engagement, fetched from a local stand-in
// for the X API serving its documented answer (tests/fixtures/x).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createKey, createSite, removeDir, sendEvent, signUpOwner, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const POST_A = '1850000000000000001';
const POST_B = '1850000000000000002';
const POST_C = '1850000000000000003';
const POST_D = '1850000000000000004';  // registered, never visited
const X_TOKEN = 'x-operator-bearer-token';

let dataDir;
let server;
let site;
let key;

before(async () => {
  dataDir = tempDataDir();
  site = createSite(dataDir, 'shop.example', ['--currency', 'USD']);
  key = createKey(dataDir, site);
  server = await startServer(dataDir, ['--api-rate-limit', '100000']);
  const visits = [
    // [referrer, query, paid in dollars]
    ['https://t.co/a1', `?ref=x-${POST_A}`, 30],
    ['https://x.com/', `?utm_source=twitter&utm_content=${POST_B}`, 20],
    ['https://t.co/a2', `?ref=x-${POST_A}&twclid=ad123`, 50],  // an X Ads click
    ['https://www.google.com/', `?ref=x-${POST_C}`, 0],  // the post's link, shared elsewhere
    ['https://twitter.com/somebody', '', 0],
  ];
  for (const [referrer, query, dollars] of visits) {
    const visitor = randomUUID();
    const res = await sendEvent(server.url, { websiteId: site, href: `https://shop.example/${query}`, referrer, visitorId: visitor, sessionId: randomUUID() });
    assert.equal(res.status, 202, await res.text());
    if (dollars > 0) {
      const paid = await fetch(`${server.url}/api/v1/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: dollars, currency: 'USD', transaction_id: randomUUID(), datafast_visitor_id: visitor }),
      });
      assert.equal(paid.status, 200, await paid.text());
    }
  }
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

test('X visits split into organic and ads, and each post is credited its visitors and revenue', async () => {
  let r;
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 100))) {
    r = await (await fetch(`${server.url}/api/v1/analytics/x`, { headers: { authorization: `Bearer ${key}` } })).json();
    // Every visit and payment is in the store a moment after its answer.
    if (r.totals?.payments === 3 && r.totals.visitors === 4) break;
  }
  assert.equal(r.status, 'success', JSON.stringify(r));
  assert.deepEqual([r.totals.visitors, r.totals.revenue, r.totals.payments], [4, 100, 3]);
  assert.deepEqual([r.ads.visitors, r.ads.revenue, r.ads.payments], [1, 50, 1]);
  assert.deepEqual([r.organic.visitors, r.organic.revenue, r.organic.payments], [3, 50, 2]);
  assert.deepEqual(
    r.posts.map((p) => [p.post_id, p.visitors, p.revenue, p.payments]),
    [[POST_A, 2, 80, 2], [POST_B, 1, 20, 1], [POST_C, 1, 0, 0]],
  );
  assert.equal(r.posts[0].url, `https://x.com/i/web/status/${POST_A}`);
  assert.equal(r.posts[0].revenue_per_visitor, 40);
});

async function report() {
  return (await fetch(`${server.url}/api/v1/analytics/x`, { headers: { authorization: `Bearer ${key}` } })).json();
}

test('a site registers its X accounts and posts; without an X API token they are listed by id and link', async () => {
  const { app } = await signUpOwner(server);  // adopts the site made on the command line
  assert.equal((await app('POST', `/api/app/sites/${site}/x/accounts`, { handle: '@ShopMaker' })).json.handle, 'ShopMaker');
  assert.equal((await app('POST', `/api/app/sites/${site}/x/accounts`, { handle: 'https://x.com/shopmaker' })).json.handle, 'ShopMaker');
  assert.equal((await app('POST', `/api/app/sites/${site}/x/accounts`, { handle: 'shop_news' })).status, 201);
  const badHandle = await app('POST', `/api/app/sites/${site}/x/accounts`, { handle: 'shop maker' });
  assert.equal(badHandle.status, 400);
  assert.equal(badHandle.json.error.field, 'handle');

  const a = await app('POST', `/api/app/sites/${site}/x/posts`, { url: `https://twitter.com/ShopMaker/status/${POST_A}?s=20` });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  assert.deepEqual([a.json.post_id, a.json.handle, a.json.url, a.json.text], [POST_A, 'ShopMaker', `https://x.com/ShopMaker/status/${POST_A}`, '']);
  assert.equal((await app('POST', `/api/app/sites/${site}/x/posts`, { url: `https://x.com/ShopMaker/status/${POST_D}` })).status, 201);
  const badUrl = await app('POST', `/api/app/sites/${site}/x/posts`, { url: 'https://example.com/ShopMaker/status/1' });
  assert.equal(badUrl.status, 400);
  assert.equal(badUrl.json.error.field, 'url');

  const settings = (await app('GET', `/api/app/sites/${site}/x`)).json;
  assert.equal(settings.api_configured, false);
  assert.deepEqual(settings.accounts.map((x) => x.handle), ['ShopMaker', 'shop_news']);
  assert.deepEqual(settings.posts.map((p) => p.post_id), [POST_D, POST_A]);

  let r = await report();
  assert.deepEqual(
    r.posts.map((p) => [p.post_id, p.registered, p.handle, p.visitors, p.revenue]),
    [[POST_A, true, 'ShopMaker', 2, 80], [POST_B, false, '', 1, 20], [POST_C, false, '', 1, 0], [POST_D, true, 'ShopMaker', 0, 0]],
  );
  assert.deepEqual(
    r.accounts.map((x) => [x.handle, x.url, x.posts, x.visitors, x.revenue, x.payments]),
    [['ShopMaker', 'https://x.com/ShopMaker', 2, 2, 80, 2], ['shop_news', 'https://x.com/shop_news', 0, 0, 0, 0]],
  );

  assert.equal((await app('DELETE', `/api/app/sites/${site}/x/posts/${POST_D}`)).status, 204);
  assert.equal((await app('DELETE', `/api/app/sites/${site}/x/posts/${POST_D}`)).status, 404);
  assert.equal((await app('DELETE', `/api/app/sites/${site}/x/accounts/shop_news`)).status, 204);
  r = await report();
  assert.deepEqual(r.posts.map((p) => p.post_id), [POST_A, POST_B, POST_C]);
  assert.deepEqual(r.accounts.map((x) => x.handle), ['ShopMaker']);
});

// The X API's post lookup as its documentation shows it: the posts it
// knows in `data`, their authors in `includes.users`, the others in
// `errors`; 401 without the right bearer token.
function startXApi() {
  const answer = JSON.parse(readFileSync(new URL('../fixtures/x/tweets_lookup.json', import.meta.url), 'utf8'));
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      s.seen.push({ url: req.url, auth: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      const url = new URL(req.url, 'http://x');
      if (req.headers.authorization !== `Bearer ${X_TOKEN}`) {
        res.writeHead(401).end(JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }));
      } else if (url.pathname !== '/2/tweets') {
        res.writeHead(404).end('{}');
      } else {
        const ids = url.searchParams.get('ids').split(',');
        const data = answer.data.filter((d) => ids.includes(d.id));
        const errors = ids.filter((id) => !data.some((d) => d.id === id)).map((id) => ({ ...answer.errors[0], value: id, resource_id: id, detail: `Could not find tweet with ids: [${id}].` }));
        res.writeHead(200).end(JSON.stringify({ data, includes: answer.includes, ...(errors.length ? { errors } : {}) }));
      }
    });
    s.seen = [];
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

test('with the operator\'s X API token, registered posts show their text and engagement', async () => {
  const xApi = await startXApi();
  const dir = tempDataDir();
  const other = await startServer(dir, ['--x-api-url', `http://127.0.0.1:${xApi.address().port}`, '--x-api-token', X_TOKEN]);
  try {
    const { app } = await signUpOwner(other);
    const mine = (await app('POST', '/api/app/sites', { domain: 'shop.example', currency: 'USD' })).json.id;
    const a = await app('POST', `/api/app/sites/${mine}/x/posts`, { url: `https://x.com/i/web/status/${POST_A}` });
    assert.equal(a.status, 201, JSON.stringify(a.json));
    assert.deepEqual(
      [a.json.handle, a.json.text.slice(0, 24), a.json.posted_at, a.json.likes, a.json.reposts, a.json.replies, a.json.quotes, a.json.impressions, a.json.fetch_error],
      ['ShopMaker', 'We just launched Shop Ma', '2026-11-20T15:04:05Z', 240, 12, 7, 3, 48210, ''],
    );
    assert.notEqual(a.json.fetched_at, '');
    const gone = (await app('POST', `/api/app/sites/${mine}/x/posts`, { url: '1850000000000000009' })).json;
    assert.match(gone.fetch_error, /not found on X/);
    assert.equal(gone.text, '');
    assert.equal((await app('GET', `/api/app/sites/${mine}/x`)).json.api_configured, true);

    const lookup = xApi.seen[0];
    assert.equal(lookup.auth, `Bearer ${X_TOKEN}`);
    const asked = new URL(lookup.url, 'http://x');
    assert.equal(asked.searchParams.get('ids'), POST_A);
    assert.equal(asked.searchParams.get('tweet.fields'), 'created_at,public_metrics,author_id');
    assert.equal(asked.searchParams.get('expansions'), 'author_id');

    const otherKey = (await app('POST', `/api/app/sites/${mine}/keys`, { name: 'x' })).json.secret;
    const r = await (await fetch(`${other.url}/api/v1/analytics/x`, { headers: { authorization: `Bearer ${otherKey}` } })).json();
    const post = r.posts.find((p) => p.post_id === POST_A);
    assert.deepEqual([post.likes, post.impressions, post.visitors], [240, 48210, 0]);
  } finally {
    await stopServer(other);
    xApi.close();
    removeDir(dir);
  }
});
