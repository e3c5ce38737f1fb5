// Visitors (a line) and revenue (bars, on their own axis) over time, with
// notes as flags along the top. uPlot draws on a canvas; the tooltip is
// ours, follows the mouse or the arrow keys, and is read out when it moves
// by keyboard.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { Notice, Spinner } from '../components/ui';
import { useDash } from './context';
import { kMaxRows, useV1 } from './data';
import type { Bucket, Note, Series } from './data';
import { bucketLabel, compact, count, money } from './numbers';

type UPlotClass = typeof uPlot;
let uplotModule: Promise<UPlotClass> | null = null;
// uPlot is its own chunk, fetched with the first chart.
function loadUPlot(): Promise<UPlotClass> {
  uplotModule ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default as UPlotClass);
  return uplotModule;
}

// uPlot, loaded on first use: the class once it is there, and whether
// loading it failed.
export function useUPlot(): { UPlot: UPlotClass | null; failed: boolean } {
  const [UPlot, setUPlot] = useState<UPlotClass | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadUPlot().then((c) => setUPlot(() => c), () => setFailed(true));
  }, []);
  return { UPlot, failed };
}

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

// The theme as the stylesheet sees it; charts redraw when it changes.
export function useThemeName(): string {
  const [theme, setTheme] = useState(document.documentElement.dataset.theme ?? 'light');
  useEffect(() => {
    const o = new MutationObserver(() => setTheme(document.documentElement.dataset.theme ?? 'light'));
    o.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => o.disconnect();
  }, []);
  return theme;
}

// Which bucket each note falls in: the first starting on its day (hours),
// else the last starting before it (weeks, months). Buckets start at local
// midnights, so their timestamps' first ten characters are local days.
// The x axis of a chart of buckets (indexes 0…n-1): a label about every
// 90 px of `el`'s width, `label(i)` for bucket i.
export function bucketAxis(el: HTMLElement, label: (i: number) => string): uPlot.Axis {
  return {
    stroke: cssVar('--muted'),
    font: `12px ${cssVar('--font')}`,
    grid: { show: false },
    ticks: { stroke: cssVar('--border'), width: 1, size: 4 },
    splits: (_u, _i, min, max) => {
      const n = Math.max(1, Math.floor(el.clientWidth / 90));
      const step = Math.max(1, Math.ceil((max - min) / n));
      const out: number[] = [];
      for (let i = Math.ceil(min); i <= max; i += step) out.push(i);
      return out;
    },
    values: (_u, splits) => splits.map(label),
  };
}

// Keeps `u` as wide as `el`, `height(width)` high; the returned function
// stops that and destroys the plot.
export function fitToWidth(u: uPlot, el: HTMLElement, height: (width: number) => number): () => void {
  const resize = new ResizeObserver(() => {
    const w = Math.max(el.clientWidth, 200);
    if (w !== u.width) u.setSize({ width: w, height: height(w) });
  });
  resize.observe(el);
  return () => {
    resize.disconnect();
    u.destroy();
  };
}

// Where a key moves the keyboard's cursor among `n` buckets from `idx` (-1:
// none yet): the bucket, 'hide' for Escape, null for a key that is not ours.
export function stepBucket(key: string, idx: number, n: number): number | 'hide' | null {
  if (key === 'ArrowRight') return Math.min(n - 1, idx + 1);
  if (key === 'ArrowLeft') return idx < 0 ? n - 1 : Math.max(0, idx - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  if (key === 'Escape') return 'hide';
  return null;
}

export function notesByBucket(buckets: Bucket[], notes: Note[]): Map<number, Note[]> {
  const out = new Map<number, Note[]>();
  const starts = buckets.map((b) => b.timestamp.slice(0, 10));
  for (const n of notes) {
    let idx = starts.indexOf(n.date);
    if (idx < 0) for (let i = 0; i < starts.length; i++) if (starts[i] <= n.date) idx = i;
    if (idx < 0) continue;
    out.set(idx, [...(out.get(idx) ?? []), n]);
  }
  return out;
}

export function Chart() {
  const { access, params, view, site, notesVersion } = useDash();
  const q = new URLSearchParams(params);
  q.set('interval', view.interval);
  q.set('limit', String(kMaxRows));
  const series = useV1<Series>(access, 'timeseries', q);
  const notes = useV1<{ data: Note[] }>(access, 'notes', params, notesVersion);
  const currency = series.data?.currency || site.currency;
  return (
    <section class="card chart-card" aria-labelledby="chart-title">
      <div class="chart-head">
        <h2 id="chart-title">Visitors and revenue</h2>
        <ul class="legend" aria-label="Legend">
          <li>
            <span class="swatch swatch-visitors" aria-hidden="true" /> Visitors
          </li>
          <li>
            <span class="swatch swatch-revenue" aria-hidden="true" /> Revenue ({currency})
          </li>
          <li>
            <span class="swatch swatch-note" aria-hidden="true" /> Note
          </li>
        </ul>
      </div>
      {series.error && !series.data ? (
        <Notice kind="error">{series.error.message}</Notice>
      ) : !series.data ? (
        <div class="chart-box">
          <Spinner />
        </div>
      ) : (
        <Plot series={series.data} notes={notes.data?.data ?? []} currency={currency} />
      )}
    </section>
  );
}

function Plot({ series, notes, currency }: { series: Series; notes: Note[]; currency: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { UPlot, failed } = useUPlot();
  const [hover, setHover] = useState<{ idx: number; left: number; top: number } | null>(null);
  const [announce, setAnnounce] = useState('');
  const theme = useThemeName();
  const buckets = series.data;
  const marks = useMemo(() => notesByBucket(buckets, notes), [buckets, notes]);
  const empty = buckets.every((b) => b.visitors === 0 && b.revenue === 0);

  useEffect(() => {
    const el = box.current;
    if (!UPlot || !el) return;
    const visitors = cssVar('--chart-visitors');
    const revenue = cssVar('--chart-revenue');
    const grid = cssVar('--border');
    const text = cssVar('--muted');
    const noteColor = cssVar('--chart-note');
    const font = `12px ${cssVar('--font')}`;
    const xs = buckets.map((_, i) => i);
    const bars = UPlot.paths.bars!({ size: [0.6, 40], align: 0 });
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height: el.clientWidth < 500 ? 200 : 260,
      padding: [18, 4, 0, 4],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 }, y: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        v: { range: (_u, _min, max) => [0, Math.max(4, max * 1.1)] },
        r: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        bucketAxis(el, (i) => (buckets[i] ? shortLabel(buckets[i], series.interval) : '')),
        {
          scale: 'v',
          stroke: text,
          font,
          size: 48,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? compact(v) : '')),
        },
        {
          scale: 'r',
          side: 1,
          stroke: text,
          font,
          size: 56,
          grid: { show: false },
          ticks: { show: false },
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? money(v, currency, { compact: true, whole: true }) : '')),
        },
      ],
      series: [
        {},
        { label: 'Revenue', scale: 'r', paths: bars, fill: revenue, stroke: revenue, width: 0, points: { show: false } },
        // No area under the line: it would tint the revenue bars it crosses.
        { label: 'Visitors', scale: 'v', stroke: visitors, width: 2, points: { show: buckets.length < 40, size: 5, fill: visitors } },
      ],
      hooks: {
        setCursor: [
          (u) => {
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) return setHover(null);
            setHover({ idx, left: u.cursor.left, top: u.cursor.top ?? 0 });
          },
        ],
        draw: [
          (u) => {
            const ctx = u.ctx;
            const r = devicePixelRatio;
            ctx.save();
            for (const idx of marks.keys()) {
              const x = Math.round(u.valToPos(idx, 'x', true));
              ctx.strokeStyle = noteColor;
              ctx.setLineDash([4 * r, 3 * r]);
              ctx.lineWidth = r;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.setLineDash([]);
              ctx.fillStyle = noteColor;
              ctx.beginPath();
              ctx.moveTo(x - 6 * r, u.bbox.top - 12 * r);
              ctx.lineTo(x + 6 * r, u.bbox.top - 12 * r);
              ctx.lineTo(x, u.bbox.top - 2 * r);
              ctx.closePath();
              ctx.fill();
            }
            ctx.restore();
          },
        ],
      },
    };
    const data: uPlot.AlignedData = [xs, buckets.map((b) => b.revenue), buckets.map((b) => b.visitors)];
    const u = new UPlot(opts, data, el);
    plot.current = u;
    const stop = fitToWidth(u, el, (w) => (w < 500 ? 200 : 260));
    return () => {
      stop();
      plot.current = null;
    };
  }, [UPlot, buckets, marks, currency, theme, series.interval]);

  // Arrow keys walk the buckets; Escape hides the tooltip.
  const onKey = (e: KeyboardEvent) => {
    const u = plot.current;
    if (!u || buckets.length === 0) return;
    const idx = stepBucket(e.key, hover?.idx ?? -1, buckets.length);
    if (idx === null) return;
    if (idx === 'hide') {
      u.setCursor({ left: -10, top: -10 });
      setHover(null);
      return;
    }
    e.preventDefault();
    const left = u.valToPos(idx, 'x');
    const top = u.valToPos(buckets[idx].visitors, 'v');
    u.setCursor({ left, top });
    setAnnounce(describe(buckets[idx], series.interval, marks.get(idx) ?? [], currency));
  };

  if (failed) return <Notice kind="error">The chart could not be loaded. Check your connection and reload.</Notice>;
  const total = buckets.reduce((s, b) => s + b.visitors, 0);
  const b = hover ? buckets[hover.idx] : null;
  const hoveredNotes = hover ? (marks.get(hover.idx) ?? []) : [];
  return (
    <div class="chart-wrap">
      <div
        class="chart-box"
        ref={box}
        tabIndex={0}
        role="img"
        aria-roledescription="chart"
        aria-label={`Visitors and revenue by ${series.interval}: ${count(total)} visitors and ${money(buckets.reduce((s, x) => s + x.revenue, 0), currency)} in ${buckets.length} ${series.interval}s. Use the arrow keys to read each ${series.interval}.`}
        onKeyDown={onKey}
        onBlur={() => {
          plot.current?.setCursor({ left: -10, top: -10 });
          setHover(null);
        }}
      />
      {empty && <p class="chart-empty">No visitors in this period.</p>}
      {b && hover && (
        <div class={`chart-tip${hover.left > (box.current?.clientWidth ?? 0) / 2 ? ' tip-left' : ''}`} style={{ left: `${hover.left + (plot.current?.bbox.left ?? 0) / devicePixelRatio}px` }} role="presentation">
          <p class="tip-title">{bucketLabel(b, series.interval)}</p>
          <p>
            <span class="swatch swatch-visitors" aria-hidden="true" /> {count(b.visitors)} visitors
          </p>
          <p>
            <span class="swatch swatch-revenue" aria-hidden="true" /> {money(b.revenue, currency)}
            {b.payments > 0 && <span class="muted"> · {count(b.payments)} payments</span>}
          </p>
          {hoveredNotes.map((n) => (
            <p class="tip-note" key={n.id}>
              <span class="swatch swatch-note" aria-hidden="true" /> {n.text}
            </p>
          ))}
        </div>
      )}
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </div>
  );
}

function describe(b: Bucket, interval: string, notes: Note[], currency: string): string {
  const n = notes.length ? ` Notes: ${notes.map((x) => x.text).join('; ')}.` : '';
  return `${bucketLabel(b, interval)}: ${count(b.visitors)} visitors, ${money(b.revenue, currency)} revenue.${n}`;
}

// The x axis has little room: hours show only their time, midnights their day.
function shortLabel(b: Bucket, interval: string): string {
  if (interval !== 'hour') return bucketLabel(b, interval);
  const time = b.timestamp.slice(11, 16);
  return time === '00:00' ? bucketLabel({ timestamp: b.timestamp }, 'day') : time;
}
