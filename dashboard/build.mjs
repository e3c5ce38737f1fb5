// Builds the dashboard for production: type-checks with tsc, bundles with
// Vite, and prints the gzipped size of every JS and CSS file.
//
// usage: node dashboard/build.mjs OUTDIR
// Writes OUTDIR/index.html and OUTDIR/assets/* (hashed names), plus
// OUTDIR/app-files.txt listing those files, one relative path per line, for
// the embedding step. Only those are replaced: OUTDIR may also hold CMake's
// own files. Exits non-zero on a type error or a failed build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv[2];
if (!outArg) {
  console.error('usage: node dashboard/build.mjs OUTDIR');
  process.exit(2);
}
const outDir = resolve(outArg);
const require = createRequire(import.meta.url);

// 1. Types. tsc runs as its own process so its exit status is the verdict.
const tsc = require.resolve('typescript/bin/tsc');
const check = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
if (check.status !== 0) {
  console.error('dashboard: type check failed');
  process.exit(1);
}

// 2. Bundle. Clear only what a previous build wrote.
mkdirSync(outDir, { recursive: true });
rmSync(join(outDir, 'assets'), { recursive: true, force: true });
rmSync(join(outDir, 'index.html'), { force: true });
rmSync(join(outDir, 'app-files.txt'), { force: true });

const { build } = await import('vite');
try {
  await build({
    configFile: join(here, 'vite.config.ts'),
    root: here,
    logLevel: 'warn',
    mode: 'production',
    build: { outDir, emptyOutDir: false },
  });
} catch (e) {
  console.error(`dashboard: build failed: ${e?.message ?? e}`);
  process.exit(1);
}

// 3. The file list and the sizes.
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else files.push(relative(outDir, p));
  }
};
if (!existsSync(join(outDir, 'index.html'))) {
  console.error('dashboard: the build wrote no index.html');
  process.exit(1);
}
files.push('index.html');
if (existsSync(join(outDir, 'assets'))) walk(join(outDir, 'assets'));
files.sort();
writeFileSync(join(outDir, 'app-files.txt'), files.join('\n') + '\n');

let totals = { js: 0, css: 0 };
for (const f of files) {
  const kind = f.endsWith('.js') ? 'js' : f.endsWith('.css') ? 'css' : null;
  if (!kind) continue;
  const data = readFileSync(join(outDir, f));
  const gz = gzipSync(data, { level: 9 }).length;
  totals[kind] += gz;
  console.log(`${f.padEnd(40)} ${String(data.length).padStart(7)} B  ${String(gz).padStart(6)} B gzip`);
}
console.log(`dashboard: JS ${totals.js} B gzip, CSS ${totals.css} B gzip, ${files.length} files in ${outDir}`);
