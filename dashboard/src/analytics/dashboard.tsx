// The analytics view of one site: period and comparison pickers, filters,
// and two tabs: traffic (the metric cards, visitors and revenue over time
// with notes, the breakdown panels, notes) and revenue (revenue.tsx: which
// source makes money); CSV exports of either. The same view serves signed-in
// members (/sites/{id}) and share links (/share/{token}), read-only there.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import { Button, Notice, TabList } from '../components/ui';
import { navigate, useLocation } from '../router';
import { DashCtx, useDash } from './context';
import type { Dash, SiteInfo } from './context';
import { kMaxRows, useV1 } from './data';
import type { Access, Breakdown, Metrics, Overview } from './data';
import { exportRevenue, exportView } from './export';
import { change, count, decimal, duration, money, percent, valueLabel } from './numbers';
import { PeriodCaption } from './caption';
import { Chart } from './chart';
import { Realtime } from './live';
import { NotesPanel } from './notes';
import { DevicesPanel, GoalsPanel, LocationsPanel, PagesPanel, SourcesPanel } from './panels';
import { RevenueView } from './revenue';
import { apiParams, intervalsFor, kCompares, kDimensions, kPeriods, kTabs, readView, revenueInterval, revenueIntervals, todayIn, withoutFilter, writeView } from './view';
import type { Compare, Interval, Period, Tab, View } from './view';

export function Dashboard({ access, site, siteId, canEditNotes }: { access: Access; site: SiteInfo; siteId: string | null; canEditNotes: boolean }) {
  const { path, query } = useLocation();
  const view = useMemo(() => readView(query), [query.toString()]);
  const params = useMemo(() => apiParams(view), [view]);
  const [notesVersion, setNotesVersion] = useState(0);
  const dash: Dash = {
    access,
    site,
    siteId,
    view,
    params,
    setView: (v: View) => navigate(path + writeView(v, query)),
    canEditNotes,
    notesVersion,
    notesChanged: () => setNotesVersion((n) => n + 1),
  };
  const base = useId();
  return (
    <DashCtx.Provider value={dash}>
      <div class="dash">
        <TabList tabs={kTabs} active={view.tab} onSelect={(id) => dash.setView({ ...view, tab: id as Tab })} label="Report" base={base} class="view-tabs" />
        <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${view.tab}`} class="dash">
          <Toolbar />
          <FilterChips />
          {view.tab === 'revenue' ? (
            <RevenueView />
          ) : (
            <>
              <Cards />
              <Chart />
              <div class="panels">
                <SourcesPanel />
                <PagesPanel />
                <LocationsPanel />
                <DevicesPanel />
                <GoalsPanel />
                <NotesPanel />
              </div>
            </>
          )}
        </div>
      </div>
    </DashCtx.Provider>
  );
}

// A label above its control, tied by id (so its name is the label alone).
function Control({ label, children }: { label: string; children: (id: string) => ComponentChildren }) {
  const id = useId();
  return (
    <div class="control">
      <label class="control-label" for={id}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

function Toolbar() {
  const { view, setView, site } = useDash();
  const [custom, setCustom] = useState(view.period === 'custom');
  const today = todayIn(site.timezone);
  const [from, setFrom] = useState(view.from || today);
  const [to, setTo] = useState(view.to || today);
  useEffect(() => {
    setCustom(view.period === 'custom');
    if (view.period === 'custom') {
      setFrom(view.from);
      setTo(view.to);
    }
  }, [view.period, view.from, view.to]);
  const revenue = view.tab === 'revenue';
  // The revenue report has no hours: its own choice of intervals.
  const intervals = revenue ? revenueIntervals(view) : intervalsFor(view);
  const interval = revenue ? revenueInterval(view) : view.interval;
  const pickPeriod = (p: Period) => {
    if (p === 'custom') {
      setCustom(true);
      return;
    }
    setCustom(false);
    setView({ ...view, period: p, from: '', to: '', interval: intervalsFor({ period: p, from: '', to: '' })[0] });
  };
  const rangeError = custom && (!from || !to ? 'Pick both days.' : from > to ? 'The first day comes after the last.' : null);
  const applyRange = (e: Event) => {
    e.preventDefault();
    if (rangeError) return;
    setView({ ...view, period: 'custom', from, to, interval: intervalsFor({ period: 'custom', from, to })[0] });
  };
  return (
    <div class="dash-toolbar" role="group" aria-label="Report settings">
      <div class="dash-controls">
        <Control label="Period">
          {(id) => (
            <select id={id} value={custom ? 'custom' : view.period} onChange={(e) => pickPeriod(e.currentTarget.value as Period)}>
              {kPeriods.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          )}
        </Control>
        {custom && (
          <form class="range" onSubmit={applyRange} noValidate aria-label="Custom range">
            <Control label="From">{(id) => <input id={id} type="date" value={from} max={today} onInput={(e) => setFrom(e.currentTarget.value)} required />}</Control>
            <Control label="To">{(id) => <input id={id} type="date" value={to} max={today} onInput={(e) => setTo(e.currentTarget.value)} required />}</Control>
            <Button type="submit" variant="secondary" disabled={!!rangeError}>
              Apply
            </Button>
            {rangeError && from && to && <p class="field-error range-error">{rangeError}</p>}
          </form>
        )}
        <Control label="Interval">
          {(id) => (
            <select id={id} value={interval} disabled={intervals.length < 2} onChange={(e) => setView({ ...view, interval: e.currentTarget.value as Interval })}>
              {intervals.map((i) => (
                <option key={i} value={i}>
                  {i.charAt(0).toUpperCase() + i.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Control>
        {!revenue && (
          <Control label="Compare to">
            {(id) => (
              <select id={id} value={view.compare} onChange={(e) => setView({ ...view, compare: e.currentTarget.value as Compare })}>
                {kCompares.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </Control>
        )}
        {!revenue && <ConversionPicker />}
      </div>
      <div class="dash-actions">
        <Realtime />
        <ExportButton />
      </div>
    </div>
  );
}

// What counts as a conversion: a payment (the default) or one of the site's
// goals, by name.
function ConversionPicker() {
  const { access, view, setView } = useDash();
  const q = apiParams({ ...view, filters: [], conversionGoal: '' });
  q.set('limit', String(kMaxRows));
  q.set('fields', 'goal,visitors');
  const goals = useV1<Breakdown>(access, 'goals', q);
  const names = (goals.data?.data ?? []).map((r) => String(r.goal ?? '')).filter(Boolean);
  if (view.conversionGoal && !names.includes(view.conversionGoal)) names.unshift(view.conversionGoal);
  if (names.length === 0) return null;
  return (
    <Control label="Conversion">
      {(id) => (
        <select id={id} value={view.conversionGoal} onChange={(e) => setView({ ...view, conversionGoal: e.currentTarget.value })}>
          <option value="">Payment</option>
          {names.map((n) => (
            <option key={n} value={n}>
              Goal: {n}
            </option>
          ))}
        </select>
      )}
    </Control>
  );
}

function ExportButton() {
  const dash = useDash();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        variant="secondary"
        busy={busy}
        busyLabel="Exporting…"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await (dash.view.tab === 'revenue' ? exportRevenue(dash) : exportView(dash));
          } catch (e) {
            setError(e instanceof Error ? e.message : String(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        Export CSV
      </Button>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function FilterChips() {
  const { view, setView } = useDash();
  if (view.filters.length === 0) return null;
  const ops = { is: 'is', is_not: 'is not', contains: 'contains', does_not_contain: 'does not contain' };
  return (
    <div class="chips" role="group" aria-label="Filters">
      {view.filters.map((f) => {
        const text = `${kDimensions[f.dim]} ${ops[f.op]} ${f.values.map((v) => (f.op === 'is' || f.op === 'is_not' ? valueLabel(f.dim, v) : v)).join(' or ')}`;
        return (
          <span class="chip" key={f.dim}>
            <span class="chip-text">{text}</span>
            <button type="button" class="chip-remove" aria-label={`Remove filter: ${text}`} title="Remove filter" onClick={() => setView(withoutFilter(view, f.dim))}>
              <span aria-hidden="true">×</span>
            </button>
          </span>
        );
      })}
      {view.filters.length > 1 && (
        <button type="button" class="btn btn-ghost btn-small" onClick={() => setView({ ...view, filters: [] })}>
          Clear all
        </button>
      )}
    </div>
  );
}

interface CardDef {
  key: keyof Metrics;
  label: string;
  format: (m: Metrics) => string;
  // Less is better (bounce rate).
  inverse?: boolean;
}

const kPrimary: CardDef[] = [
  { key: 'visitors', label: 'Visitors', format: (m) => count(m.visitors) },
  { key: 'revenue', label: 'Revenue', format: (m) => money(m.revenue, m.currency) },
  { key: 'revenue_per_visitor', label: 'Revenue per visitor', format: (m) => money(m.revenue_per_visitor, m.currency) },
  { key: 'conversion_rate', label: 'Conversion rate', format: (m) => percent(m.conversion_rate) },
];
const kSecondary: CardDef[] = [
  { key: 'pageviews', label: 'Pageviews', format: (m) => count(m.pageviews) },
  { key: 'views_per_session', label: 'Views per session', format: (m) => decimal(m.views_per_session) },
  { key: 'bounce_rate', label: 'Bounce rate', format: (m) => percent(m.bounce_rate), inverse: true },
  { key: 'avg_session_duration', label: 'Avg. session', format: (m) => duration(m.avg_session_duration) },
];

export function compareLabel(c: Compare): string {
  return c === 'year' ? 'vs same period last year' : 'vs previous period';
}

function Cards() {
  const { access, params, view, site } = useDash();
  const q = new URLSearchParams(params);
  if (view.compare !== 'off') q.set('compare', view.compare);
  const res = useV1<Overview>(access, 'overview', q);
  if (res.error && !res.data) return <Notice kind="error">{res.error.message}</Notice>;
  const m = res.data?.data[0];
  const prev = view.compare === 'off' ? undefined : res.data?.previous;
  const metric = (d: CardDef, primary: boolean) => {
    const value = m ? d.format({ ...m, currency: m.currency || site.currency }) : '—';
    const delta = m && prev ? change(m[d.key] as number, prev[d.key] as number) : null;
    return (
      <div class={`metric card${primary ? ' metric-primary' : ''}`} role="listitem" key={d.key} data-metric={d.key}>
        <p class="metric-label">
          {d.label}
          {d.key === 'conversion_rate' && view.conversionGoal && <span class="metric-sub"> to {view.conversionGoal}</span>}
        </p>
        <p class="metric-value">{value}</p>
        {m && prev && <Delta delta={delta} inverse={d.inverse} compare={view.compare} was={d.format({ ...prev, currency: prev.currency || site.currency })} />}
      </div>
    );
  };
  return (
    <section aria-label="Key metrics" class={`metrics${res.loading ? ' is-loading' : ''}`} aria-busy={res.loading}>
      <div class="metrics-primary" role="list">
        {kPrimary.map((d) => metric(d, true))}
      </div>
      <div class="metrics-secondary" role="list">
        {kSecondary.map((d) => metric(d, false))}
      </div>
      {res.data && <PeriodCaption period={res.data.period} previous={res.data.previous_period} />}
    </section>
  );
}

function Delta({ delta, inverse, compare, was }: { delta: number | null; inverse?: boolean; compare: Compare; was: string }) {
  if (delta === null) {
    return (
      <p class="delta delta-flat" title={`${compareLabel(compare)}: ${was}`}>
        <span aria-hidden="true">new</span>
        <span class="visually-hidden">No data {compareLabel(compare)}</span>
      </p>
    );
  }
  const rounded = Math.round(Math.abs(delta) * 10) / 10;
  const dir = rounded === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  const good = dir === 'flat' ? 'flat' : (dir === 'up') !== !!inverse ? 'good' : 'bad';
  return (
    <p class={`delta delta-${good}`} title={`${compareLabel(compare)}: ${was}`}>
      <span aria-hidden="true">{dir === 'up' ? '▲' : dir === 'down' ? '▼' : '•'} </span>
      {dir === 'flat' ? 'no change' : `${dir === 'up' ? 'up' : 'down'} ${rounded}%`}
      <span class="delta-vs"> {compareLabel(compare)}</span>
    </p>
  );
}
