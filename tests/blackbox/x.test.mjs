// Black-box test of X (Twitter) attribution (FR-7): visits from t.co, x.com
// and twitter.com are X; a link naming a post (?ref=x-ID, or utm_content=ID
// on an X visit) credits that post; X Ads (an X click id) apart from organic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createKey, createSite, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const POST_A = '1850000000000000001';
const POST_B = '1850000000000000002';
const POST_C = '1850000000000000003';

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
