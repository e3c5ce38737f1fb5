// Vite config for the dashboard. `node dashboard/build.mjs OUTDIR` is the
// production build; `npx vite dashboard` is the dev server, which proxies the
// API and the tracker to DATAFAST_URL (a running `datafast serve`).
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import worldMap from './world_map.mjs';

const target = process.env.DATAFAST_URL || 'http://127.0.0.1:20480';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact({ prerender: { enabled: false } }), worldMap()],
  base: '/',
  build: {
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.DASHBOARD_DEV_PORT || 20481),
    strictPort: true,
    proxy: { '/api': target, '/js': target },
  },
});
