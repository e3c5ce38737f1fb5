// Black-box test of the scale-out setup: two DataFast instances, each with
// its own data directory (its own ingest log), share accounts in PostgreSQL
// and events in ClickHouse (the servers scripts/test-servers.sh started),
// behind nginx balancing requests between them. Events sent through nginx
// land on both, and both show the same dashboard numbers and real-time
// count. Without those servers the test fails: it is never skipped.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir, sendEvent, signUpOwner, sparePort, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const work = mkdtempSync(join(tmpdir(), 'datafast-two-'));
const dirs = [];
const servers = [];
let nginx;

after(async () => {
  if (nginx) {
    nginx.kill('SIGTERM');
    await new Promise((resolve) => nginx.on('exit', resolve));
  }
  for (const s of servers) await stopServer(s);
  dirs.forEach(removeDir);
  rmSync(work, { recursive: true, force: true });
});

function sharedStores() {
  const pg = process.env.DATAFAST_TEST_POSTGRES;
  const ch = process.env.DATAFAST_TEST_CLICKHOUSE;
  assert.ok(pg && ch, 'DATAFAST_TEST_POSTGRES and DATAFAST_TEST_CLICKHOUSE must be set: run the tests with scripts/test.sh');
  const field = (name) => new RegExp(`${name}=(\\S+)`).exec(pg)[1];
  const name = `two_${randomUUID().replaceAll('-', '')}`;
  execFileSync('psql', [`${pg} dbname=postgres`, '-qc', `CREATE DATABASE ${name}`]);
  return ['--meta', `postgres://${field('user')}@${field('host')}:${field('port')}/${name}`, '--events', `clickhouse://${ch}/${name}`];
}

async function startNginx(upstreams) {
  const port = await sparePort();
  const conf = join(work, 'nginx.conf');
  writeFileSync(conf, `
worker_processes 1;
daemon off;
pid ${work}/nginx.pid;
error_log ${work}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${work}; proxy_temp_path ${work}; fastcgi_temp_path ${work}; uwsgi_temp_path ${work}; scgi_temp_path ${work};
  upstream datafast { ${upstreams.map((u) => `server ${u};`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://datafast;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
    }
  }
}
`);
  nginx = spawn('nginx', ['-c', conf, '-e', join(work, 'error.log')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return `http://127.0.0.1:${port}`;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not start: ${readFileSync(join(work, 'error.log'), 'utf8')}`);
}

test('two instances behind nginx ingest into and report from the same stores', async () => {
  const stores = sharedStores();
  for (let i = 0; i < 2; i++) {
    const dir = tempDataDir();
    dirs.push(dir);
    servers.push(await startServer(dir, [...stores, '--api-rate-limit', '100000']));
  }
  const [a, b] = servers;
  const front = await startNginx(servers.map((s) => new URL(s.url).host));

  const { app } = await signUpOwner(a);
  const site = (await app('POST', '/api/app/sites', { domain: 'shop.example' })).json.id;
  const key = (await app('POST', `/api/app/sites/${site}/keys`, { name: 'two' })).json.secret;

  // Round robin: each instance takes half of the events.
  const visitors = Array.from({ length: 20 }, () => randomUUID());
  for (const visitor of visitors) {
    const res = await sendEvent(front, { websiteId: site, href: 'https://shop.example/pricing', visitorId: visitor, sessionId: visitor });
    assert.equal(res.status, 202, await res.text());
  }
  const paid = await fetch(`${front}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 30, currency: 'USD', transaction_id: 'two_1', datafast_visitor_id: visitors[3] }),
  });
  assert.equal(paid.status, 200, await paid.text());

  const report = async (server, path) =>
    (await fetch(`${server.url}/api/v1/analytics/${path}`, { headers: { authorization: `Bearer ${key}` } })).json();
  let overviews;
  for (const deadline = Date.now() + 15000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    overviews = await Promise.all([a, b].map((s) => report(s, 'overview?fields=visitors,pageviews,revenue,payments')));
    if (overviews.every((o) => o.data?.[0]?.visitors === 20 && o.data[0].payments === 1)) break;
  }
  for (const o of overviews) assert.deepEqual(o.data[0], { visitors: 20, pageviews: 20, revenue: 30, payments: 1 });
  const realtime = await Promise.all([a, b].map((s) => report(s, 'realtime')));
  assert.equal(realtime[0].data[0].visitors, 20, JSON.stringify(realtime[0]));
  assert.equal(realtime[1].data[0].visitors, 20, JSON.stringify(realtime[1]));
  // Both instances did ingest: each committed its share to its own log.
  const accepted = await Promise.all(
    servers.map(async (s) => Number(/^datafast_events_accepted_total (\d+)/m.exec(await (await fetch(`${s.url}/metrics`)).text())[1])),
  );
  assert.equal(accepted[0] + accepted[1], 20 + 3);  // the pageviews, and the payment's row per attribution model
  assert.ok(accepted[0] > 0 && accepted[1] > 0, `accepted: ${accepted}`);
});
