// The whole view as one CSV: the overview (with the comparison), the time
// series, every breakdown (up to kMaxRows rows each) and the notes, each a
// section headed by its name; or, on the revenue tab, the revenue report
// and its table of sources.
import type { Dash } from './context';
import { cachedV1, kMaxRows, kReports } from './data';
import type { Breakdown, Metrics, Note, Overview, Report, RevenueReport, Row, Series } from './data';
import { csv, download, fileName } from './csv';
import type { Cell } from './csv';
import { bucketLabel } from './numbers';
import { rankSources, revenueParams, rpv, sourcesParams } from './revenue';

const kMetricColumns: (keyof Metrics)[] = [
  'visitors',
  'sessions',
  'pageviews',
  'views_per_session',
  'bounce_rate',
  'avg_session_duration',
  'revenue',
  'payments',
  'revenue_per_visitor',
  'conversion_rate',
];

export const kRowColumns = ['visitors', 'pageviews', 'revenue', 'payments', 'revenue_per_visitor', 'conversion_rate'] as const;

// A breakdown's CSV header and rows: the value, its extra columns, numbers.
export function breakdownTable(report: Report, rows: Row[]): Cell[][] {
  const extra: string[] = [];
  if (report.dim === 'referrer') extra.push('referrer_domain');
  if (report.dim === 'region' || report.dim === 'city') extra.push('country');
  if (report.dim === 'goal') extra.push('completions');
  const head = [report.dim, ...extra, ...kRowColumns];
  return [head, ...rows.map((r) => head.map((k) => r[k] as Cell))];
}

export async function fetchAllRows(dash: Dash, report: Report): Promise<Breakdown> {
  const q = new URLSearchParams(dash.params);
  q.set('limit', String(kMaxRows));
  return cachedV1<Breakdown>(dash.access, report.endpoint, q);
}

export function periodSlug(dash: Dash): string {
  return dash.view.period === 'custom' ? `${dash.view.from}_${dash.view.to}` : dash.view.period;
}

export async function exportView(dash: Dash) {
  const { access, params, view, site } = dash;
  const overviewQ = new URLSearchParams(params);
  if (view.compare !== 'off') overviewQ.set('compare', view.compare);
  const seriesQ = new URLSearchParams(params);
  seriesQ.set('interval', view.interval);
  seriesQ.set('limit', String(kMaxRows));
  const reports = Object.values(kReports);
  const [overview, series, notes, ...breakdowns] = await Promise.all([
    cachedV1<Overview>(access, 'overview', overviewQ),
    cachedV1<Series>(access, 'timeseries', seriesQ),
    cachedV1<{ data: Note[] }>(access, 'notes', params),
    ...reports.map((r) => fetchAllRows(dash, r)),
  ]);

  const rows: Cell[][] = [];
  const section = (title: string, table: Cell[][]) => {
    if (rows.length) rows.push([]);
    rows.push([`# ${title}`]);
    rows.push(...table);
  };
  const filters = view.filters.map((f) => `${f.dim} ${f.op} ${f.values.join('|')}`).join('; ');
  section('View', [
    ['site', 'period_start', 'period_end', 'timezone', 'currency', 'filters', 'conversion'],
    [site.domain, overview.period.start, overview.period.end, overview.period.timezone, overview.data[0]?.currency || site.currency, filters, view.conversionGoal ? `goal ${view.conversionGoal}` : 'payment'],
  ]);
  const m = overview.data[0];
  const prev = overview.previous;
  section('Overview', [
    ['metric', 'value', ...(prev ? ['previous'] : [])],
    ...kMetricColumns.map((k) => [k, m?.[k] as Cell, ...(prev ? [prev[k] as Cell] : [])]),
  ]);
  const seriesCols = ['visitors', 'sessions', 'pageviews', 'revenue', 'payments', 'conversion_rate'] as const;
  section(`Time series (${series.interval})`, [
    ['timestamp', 'name', ...seriesCols],
    ...series.data.map((b) => [b.timestamp, bucketLabel(b, series.interval), ...seriesCols.map((c) => b[c])]),
  ]);
  reports.forEach((r, i) => section(r.label, breakdownTable(r, breakdowns[i].data)));
  section('Notes', [['date', 'text', 'tags', 'author'], ...notes.data.map((n) => [n.date, n.text, n.tags.join(' '), n.author])]);
  download(fileName(site.domain, 'analytics', periodSlug(dash)), csv(rows));
}

// The revenue tab as one CSV: the totals, how payments were attributed,
// each interval, the lifetime value of each month's new visitors, and the
// table's sources ranked by revenue.
export async function exportRevenue(dash: Dash) {
  const { access, view, site } = dash;
  const report = kReports[view.revenueBy];
  const [revenue, sources] = await Promise.all([
    cachedV1<RevenueReport>(access, 'revenue', revenueParams(view)),
    cachedV1<Breakdown>(access, report.endpoint, sourcesParams(view)),
  ]);
  const rows: Cell[][] = [];
  const section = (title: string, table: Cell[][]) => {
    if (rows.length) rows.push([]);
    rows.push([`# ${title}`]);
    rows.push(...table);
  };
  const filters = view.filters.map((f) => `${f.dim} ${f.op} ${f.values.join('|')}`).join('; ');
  section('View', [
    ['site', 'period_start', 'period_end', 'currency', 'filters (sources only)', 'attribution (sources only)'],
    [site.domain, revenue.period.start, revenue.period.end, revenue.currency || site.currency, filters, view.attribution],
  ]);
  const totals = Object.entries(revenue.totals) as [string, Cell][];
  section('Revenue', [['metric', 'value'], ...totals.map(([k, v]) => [k, v ?? ''])]);
  section('Attribution', [['rule', 'revenue', 'payments'], ...revenue.attribution.map((a) => [a.rule, a.revenue, a.payments])]);
  const cols = ['revenue', 'new_revenue', 'renewal_revenue', 'refunds', 'payments', 'mrr', 'active_subscriptions', 'churned_mrr'] as const;
  section(`Revenue over time (${revenue.interval})`, [
    ['timestamp', 'name', ...cols],
    ...revenue.data.map((p) => [p.timestamp, bucketLabel(p, revenue.interval), ...cols.map((c) => p[c])]),
  ]);
  const ltv = revenue.ltv ?? [];
  const months = Math.max(0, ...ltv.map((c) => c.revenue_per_visitor.length));
  const monthCols = Array.from({ length: months }, (_, k) => `revenue_per_visitor_month_${k}`);
  section('Lifetime value by first visit', [
    ['cohort', 'start', 'visitors', 'customers', ...monthCols],
    ...ltv.map((c) => [c.cohort, c.start, c.visitors, c.customers, ...monthCols.map((_, k) => c.revenue_per_visitor[k] ?? '')]),
  ]);
  const ranked = rankSources(sources.data, report.dim, revenue, view.filters.length > 0);
  section(`${report.label} by revenue`, [
    [report.dim, 'visitors', 'payments', 'revenue', 'revenue_per_visitor', 'conversion_rate'],
    ...ranked.rows.map((r) => [r[report.dim] as Cell, r.visitors, r.payments, r.revenue, rpv(r), r.conversion_rate]),
    ...(ranked.unattributed ? [['(not attributed to a visit)', '', ranked.unattributed.payments, ranked.unattributed.revenue, '', '']] : []),
  ]);
  download(fileName(site.domain, 'revenue', periodSlug(dash)), csv(rows));
}
