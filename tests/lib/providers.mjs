// Payment providers for black-box tests: a local peer that stands in for
// their APIs (they cannot be reached from here), the documented webhook
// payloads of tests/fixtures/webhooks with their times moved to now, and
// each provider's real signature scheme.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const FIXTURES = new URL('../fixtures/webhooks/', import.meta.url).pathname;

export const GOOD_KEY = 'rk_test_good_key_1234';
export const SECRET = {
  stripe: 'whsec_c2VjcmV0LWZvci1zdHJpcGU',
  lemonsqueezy: 'ls-signing-secret',
  polar: 'polar-webhook-secret',
  shopify: 'shopify-app-secret',
};
export const SHOP = 'demo-shop.myshopify.com';

// The providers' APIs as far as a key check and a success page's lookup
// go: GOOD_KEY reads, any other key gets the provider's 401. `answer(path)`
// gives the JSON of further GET paths: undefined for none (404), or
// {status, body[, stall]} to answer another status (after `stall`, a
// promise, resolves). Every request's path is kept in
// the server's `seen`.
export function startProviderPeer(answer = () => undefined) {
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      s.seen.push(req.url);
      const auth = req.headers.authorization ?? `Bearer ${req.headers['x-shopify-access-token'] ?? ''}`;
      const ok = auth === `Bearer ${GOOD_KEY}`;
      const checks = ['/v1/checkout/sessions?limit=1', '/v1/users/me', '/v1/orders/?limit=1', `/${SHOP}/admin/api/2025-01/shop.json`];
      const found = checks.includes(req.url) ? { object: 'list', data: [] } : answer(req.url);
      res.setHeader('content-type', 'application/json');
      if (found === undefined) {
        res.writeHead(404).end(JSON.stringify({ error: `no route ${req.url}` }));
      } else if (!ok) {
        res.writeHead(401).end(JSON.stringify({ error: { message: 'Invalid API Key provided', type: 'invalid_request_error' } }));
      } else if (found.status !== undefined && found.body !== undefined) {
        // `stall`: a promise to wait for first, as a provider that hangs.
        Promise.resolve(found.stall).then(() => res.writeHead(found.status).end(JSON.stringify(found.body)));
      } else {
        res.writeHead(200).end(JSON.stringify(found));
      }
    });
    s.seen = [];
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

// The flags that point datafast at `peer`.
export function providerFlags(peer) {
  const url = `http://127.0.0.1:${peer.address().port}`;
  return ['--stripe-api-url', url, '--lemonsqueezy-api-url', url, '--polar-api-url', url, '--shopify-api-url', `${url}/{shop}`];
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

// The fixture PROVIDER/NAME.json, parsed, with its times moved to now so
// that today's visits fall in the attribution window.
export function fixture(provider, name) {
  const body = JSON.parse(readFileSync(`${FIXTURES}${provider}/${name}.json`, 'utf8'));
  const now = new Date().toISOString();
  if (provider === 'stripe') body.created = nowSeconds();
  if (provider === 'lemonsqueezy') {
    body.data.attributes.created_at = now;
    if ('refunded_at' in body.data.attributes) body.data.attributes.refunded_at = now;
  }
  if (provider === 'polar') body.timestamp = now;
  if (provider === 'shopify') body.processed_at = now;
  return body;
}

// The headers PROVIDER signs a delivery of `body` (text) with.
export function signed(provider, body, { secret = SECRET[provider], timestamp = nowSeconds(), id = 'msg_1', topic } = {}) {
  const message = provider === 'polar' ? `${id}.${timestamp}.${body}` : provider === 'stripe' ? `${timestamp}.${body}` : body;
  const hmac = (k) => createHmac('sha256', k).update(message);
  if (provider === 'stripe') return { 'stripe-signature': `t=${timestamp},v1=${hmac(secret).digest('hex')}` };
  if (provider === 'lemonsqueezy') return { 'x-signature': hmac(secret).digest('hex'), 'x-event-name': JSON.parse(body).meta.event_name };
  if (provider === 'polar') {
    return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${hmac(secret).digest('base64')}` };
  }
  return {
    'x-shopify-hmac-sha256': hmac(secret).digest('base64'),
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': SHOP,
    'x-shopify-event-id': createHash('sha256').update(body).digest('hex').slice(0, 16),
  };
}

// Connects every provider for `site` through the app API as `app`.
export async function connectAll(app, site) {
  for (const provider of ['stripe', 'lemonsqueezy', 'polar', 'shopify']) {
    const r = await app('PUT', `/api/app/sites/${site}/connections/${provider}`, {
      api_key: GOOD_KEY,
      webhook_secret: SECRET[provider],
      shop: provider === 'shopify' ? SHOP : undefined,
    });
    if (r.status !== 200) throw new Error(`connecting ${provider}: ${r.status} ${JSON.stringify(r.json)}`);
  }
}

// Posts `body` (text) to the site's webhook URL of `provider`.
export async function deliver(serverUrl, provider, site, body, headers) {
  const res = await fetch(`${serverUrl}/webhooks/${provider}/${site}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: await res.json() };
}
