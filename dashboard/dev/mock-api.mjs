// An in-memory stand-in for the /api/app contract (docs/app-api.md), for
// working on the dashboard before or without the C++ server. Not shipped and
// not a test oracle: the browser tests run against the real binary.
//
// usage: node dashboard/dev/mock-api.mjs [--port 20480] [--app build/dashboard]
// With --app it also serves a built dashboard (index.html for unknown paths),
// so http://127.0.0.1:PORT/ behaves like `datafast serve`.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(arg('--port', '20480'));
const appDir = arg('--app', null);
const limit = Number(arg('--limit', '10000'));

const id = (prefix) => `${prefix}_${randomBytes(8).toString('hex')}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const db = { users: [], accounts: [], memberships: [], sites: [], sessions: new Map(), keys: [], invites: [], events: [] };

function normaliseDomain(input) {
  let s = String(input || '').trim().toLowerCase();
  if (!s) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(s)) s = `http://${s}`;
  let host;
  try {
    host = new URL(s).hostname;
  } catch {
    return null;
  }
  host = host.replace(/^www\./, '').replace(/\.$/, '');
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/.test(host)) return null;
  return host;
}

function send(res, status, body, headers = {}) {
  if (status === 204) {
    res.writeHead(204, headers);
    return res.end();
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
const fail = (res, status, message, field) =>
  send(res, status, { status: 'error', error: { code: status, message, ...(field ? { field } : {}) } });

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch {
        resolve({});
      }
    });
  });
}

function cookie(req, name) {
  const m = new RegExp(`(?:^|; )${name}=([^;]*)`).exec(req.headers.cookie || '');
  return m ? m[1] : null;
}

const accountsOf = (user) =>
  db.memberships
    .filter((m) => m.user_id === user.id)
    .map((m) => ({ ...db.accounts.find((a) => a.id === m.account_id), role: m.role }));
const roleIn = (user, accountId) => db.memberships.find((m) => m.user_id === user.id && m.account_id === accountId)?.role;
const siteView = (user, site) => ({ ...site, role: roleIn(user, site.account_id) });
const publicUser = (u) => ({ id: u.id, email: u.email, email_verified: u.email_verified, created_at: u.created_at });

function startSession(res, user, status) {
  const token = id('ses');
  const csrf = randomBytes(16).toString('hex');
  db.sessions.set(token, { user_id: user.id, csrf });
  send(res, status, { user: publicUser(user), accounts: accountsOf(user), csrf_token: csrf }, {
    'Set-Cookie': `df_session=${token}; HttpOnly; SameSite=Lax; Path=/`,
  });
}

function usageOf(account) {
  const d = new Date();
  const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  const siteIds = db.sites.filter((s) => s.account_id === account.id).map((s) => s.id);
  const events = db.events.filter((e) => siteIds.includes(e.site_id)).length + (account.extra_events || 0);
  const percent = limit ? Math.round((events / limit) * 1000) / 10 : null;
  const warning = percent == null ? null : percent >= 100 ? 100 : percent >= 90 ? 90 : percent >= 80 ? 80 : null;
  return {
    plan: { id: 'self-hosted', name: 'Self-hosted', events_per_month: limit || null, sites: null },
    period: { start: start.toISOString().replace('.000', ''), end: end.toISOString().replace('.000', '') },
    events,
    percent,
    warning,
    over_limit: account.over_limit || 'keep',
    paused: account.over_limit === 'pause' && percent >= 100,
  };
}

async function handleApp(req, res, url) {
  const path = url.pathname.slice('/api/app'.length);
  const method = req.method;
  const body = method === 'GET' ? {} : await readBody(req);
  const seg = path.split('/').filter(Boolean);

  if (path === '/state' && method === 'GET') {
    return send(res, 200, { needs_owner: db.users.length === 0, signup: 'open', email_delivery: 'log', billing: !!process.env.MOCK_BILLING });
  }
  if (path === '/signup' && method === 'POST') {
    const email = String(body.email || '').trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return fail(res, 400, 'enter a valid email address', 'email');
    if (db.users.some((u) => u.email === email)) return fail(res, 400, 'an account with this email already exists', 'email');
    if (String(body.password || '').length < 10) return fail(res, 400, 'use at least 10 characters', 'password');
    const user = { id: id('usr'), email, password: body.password, email_verified: false, created_at: now() };
    db.users.push(user);
    const invite = body.invite_token && db.invites.find((i) => i.token === body.invite_token);
    if (invite) {
      db.memberships.push({ user_id: user.id, account_id: invite.account_id, role: invite.role, joined_at: now() });
      db.invites.splice(db.invites.indexOf(invite), 1);
    } else {
      const account = { id: id('acc'), name: email.split('@')[0], plan: 'self-hosted' };
      db.accounts.push(account);
      db.memberships.push({ user_id: user.id, account_id: account.id, role: 'owner', joined_at: now() });
    }
    console.log(`verify link: /verify?token=${(user.verify = id('vfy'))}`);
    return startSession(res, user, 201);
  }
  if (path === '/login' && method === 'POST') {
    const user = db.users.find((u) => u.email === String(body.email || '').trim().toLowerCase() && u.password === body.password);
    if (!user) return fail(res, 401, 'wrong email or password');
    return startSession(res, user, 200);
  }
  if (path === '/password-reset/request' && method === 'POST') {
    const user = db.users.find((u) => u.email === String(body.email || '').trim().toLowerCase());
    if (user) console.log(`reset link: /reset?token=${(user.reset = id('rst'))}`);
    return send(res, 202, {});
  }
  if (path === '/password-reset/confirm' && method === 'POST') {
    const user = db.users.find((u) => u.reset && u.reset === body.token);
    if (!user) return fail(res, 400, 'this link has expired or was already used');
    if (String(body.password || '').length < 10) return fail(res, 400, 'use at least 10 characters', 'password');
    user.password = body.password;
    user.reset = null;
    return send(res, 204);
  }
  if (seg[0] === 'invites' && seg[1] && method === 'GET' && seg.length === 2) {
    const invite = db.invites.find((i) => i.token === seg[1]);
    if (!invite) return fail(res, 404, 'this invitation has expired or was already used');
    const account = db.accounts.find((a) => a.id === invite.account_id);
    return send(res, 200, { account_name: account.name, email: invite.email, role: invite.role });
  }

  // Everything below needs a session.
  const session = db.sessions.get(cookie(req, 'df_session'));
  const user = session && db.users.find((u) => u.id === session.user_id);
  if (path === '/email/verify' && method === 'POST') {
    const target = db.users.find((u) => u.verify && u.verify === body.token);
    if (!target) return fail(res, 400, 'this link has expired or was already used');
    target.email_verified = true;
    target.verify = null;
    return send(res, 204);
  }
  if (!user) return fail(res, 401, 'sign in first');
  if (method !== 'GET' && req.headers['x-csrf-token'] !== session.csrf) return fail(res, 403, 'missing or invalid CSRF token');

  if (path === '/me' && method === 'GET') return send(res, 200, { user: publicUser(user), accounts: accountsOf(user), csrf_token: session.csrf });
  if (path === '/logout' && method === 'POST') {
    db.sessions.delete(cookie(req, 'df_session'));
    return send(res, 204, null, { 'Set-Cookie': 'df_session=; Max-Age=0; Path=/' });
  }
  if (path === '/password' && method === 'POST') {
    if (body.current_password !== user.password) return fail(res, 400, 'the current password is wrong', 'current_password');
    if (String(body.new_password || '').length < 10) return fail(res, 400, 'use at least 10 characters', 'new_password');
    user.password = body.new_password;
    return send(res, 204);
  }
  if (path === '/email/resend' && method === 'POST') {
    console.log(`verify link: /verify?token=${(user.verify = id('vfy'))}`);
    return send(res, 202, {});
  }
  if (path === '/me' && method === 'DELETE') {
    if (body.password !== user.password) return fail(res, 400, 'the password is wrong', 'password');
    db.users.splice(db.users.indexOf(user), 1);
    db.memberships = db.memberships.filter((m) => m.user_id !== user.id);
    return send(res, 204);
  }

  const viewerBlock = (accountId) => {
    if (method !== 'GET' && roleIn(user, accountId) === 'viewer') {
      fail(res, 403, 'viewers cannot change anything');
      return true;
    }
    return false;
  };

  if (seg[0] === 'sites') {
    if (seg.length === 1 && method === 'GET') {
      const mine = db.memberships.filter((m) => m.user_id === user.id).map((m) => m.account_id);
      return send(res, 200, { sites: db.sites.filter((s) => mine.includes(s.account_id)).map((s) => siteView(user, s)) });
    }
    if (seg.length === 1 && method === 'POST') {
      const domain = normaliseDomain(body.domain);
      if (!domain) return fail(res, 400, 'enter a domain like example.com', 'domain');
      const accountId = body.account_id || accountsOf(user)[0].id;
      if (viewerBlock(accountId)) return;
      if (db.sites.some((s) => s.domain === domain && s.account_id === accountId)) return fail(res, 400, 'this site is already added', 'domain');
      const site = {
        id: id('dfid'), account_id: accountId, domain, timezone: body.timezone || 'UTC', currency: body.currency || 'USD',
        allowed_hostnames: [], retention_days: 730, created_at: now(), first_event_at: null,
      };
      db.sites.push(site);
      return send(res, 201, siteView(user, site));
    }
    const site = db.sites.find((s) => s.id === seg[1] && roleIn(user, s.account_id));
    if (!site) return fail(res, 404, 'no such site');
    if (viewerBlock(site.account_id)) return;
    if (seg.length === 2 && method === 'GET') return send(res, 200, siteView(user, site));
    if (seg.length === 2 && method === 'PATCH') {
      if ('domain' in body) {
        const domain = normaliseDomain(body.domain);
        if (!domain) return fail(res, 400, 'enter a domain like example.com', 'domain');
        site.domain = domain;
      }
      if ('retention_days' in body && !(Number.isInteger(body.retention_days) && body.retention_days >= 1))
        return fail(res, 400, 'retention must be a whole number of days', 'retention_days');
      for (const k of ['timezone', 'currency', 'allowed_hostnames', 'retention_days']) if (k in body) site[k] = body[k];
      return send(res, 200, siteView(user, site));
    }
    if (seg.length === 2 && method === 'DELETE') {
      db.sites.splice(db.sites.indexOf(site), 1);
      return send(res, 204);
    }
    if (seg[2] === 'install' && method === 'GET') {
      const ev = db.events.filter((e) => e.site_id === site.id);
      const real = ev.filter((e) => !e.test);
      return send(res, 200, {
        received: real.length > 0, test_received: ev.some((e) => e.test), first_event_at: real[0]?.ts ?? null,
        last_event_at: real.at(-1)?.ts ?? null, events_total: real.length,
        recent: real.slice(-20).reverse().map((e) => ({ type: e.type, path: e.path, country: e.country, browser: e.browser, ts: e.ts })),
      });
    }
    if (seg[2] === 'export.csv') {
      res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Disposition': `attachment; filename="${site.domain}.csv"` });
      return res.end('ts,type,path\n' + db.events.filter((e) => e.site_id === site.id).map((e) => `${e.ts},${e.type},${e.path}`).join('\n'));
    }
    if (seg[2] === 'erase-visitor' && method === 'POST') {
      const before = db.events.length;
      db.events = db.events.filter((e) => !(e.site_id === site.id && e.visitor_id === body.visitor_id));
      return send(res, 200, { deleted_events: before - db.events.length });
    }
    if (seg[2] === 'keys') return keys(res, method, body, seg[3], site.id, 'df');
  }

  if (seg[0] === 'accounts' && seg[1]) {
    const account = db.accounts.find((a) => a.id === seg[1]);
    const role = account && roleIn(user, account.id);
    if (!role) return fail(res, 404, 'no such account');
    if (viewerBlock(account.id)) return;
    if (seg.length === 2 && method === 'PATCH') {
      if (body.name) account.name = body.name;
      if (body.over_limit) account.over_limit = body.over_limit;
      return send(res, 200, { ...account, role });
    }
    if (seg[2] === 'usage') return send(res, 200, usageOf(account));
    if (seg[2] === 'tokens') return keys(res, method, body, seg[3], account.id, 'dft');
    if (seg[2] === 'members' && method === 'GET') {
      const members = db.memberships.filter((m) => m.account_id === account.id).map((m) => ({
        user_id: m.user_id, email: db.users.find((u) => u.id === m.user_id)?.email, role: m.role, joined_at: m.joined_at,
      }));
      const invites = db.invites.filter((i) => i.account_id === account.id).map(({ token, account_id, ...i }) => i);
      return send(res, 200, { members, invites });
    }
    if (seg[2] === 'members' && seg[3]) {
      const m = db.memberships.find((x) => x.account_id === account.id && x.user_id === seg[3]);
      if (!m) return fail(res, 404, 'no such member');
      if (m.role === 'owner') return fail(res, 400, 'the owner cannot be changed or removed');
      if (method === 'PATCH') m.role = body.role;
      else db.memberships.splice(db.memberships.indexOf(m), 1);
      return send(res, 204);
    }
    if (seg[2] === 'invites' && method === 'POST') {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(body.email || ''))) return fail(res, 400, 'enter a valid email address', 'email');
      const invite = { id: id('inv'), token: id('tok'), account_id: account.id, email: body.email, role: body.role || 'viewer',
        expires_at: new Date(Date.now() + 7 * 864e5).toISOString().replace(/\.\d+Z$/, 'Z') };
      db.invites.push(invite);
      console.log(`invite link: /invite/${invite.token}`);
      const { token, account_id, ...pub } = invite;
      return send(res, 201, { invite: pub });
    }
    if (seg[2] === 'invites' && seg[3] && method === 'DELETE') {
      db.invites = db.invites.filter((i) => i.id !== seg[3]);
      return send(res, 204);
    }
    if (seg[2] === 'billing') return send(res, 200, { url: '/usage?billing=demo' });
  }
  if (seg[0] === 'invites' && seg[2] === 'accept' && method === 'POST') {
    const invite = db.invites.find((i) => i.token === seg[1]);
    if (!invite) return fail(res, 400, 'this link has expired or was already used');
    db.memberships.push({ user_id: user.id, account_id: invite.account_id, role: invite.role, joined_at: now() });
    db.invites.splice(db.invites.indexOf(invite), 1);
    return send(res, 204);
  }
  return fail(res, 404, 'not found');
}

function keys(res, method, body, keyId, owner, prefix) {
  if (method === 'GET') return send(res, 200, { keys: db.keys.filter((k) => k.owner === owner).map(({ owner: _, ...k }) => k) });
  if (method === 'POST') {
    if (!String(body.name || '').trim()) return fail(res, 400, 'give the key a name', 'name');
    const secret = `${prefix}_${randomBytes(20).toString('hex')}`;
    const key = { id: id('key'), owner, name: body.name, prefix: secret.slice(0, prefix.length + 7), scopes: body.scopes || ['analytics:read'],
      created_at: now(), last_used_at: null };
    db.keys.push(key);
    const { owner: _, ...pub } = key;
    return send(res, 201, { key: pub, secret });
  }
  if (method === 'DELETE') {
    db.keys = db.keys.filter((k) => k.id !== keyId);
    return send(res, 204);
  }
  return fail(res, 405, 'method not allowed');
}

async function handleEvent(req, res) {
  const raw = await new Promise((r) => {
    let d = '';
    req.on('data', (c) => (d += c));
    req.on('end', () => r(d));
  });
  let ev;
  try {
    ev = JSON.parse(raw);
  } catch {
    return fail(res, 400, 'invalid JSON');
  }
  const site = db.sites.find((s) => s.id === ev.websiteId);
  if (!site) return fail(res, 404, 'unknown website');
  const href = new URL(ev.href);
  db.events.push({
    site_id: site.id, type: ev.type, path: href.pathname, country: 'FR', browser: 'Chrome', ts: now(),
    visitor_id: ev.visitorId || 'anon', test: href.pathname === '/__datafast/test-visit',
  });
  site.first_event_at ??= now();
  return send(res, 202, { status: 'accepted' });
}

const kTypes = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    if (url.pathname.startsWith('/api/app/')) return await handleApp(req, res, url);
    if (url.pathname === '/api/events' && req.method === 'POST') return await handleEvent(req, res);
    if (url.pathname.startsWith('/js/')) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      return res.end('/* tracker stub */');
    }
    if (appDir) {
      let file = normalize(join(appDir, url.pathname));
      if (!file.startsWith(normalize(appDir)) || !existsSync(file) || statSync(file).isDirectory()) file = join(appDir, 'index.html');
      res.writeHead(200, { 'Content-Type': kTypes[extname(file)] || 'application/octet-stream' });
      return res.end(readFileSync(file));
    }
    fail(res, 404, 'not found');
  } catch (e) {
    console.error(e);
    fail(res, 500, 'internal error');
  }
}).listen(port, '127.0.0.1', () => console.log(`mock api running at http://127.0.0.1:${port}`));
