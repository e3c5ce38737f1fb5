// Mail through a real SMTP conversation: with --smtp-url, the reset link
// goes to the mailbox, not the log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { removeDir, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';
import { startSmtpPeer } from '../lib/smtp_peer.mjs';

let dataDir;
let server;
let smtp;

before(async () => {
  dataDir = tempDataDir();
  smtp = await startSmtpPeer();
  server = await startServer(dataDir, ['--smtp-url', smtp.url, '--mail-from', 'analytics@df.test', '--public-url', 'https://df.test/']);
});

after(async () => {
  await stopServer(server);
  await smtp.close();
  removeDir(dataDir);
});

const post = (path, body) => fetch(server.url + path, {
  method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body),
});

async function waitForMail(predicate) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const found = smtp.messages.find(predicate);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`no such mail among ${smtp.messages.length}`);
}

test('the app says mail goes by SMTP, and sign-up mails the verification link', async () => {
  const state = await (await fetch(`${server.url}/api/app/state`)).json();
  assert.equal(state.email_delivery, 'smtp');
  const signup = await post('/api/app/signup', { email: 'owner@example.com', password: 'correct horse battery' });
  assert.equal(signup.status, 201);
  // With https in the public URL, the session cookie is Secure.
  assert.match(signup.headers.get('set-cookie'), /; Secure$/);
  const mail = await waitForMail((m) => m.data.includes('Subject: Confirm your email'));
  assert.equal(mail.from, 'analytics@df.test');
  assert.deepEqual(mail.to, ['owner@example.com']);
  assert.match(mail.data, /https:\/\/df\.test\/verify\?token=[A-Za-z0-9_-]{43}/);
});

test('a reset link arrives by mail and works; nothing about it is logged', async () => {
  assert.equal((await post('/api/app/password-reset/request', { email: 'owner@example.com' })).status, 202);
  const mail = await waitForMail((m) => m.data.includes('Subject: Reset your DataFast password'));
  const token = /\/reset\?token=([A-Za-z0-9_-]+)/.exec(mail.data)[1];
  assert.equal((await post('/api/app/password-reset/confirm', { token, password: 'a brand new password' })).status, 204);
  assert.ok(!server.stderr.includes(token), 'the link must not be in the log when mail is sent');
  const login = await post('/api/app/login', { email: 'owner@example.com', password: 'a brand new password' });
  assert.equal(login.status, 200);
});
