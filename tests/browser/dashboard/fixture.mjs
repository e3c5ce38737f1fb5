// A small, deterministic store for the analytics dashboard's tests: a signed-
// up owner, one site (example.com, UTC, EUR) and events relative to "now",
// written with `datafast import` while the server is stopped, then the
// server started again on the same data dir. The numbers the dashboard must
// show are in `kExpected`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, removeDir, signUpOwner, startServer, stopServer, tempDataDir } from '../../lib/datafast.mjs';

export const kOwner = { email: 'owner@example.com', password: 'correct horse battery' };
// Money and numbers as the tests expect them: €376.00, 1,234.
export const kBrowserOptions = { locale: 'en-US', timezoneId: 'UTC' };
const kDay = 86_400_000;

// Four groups of visitors in the last 30 days (2 to 20 days ago, at noon
// UTC, so no day boundary is near), and one group in the 30 days before.
//   google:     6 visitors, organic search from Google, France (Paris), desktop Chrome Windows,
//               "/" then "/pricing"; two of them pay 49 and 99
//   x:          4 visitors, social from X, United States (San Francisco), mobile Safari iOS,
//               "/blog/launch" only; one pays 29
//   direct:     3 visitors, direct, Germany (Berlin), desktop Firefox Linux, "/" only
//   newsletter: 2 visitors, email (utm newsletter / email / black-friday), France (Lyon),
//               mobile Chrome Android, "/pricing" and the goal "signup"; one pays 199
//   previous:   10 visitors 35 to 44 days ago, direct, United States, one pays 100
const kGroups = [
  {
    name: 'google',
    visitors: 6,
    pages: ['/', '/pricing'],
    payments: [49, 99],
    fields: {
      referrer: 'https://www.google.com/',
      referrer_domain: 'google.com',
      source: 'Google',
      channel: 'organic_search',
      country: 'FR',
      region: 'Île-de-France',
      city: 'Paris',
      device: 'desktop',
      browser: 'Chrome',
      os: 'Windows',
    },
  },
  {
    name: 'x',
    visitors: 4,
    pages: ['/blog/launch'],
    payments: [29],
    fields: {
      referrer: 'https://t.co/',
      referrer_domain: 't.co',
      source: 'X',
      channel: 'social',
      country: 'US',
      region: 'California',
      city: 'San Francisco',
      device: 'mobile',
      browser: 'Safari',
      os: 'iOS',
    },
  },
  {
    name: 'direct',
    visitors: 3,
    pages: ['/'],
    payments: [],
    fields: { channel: 'direct', country: 'DE', region: 'Berlin', city: 'Berlin', device: 'desktop', browser: 'Firefox', os: 'Linux' },
  },
  {
    name: 'newsletter',
    visitors: 2,
    pages: ['/pricing'],
    goal: 'signup',
    payments: [199],
    fields: {
      channel: 'email',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'black-friday',
      country: 'FR',
      region: 'Auvergne-Rhône-Alpes',
      city: 'Lyon',
      device: 'mobile',
      browser: 'Chrome',
      os: 'Android',
    },
  },
  {
    name: 'previous',
    previous: true,
    visitors: 10,
    pages: ['/'],
    payments: [100],
    fields: { channel: 'direct', country: 'US', region: 'New York', city: 'New York', device: 'desktop', browser: 'Chrome', os: 'Windows' },
  },
];

// What the dashboard shows for the last 30 days, whole and filtered.
export const kExpected = {
  visitors: 15,
  pageviews: 21,
  revenue: 376,
  payments: 4,
  previousVisitors: 10,
  previousRevenue: 100,
  // Country is France: the google and newsletter groups.
  france: { visitors: 8, revenue: 347, channels: { organic_search: 6, email: 2 }, devices: { desktop: 6, mobile: 2 }, browsers: { Chrome: 8 } },
  channels: { organic_search: 6, social: 4, direct: 3, email: 2 },
  countries: { FR: 8, US: 4, DE: 3 },
};

export function fixtureEvents(now = Date.now()) {
  const events = [];
  let seq = 0;
  for (const g of kGroups) {
    for (let i = 0; i < g.visitors; i++) {
      const daysAgo = g.previous ? 35 + i : 2 + ((seq * 7) % 19);
      const start = Math.floor((now - daysAgo * kDay) / kDay) * kDay + 12 * 3_600_000;
      const visitor = `${g.name}-visitor-${i}`;
      const base = { visitor_id: visitor, session_id: `${g.name}-session-${i}`, hostname: 'example.com', ...g.fields };
      let t = start;
      const at = () => new Date((t += 20_000)).toISOString();
      for (const p of g.pages) events.push({ ...base, ts: at(), type: 'pageview', pathname: p });
      if (g.goal) events.push({ ...base, ts: at(), type: 'goal', pathname: g.pages.at(-1), goal_name: g.goal });
      if (i < g.payments.length) events.push({ ...base, ts: at(), type: 'revenue', pathname: '/checkout/success', revenue: g.payments[i] });
      seq++;
    }
  }
  return events;
}

// A server with the owner, the site and the fixture; `stop()` removes it all.
export async function seededServer() {
  const dataDir = tempDataDir();
  let server = await startServer(dataDir);
  try {
    const { app } = await signUpOwner(server, kOwner.email, kOwner.password);
    const created = await app('POST', '/api/app/sites', { domain: 'example.com', timezone: 'UTC', currency: 'EUR' });
    if (created.status !== 201) throw new Error(`site: ${created.status} ${JSON.stringify(created.json)}`);
    const siteId = created.json.id;
    await stopServer(server);
    const file = join(dataDir, 'fixture.ndjson');
    writeFileSync(file, fixtureEvents().map((e) => JSON.stringify(e)).join('\n') + '\n');
    execFileSync(BIN, ['import', '--data-dir', dataDir, '--site', siteId, file], { encoding: 'utf8' });
    server = await startServer(dataDir);
    return {
      url: server.url.replace(/\/$/, ''),
      siteId,
      dataDir,
      log: () => server.stdout + server.stderr,
      stop: async () => {
        await stopServer(server);
        removeDir(dataDir);
      },
    };
  } catch (e) {
    await stopServer(server);
    removeDir(dataDir);
    throw e;
  }
}

// The value on a metric card ("visitors", "revenue", …).
export const metric = (page, key) => page.locator(`[data-metric="${key}"] .metric-value`).textContent();
