/**
 * Bundle the compiled CLI (dist/, from tsc) into dist/bundle/, which bin/codepairs.js and the
 * threads it starts run. Why: Node 20 resolves, loads and links every ES module on its own, and
 * the CLI's ~450 modules (unified, Handlebars, YAML, i18next and codepairs' own) took ~0.28 s to
 * import on the development machine, the bundle ~0.08 s: on every command (a no-op rebuild
 * takes ~0.3 s in all) and on every render thread.
 *
 * Entries are named by where the code that starts them looks for them: a thread's module is found
 * with `new URL('./…', import.meta.url)`, from the chunk at the top of dist/bundle/ that holds that
 * code (build.ts: `./render/worker.js`, kb-export.ts: `./kb-export-worker.js`, lint-output.ts:
 * `./worker.js`, search-index.ts: `./search-index-worker.js`). After bundling, every such URL in
 * the bundle is checked to name a file of it.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'bundle');

const entries = {
  main: 'cli/main.js',
  build: 'build.js',
  'render/worker': 'render/worker.js',
  'kb-export-worker': 'kb-export-worker.js',
  worker: 'lint/worker.js',
  'search-index-worker': 'emit/search-index-worker.js',
};

rmSync(out, { recursive: true, force: true });
await build({
  input: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(dist, file)])),
  platform: 'node',
  // Packages' ES module builds: jsonc-parser's CommonJS one loads its parts by a `require` the bundle cannot follow.
  resolve: { mainFields: ['module', 'main'] },
  // Pagefind finds its binary next to its own files.
  external: [/^node:/, 'pagefind'],
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const broken = [];
for (const file of files(out)) {
  for (const [, url] of readFileSync(file, 'utf8').matchAll(/new URL\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)) {
    if (!existsSync(join(dirname(file), url))) broken.push(`${relative(root, file)}: new URL('${url}', import.meta.url) names no file`);
  }
}
if (broken.length) {
  console.error(`bundle: ${broken.join('\n')}`);
  process.exit(1);
}
