// The revenue tab of the analytics view: which source makes money. The
// period's revenue as a founder reads it (net, new against renewals,
// refunds, MRR, churn, time to first payment, what no visit earned), revenue
// and MRR over time, the sources (referrers, channels, campaigns, entry
// pages, countries) ranked by the money they brought under the attribution
// model the view picks (last touch, first touch, linear), how payments were
// credited to visits, what visits from X (organic and X Ads, the accounts
// and the posts that brought them) earned, and what the visitors first seen
// each month paid per visitor since (lifetime value). Cards, chart, mix and
// lifetime value come from GET /api/v1/analytics/revenue, which takes no
// filters and no model; the table from the breakdowns and the X panel from
// GET /api/v1/analytics/x, which take both.
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { Button, Notice, Spinner, TabList } from '../components/ui';
import { shortPostId } from '../format';
import { Link } from '../router';
import { bucketAxis, cssVar, fitToWidth, stepBucket, useThemeName, useUPlot } from './chart';
import { useDash } from './context';
import { PeriodCaption } from './caption';
import { kMaxRows, kReports, useV1 } from './data';
import type { AttributionShare, Breakdown, LtvCohort, Report, RevenueFigures, RevenueReport, RevenueTotals, Row, XAccountFigures, XFigures, XPost, XReport } from './data';
import { bucketLabel, compact, count, money, paymentCount, percent, valueLabel } from './numbers';
import { apiParams, kAttributions, kRevenueBy, periodParams, revenueInterval } from './view';
import type { Attribution, RevenueBy, View } from './view';

// Anything at all to report: a payment, a refund, a trial, a subscription.
function hasPayments(t: RevenueTotals): boolean {
  return t.payments > 0 || t.refund_count > 0 || t.free_trials > 0 || t.active_subscriptions > 0 || t.trialing > 0 || t.revenue !== 0;
}

export function revenueParams(view: View): URLSearchParams {
  const q = periodParams(view);
  q.set('interval', revenueInterval(view));
  return q;
}

export function RevenueView() {
  const { access, view, site } = useDash();
  const res = useV1<RevenueReport>(access, 'revenue', revenueParams(view));
  // An empty period: were there ever payments? (Else: how to get some.)
  const emptyPeriod = !!res.data && !hasPayments(res.data.totals);
  const ever = useV1<RevenueReport>(access, emptyPeriod && view.period !== 'all' ? 'revenue' : null, new URLSearchParams({ period: 'all' }));
  const never = emptyPeriod && (view.period === 'all' || (!!ever.data && !hasPayments(ever.data.totals)));

  if (res.error && !res.data) return <Notice kind="error">{res.error.message}</Notice>;
  if (!res.data || (emptyPeriod && view.period !== 'all' && !ever.data && !ever.error)) return <Spinner />;
  const report = res.data;
  const currency = report.currency || site.currency;
  if (never) return <NoPaymentsYet />;
  return (
    <>
      {view.filters.length > 0 && (
        <p class="rev-filter-note muted small">The cards, the chart and the attribution count every payment of the period; the filters narrow the table of sources and the X panel.</p>
      )}
      <RevenueCards report={report} currency={currency} loading={res.loading} />
      <RevenueChart report={report} currency={currency} />
      <div class="rev-grid">
        <SourcesByRevenue report={report} currency={currency} emptyPeriod={emptyPeriod} />
        <AttributionMix report={report} currency={currency} />
      </div>
      <XPanel currency={currency} />
      <LifetimeValue cohorts={report.ltv ?? []} currency={currency} />
    </>
  );
}

function NoPaymentsYet() {
  const { siteId } = useDash();
  return (
    <section class="card empty rev-empty" aria-labelledby="rev-empty-title">
      <h2 id="rev-empty-title">No payments yet</h2>
      <p>
        Connect Stripe, Lemon Squeezy, Polar or Shopify, or send your payments to the API, and this tab shows which source, campaign, page and country brings in the money.
      </p>
      {siteId ? (
        <Link class="btn btn-primary" href={`/sites/${siteId}/settings#revenue`}>
          Set up revenue tracking
        </Link>
      ) : (
        <p class="muted">The site’s owner hasn’t connected a payment provider yet.</p>
      )}
    </section>
  );
}

// ---------- cards ----------

interface CardDef {
  key: string;
  label: string;
  value: (t: RevenueTotals, c: string) => string;
  sub?: (t: RevenueTotals, c: string) => string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

const kPrimary: CardDef[] = [
  { key: 'revenue', label: 'Revenue', value: (t, c) => money(t.revenue, c), sub: (t, c) => (t.refunds > 0 ? `net of ${money(t.refunds, c)} refunded` : 'net of refunds') },
  { key: 'new_revenue', label: 'New revenue', value: (t, c) => money(t.new_revenue, c), sub: (t) => plural(t.new_payments, 'first payment') },
  { key: 'renewal_revenue', label: 'Renewals', value: (t, c) => money(t.renewal_revenue, c), sub: (t) => plural(t.renewals, 'renewal') },
  {
    key: 'mrr',
    label: 'MRR',
    value: (t, c) => money(t.mrr, c),
    sub: (t) => `${plural(t.active_subscriptions, 'active subscription')}${t.trialing > 0 ? ` · ${count(t.trialing)} trialing` : ''}`,
  },
];
const kSecondary: CardDef[] = [
  { key: 'payments', label: 'Payments', value: (t) => count(t.payments), sub: (t) => plural(t.customers, 'customer') },
  { key: 'average_order_value', label: 'Avg. order value', value: (t, c) => money(t.average_order_value, c) },
  { key: 'refunds', label: 'Refunds', value: (t, c) => money(t.refunds, c), sub: (t) => plural(t.refund_count, 'refund') },
  { key: 'churned_mrr', label: 'Churned MRR', value: (t, c) => money(t.churned_mrr, c) },
  {
    key: 'median_days_to_first_payment',
    label: 'Days to first payment',
    value: (t) => (t.median_days_to_first_payment === null || t.median_days_to_first_payment === undefined ? '—' : days(t.median_days_to_first_payment)),
    sub: () => 'median, from first visit',
  },
];

// 2.5 -> "2.5 days"; under a twentieth of a day, "same day".
function days(n: number): string {
  const r = Math.round(n * 10) / 10;
  if (r === 0) return 'same day';
  return `${r.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${r === 1 ? 'day' : 'days'}`;
}

function RevenueCards({ report, currency, loading }: { report: RevenueReport; currency: string; loading: boolean }) {
  const t = report.totals;
  const none = report.attribution.find((a) => a.rule === 'none');
  const card = (d: CardDef, primary: boolean) => {
    const sub = d.sub?.(t, currency);
    return (
      <div class={`metric card${primary ? ' metric-primary' : ''}`} role="listitem" key={d.key} data-metric={d.key}>
        <p class="metric-label">{d.label}</p>
        <p class="metric-value">{d.value(t, currency)}</p>
        {sub && <p class="metric-note">{sub}</p>}
      </div>
    );
  };
  const timezone = report.period.timezone || 'UTC';
  return (
    <section aria-label="Revenue metrics" class={`metrics rev-metrics${loading ? ' is-loading' : ''}`} aria-busy={loading}>
      <div class="metrics-primary" role="list">
        {kPrimary.map((d) => card(d, true))}
      </div>
      <div class="metrics-secondary rev-secondary" role="list">
        {kSecondary.map((d) => card(d, false))}
      </div>
      {t.unattributed_revenue !== 0 && (
        <p class="rev-unattributed" data-metric="unattributed_revenue">
          <span class="swatch attr-none" aria-hidden="true" />
          <span>
            <strong class="rev-unattributed-value">{money(t.unattributed_revenue, currency)}</strong> not attributed to a visit
            {none && none.payments > 0 && <> ({plural(none.payments, 'payment')})</>}: nothing linked {none && none.payments > 1 ? 'them' : 'it'} to a visitor (no visitor id, known customer or email).
          </span>
        </p>
      )}
      <PeriodCaption period={{ ...report.period, timezone }} />
    </section>
  );
}

// ---------- chart ----------

type Point = RevenueFigures & { timestamp: string };

function RevenueChart({ report, currency }: { report: RevenueReport; currency: string }) {
  const points = report.data;
  const withMrr = points.some((p) => p.mrr > 0 || p.churned_mrr > 0);
  const withRefunds = points.some((p) => p.refunds > 0);
  const withRenewals = points.some((p) => p.renewal_revenue > 0);
  return (
    <section class="card chart-card" aria-labelledby="rev-chart-title">
      <div class="chart-head">
        <h2 id="rev-chart-title">Revenue{withMrr ? ' and MRR' : ''}</h2>
        <ul class="legend" aria-label="Legend">
          <li>
            <span class="swatch swatch-revenue" aria-hidden="true" /> New ({currency})
          </li>
          {withRenewals && (
            <li>
              <span class="swatch swatch-renewal" aria-hidden="true" /> Renewals
            </li>
          )}
          {withRefunds && (
            <li>
              <span class="swatch swatch-refund" aria-hidden="true" /> Refunds
            </li>
          )}
          {withMrr && (
            <li>
              <span class="swatch swatch-mrr" aria-hidden="true" /> MRR (right axis)
            </li>
          )}
        </ul>
      </div>
      <RevenuePlot points={points} interval={report.interval} currency={currency} withMrr={withMrr} />
    </section>
  );
}

function RevenuePlot({ points, interval, currency, withMrr }: { points: Point[]; interval: string; currency: string; withMrr: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { UPlot, failed } = useUPlot();
  const [hover, setHover] = useState<{ idx: number; left: number } | null>(null);
  const [announce, setAnnounce] = useState('');
  const theme = useThemeName();
  const empty = points.every((p) => p.new_revenue === 0 && p.renewal_revenue === 0 && p.refunds === 0 && p.mrr === 0);

  useEffect(() => {
    const el = box.current;
    if (!UPlot || !el) return;
    const fresh = cssVar('--chart-revenue');
    const renewal = cssVar('--chart-renewal');
    const refund = cssVar('--danger');
    const mrr = cssVar('--chart-mrr');
    const grid = cssVar('--border');
    const text = cssVar('--muted');
    const font = `12px ${cssVar('--font')}`;
    const bars = UPlot.paths.bars!({ size: [0.6, 40], align: 0 });
    const height = () => (el.clientWidth < 500 ? 200 : 240);
    const axes: uPlot.Axis[] = [
      bucketAxis(el, (i) => (points[i] ? bucketLabel(points[i], interval) : '')),
      {
        scale: 'r',
        stroke: text,
        font,
        size: 60,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? money(v, currency, { compact: true, whole: true }) : '')),
      },
    ];
    if (withMrr) {
      axes.push({
        scale: 'm',
        side: 1,
        stroke: text,
        font,
        size: 60,
        grid: { show: false },
        ticks: { show: false },
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && v >= 0 ? money(v, currency, { compact: true, whole: true }) : '')),
      });
    }
    const series: uPlot.Series[] = [
      {},
      // New and renewal revenue stacked: the whole bar in the renewal colour,
      // the new part drawn over its foot.
      { label: 'Renewals', scale: 'r', paths: bars, fill: renewal, stroke: renewal, width: 0, points: { show: false } },
      { label: 'New', scale: 'r', paths: bars, fill: fresh, stroke: fresh, width: 0, points: { show: false } },
      { label: 'Refunds', scale: 'r', paths: bars, fill: refund, stroke: refund, width: 0, points: { show: false } },
    ];
    const data: (number | null)[][] = [
      points.map((_, i) => i),
      points.map((p) => p.new_revenue + p.renewal_revenue),
      points.map((p) => p.new_revenue),
      points.map((p) => -p.refunds),
    ];
    if (withMrr) {
      series.push({ label: 'MRR', scale: 'm', stroke: mrr, width: 2, points: { show: points.length < 40, size: 5, fill: mrr } });
      data.push(points.map((p) => p.mrr));
    }
    // Refunds go below zero; MRR's axis puts its zero at the same height.
    const high = Math.max(1, ...points.map((p) => p.new_revenue + p.renewal_revenue)) * 1.1;
    const low = -Math.max(0, ...points.map((p) => p.refunds)) * 1.15;
    const mrrHigh = Math.max(1, ...points.map((p) => p.mrr)) * 1.1;
    const mrrLow = (mrrHigh * low) / high;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height: height(),
      padding: [12, withMrr ? 4 : 12, 0, 4],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 }, y: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        r: { range: () => [low, high] },
        m: { range: () => [mrrLow, mrrHigh] },
      },
      axes,
      series,
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) return setHover(null);
            setHover({ idx, left: u.cursor.left });
          },
        ],
      },
    };
    const u = new UPlot(opts, data as uPlot.AlignedData, el);
    plot.current = u;
    const stop = fitToWidth(u, el, height);
    return () => {
      stop();
      plot.current = null;
    };
  }, [UPlot, points, currency, theme, interval, withMrr]);

  // Arrow keys walk the intervals; Escape hides the tooltip.
  const onKey = (e: KeyboardEvent) => {
    const u = plot.current;
    if (!u || points.length === 0) return;
    const idx = stepBucket(e.key, hover?.idx ?? -1, points.length);
    if (idx === null) return;
    if (idx === 'hide') {
      u.setCursor({ left: -10, top: -10 });
      setHover(null);
      return;
    }
    e.preventDefault();
    u.setCursor({ left: u.valToPos(idx, 'x'), top: u.valToPos(points[idx].new_revenue + points[idx].renewal_revenue, 'r') });
    setAnnounce(describe(points[idx], interval, currency, withMrr));
  };

  if (failed) return <Notice kind="error">The chart could not be loaded. Check your connection and reload.</Notice>;
  const p = hover ? points[hover.idx] : null;
  const total = points.reduce((s, x) => s + x.revenue, 0);
  return (
    <div class="chart-wrap">
      <div
        class="chart-box"
        ref={box}
        tabIndex={0}
        role="img"
        aria-roledescription="chart"
        aria-label={`Revenue by ${interval}: ${money(total, currency)} net in ${points.length} ${interval}s${withMrr ? ', with MRR' : ''}. Use the arrow keys to read each ${interval}.`}
        onKeyDown={onKey}
        onBlur={() => {
          plot.current?.setCursor({ left: -10, top: -10 });
          setHover(null);
        }}
      />
      {empty && <p class="chart-empty">No payments in this period.</p>}
      {p && hover && (
        <div class={`chart-tip${tipPlace(hover.left, box.current?.clientWidth ?? 0)}`} style={tipStyle(hover.left + (plot.current?.bbox.left ?? 0) / devicePixelRatio, box.current?.clientWidth ?? 0)} role="presentation">
          <p class="tip-title">{bucketLabel(p, interval)}</p>
          <p class="tip-line">
            <span class="swatch swatch-revenue" aria-hidden="true" /> {money(p.new_revenue, currency)} new
          </p>
          {p.renewal_revenue > 0 && (
            <p class="tip-line">
              <span class="swatch swatch-renewal" aria-hidden="true" /> {money(p.renewal_revenue, currency)} renewals
            </p>
          )}
          {p.refunds > 0 && (
            <p class="tip-line">
              <span class="swatch swatch-refund" aria-hidden="true" /> −{money(p.refunds, currency)} refunded
            </p>
          )}
          <p class="tip-total">{`${money(p.revenue, currency)} net${p.payments > 0 ? ` from ${plural(p.payments, 'payment')}` : ''}`}</p>
          {withMrr && (
            <p class="tip-line">
              <span class="swatch swatch-mrr" aria-hidden="true" /> {`MRR ${money(p.mrr, currency)}, ${count(p.active_subscriptions)} active`}
            </p>
          )}
        </div>
      )}
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </div>
  );
}

// Beside the cursor, on the side with room; over the middle of a narrow
// chart, where neither side has room for it. On the left it is placed by
// its right edge, so it keeps its width.
function tipPlace(left: number, width: number): string {
  if (width < 480) return ' tip-center';
  return left > width / 2 ? ' tip-before' : '';
}

function tipStyle(x: number, width: number): Record<string, string> {
  return width >= 480 && x > width / 2 ? { right: `${width - x}px` } : { left: `${x}px` };
}

function describe(p: Point, interval: string, currency: string, withMrr: boolean): string {
  const parts = [`${money(p.new_revenue, currency)} new`];
  if (p.renewal_revenue > 0) parts.push(`${money(p.renewal_revenue, currency)} renewals`);
  if (p.refunds > 0) parts.push(`${money(p.refunds, currency)} refunded`);
  parts.push(`${money(p.revenue, currency)} net from ${plural(p.payments, 'payment')}`);
  if (withMrr) parts.push(`MRR ${money(p.mrr, currency)}`);
  return `${bucketLabel(p, interval)}: ${parts.join(', ')}.`;
}

// ---------- sources ----------

const kTableRows = 10;

// Revenue first, then payments, then visitors.
function byRevenue(a: Row, b: Row): number {
  return b.revenue - a.revenue || b.payments - a.payments || b.visitors - a.visitors;
}

// The breakdown behind the table: every row (up to kMaxRows), to rank
// them by revenue; converting means paying here, whatever goal the traffic
// tab uses.
export function sourcesParams(view: View): URLSearchParams {
  const q = apiParams({ ...view, conversionGoal: '' });
  q.set('attribution', view.attribution);
  q.set('limit', String(kMaxRows));
  q.set('fields', `${kReports[view.revenueBy].dim},visitors,revenue,payments,revenue_per_visitor,conversion_rate`);
  return q;
}

const cents = (n: number) => Math.round(n * 100) / 100;
// Payments are counted to the millionth: linear attribution shares them out.
const millionths = (n: number) => Math.round(n * 1e6) / 1e6;

// The breakdowns count a payment no visit earned under the empty value
// ("Direct/None" for referrers, where it joins the visits without a
// referrer), whole under every attribution model. Without filters, the
// revenue report (which has no model) says how much that is: it
// comes out of that row and is shown on its own. When the rows' revenue
// adds up to neither the period's revenue with it nor without it (more rows
// than fetched, say), the rows stay as they are and no line is added.
export function rankSources(rows: Row[], dim: string, report: RevenueReport, filtered: boolean): { rows: Row[]; unattributed: { revenue: number; payments: number } | null } {
  const ranked = [...rows].sort(byRevenue);
  const none = report.attribution.find((a) => a.rule === 'none');
  if (filtered || !none || (none.payments === 0 && none.revenue === 0)) return { rows: ranked, unattributed: null };
  const unattributed = { revenue: none.revenue, payments: none.payments };
  const sum = rows.reduce((s, r) => s + r.revenue, 0);
  if (Math.abs(sum - (report.totals.revenue - none.revenue)) < 0.01) return { rows: ranked, unattributed };
  const landing = dim === 'referrer' ? 'Direct/None' : '';
  const i = rows.findIndex((r) => String(r[dim] ?? '') === landing);
  if (Math.abs(sum - report.totals.revenue) >= 0.01 || i < 0 || millionths(rows[i].payments - none.payments) < 0) return { rows: ranked, unattributed: null };
  const r = rows[i];
  const rest = { ...r, revenue: cents(r.revenue - none.revenue), payments: millionths(r.payments - none.payments) };
  rest.revenue_per_visitor = rest.visitors > 0 ? cents(rest.revenue / rest.visitors) : 0;
  const kept = rest.visitors === 0 && rest.payments === 0 && rest.revenue === 0 ? [] : [rest];
  return { rows: [...rows.slice(0, i), ...kept, ...rows.slice(i + 1)].sort(byRevenue), unattributed };
}

export const rpv = (r: Row) => (typeof r.revenue_per_visitor === 'number' ? r.revenue_per_visitor : r.visitors > 0 ? r.revenue / r.visitors : 0);

function SourcesByRevenue({ report, currency, emptyPeriod }: { report: RevenueReport; currency: string; emptyPeriod: boolean }) {
  const { access, view, setView, site } = useDash();
  const base = useId();
  const by = kReports[view.revenueBy];
  const res = useV1<Breakdown>(access, by.endpoint, sourcesParams(view));
  const [all, setAll] = useState(false);
  useEffect(() => setAll(false), [view.revenueBy]);
  const { rows: sorted, unattributed } = useMemo(() => rankSources(res.data?.data ?? [], by.dim, report, view.filters.length > 0), [res.data, report, by.dim, view.filters.length]);
  const rows = all ? sorted : sorted.slice(0, kTableRows);
  const paying = sorted.filter((r) => r.revenue !== 0 || r.payments > 0);
  const label = kRevenueBy.find((b) => b.id === view.revenueBy)!.label;
  const windowDays = site.attributionWindowDays;

  let body;
  if (res.error && !res.data) body = <Notice kind="error">{res.error.message}</Notice>;
  else if (!res.data) body = <Spinner />;
  else if (paying.length === 0 && !unattributed)
    body = (
      <p class="panel-empty">
        {emptyPeriod ? 'No payments in this period. Pick a longer period to see which sources paid before.' : view.filters.length ? 'No payments from the visits these filters match.' : 'No payment in this period came from a visit we know of.'}
      </p>
    );
  else
    body = (
      <>
        <MoneyTable report={by} label={label} rows={rows} currency={currency} unattributed={unattributed} total={sorted.length} />
        {sorted.length > kTableRows && (
          <div class="panel-foot">
            <Button variant="ghost" onClick={() => setAll(!all)} aria-expanded={all}>
              {all ? `Show the top ${kTableRows}` : `Show all ${count(sorted.length)}`}
            </Button>
          </div>
        )}
      </>
    );
  return (
    <section class="card panel rev-sources" aria-labelledby={`${base}-title`}>
      <div class="panel-head">
        <h2 id={`${base}-title`}>Which source makes money</h2>
        <TabList tabs={kRevenueBy} active={view.revenueBy} onSelect={(id) => setView({ ...view, revenueBy: id as RevenueBy })} label="Rank by" base={base} class="panel-tabs" />
        <label class="control control-inline rev-model">
          <span class="control-label">Attribution</span>
          <select value={view.attribution} aria-describedby={`${base}-model`} onChange={(e) => setView({ ...view, attribution: e.currentTarget.value as Attribution })}>
            {kAttributions.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${view.revenueBy}`} class={`panel-body${res.loading ? ' is-loading' : ''}`} aria-busy={res.loading}>
        {body}
      </div>
      <p class="rev-model-note muted small" id={`${base}-model`} data-model={view.attribution}>
        {kModelNotes[view.attribution](windowDays ? `in the ${windowDays}-day window` : 'in the attribution window')}
      </p>
    </section>
  );
}

// What each model does, in a line under the table; `inWindow` ends it.
const kModelNotes: Record<Attribution, (inWindow: string) => string> = {
  last: (w) => `Each payment goes to the visitor’s last visit from a source (not direct) ${w}.`,
  first: (w) => `Each payment goes to the visitor’s first visit from a source (not direct) ${w}.`,
  linear: (w) => `Each payment is shared equally among the visitor’s visits from a source (not direct) ${w}.`,
};

// The number columns' heads of a table sorted by revenue.
function NumberHeads({ cols }: { cols: { key: string; label: string; short: string }[] }) {
  return (
    <>
      {cols.map((c) => (
        <th scope="col" key={c.key} class={`col-num c-${c.key}`} aria-sort={c.key === 'revenue' ? 'descending' : undefined}>
          <abbr title={c.label}>{c.short}</abbr>
          {c.key === 'revenue' && <span aria-hidden="true">↓</span>}
        </th>
      ))}
    </>
  );
}

function MoneyTable({ report, label, rows, currency, unattributed, total }: { report: Report; label: string; rows: Row[]; currency: string; unattributed: { revenue: number; payments: number } | null; total: number }) {
  const top = Math.max(0, ...rows.map((r) => r.revenue), unattributed?.revenue ?? 0);
  const cols = [
    { key: 'visitors', label: 'Visitors', short: 'Visitors' },
    { key: 'payments', label: 'Payments', short: 'Payments' },
    { key: 'revenue', label: 'Revenue', short: 'Revenue' },
    { key: 'rpv', label: 'Revenue per visitor', short: 'Per visitor' },
    { key: 'conversion_rate', label: 'Conversion rate (visitors who paid)', short: 'Conv.' },
  ];
  const cell = (key: string, r: Row) => {
    switch (key) {
      case 'visitors':
        return count(r.visitors);
      case 'payments':
        return paymentCount(r.payments);
      case 'revenue':
        return money(r.revenue, currency);
      case 'rpv':
        return money(rpv(r), currency);
      default:
        return percent(r.conversion_rate);
    }
  };
  return (
    <table class="money-table" data-report={report.endpoint}>
      <caption class="visually-hidden">
        {label}s by revenue, {rows.length} of {total}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="col-name">
            {label}
          </th>
          <NumberHeads cols={cols} />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const value = String(r[report.dim] ?? '');
          const width = top > 0 && r.revenue > 0 ? Math.max(1, (r.revenue / top) * 100) : 0;
          return (
            <tr key={value}>
              <th scope="row" class="col-name">
                {width > 0 && <span class="money-bar" style={{ width: `${width}%` }} aria-hidden="true" />}
                <span class="money-name">{valueLabel(report.dim, value)}</span>
              </th>
              {cols.map((c) => (
                <td key={c.key} class={`col-num c-${c.key}`} data-label={c.short}>
                  {cell(c.key, r)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
      {unattributed && (
        <tfoot>
          <tr class="money-unattributed">
            <th scope="row" class="col-name">
              <span class="money-name">
                Not attributed<span class="money-name-more"> to a visit</span>
              </span>
            </th>
            <td class="col-num c-visitors" data-label="Visitors">
              —
            </td>
            <td class="col-num c-payments" data-label="Payments">
              {paymentCount(unattributed.payments)}
            </td>
            <td class="col-num c-revenue" data-label="Revenue">
              {money(unattributed.revenue, currency)}
            </td>
            <td class="col-num c-rpv" data-label="Per visitor">
              —
            </td>
            <td class="col-num c-conversion_rate" data-label="Conv.">
              —
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

// ---------- attribution ----------

const kRules: { rule: string; label: string; how: string }[] = [
  { rule: 'metadata', label: 'At checkout', how: 'the visitor id came with the payment' },
  { rule: 'identified', label: 'Identified visitor', how: 'a user id or email linked to a visitor' },
  { rule: 'customer', label: 'Same customer', how: 'an earlier payment of the customer' },
  { rule: 'email', label: 'Same email', how: 'an earlier payment with the email' },
  { rule: 'renewal', label: 'Renewal', how: 'credited like the first payment' },
  { rule: 'none', label: 'Not attributed', how: 'no visit found' },
];

function AttributionMix({ report, currency }: { report: RevenueReport; currency: string }) {
  const shares: (AttributionShare & { label: string; how: string })[] = [];
  for (const r of kRules) {
    const a = report.attribution.find((x) => x.rule === r.rule);
    if (a && (a.payments > 0 || a.revenue !== 0)) shares.push({ ...a, ...r });
  }
  for (const a of report.attribution) {
    if (!kRules.some((r) => r.rule === a.rule) && (a.payments > 0 || a.revenue !== 0)) shares.push({ ...a, label: a.rule, how: '' });
  }
  const payments = shares.reduce((s, a) => s + Math.max(0, a.payments), 0);
  const share = (a: AttributionShare) => (payments > 0 ? (Math.max(0, a.payments) / payments) * 100 : 0);
  return (
    <section class="card panel rev-attribution" aria-labelledby="rev-attr-title">
      <div class="panel-head">
        <h2 id="rev-attr-title">How payments were attributed</h2>
      </div>
      {shares.length === 0 ? (
        <p class="panel-empty">No payments in this period.</p>
      ) : (
        <>
          {payments > 0 && (
            <div class="attr-bar" aria-hidden="true">
              {shares
                .filter((a) => a.payments > 0)
                .map((a) => (
                  <span key={a.rule} class={`attr-seg attr-${a.rule}`} style={{ width: `${share(a)}%` }} title={`${a.label}: ${Math.round(share(a))}%`} />
                ))}
            </div>
          )}
          <ul class="attr-list">
            {shares.map((a) => (
              <li key={a.rule} data-rule={a.rule}>
                <span class={`swatch attr-${a.rule}`} aria-hidden="true" />
                <span class="attr-label">{a.label}</span>
                <span class="attr-revenue">{money(a.revenue, currency)}</span>
                <span class="attr-payments">
                  {plural(a.payments, 'payment')}
                  {payments > 0 && <> · {percent(share(a))}</>}
                </span>
                {a.how && <span class="attr-how">{a.how}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// ---------- X (Twitter) ----------

export function xParams(view: View): URLSearchParams {
  const q = apiParams({ ...view, conversionGoal: '' });
  q.set('attribution', view.attribution);
  return q;
}

// Nothing at all without a visit from X in the period, a link that named a
// post, or an account or post the site registered: the tab stays as it was
// for a site that does not post there.
function XPanel({ currency }: { currency: string }) {
  const { access, view } = useDash();
  const res = useV1<XReport>(access, 'x', xParams(view));
  const x = res.data;
  if (!x || (x.totals.visitors === 0 && x.posts.length === 0 && x.accounts.length === 0)) return null;
  const cur = x.currency || currency;
  const model = kAttributions.find((a) => a.id === view.attribution)!;
  return (
    <section class="card panel rev-x" aria-labelledby="rev-x-title" aria-busy={res.loading}>
      <div class="panel-head">
        <h2 id="rev-x-title">X (Twitter)</h2>
        <p class="x-total muted small">
          {plural(x.totals.visitors, 'visitor')} · {money(x.totals.revenue, cur)}
          {view.attribution !== 'last' && <>, {model.label.toLowerCase()}</>}
        </p>
      </div>
      <div class={`panel-body${res.loading ? ' is-loading' : ''}`}>
        <ul class="x-split" aria-label="Organic and ads">
          <XSplit kind="organic" label="Organic" f={x.organic} currency={cur} />
          <XSplit kind="ads" label="X Ads" f={x.ads} currency={cur} />
        </ul>
        {x.accounts.length > 0 && <XAccounts accounts={x.accounts} currency={cur} />}
        <h3 class="x-posts-title">Posts</h3>
        {x.posts.length === 0 ? (
          <p class="panel-empty x-posts-empty">
            Links to your site that carry <code>?ref=x-POST_ID</code> or <code>utm_content=POST_ID</code> credit their post.
          </p>
        ) : (
          <PostTable posts={x.posts} currency={cur} />
        )}
      </div>
    </section>
  );
}

function XSplit({ kind, label, f, currency }: { kind: string; label: string; f: XFigures; currency: string }) {
  return (
    <li class={`x-side x-${kind}`} data-x={kind}>
      <p class="x-side-name">{label}</p>
      <dl class="x-figures">
        <div>
          <dt>Visitors</dt>
          <dd data-figure="visitors">{count(f.visitors)}</dd>
        </div>
        <div>
          <dt>Revenue</dt>
          <dd data-figure="revenue">{money(f.revenue, currency)}</dd>
        </div>
        <div>
          <dt>
            <abbr title="Revenue per visitor">Per visitor</abbr>
          </dt>
          <dd data-figure="rpv">{money(f.revenue_per_visitor, currency)}</dd>
        </div>
      </dl>
    </li>
  );
}

// The accounts the site registered, each with its registered posts' figures.
function XAccounts({ accounts, currency }: { accounts: XAccountFigures[]; currency: string }) {
  return (
    <>
      <h3 class="x-posts-title">Accounts</h3>
      <ul class="x-accounts" aria-label="Accounts on X">
        {accounts.map((a) => (
          <li key={a.handle} data-account={a.handle}>
            <a class="x-account-link" href={a.url} target="_blank" rel="noopener noreferrer" aria-label={`@${a.handle} on X (opens in a new tab)`}>
              @{a.handle}
              <span class="x-out" aria-hidden="true">{' ↗'}</span>
            </a>
            <span class="x-account-figures">
              <span data-figure="posts">{plural(a.posts, 'post')}</span>
              <span data-figure="visitors">{plural(a.visitors, 'visitor')}</span>
              <span data-figure="revenue" class="x-account-revenue">
                {money(a.revenue, currency)}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

// What X said of a post, in one line: its author, then the engagement once
// the server has looked the post up (a failed look-up leaves zeros).
function postFacts(p: XPost): string {
  const facts = p.handle ? [`@${p.handle}`] : [];
  if (p.fetched_at && !p.fetch_error) facts.push(plural(p.likes, 'like'), plural(p.reposts, 'repost'), `${compact(p.impressions)} ${p.impressions === 1 ? 'impression' : 'impressions'}`);
  return facts.join(' · ');
}

function PostTable({ posts, currency }: { posts: XPost[]; currency: string }) {
  const top = Math.max(0, ...posts.map((p) => p.revenue));
  const cols = [
    { key: 'visitors', label: 'Visitors', short: 'Visitors', value: (p: XPost) => count(p.visitors) },
    { key: 'payments', label: 'Payments', short: 'Payments', value: (p: XPost) => paymentCount(p.payments) },
    { key: 'revenue', label: 'Revenue', short: 'Revenue', value: (p: XPost) => money(p.revenue, currency) },
    { key: 'rpv', label: 'Revenue per visitor', short: 'Per visitor', value: (p: XPost) => money(p.revenue_per_visitor, currency) },
  ];
  return (
    <table class="money-table x-posts" data-report="x">
      <caption class="visually-hidden">Posts on X by revenue, then visitors</caption>
      <thead>
        <tr>
          <th scope="col" class="col-name">
            Post
          </th>
          <NumberHeads cols={cols} />
        </tr>
      </thead>
      <tbody>
        {posts.map((p) => {
          const width = top > 0 && p.revenue > 0 ? Math.max(1, (p.revenue / top) * 100) : 0;
          const short = shortPostId(p.post_id);
          const facts = postFacts(p);
          return (
            <tr key={p.post_id} data-post={p.post_id}>
              <th scope="row" class="col-name">
                {width > 0 && <span class="money-bar" style={{ width: `${width}%` }} aria-hidden="true" />}
                <span class="money-name">
                  <a class="x-post-link" href={p.url} target="_blank" rel="noopener noreferrer" title={p.post_id} aria-label={`Post ${short} on X (opens in a new tab)`}>
                    {short}
                    <span class="x-out" aria-hidden="true">{' ↗'}</span>
                  </a>
                </span>
                {p.text && (
                  <span class="x-post-text" title={p.text}>
                    {p.text}
                  </span>
                )}
                {facts && <span class="x-post-facts">{facts}</span>}
              </th>
              {cols.map((c) => (
                <td key={c.key} class={`col-num c-${c.key}`} data-label={c.short}>
                  {c.value(p)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// ---------- lifetime value ----------

// The cohort's month as the chart names months: "Nov 2026".
const cohortLabel = (c: LtvCohort) => bucketLabel({ timestamp: c.start }, 'month');

// A cell's shade, 0 (none) to 5 (the table's highest value). Decoration
// only: the number is the content, and every shade keeps AA contrast.
export function heatLevel(value: number, top: number): number {
  if (!(value > 0) || !(top > 0)) return 0;
  return Math.min(5, Math.max(1, Math.ceil((value / top) * 5)));
}

function LifetimeValue({ cohorts, currency }: { cohorts: LtvCohort[]; currency: string }) {
  const anyone = cohorts.some((c) => c.visitors > 0);
  return (
    <section class="card panel rev-ltv" aria-labelledby="rev-ltv-title">
      <div class="panel-head">
        <h2 id="rev-ltv-title">Lifetime value by first visit</h2>
      </div>
      <p class="ltv-note muted small">
        What each month’s new visitors paid per visitor, net of refunds: by the end of that month (0), of the next (1), and so on to the end of the period.
      </p>
      {anyone ? <CohortTable cohorts={cohorts} currency={currency} /> : <p class="panel-empty">No visitors were first seen in the 12 months up to the end of this period.</p>}
    </section>
  );
}

function CohortTable({ cohorts, currency }: { cohorts: LtvCohort[]; currency: string }) {
  const base = useId();
  const box = useRef<HTMLDivElement>(null);
  // Wider than its box (a phone, many months): the box scrolls sideways, and
  // a keyboard reaches it to scroll it; its right edge fades while there is
  // more to the right. The months' label sticks beside the first column,
  // however wide the locale's month names make it.
  const [scrolls, setScrolls] = useState(false);
  const [more, setMore] = useState(false);
  const edge = () => {
    const el = box.current;
    if (el) setMore(el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
  };
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const check = () => {
      setScrolls(el.scrollWidth > el.clientWidth + 1);
      edge();
      const first = el.querySelector<HTMLElement>('thead .ltv-name');
      if (first) el.style.setProperty('--ltv-name-width', `${first.offsetWidth}px`);
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  const months = Math.max(1, ...cohorts.map((c) => c.revenue_per_visitor.length));
  const top = Math.max(0, ...cohorts.filter((c) => c.visitors > 0).flatMap((c) => c.revenue_per_visitor));
  const id = (part: string) => `${base}-${part}`;
  return (
    <div class={`ltv-frame${more ? ' ltv-more' : ''}`}>
      <div
        class="ltv-scroll"
        ref={box}
        onScroll={edge}
        {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': 'Lifetime value table, scrolls sideways' } : {})}
      >
        <table class="ltv-table">
          <caption class="visually-hidden">Revenue per visitor by month of first visit, oldest month first</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2} id={id('first')} class="ltv-name">
                First visit
              </th>
              <th scope="col" rowSpan={2} id={id('visitors')} class="ltv-count">
                Visitors
              </th>
              <th scope="col" rowSpan={2} id={id('customers')} class="ltv-count">
                <span class="ltv-wide">Customers</span>
                <abbr class="ltv-narrow" title="Customers">
                  Paid
                </abbr>
              </th>
              <th scope="colgroup" colSpan={months} id={id('rpv')} class="ltv-group">
                <span class="ltv-group-label">
                  <span class="ltv-wide">Revenue per visitor, by month since the first visit</span>
                  <abbr class="ltv-narrow" title="Revenue per visitor, by month since the first visit">
                    Per visitor
                  </abbr>
                </span>
              </th>
            </tr>
            <tr>
              {Array.from({ length: months }, (_, k) => (
                <th scope="col" key={k} id={id(`m${k}`)} class="ltv-month">
                  <span class="visually-hidden">Month </span>
                  {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((c, i) => {
              const row = id(`c${i}`);
              const nobody = c.visitors === 0;
              return (
                <tr key={c.cohort} data-cohort={c.cohort} class={nobody ? 'ltv-nobody' : undefined}>
                  <th scope="row" id={row} class="ltv-name">
                    {cohortLabel(c)}
                  </th>
                  <td class="ltv-count c-visitors" headers={`${row} ${id('visitors')}`}>
                    {count(c.visitors)}
                  </td>
                  <td class="ltv-count c-customers" headers={`${row} ${id('customers')}`}>
                    {count(c.customers)}
                  </td>
                  {Array.from({ length: months }, (_, k) => {
                    if (k >= c.revenue_per_visitor.length) return <td key={k} class="ltv-cell ltv-later" />;
                    const headers = `${row} ${id('rpv')} ${id(`m${k}`)}`;
                    if (nobody)
                      return (
                        <td key={k} class="ltv-cell" headers={headers} data-month={k}>
                          <span aria-hidden="true">—</span>
                        </td>
                      );
                    const v = c.revenue_per_visitor[k];
                    return (
                      <td key={k} class={`ltv-cell ltv-h${heatLevel(v, top)}`} headers={headers} data-month={k}>
                        {money(v, currency)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
