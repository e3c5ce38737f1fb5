// Loads the dashboard view against a running datafast, ROUNDS times, and
// prints p50/p95 per request as Markdown: first the requests the dashboard
// makes when it opens a period (dashboard/src/analytics: the cards with
// their comparison, the chart and its notes, each panel's first tab, the
// current visitors), six at a time as a browser sends them over HTTP/1.1;
// then every other tab of the panels, one at a time, as a click loads it.
// Beside them, the same client's latency for GET /api/v1/website (a key
// lookup, no query) is the reference.
//
// usage: node bench/dashboard.mjs URL KEY ROUNDS
const [url, key, rounds = '10'] = process.argv.slice(2);
const headers = { authorization: `Bearer ${key}` };
const firstTabs = ['channels', 'pages', 'countries', 'devices', 'goals'];
const otherTabs = ['referrers', 'utm-campaigns', 'entry-pages', 'exit-pages', 'regions', 'cities', 'browsers',
  'operating-systems'];

function view(period) {
  const interval = period === '12mo' ? 'month' : 'day';
  return [
    `overview?period=${period}&compare=previous`,
    `timeseries?period=${period}&interval=${interval}&limit=1000`,
    `notes?period=${period}`,
    ...firstTabs.map((b) => `${b}?period=${period}&limit=1000`),
    'realtime',
  ].map((p) => `analytics/${p}`);
}

async function timed(path) {
  const start = process.hrtime.bigint();
  const res = await fetch(`${url}/api/v1/${path}`, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function load(paths, concurrency) {
  const times = new Map();
  let next = 0;
  async function worker() {
    while (next < paths.length) {
      const path = paths[next++];
      times.set(path, await timed(path));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times;
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

for (const period of ['30d', '12mo']) {
  const paths = view(period);
  await load(paths, 6);  // warm DuckDB's caches once
  const samples = new Map(paths.map((p) => [p, []]));
  const views = [];
  for (let r = 0; r < Number(rounds); r++) {
    const start = process.hrtime.bigint();
    const times = await load(paths, 6);
    views.push(Number(process.hrtime.bigint() - start) / 1e6);
    for (const [p, t] of times) samples.get(p).push(t);
  }
  const all = [...samples.values()].flat();
  console.log(`\n#### ${period} view (${paths.length} requests, 6 at a time, ${rounds} rounds)\n`);
  console.log('| request | p50 ms | p95 ms |\n| --- | ---: | ---: |');
  for (const [p, xs] of samples) console.log(`| ${p.split('?')[0].replace('analytics/', '')} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} |`);
  console.log(`| **every request** | **${pct(all, 50).toFixed(1)}** | **${pct(all, 95).toFixed(1)}** |`);
  console.log(`| whole view (wall) | ${pct(views, 50).toFixed(1)} | ${pct(views, 95).toFixed(1)} |`);
  console.log(`\nOther tabs, one click at a time:\n\n| tab | p50 ms | p95 ms |\n| --- | ---: | ---: |`);
  for (const tab of otherTabs) {
    const xs = [];
    for (let r = 0; r < Number(rounds); r++) xs.push(await timed(`analytics/${tab}?period=${period}&limit=1000`));
    console.log(`| ${tab} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} |`);
  }
}
const reference = [];
for (let r = 0; r < 200; r++) reference.push(await timed('website'));
console.log(`\nReference, same client: GET /api/v1/website p50 ${pct(reference, 50).toFixed(2)} ms, p95 ${pct(reference, 95).toFixed(2)} ms.`);
