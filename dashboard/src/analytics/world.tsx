// The world map of the Locations panel: countries shaded by visitors, a
// tooltip with visitors and revenue, a click (or Enter) filters by the
// country. Countries with visitors are reachable with Tab; the Country tab
// is the same data as a table.
import { useState } from 'preact/hooks';
import { kCountryPaths, kMapHeight, kMapWidth } from 'virtual:world-map';
import { Notice, Spinner } from '../components/ui';
import { useDash } from './context';
import { kMaxRows, useV1 } from './data';
import type { Breakdown, Row } from './data';
import { EmptyRows } from './panels';
import { count, countryName, money } from './numbers';
import { withFilter } from './view';

export function WorldMap() {
  const { access, params, view, setView, site } = useDash();
  const q = new URLSearchParams(params);
  q.set('limit', String(kMaxRows));
  const res = useV1<Breakdown>(access, 'countries', q);
  const [tip, setTip] = useState<{ code: string; x: number; y: number } | null>(null);
  if (res.error && !res.data) return <Notice kind="error">{res.error.message}</Notice>;
  if (!res.data) return <Spinner />;

  const byCode = new Map<string, Row>();
  for (const row of res.data.data) if (row.country) byCode.set(String(row.country).toUpperCase(), row);
  const max = Math.max(0, ...[...byCode.values()].map((r) => r.visitors));
  // A square-root scale: one big country doesn't wash out the rest.
  const shade = (v: number) => (max > 0 ? Math.round(18 + 82 * Math.sqrt(v / max)) : 0);
  const pick = (code: string) => setView(withFilter(view, 'country', code));
  const label = (code: string, row: Row) => `${countryName(code)}: ${count(row.visitors)} visitors, ${money(row.revenue, site.currency)} revenue`;
  const tipRow = tip ? byCode.get(tip.code) : undefined;
  const place = (code: string, e: MouseEvent | FocusEvent) => {
    const svg = (e.currentTarget as SVGElement).ownerSVGElement!;
    const box = svg.getBoundingClientRect();
    const r = (e.currentTarget as SVGGraphicsElement).getBoundingClientRect();
    const x = e instanceof MouseEvent ? e.clientX - box.left : r.left + r.width / 2 - box.left;
    const y = e instanceof MouseEvent ? e.clientY - box.top : r.top - box.top;
    // Kept inside the map's box, which clips (no sideways scrolling).
    setTip({ code, x: Math.min(Math.max(x, 95), box.width - 95), y: Math.max(y, 72) });
  };

  return (
    <div class={`map${res.loading ? ' is-loading' : ''}`}>
      {byCode.size === 0 && <EmptyRows />}
      <div class="map-box">
        <svg viewBox={`0 0 ${kMapWidth} ${kMapHeight}`} class="map-svg" role="group" aria-label="Visitors by country">
          {Object.entries(kCountryPaths).map(([code, d]) => {
            const row = byCode.get(code);
            if (!row) return <path key={code} d={d} class="map-country" data-code={code} />;
            return (
              <path
                key={code}
                d={d}
                class="map-country has-data"
                data-code={code}
                style={{ fill: `color-mix(in srgb, var(--chart-visitors) ${shade(row.visitors)}%, var(--map-empty))` }}
                tabIndex={0}
                role="button"
                aria-label={label(code, row)}
                onClick={() => pick(code)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    pick(code);
                  }
                }}
                onMouseMove={(e) => place(code, e)}
                onFocus={(e) => place(code, e)}
                onMouseLeave={() => setTip(null)}
                onBlur={() => setTip(null)}
              />
            );
          })}
        </svg>
        {tip && tipRow && (
          <div class="map-tip" style={{ left: `${tip.x}px`, top: `${tip.y}px` }} role="presentation">
            <p class="tip-title">{countryName(tip.code)}</p>
            <p>{count(tipRow.visitors)} visitors</p>
            <p>
              {money(tipRow.revenue, site.currency)} · {money(tipRow.revenue_per_visitor, site.currency)} per visitor
            </p>
          </div>
        )}
      </div>
      {max > 0 && (
        <div class="map-legend" aria-hidden="true">
          <span>1</span>
          <span class="map-scale" />
          <span>{count(max)} visitors</span>
        </div>
      )}
    </div>
  );
}
