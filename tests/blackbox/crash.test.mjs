// The durability promise: a 202 means the event is on disk. Clients send
// events concurrently over keep-alive connections; the server is killed with
// SIGKILL mid-stream; after a restart every acknowledged event is there and
// the SQLite store passes its integrity check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createSite, exportEvents, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

test('kill -9 loses no acknowledged event', async () => {
  const dataDir = tempDataDir();
  try {
    const siteId = createSite(dataDir, 'crash.test');
    const server = await startServer(dataDir);
    const acknowledged = new Set();
    let sent = 0;
    let stop = false;

    async function client(id) {
      for (let n = 0; !stop; n++) {
        const path = `/c${id}/${n}`;
        sent++;
        try {
          const res = await sendEvent(server.url, { websiteId: siteId, href: `https://crash.test${path}` });
          if (res.status === 202) acknowledged.add(path);
          await res.arrayBuffer();
        } catch {
          return; // connection cut by the kill: this event was never acknowledged
        }
      }
    }
    const clients = Array.from({ length: 16 }, (_, i) => client(i));
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await server.exited;
    assert.ok(acknowledged.size > 100, `only ${acknowledged.size} events were acknowledged before the kill`);

    // Restart on the same files: recovery must succeed, then read back.
    const restarted = await startServer(dataDir);
    const exit = await stopServer(restarted);
    assert.equal(exit.code, 0, restarted.stderr);
    const stored = new Set(exportEvents(dataDir, siteId).map((e) => e.pathname));
    const lost = [...acknowledged].filter((p) => !stored.has(p));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged events were lost`);
    assert.ok(stored.size <= sent, 'nothing stored that was never sent');

    const integrity = execFileSync('sqlite3', [join(dataDir, 'meta.sqlite'), 'PRAGMA integrity_check;'], { encoding: 'utf8' });
    assert.equal(integrity.trim(), 'ok');
  } finally {
    removeDir(dataDir);
  }
});
