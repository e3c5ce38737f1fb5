// Black-box tests of teams: invitations, roles, and what each role may do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { removeDir, startServer, stopServer, tempDataDir } from '../lib/datafast.mjs';

let dataDir;
let server;

before(async () => {
  dataDir = tempDataDir();
  server = await startServer(dataDir);
});

after(async () => {
  await stopServer(server);
  removeDir(dataDir);
});

class Client {
  constructor() {
    this.cookie = '';
    this.csrf = '';
  }
  async call(method, path, body) {
    const headers = { origin: server.url };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(server.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (json?.csrf_token) this.csrf = json.csrf_token;
    return { status: res.status, json, text };
  }
}

function expectError(r, status, part) {
  assert.equal(r.status, status, r.text);
  assert.ok(r.json.error.message.includes(part), `"${r.json.error.message}" should mention "${part}"`);
}

async function inviteToken(email) {
  // No SMTP: the invitation, with its link, is in the server log.
  await new Promise((r) => setTimeout(r, 50));
  const mails = server.stderr.split('\n').filter((l) => l.includes(`"to":"${email}"`) && l.includes('/invite/'));
  assert.ok(mails.length > 0, `no invitation for ${email} in the log`);
  return /\/invite\/([A-Za-z0-9_-]+)/.exec(mails.at(-1))[1];
}

const PASSWORD = 'correct horse battery';
const owner = new Client();
const viewer = new Client();
const admin = new Client();
let account;
let site;

test('the owner invites a viewer, who signs up with the link and joins', async () => {
  assert.equal((await owner.call('POST', '/api/app/signup', { email: 'owner@example.com', password: PASSWORD })).status, 201);
  account = (await owner.call('GET', '/api/app/me')).json.accounts[0].id;
  site = (await owner.call('POST', '/api/app/sites', { domain: 'team.example' })).json.id;

  expectError(await owner.call('POST', `/api/app/accounts/${account}/invites`, { email: 'v@example.com', role: 'boss' }), 400, 'owner, admin or viewer');
  const invite = await owner.call('POST', `/api/app/accounts/${account}/invites`, { email: 'V@Example.com', role: 'viewer' });
  assert.equal(invite.status, 201, invite.text);
  assert.equal(invite.json.invite.email, 'v@example.com');
  const token = await inviteToken('v@example.com');

  const details = await new Client().call('GET', `/api/app/invites/${token}`);
  assert.deepEqual(details.json, { account_name: 'owner@example.com', email: 'v@example.com', role: 'viewer' });
  expectError(await new Client().call('POST', '/api/app/signup', { email: 'someone@example.com', password: PASSWORD, invite_token: token }), 400, 'for v@example.com');
  const joined = await viewer.call('POST', '/api/app/signup', { email: 'v@example.com', password: PASSWORD, invite_token: token });
  assert.equal(joined.status, 201, joined.text);
  assert.equal(joined.json.user.email_verified, true);
  assert.deepEqual(joined.json.accounts.map((a) => [a.id, a.role]), [[account, 'viewer']]);
  // The link worked once.
  expectError(await new Client().call('GET', `/api/app/invites/${token}`), 404, 'expired or was already used');
});

test('a viewer sees everything and changes nothing', async () => {
  assert.deepEqual((await viewer.call('GET', '/api/app/sites')).json.sites.map((s) => [s.id, s.role]), [[site, 'viewer']]);
  assert.equal((await viewer.call('GET', `/api/app/sites/${site}/install`)).status, 200);
  assert.equal((await viewer.call('GET', `/api/app/accounts/${account}/members`)).json.members.length, 2);
  for (const [method, path, body] of [
    ['POST', '/api/app/sites', { domain: 'viewer.example' }],
    ['PATCH', `/api/app/sites/${site}`, { retention_days: 60 }],
    ['DELETE', `/api/app/sites/${site}`],
    ['POST', `/api/app/sites/${site}/keys`, { name: 'k' }],
    ['POST', `/api/app/sites/${site}/erase-visitor`, { visitor_id: 'someone-123' }],
    ['POST', `/api/app/accounts/${account}/tokens`, { name: 't', scopes: ['analytics:read'] }],
    ['POST', `/api/app/accounts/${account}/invites`, { email: 'x@example.com', role: 'viewer' }],
    ['PATCH', `/api/app/accounts/${account}`, { over_limit: 'pause' }],
  ]) {
    expectError(await viewer.call(method, path, body), 403, 'viewers cannot change anything');
  }
  const site_now = (await owner.call('GET', `/api/app/sites/${site}`)).json;
  assert.equal(site_now.retention_days, 730);
});

test('an admin manages viewers but cannot make or touch an owner', async () => {
  await owner.call('POST', `/api/app/accounts/${account}/invites`, { email: 'a@example.com', role: 'admin' });
  const token = await inviteToken('a@example.com');
  assert.equal((await admin.call('POST', '/api/app/signup', { email: 'a@example.com', password: PASSWORD, invite_token: token })).status, 201);
  const members = (await owner.call('GET', `/api/app/accounts/${account}/members`)).json.members;
  const id = (email) => members.find((m) => m.email === email).user_id;
  expectError(await admin.call('POST', `/api/app/accounts/${account}/invites`, { email: 'o2@example.com', role: 'owner' }), 403, 'only an owner');
  expectError(await admin.call('PATCH', `/api/app/accounts/${account}/members/${id('owner@example.com')}`, { role: 'viewer' }), 403, 'only an owner');
  assert.equal((await admin.call('PATCH', `/api/app/accounts/${account}/members/${id('v@example.com')}`, { role: 'admin' })).status, 204);
  assert.equal((await admin.call('PATCH', `/api/app/accounts/${account}/members/${id('v@example.com')}`, { role: 'viewer' })).status, 204);
  assert.equal((await admin.call('PATCH', `/api/app/sites/${site}`, { retention_days: 400 })).status, 200);
});

test('the last owner can be neither demoted nor removed, and may not leave', async () => {
  const members = (await owner.call('GET', `/api/app/accounts/${account}/members`)).json.members;
  const ownerId = members.find((m) => m.email === 'owner@example.com').user_id;
  expectError(await owner.call('PATCH', `/api/app/accounts/${account}/members/${ownerId}`, { role: 'admin' }), 409, 'needs an owner');
  expectError(await owner.call('DELETE', `/api/app/accounts/${account}/members/${ownerId}`), 409, 'needs an owner');
});

test('invitations can be revoked; removed members lose access at once', async () => {
  const invite = await owner.call('POST', `/api/app/accounts/${account}/invites`, { email: 'late@example.com', role: 'viewer' });
  const token = await inviteToken('late@example.com');
  assert.equal((await owner.call('DELETE', `/api/app/accounts/${account}/invites/${invite.json.invite.id}`)).status, 204);
  expectError(await new Client().call('POST', '/api/app/signup', { email: 'late@example.com', password: PASSWORD, invite_token: token }), 400, 'expired or was already used');

  const members = (await owner.call('GET', `/api/app/accounts/${account}/members`)).json.members;
  const viewerId = members.find((m) => m.email === 'v@example.com').user_id;
  assert.equal((await owner.call('DELETE', `/api/app/accounts/${account}/members/${viewerId}`)).status, 204);
  expectError(await viewer.call('GET', `/api/app/sites/${site}`), 404, `no site ${site}`);
  assert.deepEqual((await viewer.call('GET', '/api/app/sites')).json.sites, []);
});
