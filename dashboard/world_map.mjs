// A Vite plugin that serves `virtual:world-map`: the world's countries as SVG
// path strings keyed by ISO 3166-1 alpha-2 code, made at build time from the
// pinned Natural Earth 1:110m TopoJSON (world-atlas), projected with the
// Natural Earth projection. Nothing of world-atlas, topojson-client or
// i18n-iso-countries ships: only the paths (ADR 0005).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const kId = 'virtual:world-map';
const kWidth = 1000;

// Natural Earth 1 (Šavrič et al.), as d3-geo's geoNaturalEarth1Raw.
function naturalEarth(lon, lat) {
  const l = (lon * Math.PI) / 180;
  const p = (lat * Math.PI) / 180;
  const p2 = p * p;
  const p4 = p2 * p2;
  return [
    l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))),
    p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4))),
  ];
}

// A ring that crosses the antimeridian (Russia's far east, Fiji) jumps from
// +180 to -180 between two points; pressing its far side against the edge of
// the side it mostly lies on keeps it from striping across the whole map.
function wrapped(ring) {
  if (!ring.some(([lon], i) => i > 0 && Math.abs(lon - ring[i - 1][0]) > 180)) return ring;
  const east = ring.filter(([lon]) => lon > 0).length * 2 > ring.length;
  return ring.map(([lon, lat]) => [east ? (lon < -90 ? 180 : lon) : lon > 90 ? -180 : lon, lat]);
}

// Natural Earth names three places without an ISO code of their own.
const kUnnamed = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

export function worldMap() {
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
  const alpha2 = new Map(require('i18n-iso-countries/codes.json').map((c) => [c[2], c[0]]));
  const countries = feature(topo, topo.objects.countries).features.filter((f) => f.properties.name !== 'Antarctica');

  // Rings in projected units, then scaled to kWidth wide with y pointing down.
  const shapes = countries.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return {
      code: f.id ? alpha2.get(f.id) : kUnnamed[f.properties.name],
      rings: polygons.flat().map((ring) => wrapped(ring).map(([lon, lat]) => naturalEarth(lon, lat))),
    };
  });
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const s of shapes) {
    for (const r of s.rings) {
      for (const [x, y] of r) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  const scale = kWidth / (maxX - minX);
  const height = Math.ceil((maxY - minY) * scale);

  // Relative moves in whole units (half a pixel at the widest the map is shown):
  // a third of the absolute form's size.
  const byCode = new Map();
  for (const s of shapes) {
    if (!s.code) continue;
    let d = byCode.get(s.code) ?? '';
    for (const ring of s.rings) {
      let px = 0, py = 0, first = true, part = '';
      for (const [x, y] of ring) {
        const qx = Math.round((x - minX) * scale);
        const qy = Math.round((maxY - y) * scale);
        if (first) part += `M${qx} ${qy}`;
        else if (qx !== px || qy !== py) part += `l${qx - px} ${qy - py}`;
        px = qx;
        py = qy;
        first = false;
      }
      d += `${part}z`;
    }
    byCode.set(s.code, d);
  }
  return { width: kWidth, height, paths: Object.fromEntries([...byCode].sort()) };
}

export default function worldMapPlugin() {
  return {
    name: 'datafast-world-map',
    resolveId: (id) => (id === kId ? `\0${kId}` : null),
    load(id) {
      if (id !== `\0${kId}`) return null;
      const m = worldMap();
      return `export const kMapWidth = ${m.width};\nexport const kMapHeight = ${m.height};\nexport const kCountryPaths = ${JSON.stringify(m.paths)};\n`;
    },
  };
}
