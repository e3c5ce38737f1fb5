// The command line as scripts use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, removeDir, sendEvent, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

function run(args, env = {}) {
  return spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...env } });
}

test('site create and site list', () => {
  const dir = tempDataDir();
  try {
    const created = run(['site', 'create', '--domain', 'shop.example.com', '--timezone', 'America/New_York', '--currency', 'USD', '--data-dir', dir]);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /^dfid_[0-9a-f]{16}\n$/);
    const id = created.stdout.trim();
    const listed = run(['site', 'list', '--data-dir', dir]);
    assert.equal(listed.status, 0);
    assert.equal(listed.stdout, `${id}\tshop.example.com\tAmerica/New_York\tUSD\n`);
  } finally {
    removeDir(dir);
  }
});

test('site create refuses bad input with a message and stores nothing', () => {
  const dir = tempDataDir();
  try {
    for (const [args, message] of [
      [['--domain', 'not a domain'], /domain "not a domain"/],
      [['--domain', 'example.com', '--timezone', 'Mars/Base'], /time zone "Mars\/Base"/],
      [['--domain', 'example.com', '--currency', 'euro'], /currency "euro"/],
    ]) {
      const r = run(['site', 'create', ...args, '--data-dir', dir]);
      assert.notEqual(r.status, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    }
    assert.equal(run(['site', 'list', '--data-dir', dir]).stdout, '');
  } finally {
    removeDir(dir);
  }
});

test('serve takes its settings from DATAFAST_* variables', async () => {
  const dir = tempDataDir();
  try {
    const id = run(['site', 'create', '--domain', 'env.test'], { DATAFAST_DATA_DIR: dir }).stdout.trim();
    assert.match(id, /^dfid_/);
    const server = await startServer(dir, [], { DATAFAST_QUEUE_CAPACITY: '10' });
    const res = await sendEvent(server.url, { websiteId: id, href: 'https://env.test/' });
    assert.equal(res.status, 202);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^datafast_ingest_queue_capacity 10$/m);
    assert.equal((await stopServer(server)).code, 0);
  } finally {
    removeDir(dir);
  }
});

test('serve refuses an invalid listen address with a clear error', () => {
  const r = run(['serve', '--listen', 'nonsense', '--data-dir', '/tmp/x-datafast-unused']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--listen "nonsense" must be HOST:PORT/);
});
