// What the analytics view shows, as it lives in the page's query string
// (`?period=30d&compare=previous&interval=day&filter_country=FR&conversion_goal=signup`,
// `?tab=revenue&by=channels&attribution=first`), so a view is bookmarkable and survives a
// reload; and its translation into the v1 API's parameters.

export type Period = 'today' | 'yesterday' | '24h' | '7d' | '30d' | '90d' | 'month' | 'last_month' | 'year' | '12mo' | 'all' | 'custom';
export type Compare = 'previous' | 'year' | 'off';
export type Interval = 'hour' | 'day' | 'week' | 'month';
export type FilterOp = 'is' | 'is_not' | 'contains' | 'does_not_contain';
// Traffic: the cards, chart and panels of visits; revenue: the payments.
export type Tab = 'traffic' | 'revenue';
// The breakdowns the revenue tab ranks by the money they earned.
export type RevenueBy = 'referrers' | 'channels' | 'utm-campaigns' | 'entry-pages' | 'countries';

// How the revenue tab credits a payment to the visits before it (the v1
// API's `attribution`).
export type Attribution = 'last' | 'first' | 'linear';

export const kTabs: { id: Tab; label: string }[] = [
  { id: 'traffic', label: 'Traffic' },
  { id: 'revenue', label: 'Revenue' },
];

export const kRevenueBy: { id: RevenueBy; label: string }[] = [
  { id: 'referrers', label: 'Referrer' },
  { id: 'channels', label: 'Channel' },
  { id: 'utm-campaigns', label: 'Campaign' },
  { id: 'entry-pages', label: 'Entry page' },
  { id: 'countries', label: 'Country' },
];

export const kAttributions: { id: Attribution; label: string }[] = [
  { id: 'last', label: 'Last touch' },
  { id: 'first', label: 'First touch' },
  { id: 'linear', label: 'Linear' },
];

export const kPeriods: { id: Period; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'month', label: 'Month to date' },
  { id: 'last_month', label: 'Last month' },
  { id: 'year', label: 'Year to date' },
  { id: '12mo', label: 'Last 12 months' },
  { id: 'all', label: 'All time' },
  { id: 'custom', label: 'Custom range…' },
];

export const kCompares: { id: Compare; label: string }[] = [
  { id: 'previous', label: 'Previous period' },
  { id: 'year', label: 'Same period last year' },
  { id: 'off', label: 'No comparison' },
];

// Every dimension the API filters on, with its name for people.
export const kDimensions = {
  channel: 'Channel',
  referrer: 'Referrer',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
  ref: 'Ref',
  source: 'Source',
  via: 'Via',
  page: 'Page',
  entry_page: 'Entry page',
  exit_page: 'Exit page',
  hostname: 'Hostname',
  country: 'Country',
  region: 'Region',
  city: 'City',
  device: 'Device',
  browser: 'Browser',
  os: 'OS',
  goal: 'Goal',
} as const;
export type Dimension = keyof typeof kDimensions;

export interface Filter {
  dim: Dimension;
  op: FilterOp;
  values: string[];
}

export interface View {
  period: Period;
  // Custom range, local days, both inclusive (YYYY-MM-DD).
  from: string;
  to: string;
  compare: Compare;
  interval: Interval;
  filters: Filter[];
  // Converting means completing this goal; '' means paying.
  conversionGoal: string;
  tab: Tab;
  // The revenue tab's table of sources.
  revenueBy: RevenueBy;
  // How the revenue tab's sources and X posts are credited their payments.
  attribution: Attribution;
}

const kOps: FilterOp[] = ['is_not', 'does_not_contain', 'contains', 'is'];
const isDay = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

// The intervals that make sense for a period, the first being the default.
export function intervalsFor(view: Pick<View, 'period' | 'from' | 'to'>): Interval[] {
  switch (view.period) {
    case 'today':
    case 'yesterday':
    case '24h':
      return ['hour'];
    case '7d':
      return ['day', 'hour'];
    case '30d':
    case 'month':
    case 'last_month':
      return ['day', 'week'];
    case '90d':
      return ['day', 'week', 'month'];
    case 'year':
    case '12mo':
      return ['month', 'week', 'day'];
    case 'all':
      return ['month', 'week', 'day'];
    case 'custom': {
      const days = (Date.parse(view.to) - Date.parse(view.from)) / 86_400_000 + 1;
      if (!Number.isFinite(days) || days <= 2) return ['hour', 'day'];
      if (days <= 31) return ['day', 'week', 'hour'];
      if (days <= 180) return ['day', 'week', 'month'];
      return ['month', 'week', 'day'];
    }
  }
}

// The intervals of the revenue report, which has no hours.
export function revenueIntervals(view: Pick<View, 'period' | 'from' | 'to'>): Interval[] {
  const all = intervalsFor(view).filter((i) => i !== 'hour');
  return all.length ? all : ['day'];
}

// The interval the revenue report uses: the view's own when it has it.
export function revenueInterval(view: Pick<View, 'period' | 'from' | 'to' | 'interval'>): Interval {
  const all = revenueIntervals(view);
  return all.includes(view.interval) ? view.interval : all[0];
}

export function parseFilter(dim: Dimension, raw: string): Filter | null {
  let op: FilterOp = 'is';
  let rest = raw;
  for (const o of kOps) {
    if (raw.startsWith(`${o}:`)) {
      op = o;
      rest = raw.slice(o.length + 1);
      break;
    }
  }
  const values = rest.split(',').filter((v, _i, all) => v !== '' || all.length === 1);
  return values.length ? { dim, op, values } : null;
}

export function filterParam(f: Filter): string {
  return `${f.op === 'is' ? '' : `${f.op}:`}${f.values.join(',')}`;
}

export function readView(query: URLSearchParams): View {
  const ids = kPeriods.map((p) => p.id) as string[];
  let period = (query.get('period') ?? '30d') as Period;
  if (!ids.includes(period)) period = '30d';
  let from = query.get('from') ?? '';
  let to = query.get('to') ?? '';
  if (period === 'custom' && !(isDay(from) && isDay(to) && from <= to)) {
    period = '30d';
    from = to = '';
  }
  const c = query.get('compare');
  const compare: Compare = c === 'year' || c === 'off' ? c : 'previous';
  const allowed = intervalsFor({ period, from, to });
  const i = query.get('interval') as Interval | null;
  const interval = i && allowed.includes(i) ? i : allowed[0];
  const filters: Filter[] = [];
  for (const dim of Object.keys(kDimensions) as Dimension[]) {
    const raw = query.get(`filter_${dim}`);
    const f = raw === null ? null : parseFilter(dim, raw);
    if (f) filters.push(f);
  }
  const conversionGoal = query.get('conversion_goal') ?? '';
  const tab: Tab = query.get('tab') === 'revenue' ? 'revenue' : 'traffic';
  const by = query.get('by');
  const revenueBy = kRevenueBy.find((b) => b.id === by)?.id ?? 'referrers';
  const model = query.get('attribution');
  const attribution = kAttributions.find((a) => a.id === model)?.id ?? 'last';
  return { period, from, to, compare, interval, filters, conversionGoal, tab, revenueBy, attribution };
}

// The query string for a view; defaults are left out to keep links short.
export function writeView(view: View, keep?: URLSearchParams): string {
  const q = new URLSearchParams();
  // Parameters this module does not own (none today) pass through.
  keep?.forEach((v, k) => {
    if (!['tab', 'by', 'attribution', 'period', 'from', 'to', 'compare', 'interval', 'conversion_goal'].includes(k) && !k.startsWith('filter_')) q.set(k, v);
  });
  if (view.tab !== 'traffic') q.set('tab', view.tab);
  if (view.revenueBy !== 'referrers') q.set('by', view.revenueBy);
  if (view.attribution !== 'last') q.set('attribution', view.attribution);
  if (view.period !== '30d') q.set('period', view.period);
  if (view.period === 'custom') {
    q.set('from', view.from);
    q.set('to', view.to);
  }
  if (view.compare !== 'previous') q.set('compare', view.compare);
  if (view.conversionGoal) q.set('conversion_goal', view.conversionGoal);
  if (view.interval !== intervalsFor(view)[0]) q.set('interval', view.interval);
  for (const f of view.filters) q.set(`filter_${f.dim}`, filterParam(f));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// The v1 API's period parameters alone (the revenue report takes no filter).
export function periodParams(view: View): URLSearchParams {
  const p = new URLSearchParams();
  if (view.period === 'custom') {
    p.set('startAt', view.from);
    p.set('endAt', view.to);
  } else {
    p.set('period', view.period);
  }
  return p;
}

// The v1 API's period and filter parameters for a view.
export function apiParams(view: View): URLSearchParams {
  const p = periodParams(view);
  for (const f of view.filters) p.set(`filter_${f.dim}`, `${f.op}:${f.values.join(',')}`);
  if (view.conversionGoal) p.set('conversion_goal', view.conversionGoal);
  return p;
}

// Adds `dim is value`, replacing any filter already on that dimension.
export function withFilter(view: View, dim: Dimension, value: string): View {
  return { ...view, filters: [...view.filters.filter((f) => f.dim !== dim), { dim, op: 'is', values: [value] }] };
}

export function withoutFilter(view: View, dim: Dimension): View {
  return { ...view, filters: view.filters.filter((f) => f.dim !== dim) };
}

// Today in a time zone, as YYYY-MM-DD.
export function todayIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}
