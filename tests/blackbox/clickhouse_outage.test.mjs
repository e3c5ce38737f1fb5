// Fault test of ClickHouse behind the ingest log: ClickHouse stops for 60
// seconds while events flow, then returns; later DataFast itself is killed
// with SIGKILL while events flow, and restarted. Every event that got a 202
// must be in ClickHouse exactly once. A small --queue-capacity makes the
// backlog spill to the log on disk during the outage (the spool). The test runs a ClickHouse server of
// its own (scripts/clickhouse-server.sh), so stopping it disturbs no other
// test.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSite, removeDir, sendEvent, sparePort, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

const SCRIPT = new URL('../../scripts/clickhouse-server.sh', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'datafast-ch-outage-'));
const chDir = join(root, 'clickhouse');
const dataDir = tempDataDir();
let server;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
after(async () => {
  if (server) await stopServer(server);
  execFileSync('bash', [SCRIPT, 'stop', chDir]);
  rmSync(root, { recursive: true, force: true });
  removeDir(dataDir);
});

test('every acknowledged event reaches ClickHouse once, through an outage and a SIGKILL', { timeout: 240_000 }, async () => {
  const [http, tcp] = [await sparePort(), await sparePort()];
  const startClickHouse = () => execFileSync('bash', [SCRIPT, 'start', chDir, String(http), String(tcp)]);
  const clickhouse = async (sql) => (await (await fetch(`http://127.0.0.1:${http}/?database=outage`, { method: 'POST', body: sql })).text()).trim();
  startClickHouse();
  const site = createSite(dataDir, 'shop.example');
  const flags = ['--events', `clickhouse://127.0.0.1:${http}/outage`, '--queue-capacity', '500'];
  const spool = async () => Number(/^datafast_ingest_spool_bytes (\S+)/m.exec(await (await fetch(`${server.url}/metrics`)).text())[1]);
  server = await startServer(dataDir, flags);

  // A steady flow of pageviews, each its own page: acknowledged ones are
  // remembered.
  const acknowledged = new Set();
  let n = 0;
  let flowing = true;
  const flow = (async () => {
    while (flowing) {
      const path = `/p/${n++}`;
      try {
        const res = await sendEvent(server.url, { websiteId: site, href: `https://shop.example${path}`, visitorId: randomUUID(), sessionId: randomUUID() });
        if (res.status === 202) acknowledged.add(path);
      } catch {
        // the server is being killed or restarted: no answer, no promise
      }
      await sleep(20);
    }
  })();

  await sleep(3000);
  execFileSync('bash', [SCRIPT, 'stop', chDir]);
  const before = acknowledged.size;
  await sleep(60_000);
  assert.ok(acknowledged.size > before + 1000, `ingestion went on without ClickHouse: ${acknowledged.size - before}`);
  assert.ok((await spool()) > 0, 'the backlog waits in the ingest log on disk');
  startClickHouse();
  for (const deadline = Date.now() + 30_000; (await spool()) > 0 && Date.now() < deadline; ) await sleep(250);
  assert.equal(await spool(), 0, 'the spool drains once ClickHouse is back');

  // Killed mid-flow, restarted on the same data directory: the log holds
  // what ClickHouse did not get yet.
  server.child.kill('SIGKILL');
  await server.exited;
  server = await startServer(dataDir, flags);
  await sleep(2000);
  flowing = false;
  await flow;

  let stored;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    stored = Number(await clickhouse(`SELECT count() FROM events WHERE site_id = '${site}'`));
    if (stored >= acknowledged.size) break;
  }
  const distinct = Number(await clickhouse(`SELECT uniqExact(pathname) FROM events WHERE site_id = '${site}'`));
  assert.equal(stored, distinct, 'no event is stored twice');
  const paths = new Set((await clickhouse(`SELECT pathname FROM events WHERE site_id = '${site}'`)).split('\n'));
  const missing = [...acknowledged].filter((p) => !paths.has(p));
  assert.deepEqual(missing, [], 'every acknowledged event is stored');
  // Events the server took but never answered may be stored too (at most
  // the last group before the kill); none beyond.
  assert.ok(stored - acknowledged.size <= 100, `stored ${stored}, acknowledged ${acknowledged.size}`);
});
