/**
 * The command line: the only module that reads argv, prints and decides the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { VFile } from 'vfile';
import { reporter } from 'vfile-reporter';
import { build, idleJobs, loadSite } from '../build.js';
import { InputError } from '../diagnostics.js';
import { lintOutput } from '../lint/lint-output.js';
import { CONFIG_FILE, ConfigError, DEFAULT_MAX_SIMILARITY, DEFAULT_MIN_OWN_WORDS, readConfig } from './config.js';
import { LAYOUTS, isLayout } from '../layouts/index.js';
import { DEFAULT_MAX_CHARS, MIN_MAX_CHARS, exportKb } from '../kb-export.js';
import { TRANSLATION_COMMANDS, translations } from './translations.js';
import { parseShard } from '../plan/shard.js';
import { UsageError } from './usage-error.js';
import { DEFAULT_PREVIEW_PORT, createPreviewServer, listen } from './preview.js';
import { DIAGRAM_FORMATS, type DiagramFormat } from '../render/article.js';
import { PACKAGE_ROOT, initCatalog } from './init.js';

const HELP = `codepairs — comparison articles for every pair of protocol status codes

Usage:
  codepairs build [options]   render every page into the output folder
  codepairs check [options]   validate the catalog, locales and templates; write nothing
  codepairs check --output    also read the generated pages in the output folder as a reader
                              would and report what reads badly (see the README for the rules)
  codepairs preview [--out <dir>] [--port <n>]
                              serve the output folder at http://localhost:<port>/ (printed;
                              default port 8080, or a free one when 8080 is taken) until
                              Ctrl-C, as a static host would, 404.html included
  codepairs export [options]  write the knowledge base: out/kb/<lang>.jsonl and manifest.json
  codepairs translations status [--lang <tags>] [--json] [--catalog <dir>]
                              per language: units translated, stale (the English changed
                              since) and missing, and which ones
  codepairs translations stamp [--lang <tags>] (--unit <id>... | --all) [--catalog <dir>]
                              record that translations match the current English (after a
                              typo-only English edit, or a hand-made translation); with
                              --catalog, the catalog's units, in its own sources.json
  codepairs translations export --lang <tag> [--format xliff12|xliff2|json] [--all] [--catalog <dir>]
                              write the stale and missing units (--all: every unit) to
                              standard output for a translation tool (default: XLIFF 1.2)
  codepairs translations import <file> [--force] [--catalog <dir>]
                              check and write back translations from an exported file
                              (path from the current folder); --force also takes units
                              translated from an older English; with --catalog, a file
                              exported with the same --catalog
  codepairs init <dir> --protocol <id>
                              scaffold a new catalog folder: protocol.yaml, two example codes,
                              English locale resources and a README for catalog authors; it
                              builds as is with --catalog (see "Bring your own catalog")
  codepairs --help | --version

A unit id is <namespace>:<key>, e.g. sip:codes.183.description or common:sections.fix.
The translations commands also take --lang and --root as below.

Options:
  --lang <tags>      languages to build or export, comma-separated or repeated (default:
                     all in locales/languages.json)
  --out <dir>        output folder, relative to the project folder (default: out); replaced
                     only when the build succeeds
  --base-url <url>   build: site URL for absolute canonical and hreflang links, the
                     JSON-LD url and sitemap.xml (default: relative links, so the output
                     also works opened from disk; then no sitemap.xml is written, since a
                     sitemap needs absolute URLs, and robots.txt names no sitemap)
  --no-search        build: no Pagefind search index (out/pagefind/) and no search box on
                     the home pages; faster. --shard builds never write the index
  --root <dir>       project folder holding data/, locales/, templates/ (default: ., or with
                     --catalog the codepairs package itself)
  --catalog <dir>    build, check, translations: this catalog folder (protocol.yaml, codes/,
                     locales/<lang>/<id>.json) instead of the project's catalogs (\`catalogs\` in
                     codepairs.config.json, default data/sip), in the languages it has
                     locales for; templates, stylesheet, common.json and languages.json come
                     from --root. A folder without locales/ uses --root's locales/<lang>/<id>.json
                     (a second catalog of the project: --catalog data/http --root .). With
                     --catalog and no --root, --out is relative to the current folder
  --protocol <id>    init: the new catalog's protocol id (lowercase letters, digits, hyphens)
  --shard <k>/<n>    build: only part k of n (1 ≤ k ≤ n) of the pages, a contiguous,
                     deterministic share; every shard also writes the root page and the
                     stylesheet. Give each shard its own --out and copy the folders together:
                     the union equals a full build byte for byte (see the README)
  --force            build: render every page, ignoring what the previous build recorded in
                     <out>/.codepairs/manifest.json (by default a build renders only the pages
                     whose inputs changed and keeps the others; see "Incremental builds")
  --jobs, -j <n>     build, export and check --output: threads (default: one per idle core,
                     at most 8, at least 1: the cores minus those other processes keep busy in
                     a 0.2 s sample, and for build and export none for fewer than 1,000 pages;
                     1 works on the main thread; build renders on the main thread and n - 1
                     threads it starts); build: as many threads index the languages
                     for search (by default one per idle core, at most 4); the result is the
                     same whatever the number
  --port <n>         preview: port to listen on (0: any free port)
  --diagrams <fmt>   build: how the Markdown shows call-flow diagrams: svg (default), an image
                     of the SVG file beside the pages, or mermaid, a Mermaid sequence diagram
                     for portals that render Mermaid; the HTML always shows the SVG
  --layout <name>    build: plain (default: Markdown and HTML pages, sitemap, search, the
                     site as it is), or the Markdown articles arranged for a documentation
                     portal's i18n: hugo, vitepress, docusaurus or mkdocs, with navigation
                     grouped by code class, a config snippet and redirects of the reversed
                     pair order (no HTML, sitemap or search: the portal makes those; see
                     "Publishing to a portal" in the README)
  --output           (check) lint the pages in the output folder (--out) too
  --strict           fail on stale or missing translations (default: warn, and pages
                     show those texts in English with a notice)
  --quiet            print nothing but errors

Export options:
  --format jsonl     record format (jsonl, the only one)
  --max-chars <n>    size limit of a record's text in characters, at least 100 (default:
                     1500); longer sections are split between sentences
  --since <file>     manifest of an earlier export, relative to the project folder (for
                     example out/kb/manifest.json): also write kb/changes.jsonl with the
                     upserts and deletes since then
  export writes out/kb/ (under --out) atomically and leaves the rest of the output alone;
  a later build keeps out/kb/.

Settings can also live in codepairs.config.json in the project folder:
  { "out": "out", "baseUrl": "https://example.com/docs/", "langs": ["en", "zh-CN"], "search": true,
    "noindexBelow": 0.51, "lint": { "maxSimilarity": 0.7, "minOwnWords": 120 }, "kbMaxChars": 1500,
    "layout": "plain" }
noindexBelow: pair pages less relevant than this get noindex and stay out of sitemap.xml
(default: none; relevance is in each pair page's front matter).
Command-line options win over the file.

Exit codes: 0 success, 1 problems in the inputs (listed as file:line:column), 2 usage error.`;

/** The options each command takes (besides --help and --version). */
const COMMAND_OPTIONS: Record<string, string[]> = {
  build: ['lang', 'out', 'base-url', 'root', 'quiet', 'jobs', 'strict', 'shard', 'no-search', 'diagrams', 'force', 'layout', 'catalog'],
  preview: ['out', 'port', 'root'],
  check: ['base-url', 'root', 'quiet', 'strict', 'output', 'out', 'lang', 'jobs', 'catalog'],
  init: ['protocol', 'quiet'],
  export: ['format', 'lang', 'out', 'max-chars', 'since', 'jobs', 'root', 'quiet'],
  'translations status': ['lang', 'json', 'root', 'catalog'],
  'translations stamp': ['lang', 'unit', 'all', 'root', 'quiet', 'catalog'],
  'translations export': ['lang', 'format', 'all', 'root', 'catalog'],
  'translations import': ['force', 'root', 'quiet', 'catalog'],
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  const print = (text: string) => io.out.write(`${text}\n`);
  const printError = (text: string) => io.err.write(`${text}\n`);
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        lang: { type: 'string', multiple: true },
        out: { type: 'string' },
        'base-url': { type: 'string' },
        root: { type: 'string' },
        quiet: { type: 'boolean' },
        output: { type: 'boolean' },
        jobs: { type: 'string', short: 'j' },
        shard: { type: 'string' },
        'no-search': { type: 'boolean' },
        port: { type: 'string' },
        diagrams: { type: 'string' },
        layout: { type: 'string' },
        format: { type: 'string' },
        'max-chars': { type: 'string' },
        since: { type: 'string' },
        strict: { type: 'boolean' },
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        force: { type: 'boolean' },
        unit: { type: 'string', multiple: true },
        catalog: { type: 'string' },
        protocol: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    if (values.help) return print(HELP), 0;
    if (values.version) return print(version()), 0;
    const [command, ...rest] = positionals;
    if (!command) throw new UsageError('missing command: expected `build`, `check`, `preview`, `export`, `init` or `translations`');
    const name = command === 'translations' ? `translations ${rest[0] ?? ''}` : command;
    if (command === 'translations' && !(TRANSLATION_COMMANDS as readonly string[]).includes(rest[0] ?? '')) {
      throw new UsageError(`${rest[0] ? `unknown command \`translations ${rest[0]}\`` : 'missing command'}: expected ${TRANSLATION_COMMANDS.map((c) => `\`translations ${c}\``).join(', ')}`);
    }
    const allowed = COMMAND_OPTIONS[name];
    if (allowed) {
      const given = Object.keys(values).filter((key) => key !== 'help' && key !== 'version' && !allowed.includes(key));
      if (given.length) throw new UsageError(`option \`--${given[0]}\` does not apply to \`${name}\``);
    }
    if (command === 'init') {
      if (rest.length !== 1) throw new UsageError(rest.length ? `unexpected argument \`${rest[1]}\`` : 'missing folder: expected `codepairs init <dir> --protocol <id>`');
      const written = initCatalog(resolve(rest[0]!), values.protocol);
      if (!values.quiet) print(`codepairs: wrote a ${values.protocol} catalog to ${rest[0]} (${written.join(', ')}); build it with \`codepairs build --catalog ${rest[0]}\``);
      return 0;
    }
    // A catalog brought with --catalog uses codepairs' own templates and common locales unless --root says otherwise.
    const catalog = values.catalog === undefined ? undefined : resolve(values.catalog);
    if (values.catalog === '') throw new UsageError('invalid --catalog: expected a catalog folder');
    if (catalog !== undefined && !existsSync(catalog)) throw new UsageError(`no catalog folder \`${values.catalog}\``);
    const root = resolve(values.root ?? (catalog ? PACKAGE_ROOT : '.'));
    /** Where --out points: with --catalog, from the current folder; otherwise from the project folder. */
    const outBase = catalog && values.root === undefined ? process.cwd() : root;
    const langs = values.lang?.flatMap((l) => l.split(',')).map((l) => l.trim()).filter(Boolean);
    if (command === 'translations') {
      return await translations(rest[0]!, {
        root,
        catalog,
        langs,
        json: values.json,
        format: values.format,
        all: values.all,
        force: values.force,
        units: values.unit,
        quiet: values.quiet,
        args: rest.slice(1),
        write: (text) => io.out.write(text),
        writeError: (text) => io.err.write(`${text}\n`),
      });
    }
    if (rest.length) throw new UsageError(`unexpected argument \`${rest[0]}\``);
    const config = readConfig(root);
    const baseUrl = values['base-url'] ?? config.baseUrl;
    if (baseUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new UsageError(`invalid --base-url \`${baseUrl}\`: expected an http(s) URL`);
    const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`invalid --jobs \`${values.jobs}\`: expected a whole number from 1`);
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (values.shard !== undefined && !shard) throw new UsageError(`invalid --shard \`${values.shard}\`: expected <k>/<n>, whole numbers with 1 ≤ k ≤ n, e.g. 2/4`);

    const diagrams = values.diagrams;
    if (diagrams !== undefined && !(DIAGRAM_FORMATS as readonly string[]).includes(diagrams)) {
      throw new UsageError(`invalid --diagrams \`${diagrams}\`: expected ${DIAGRAM_FORMATS.map((f) => `\`${f}\``).join(' or ')}`);
    }

    const layout = values.layout ?? config.layout;
    if (layout !== undefined && !isLayout(layout)) {
      const given = values.layout === undefined ? `layout \`${layout}\` in ${CONFIG_FILE}` : `--layout \`${layout}\``;
      throw new UsageError(`invalid ${given}: expected ${LAYOUTS.map((l) => `\`${l}\``).join(', ')}`);
    }

    const printWarnings = (files: VFile[]) => {
      if (files.length) printError(reporter(files, { quiet: true }));
    };
    // The project's catalogs (codepairs.config.json), unless --catalog names one.
    const catalogs = catalog === undefined && config.catalogs ? config.catalogs.map((dir) => resolve(root, dir)) : undefined;
    for (const [i, dir] of (catalogs ?? []).entries()) {
      if (!existsSync(dir)) throw new UsageError(`no catalog folder \`${config.catalogs![i]}\` (catalogs in ${CONFIG_FILE})`);
    }
    if (command === 'check') {
      const site = await loadSite({ root, catalog, catalogs, baseUrl, strict: values.strict });
      const { warnings } = site;
      const ctx = site.ctxs[0]!;
      printWarnings(warnings);
      const verdict = warnings.length ? 'no errors' : 'no problems';
      if (!values.quiet) {
        for (const c of site.ctxs) print(`codepairs check: ${c.catalog.codes.length} ${c.catalog.protocol.name} codes, ${c.languages.length} language${c.languages.length === 1 ? '' : 's'} (${c.languages.map((l) => l.tag).join(', ')}): ${verdict}`);
      }
      if (!values.output) return 0;
      const shown = values.out ?? config.out ?? 'out';
      const outDir = resolve(outBase, shown);
      if (!existsSync(outDir)) throw new UsageError(`no output folder \`${shown}\` to check: run \`codepairs build\` first`);
      const maxSimilarity = config.lint?.maxSimilarity ?? DEFAULT_MAX_SIMILARITY;
      const minOwnWords = config.lint?.minOwnWords ?? DEFAULT_MIN_OWN_WORDS;
      const result = await lintOutput(ctx, { root, catalog, outDir, cwd: process.cwd(), maxSimilarity, minOwnWords, langs: langs ?? config.langs, jobs: jobs ?? (await idleJobs()) });
      if (result.files.length) printError(reporter(result.files, { quiet: true }));
      if (!values.quiet) {
        for (const l of result.languages) {
          const similar = l.mostSimilar ? `; most similar pair pages ${l.mostSimilar.a} and ${l.mostSimilar.b}: ${l.mostSimilar.similarity.toFixed(2)} (limit ${maxSimilarity})` : '';
          const own = l.leastOwn ? `; fewest words of its own ${l.leastOwn.words} (${Math.round(l.leastOwn.share * 100)}%) in ${l.leastOwn.path} (limit ${minOwnWords})` : '';
          print(`  ${l.lang}: ${l.pages} pages${similar}${own}`);
        }
        const count = result.files.reduce((n, f) => n + f.messages.length, 0);
        print(`codepairs check --output: ${result.pages} pages in ${shown}: ${count ? `${count} findings` : 'no findings'}`);
      }
      return result.files.length ? 1 : 0;
    }
    if (command === 'build') {
      const outDir = resolve(outBase, values.out ?? config.out ?? 'out');
      const started = performance.now();
      const showProgress = !values.quiet && io.err.isTTY === true && !io.env.CI;
      if (catalogs && catalogs.length > 1 && layout !== undefined && layout !== 'plain') {
        throw new UsageError(`--layout ${layout} builds one catalog at a time: give --catalog <dir> (one portal section per catalog)`);
      }
      const result = await build({
        root,
        catalog,
        catalogs,
        outDir,
        langs: langs ?? config.langs,
        baseUrl,
        jobs,
        strict: values.strict,
        ...(diagrams ? { diagrams: diagrams as DiagramFormat } : {}),
        shard,
        search: !values['no-search'] && config.search !== false,
        noindexBelow: config.noindexBelow,
        force: values.force,
        ...(layout ? { layout } : {}),
        onProgress: showProgress
          ? (done, total) => {
              if (done % 50 === 0 || done === total) io.err.write(`\r  rendering ${done}/${total} pages`);
              if (done === total) io.err.write('\n');
            }
          : undefined,
      });
      printWarnings(result.warnings);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const part = shard ? ` (shard ${shard.index}/${shard.count})` : '';
      if (!values.quiet) {
        const files = `${result.files} files written, ${result.kept} kept, ${result.removed} removed`;
        print(`codepairs: built ${result.pages} pages${part}, ${result.rendered} rendered (${files}; ${result.languages.length} language${result.languages.length === 1 ? '' : 's'}: ${result.languages.join(', ')}) to ${values.out ?? config.out ?? 'out'} in ${seconds} s`);
        if (result.searchPages !== undefined) print(`  search index: ${result.searchPages} pages in ${(result.timings.search / 1000).toFixed(2)} s`);
        if (layout !== undefined && layout !== 'plain') print(`  ${layout} layout: Markdown articles, navigation and config snippet for the portal; no HTML, sitemap or search index`);
        else if (!result.sitemap) print('  no sitemap.xml: it needs absolute URLs, give --base-url (or baseUrl in codepairs.config.json)');
      }
      return 0;
    }
    if (command === 'preview') {
      const shown = values.out ?? config.out ?? 'out';
      const outDir = resolve(root, shown);
      if (!existsSync(outDir)) throw new UsageError(`no output folder \`${shown}\` to serve: run \`codepairs build\` first`);
      const port = values.port === undefined ? DEFAULT_PREVIEW_PORT : Number(values.port);
      if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new UsageError(`invalid --port \`${values.port}\`: expected a whole number from 0 to 65535`);
      const server = createPreviewServer(outDir);
      let listening: number;
      try {
        listening = await listen(server, port, values.port === undefined);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: choose another with --port, or --port 0 for any free port`);
        throw error;
      }
      print(`Serving ${shown}/ at http://localhost:${listening}/ (Ctrl-C to stop)`);
      await new Promise<void>((done) => {
        const stop = () => {
          server.close(() => done());
          server.closeAllConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    if (command === 'export') {
      if (values.format !== undefined && values.format !== 'jsonl') throw new UsageError(`invalid --format \`${values.format}\`: expected \`jsonl\``);
      const maxChars = values['max-chars'] === undefined ? (config.kbMaxChars ?? DEFAULT_MAX_CHARS) : Number(values['max-chars']);
      if (!(Number.isInteger(maxChars) && maxChars >= MIN_MAX_CHARS)) {
        const given = values['max-chars'] === undefined ? `kbMaxChars ${config.kbMaxChars}` : `--max-chars \`${values['max-chars']}\``;
        throw new UsageError(`invalid ${given}: expected a whole number from ${MIN_MAX_CHARS}`);
      }
      if (values.since === '') throw new UsageError('invalid --since: expected the path of a manifest.json');
      const outName = values.out ?? config.out ?? 'out';
      const started = performance.now();
      const showProgress = !values.quiet && io.err.isTTY === true && !io.env.CI;
      const result = await exportKb({
        root,
        catalogs,
        outDir: resolve(root, outName),
        langs: langs ?? config.langs,
        maxChars,
        jobs,
        since: values.since,
        onProgress: showProgress
          ? (done, total) => {
              if (done % 50 === 0 || done === total) io.err.write(`\r  exporting ${done}/${total} pages`);
              if (done === total) io.err.write('\n');
            }
          : undefined,
      });
      printWarnings(result.warnings);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const changes = result.changes ? `; changes since ${values.since}: ${result.changes.upserts} upserts, ${result.changes.deletes} deletes` : '';
      if (!values.quiet) print(`codepairs: exported ${result.records} records from ${result.pages} pages (${result.languages.length} language${result.languages.length === 1 ? '' : 's'}: ${result.languages.join(', ')}) to ${outName}/kb in ${seconds} s${changes}`);
      return 0;
    }
    throw new UsageError(`unknown command \`${command}\`: expected \`build\`, \`check\`, \`preview\`, \`export\`, \`init\` or \`translations\``);
  } catch (error) {
    if (error instanceof InputError) {
      printError(reporter(error.files, { quiet: true }));
      return 1;
    }
    if (error instanceof UsageError || error instanceof ConfigError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      printError(`codepairs: ${error.message}\nRun \`codepairs --help\` for usage.`);
      return 2;
    }
    throw error;
  }
}
