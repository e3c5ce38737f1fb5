// Builds the tracker's three variants from one source with esbuild `define`
// flags, minified, and checks the size budget of script.js.
//
// usage: node tracker/build.mjs OUTDIR
// Writes OUTDIR/script.js, script.cookieless.js and script.hash.js, prints
// each one's gzipped size, and exits non-zero when script.js is over budget.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const kEntry = new URL('./src/tracker.js', import.meta.url).pathname;
const kBudget = 2048; // bytes of script.js, gzip level 9

const kVariants = [
  { file: 'script.js', cookieless: false, hash: false },
  { file: 'script.cookieless.js', cookieless: true, hash: false },
  { file: 'script.hash.js', cookieless: false, hash: true },
];

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node tracker/build.mjs OUTDIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

let overBudget = false;
for (const v of kVariants) {
  const result = await build({
    entryPoints: [kEntry],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2019',
    legalComments: 'none',
    charset: 'utf8',
    define: { COOKIELESS: String(v.cookieless), HASH: String(v.hash) },
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  writeFileSync(join(outDir, v.file), code);
  const gzipped = gzipSync(code, { level: 9 }).length;
  const checked = v.file === 'script.js';
  if (checked && gzipped > kBudget) overBudget = true;
  console.log(`${v.file.padEnd(22)} ${String(code.length).padStart(5)} B  ${String(gzipped).padStart(5)} B gzip` +
    (checked ? ` (budget ${kBudget})` : ''));
}
if (overBudget) {
  console.error(`script.js is over its ${kBudget}-byte gzip budget`);
  process.exit(1);
}
