// The breakdown panels: sources, pages, locations, devices and goals. Each
// row shows visitors and, beside them, revenue, revenue per visitor and the
// conversion rate; a click on a row filters the whole view by its value.
// Columns sort; "View all" pages through up to kMaxRows rows, 50 at a time;
// every panel exports its rows as CSV.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { Button, Modal, Notice, Spinner, TabList, useLazy } from '../components/ui';
import { useDash } from './context';
import { kMaxRows, kReports, useV1 } from './data';
import type { Breakdown, Report, Row } from './data';
import { breakdownTable, fetchAllRows, periodSlug } from './export';
import { csv, download, fileName } from './csv';
import { count, countryName, money, percent, valueLabel } from './numbers';
import { withFilter } from './view';

type MapView = () => ComponentChildren;
const mapModule: { current: Promise<MapView> | null } = { current: null };

// The map and its country shapes are their own chunk, loaded when shown.
function MapTab() {
  const { value: View, error } = useLazy(mapModule, () => import('./world').then((m) => m.WorldMap));
  if (error) return <Notice kind="error">The map could not be loaded. Check your connection and reload.</Notice>;
  return View ? <View /> : <Spinner />;
}

type SortKey = 'name' | 'visitors' | 'revenue' | 'revenue_per_visitor' | 'conversion_rate' | 'completions';
interface Sort {
  key: SortKey;
  desc: boolean;
}
const kDefaultSort: Sort = { key: 'visitors', desc: true };
const kCardRows = 10;
const kPageRows = 50;

interface Column {
  key: Exclude<SortKey, 'name'>;
  label: string;
  short: string;
  // Dropped first when the panel is narrow.
  optional?: boolean;
}

function columnsFor(report: Report): Column[] {
  const rpv: Column = { key: 'revenue_per_visitor', label: 'Revenue per visitor', short: 'RPV' };
  const revenue: Column = { key: 'revenue', label: 'Revenue', short: 'Revenue' };
  const visitors: Column = { key: 'visitors', label: 'Visitors', short: 'Visitors' };
  if (report.dim === 'goal') return [visitors, { key: 'completions', label: 'Completions', short: 'Compl.', optional: true }, revenue, rpv];
  return [visitors, revenue, rpv, { key: 'conversion_rate', label: 'Conversion rate', short: 'Conv.', optional: true }];
}

function sortRows(rows: Row[], report: Report, sort: Sort): Row[] {
  const out = [...rows];
  const dir = sort.desc ? -1 : 1;
  out.sort((a, b) => {
    if (sort.key === 'name') return dir * valueLabel(report.dim, String(a[report.dim] ?? '')).localeCompare(valueLabel(report.dim, String(b[report.dim] ?? '')));
    const x = Number(a[sort.key] ?? 0);
    const y = Number(b[sort.key] ?? 0);
    return x === y ? b.visitors - a.visitors : dir * (x - y);
  });
  return out;
}

// A panel's rows for one report: the top kCardRows straight from the API in
// its own order (visitors, descending), every row (up to kMaxRows) when the
// user sorts by anything else or wants them all.
function useRows(report: Report, all: boolean) {
  const { access, params } = useDash();
  const q = new URLSearchParams(params);
  q.set('limit', String(all ? kMaxRows : kCardRows));
  return useV1<Breakdown>(access, report.endpoint, q);
}

function formatCell(key: Column['key'], row: Row, currency: string): string {
  switch (key) {
    case 'visitors':
      return count(row.visitors);
    case 'completions':
      return count(row.completions ?? 0);
    case 'revenue':
      return money(row.revenue, currency, { compact: true });
    case 'revenue_per_visitor':
      return money(row.revenue_per_visitor, currency);
    case 'conversion_rate':
      return percent(row.conversion_rate);
  }
}

function RowLabel({ report, row }: { report: Report; row: Row }) {
  const value = String(row[report.dim] ?? '');
  const label = valueLabel(report.dim, value);
  if ((report.dim === 'region' || report.dim === 'city') && row.country) {
    return (
      <>
        {label} <span class="row-sub">{countryName(String(row.country))}</span>
      </>
    );
  }
  return <>{label}</>;
}

// The table of rows: sortable headers, a bar of visitors behind each name
// with a line under it for its share of the revenue (which source pays, at a
// glance), the name a button that filters by it.
// The largest visitors and revenue among rows, for the bars.
interface Scale {
  visitors: number;
  revenue: number;
}
function scaleOf(rows: Row[]): Scale {
  return { visitors: Math.max(0, ...rows.map((r) => r.visitors)), revenue: Math.max(0, ...rows.map((r) => r.revenue)) };
}

function RowsTable({ report, rows, sort, onSort, scale, caption }: { report: Report; rows: Row[]; sort: Sort; onSort: (s: Sort) => void; scale: Scale; caption: string }) {
  const { view, setView, site } = useDash();
  const columns = columnsFor(report);
  const header = (key: SortKey, label: ComponentChildren, title: string, cls: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" class={cls} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}>
        <button type="button" class="sort" title={`Sort by ${title}`} onClick={() => onSort({ key, desc: active ? !sort.desc : key !== 'name' })}>
          {label}
          <span class="sort-mark" aria-hidden="true">
            {active ? (sort.desc ? '↓' : '↑') : ''}
          </span>
        </button>
      </th>
    );
  };
  return (
    <table class="rows">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {header('name', report.label, report.label, 'col-name')}
          {columns.map((c) =>
            header(
              c.key,
              <abbr title={c.label}>{c.short}</abbr>,
              c.label,
              `col-num c-${c.key}${c.optional ? ' col-opt' : ''}`,
            ),
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const value = String(row[report.dim] ?? '');
          const filterable = value !== '' && !view.filters.some((f) => f.dim === report.dim && f.op === 'is' && f.values.length === 1 && f.values[0] === value);
          const width = scale.visitors > 0 ? Math.max(1, (row.visitors / scale.visitors) * 100) : 0;
          const earned = scale.revenue > 0 && row.revenue > 0 ? Math.max(1, (row.revenue / scale.revenue) * 100) : 0;
          return (
            <tr key={`${value}|${row.country ?? ''}`} class={filterable ? 'is-filterable' : undefined} onClick={filterable ? () => setView(withFilter(view, report.dim, value)) : undefined}>
              <th scope="row" class="col-name">
                <span class="bar" style={{ width: `${width}%` }} aria-hidden="true" />
                {earned > 0 && <span class="bar-revenue" style={{ width: `${earned}%` }} aria-hidden="true" />}
                {filterable ? (
                  <button
                    type="button"
                    class="row-filter"
                    title={`Filter: ${report.label} is ${valueLabel(report.dim, value)}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setView(withFilter(view, report.dim, value));
                    }}
                  >
                    <RowLabel report={report} row={row} />
                  </button>
                ) : (
                  <span class="row-text">
                    <RowLabel report={report} row={row} />
                  </span>
                )}
              </th>
              {columns.map((c) => (
                <td key={c.key} class={`col-num c-${c.key}${c.optional ? ' col-opt' : ''}`}>
                  {formatCell(c.key, row, site.currency)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function EmptyRows() {
  const { view } = useDash();
  return <p class="panel-empty">{view.filters.length ? 'No data for this period with these filters.' : 'No data for this period yet.'}</p>;
}

// One report in a panel: the top rows, "View all" and "Export CSV".
function ReportView({ report }: { report: Report }) {
  const dash = useDash();
  const [sort, setSort] = useState<Sort>(kDefaultSort);
  const [all, setAll] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const needAll = sort.key !== 'visitors' || !sort.desc;
  const res = useRows(report, needAll);
  const rows = res.data ? sortRows(res.data.data, report, sort).slice(0, kCardRows) : [];
  const total = res.data?.pagination.total ?? 0;
  const scale = scaleOf(res.data?.data ?? []);

  const exportRows = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const b = await fetchAllRows(dash, report);
      download(fileName(dash.site.domain, report.endpoint, periodSlug(dash)), csv(breakdownTable(report, sortRows(b.data, report, sort))));
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };

  if (res.error && !res.data) return <Notice kind="error">{res.error.message}</Notice>;
  if (!res.data) return <Spinner />;
  return (
    <div class={res.loading ? 'is-loading' : undefined} aria-busy={res.loading}>
      {rows.length === 0 ? (
        <EmptyRows />
      ) : (
        <RowsTable report={report} rows={rows} sort={sort} onSort={setSort} scale={scale} caption={`${report.label}, top ${rows.length} of ${total}`} />
      )}
      <div class="panel-foot">
        {scale.revenue > 0 && (
          <p class="revenue-key">
            <span class="swatch-line" aria-hidden="true" /> share of revenue
          </p>
        )}
        {total > kCardRows && (
          <Button variant="ghost" onClick={() => setAll(true)}>
            View all {count(total)}
          </Button>
        )}
        {total > 0 && (
          <Button variant="ghost" busy={exporting} busyLabel="Exporting…" onClick={exportRows} aria-label={`Export ${report.label} as CSV`}>
            Export CSV
          </Button>
        )}
        {exportError && (
          <p class="field-error" role="alert">
            {exportError}
          </p>
        )}
      </div>
      {all && <AllRows report={report} sort={sort} onSort={setSort} onClose={() => setAll(false)} onExport={exportRows} />}
    </div>
  );
}

// Every row (up to kMaxRows) in a dialog, kPageRows a page.
function AllRows({ report, sort, onSort, onClose, onExport }: { report: Report; sort: Sort; onSort: (s: Sort) => void; onClose: () => void; onExport: () => void }) {
  const [page, setPage] = useState(0);
  const res = useRows(report, true);
  const { view } = useDash();
  // A filter from a row closes the dialog: the view behind it changed.
  const filters = JSON.stringify(view.filters);
  const first = useRef(filters);
  useEffect(() => {
    if (filters !== first.current) onClose();
  }, [filters]);
  useEffect(() => setPage(0), [sort.key, sort.desc]);
  const sorted = res.data ? sortRows(res.data.data, report, sort) : [];
  const pages = Math.max(1, Math.ceil(sorted.length / kPageRows));
  const rows = sorted.slice(page * kPageRows, (page + 1) * kPageRows);
  const total = res.data?.pagination.total ?? 0;
  const scale = scaleOf(sorted);
  return (
    <Modal title={report.label} onClose={onClose}>
      {res.error && !res.data ? (
        <Notice kind="error">{res.error.message}</Notice>
      ) : !res.data ? (
        <Spinner />
      ) : rows.length === 0 ? (
        <EmptyRows />
      ) : (
        <>
          <div class="dialog-rows">
            <RowsTable report={report} rows={rows} sort={sort} onSort={onSort} scale={scale} caption={`${report.label}, page ${page + 1} of ${pages}`} />
          </div>
          {total > sorted.length && <p class="muted small">Showing the top {count(sorted.length)} of {count(total)} by visitors.</p>}
          <nav class="pager" aria-label={`${report.label} pages`}>
            <Button variant="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <span aria-live="polite">
              Page {page + 1} of {pages}
            </span>
            <Button variant="secondary" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
              Next
            </Button>
            <Button variant="ghost" onClick={onExport}>
              Export CSV
            </Button>
          </nav>
        </>
      )}
    </Modal>
  );
}

interface TabDef {
  id: string;
  label: string;
  // The report, or a choice of reports shown as a select (UTM parameters).
  reports: Report[];
  choiceLabel?: string;
  render?: () => ComponentChildren;
}

// A card with WAI-ARIA tabs (arrow keys, Home, End) over its reports.
function Panel({ title, tabs }: { title: string; tabs: TabDef[] }) {
  const [active, setActive] = useState(tabs[0].id);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const base = useId();
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  const report = current.reports.find((r) => r.endpoint === choice[current.id]) ?? current.reports[0];
  return (
    <section class="card panel" aria-labelledby={`${base}-title`}>
      <div class="panel-head">
        <h2 id={`${base}-title`}>{title}</h2>
        {tabs.length > 1 && <TabList tabs={tabs} active={current.id} onSelect={setActive} label={`${title} by`} base={base} class="panel-tabs" />}
      </div>
      <div role={tabs.length > 1 ? 'tabpanel' : undefined} id={`${base}-panel`} aria-labelledby={tabs.length > 1 ? `${base}-tab-${current.id}` : undefined} class="panel-body">
        {current.reports.length > 1 && (
          <label class="control control-inline">
            <span class="control-label">{current.choiceLabel}</span>
            <select value={report.endpoint} onChange={(e) => setChoice({ ...choice, [current.id]: e.currentTarget.value })}>
              {current.reports.map((r) => (
                <option key={r.endpoint} value={r.endpoint}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {current.render ? current.render() : <ReportView key={report.endpoint} report={report} />}
      </div>
    </section>
  );
}

const r = (...endpoints: string[]) => endpoints.map((e) => kReports[e]);

export function SourcesPanel() {
  return (
    <Panel
      title="Sources"
      tabs={[
        { id: 'channel', label: 'Channel', reports: r('channels') },
        { id: 'referrer', label: 'Referrer', reports: r('referrers') },
        { id: 'utm', label: 'UTM', reports: r('utm-sources', 'utm-mediums', 'utm-campaigns', 'utm-terms', 'utm-contents'), choiceLabel: 'UTM parameter' },
        { id: 'ref', label: 'Ref', reports: r('refs', 'sources', 'vias'), choiceLabel: 'Link parameter' },
      ]}
    />
  );
}

export function PagesPanel() {
  return (
    <Panel
      title="Pages"
      tabs={[
        { id: 'page', label: 'Page', reports: r('pages') },
        { id: 'entry', label: 'Entry', reports: r('entry-pages') },
        { id: 'exit', label: 'Exit', reports: r('exit-pages') },
        { id: 'host', label: 'Hostname', reports: r('hostnames') },
      ]}
    />
  );
}

export function LocationsPanel() {
  return (
    <Panel
      title="Locations"
      tabs={[
        {
          id: 'map',
          label: 'Map',
          reports: r('countries'),
          render: () => <MapTab />,
        },
        { id: 'country', label: 'Country', reports: r('countries') },
        { id: 'region', label: 'Region', reports: r('regions') },
        { id: 'city', label: 'City', reports: r('cities') },
      ]}
    />
  );
}

export function DevicesPanel() {
  return (
    <Panel
      title="Devices"
      tabs={[
        { id: 'device', label: 'Device', reports: r('devices') },
        { id: 'browser', label: 'Browser', reports: r('browsers') },
        { id: 'os', label: 'OS', reports: r('operating-systems') },
      ]}
    />
  );
}

export function GoalsPanel() {
  return <Panel title="Goals" tabs={[{ id: 'goal', label: 'Goal', reports: r('goals') }]} />;
}
