/**
 * The staged run, top to bottom: load + validate → plan → render → write.
 * Any problem in the inputs stops the run before the output folder is touched.
 */
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { VFile } from 'vfile';
import { startThread, type Thread } from './run-workers.js';
import { InputError, hasErrors, recordWarnings, replayWarnings, report } from './diagnostics.js';
import { KB_DIR, StagedOutput, OutputError, listRecyclable, lockPath } from './emit/output.js';
import { warmFiles } from './emit/warm-files.js';
import { BUILD_MANIFEST_PATH, contentHash, manifestStamp, readBuildManifest, readRecycleNote, buildManifestChunks, serializeBuildManifest, slicesRecord, toolFingerprint, writeRecycleNote, type InputsRecord, type PreviousBuild, type SlicesRecord } from './emit/build-manifest.js';
import { mergedEntries, sortedEntries, sortedPaths } from './emit/sorted.js';
import { CONFIG_FILE, inputKey } from './load/input-key.js';
import { PARSE_CACHE_PATH, ParseCache, readParseCache } from './load/parse-cache.js';
import { PIECE_RECORDS_PATH, readPieceRecords, recordOf, sortedRecordsChunks, updatedRecordsChunks, withRecords, RecordSpill, type PieceRecords, type ReadPieceRecords } from './emit/piece-records.js';
import { changedPages, commonChanged, inputHashes } from './plan/incremental.js';
import { sha256, sha256Lines } from './hash.js';
import { loadCatalog } from './load/catalog.js';
import { loadLocales } from './load/locales.js';
import { catalogLocales } from './load/catalog-locales.js';
import { loadTemplates } from './load/templates.js';
import { withEnglishFallbacks } from './translations/fallback.js';
import { duplicatePaths, homeJob, isHome, Plan, planJobs, protocolOfPath } from './plan/jobs.js';
import { planShard } from './plan/shard.js';
import { FALLBACK_LANG, STYLESHEET_PATH, TemplateRenderError, piecesKey, type PreviousFiles, headingKeyOf, indexed, renderArticle, renderHomePage, renderRootPage, reversedPairPath, type RenderContext } from './render/article.js';
import { createI18n, translator } from './render/i18n.js';
import { COMMON_KEYS, protocolKeys } from './render/required-keys.js';
import { HOME_TEMPLATE, REQUIRED_TEMPLATES, compileTemplates } from './render/templates.js';
import type { BuildOptions, Job, Language, RenderTimings, StageTimings } from './types.js';
import type { ToWorker, WorkerInput, WorkerMessage } from './render/worker.js';
import { SearchIndexError, indexedPages, keptBundles, searchKeys, searchKeysOfSorted, writeSearchIndex } from './emit/search-index.js';
import { SEARCH_DIR, searchBundle } from './site/search-bundle.js';
import { siteFiles, type SiteFile } from './site/files.js';
import { diagramFile } from './render/call-flow.js';
import { portalOf, portalPaths, portalSiteFiles } from './layouts/index.js';
import { renderPortalPage } from './layouts/render.js';

export const DEFAULT_CATALOG = 'data/sip';

export interface Loaded {
  ctx: RenderContext;
  stylesheet: string;
  files: VFile[];
  /** Files with warnings only (for example stale or missing translations, shown in English). */
  warnings: VFile[];
}

/** Stage 1: read and validate every input. Throws InputError with all problems at once. */
/** What `load` reads of the build options; a render thread gets the same, so it loads what the main thread did. */
export type LoadOptions = Pick<BuildOptions, 'root' | 'catalog' | 'catalogs' | 'baseUrl' | 'strict' | 'noindexBelow' | 'diagrams' | 'search' | 'shard' | 'langs' | 'layout'>;

/**
 * `nested`: the catalog is one of several in the build (see loadSite): its index goes into its
 * folder, and a language of `langs` it has no resources for is left out rather than refused.
 */
export async function load(options: LoadOptions & { nested?: boolean; parseCache?: ParseCache }): Promise<Loaded> {
  const { root } = options;
  const files: VFile[] = [];
  // A catalog brought with --catalog: its files are shown relative to the current folder.
  const catalogBase = options.catalog ? process.cwd() : root;
  const catalog = await loadCatalog(catalogBase, options.catalog ?? join(root, DEFAULT_CATALOG), files, options.parseCache);
  const templates = await loadTemplates(root, files);
  for (const name of REQUIRED_TEMPLATES) {
    if (!templates.files[name]) {
      const file = new VFile({ path: `templates/${name}.hbs` });
      report(file, 'missing-file', { what: `the ${name} template`, path: file.path });
      files.push(file);
    }
  }
  const stylesheet = await readFile(join(root, STYLESHEET_PATH), 'utf8').catch(() => undefined);
  if (stylesheet === undefined) {
    const file = new VFile({ path: STYLESHEET_PATH });
    report(file, 'missing-file', { what: 'the stylesheet', path: file.path });
    files.push(file);
  }
  const locales = catalog
    ? await loadLocales(root, catalog, files, { common: COMMON_KEYS, [catalog.protocol.id]: protocolKeys(catalog.protocol, catalog.codes) }, { strict: options.strict, ...(options.catalog ? await catalogLocales(options.catalog, catalog.protocol.id, catalogBase, root) : {}) })
    : undefined;
  if (!catalog || !locales || hasErrors(files)) throw new InputError(files.filter((f) => f.messages.length > 0));
  const warnings = files.filter((f) => f.messages.length > 0);

  const statuses = new Map([...locales.translations].map(([lang, t]) => [lang, t.statuses]));
  const { resources, fallbackIds } = withEnglishFallbacks(locales.resources, statuses);
  const i18n = createI18n(resources, ['common', catalog.protocol.id]);
  const baseUrl = options.baseUrl ? (options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`) : undefined;
  const diagrams = options.diagrams ?? 'svg';
  const layout = options.layout ?? 'plain';
  // A shard holds part of the pages: its index would be partial (see the README on --shard).
  // A portal layout leaves search to the portal.
  const search = options.search === true && !options.shard && layout === 'plain';
  // Only the languages this build writes: hreflang alternates, the language switcher and the
  // root page never point at a language whose pages are not there.
  const languages = selectLanguages(locales.languages, options.langs, options.nested);
  const ctx: RenderContext = {
    catalog,
    byCode: new Map(catalog.codes.map((c) => [c.code, c])),
    i18n,
    templates: compileTemplates(templates),
    languages,
    baseUrl,
    diagrams,
    search,
    hashes: inputHashes({
      catalog,
      languages,
      resources,
      templates,
      baseUrl,
      // Build settings that change what pages say: the Markdown's diagrams, the search box, noindex.
      // A portal layout changes every page's file; `plain` is left out so its hashes stay as they were.
      settings: { diagrams, search, noindexBelow: options.noindexBelow ?? null, ...(layout === 'plain' ? {} : { layout }), ...(options.nested ? { nested: true } : {}) },
      headingKey: (lang, code) => headingKeyOf(ctx, lang, code),
    }),
    fallbackIds,
    noindexBelow: options.noindexBelow,
    layout,
    ...(options.nested ? { nested: true } : {}),
  };
  return { ctx, stylesheet: stylesheet!, files, warnings };
}

/** Every catalog of a build: one render context per protocol, in the order given. */
export interface Site {
  ctxs: RenderContext[];
  /** Every language of the build, in the order of locales/languages.json as the catalogs give it. */
  languages: Language[];
  stylesheet: string;
  warnings: VFile[];
}

/**
 * Stage 1 for a build of one catalog or of several (`catalogs`, from codepairs.config.json):
 * each catalog is loaded as `load` does, all problems of all catalogs reported at once.
 * `parseCache`: YAML parsed by an earlier build or by the main thread (src/load/parse-cache.ts).
 */
export async function loadSite(options: LoadOptions & { parseCache?: ParseCache }): Promise<Site> {
  const dirs = options.catalogs ?? [];
  if (dirs.length < 2) {
    const { ctx, stylesheet, warnings } = await load(dirs.length === 1 ? { ...options, catalog: dirs[0], catalogs: undefined } : options);
    return { ctxs: [ctx], languages: ctx.languages, stylesheet, warnings };
  }
  const loaded: Loaded[] = [];
  const failed: VFile[] = [];
  for (const catalog of dirs) {
    try {
      loaded.push(await load({ ...options, catalog, catalogs: undefined, nested: true }));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failed.push(...error.files);
    }
  }
  // The templates, the stylesheet and the common resources are read for every catalog: report each once.
  if (failed.length) throw new InputError(oncePerPath(failed));
  const ctxs = loaded.map((l) => l.ctx);
  const problems = new VFile({ path: CONFIG_FILE });
  const ids = ctxs.map((c) => c.catalog.protocol.id);
  for (const [i, id] of ids.entries()) if (ids.indexOf(id) !== i) report(problems, 'duplicate-protocol', { id, first: dirs[ids.indexOf(id)]!, second: dirs[i]! });
  if (!ctxs[0]!.templates.home) report(problems, 'missing-file', { what: 'the home page template (a build of several catalogs needs it)', path: `templates/${HOME_TEMPLATE}.hbs` });
  const languages: Language[] = [];
  for (const ctx of ctxs) for (const language of ctx.languages) if (!languages.some((l) => l.tag === language.tag)) languages.push(language);
  if (problems.messages.length) throw new InputError([problems]);
  linkPeers(ctxs);
  const unknown = (options.langs ?? []).filter((tag) => !languages.some((l) => l.tag === tag));
  if (unknown.length) selectLanguages(languages, unknown);
  return { ctxs, languages, stylesheet: loaded[0]!.stylesheet, warnings: oncePerPath(loaded.flatMap((l) => l.warnings)) };
}

/**
 * Give each catalog the others, for the codes its `seeAlso` entries name; an entry that names a
 * protocol of the build but a code it does not have is an error at its place in the code file.
 * (An entry for a protocol the build does not hold is not linked.)
 */
function linkPeers(ctxs: RenderContext[]): void {
  const peers = new Map(ctxs.map((c) => [c.catalog.protocol.id, { name: c.catalog.protocol.name, byCode: c.byCode, languages: new Set(c.languages.map((l) => l.tag)) }]));
  const files: VFile[] = [];
  for (const ctx of ctxs) {
    ctx.peers = new Map([...peers].filter(([id]) => id !== ctx.catalog.protocol.id));
    for (const code of ctx.catalog.codes) {
      for (const entry of code.seeAlso ?? []) {
        const peer = ctx.peers.get(entry.protocol);
        if (!peer || peer.byCode.has(entry.code)) continue;
        const file = files.find((f) => f.path === code.file) ?? new VFile({ path: code.file });
        if (!files.includes(file)) files.push(file);
        report(file, 'unknown-see-also', { protocol: entry.protocol, code: entry.code, expected: `a code of the ${peer.name} catalog` }, entry.placeOf());
      }
    }
  }
  if (files.length) throw new InputError(files);
}

/** Files with the same path reported by several catalogs, kept once. */
function oncePerPath(files: VFile[]): VFile[] {
  const seen = new Map<string, VFile>();
  for (const file of files) if (!seen.has(file.path)) seen.set(file.path, file);
  return [...seen.values()];
}

/** The render context of a page of the site (the home pages of several catalogs have none). */
export function contextOf(site: Pick<Site, 'ctxs'>): (job: Job) => RenderContext {
  if (site.ctxs.length === 1) return () => site.ctxs[0]!;
  const byProtocol = new Map(site.ctxs.map((c) => [c.catalog.protocol.id, c]));
  return (job) => byProtocol.get(protocolOfPath(job.path) ?? '') ?? site.ctxs[0]!;
}

/** Stage 2: every page of the chosen languages, of every catalog of the site. */
export function planSite(site: Pick<Site, 'ctxs'>, langs: string[] | undefined): Plan {
  const jobs = Plan.concat(site.ctxs.map((ctx) => planJobs(ctx.catalog, selectLanguages(ctx.languages, langs, ctx.nested), { nested: ctx.nested })));
  const duplicates = duplicatePaths(jobs);
  if (duplicates.length) {
    const file = new VFile({ path: 'locales/languages.json' });
    report(file, 'duplicate-output-path', { paths: duplicates.map((p) => `\`${p}\``).join(', ') }, { line: 1, column: 1 });
    throw new InputError([file]);
  }
  return jobs;
}

/** The languages of `langs` (all when none); an unknown one is an error, or left out when `lenient`. */
function selectLanguages(languages: Language[], langs: string[] | undefined, lenient = false): Language[] {
  if (!langs || langs.length === 0) return languages;
  if (lenient) return languages.filter((l) => langs.includes(l.tag));
  const file = new VFile({ path: 'locales/languages.json' });
  for (const tag of langs) {
    if (!languages.some((l) => l.tag === tag)) {
      report(file, 'unknown-language', { tag, expected: languages.map((l) => `\`${l.tag}\``).join(', ') });
    }
  }
  if (file.messages.length) throw new InputError([file]);
  return languages.filter((l) => langs.includes(l.tag));
}

export interface BuildResult {
  warnings: VFile[];
  pages: number;
  /** Files written (rendered pages, and other files whose content changed). */
  files: number;
  /** Files of the previous output kept as they were: their inputs did not change. */
  kept: number;
  /** Files of the previous output (as its manifest lists them) that this build no longer has. */
  removed: number;
  /** Pages rendered (the others were kept). */
  rendered: number;
  languages: string[];
  outDir: string;
  timings: StageTimings;
  /** Whether sitemap.xml was written (it needs a site URL). */
  sitemap: boolean;
  /** Pages in the search index, when one was written. */
  searchPages: number | undefined;
}

/**
 * The files a page's job writes: Markdown, HTML and, for a pair, the stub at the reversed URL;
 * for a code with an example, its call-flow diagram.
 */
export function filesOfJob(ctx: Pick<RenderContext, 'byCode' | 'catalog' | 'languages' | 'layout'>, job: Job): string[] {
  const portal = portalOf(ctx.layout);
  if (portal) return portalPaths(portal, ctx, job);
  const files = [`${job.path}.md`, `${job.path}.html`];
  if (job.kind === 'pair') files.push(reversedPairPath(job));
  if (job.kind === 'code' && ctx.catalog.protocol.example && ctx.byCode.get(job.codes[0]!)?.example) files.push(diagramFile(job.path, job.codes[0]!));
  return files;
}

/**
 * A file of the site besides the pages: its text, or its hash and its text in chunks (the
 * sitemap's lists of URLs, never made whole: see src/site/sitemap.ts).
 */
type Extra = string | { hash: string; chunks: () => Iterable<string> };

const extraHash = (extra: Extra): string => (typeof extra === 'string' ? contentHash(extra) : extra.hash);

/** A site file (src/site/files.ts) by its path. */
const extraOf = (file: SiteFile): [string, Extra] => [file.path, 'content' in file ? file.content : file];

/** A page's files with whether the previous build's are all as this build makes them. */
interface PageFiles {
  job: Job;
  files: string[];
  kept: boolean;
}

/**
 * Stages 3 and 4: render every job (or the jobs of `options.shard`) and write it into a staging
 * folder, then swap it in. Every shard also writes the stylesheet and the root page, the same
 * bytes each time, so shards merged in any order give the full build.
 *
 * Incremental: when the input key (every input file, the options, the tool) is the one the
 * previous build recorded and its files are all there, nothing is loaded (unchangedBuild).
 * Otherwise a page whose input hash (src/plan/incremental.ts) is the one the previous build's
 * manifest records is not rendered again: its files are carried over into the staging folder as
 * hard links, on a thread of their own while the other pages render. A page rendered again takes
 * its unchanged pieces from its previous files (src/emit/piece-records.ts), and a file of the
 * same bytes as before is linked, not written. When nothing changed at all the output folder is
 * left untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const tool = await toolFingerprint();
  // Taken before anything is read, so a file changed while this build runs is seen by the next.
  const key = buildInputKey(options, tool);
  let early: EarlyLook | undefined;
  if (!options.force) {
    early = await unchangedBuild(options, key, tool, started);
    if ('result' in early) return early.result;
  }
  // The output kept for this build to recycle is listed on another thread while the inputs load
  // (see listRecyclable). Not without a manifest this tool trusts (none, or one of another
  // release): every page is rendered then, nothing is recycled, and the listing (1.35 million
  // paths for 300 codes in ten languages) would only be held.
  let listing = options.force || !(early && 'manifest' in early && early.manifest) ? undefined : listRecyclable(options.outDir);
  listing?.catch(() => undefined);
  // YAML the previous build parsed, by text (a forced build parses everything again).
  const parseCache = options.force ? new ParseCache() : readParseCache(resolve(options.outDir), tool);
  // The output folder is made ready (locked, its staging folder made) while the inputs load, and
  // let go as it was when they cannot be. The knowledge base is written by `export`; a build
  // carries the last one over.
  const opening = StagedOutput.open(options.outDir, { keep: [KB_DIR] });
  opening.catch(() => undefined);
  let site: Site;
  let loaded: number;
  let allJobs: Plan;
  try {
    site = await loadSite({ ...options, parseCache });
    loaded = performance.now();
    allJobs = planSite(site, options.langs);
  } catch (error) {
    await opening.then((opened) => opened.abort(), () => undefined);
    throw error;
  }
  const { stylesheet, warnings } = site;
  const ctx = site.ctxs[0]!;
  const ctxOf = contextOf(site);
  const several = site.ctxs.length > 1;
  const jobs = planShard(allJobs, options.shard);
  const planned = performance.now();
  const thread: RenderTimings & { workerLoad: number } = { render: 0, markdown: 0, write: 0, workerLoad: 0 };
  let output: StagedOutput;
  try {
    output = await opening;
  } catch (error) {
    throw toInputError(error);
  }
  const opened = performance.now();
  const languages = jobs.languages;
  let rendered = 0;
  let searchTime = 0;
  let searchPages: number | undefined;
  let workers = 1;
  let keepTime = 0;
  let written = 0;
  let removedFiles = 0;
  let kept = 0;
  let toRender: Job[] | Plan = [];
  // The render threads, once started; stopped when the build fails.
  let threads: Promise<RenderThread[]> | undefined;
  // The piece records they sent, until written (see RecordSpill); removed when the build fails.
  let spill: RecordSpill | undefined;
  // The previous build's piece records, read from its file as they are needed; closed when written or when the build fails.
  let previousRecords: ReadPieceRecords | undefined;
  // A full build's pages' files with their hashes, for the manifest, until written (see fullList); removed when the build fails.
  let fileSpill: RecordSpill | undefined;
  const slices = slicesOf(site, jobs, languages);
  const record = (): InputsRecord => ({ key, pages: jobs.length, languages, sitemap: ctx.baseUrl !== undefined, warnings: recordWarnings(warnings), slices });
  try {
    // The manifest read by the early look, unless another build replaced it since.
    const stamp = manifestStamp(output.target);
    const read = early && 'manifest' in early && early.stamp === stamp ? early.manifest : undefined;
    const manifest = options.force ? undefined : (read ?? (await readBuildManifest(output.target, tool)));
    // The pieces of the pages kept are carried into the new records: without them, a full build.
    previousRecords = manifest ? await readPieceRecords(output.target) : undefined;
    const previous = previousRecords ? manifest?.files : undefined;
    // Without a previous build every page is rendered: the render threads load the inputs while
    // this thread sorts out the output (0.4-0.5 s for ten languages of SIP).
    if (!previous) threads = startRenderThreads(options, jobs.length, parseCache.entries());
    threads?.catch(() => undefined);
    const portal = portalOf(ctx.layout);
    const extras = new Map<string, Extra>(
      portal
        ? // A portal's navigation, i18n config and redirects; the portal makes its own site files.
          portalSiteFiles(portal, ctx, allJobs).map((file): [string, string] => [file.path, file.content])
        : several
          ? await siteOfSeveral(site, allJobs, stylesheet)
          : [
              [STYLESHEET_PATH, stylesheet],
              ['index.html', renderRootPage(ctx)],
              // sitemap.xml, robots.txt, 404.html: made from every page of the build (all shards).
              ...siteFiles(ctx, allJobs).map(extraOf),
            ],
    );
    // A full build (nothing to keep: no previous output this tool trusts, or --force; not a build
    // that renders every page of a previous output, which still compares each file with it) renders
    // every page and lists its files for the manifest as it gives the page out (fullList below),
    // into a file: the main thread holds neither a map of every file (1.35 million for 300 codes
    // in ten languages) nor a list of each page's files.
    const full = previous === undefined;
    // After a build of the same pages, only those that read a slice that changed are hashed (see
    // changedPages); each other page has the hash that build recorded for all its files.
    const recorded = previous ? slicesRecord(manifest?.inputs) : undefined;
    const mayHaveChanged = recorded?.pages === slices.pages ? changedOf(site, recorded.hashes, slices.hashes) : undefined;
    // A page is kept when the previous build recorded its hash for every one of its files.
    // After a build of the same pages with the same site, templates and labels (no `common`
    // slice changed), every page has the files it had then (which files a page writes follows
    // from its path, the layout and whether the protocol has examples, which every code then
    // has), and a page that read no changed slice has the hashes that build recorded for them:
    // the previous manifest is taken over whole (its search bundles aside, see keptBundles),
    // and only the pages that may have changed are looked at (an edit's 750 of the 28,510 pages
    // of ten languages of SIP; making the files of every page and setting their 85,000 hashes
    // one by one took an edit ~0.2 s). Otherwise one pass over every page.
    const onlyChanged = mayHaveChanged && !site.ctxs.some((c) => commonChanged(recorded!.hashes[c.catalog.protocol.id] ?? {}, slices.hashes[c.catalog.protocol.id]!)) ? mayHaveChanged : undefined;
    // Every other build: every file with its hash. A full build: the site files and search bundles only.
    const hashes = onlyChanged ? new Map(previous) : new Map<string, string>();
    // (With no search now, there was none then: the setting is hashed into `common`.)
    if (onlyChanged && ctx.search) for (const path of previous!.keys()) if (path.startsWith(`${SEARCH_DIR}/`)) hashes.delete(path);
    let before = hashes.size;
    const pageOf = (job: Job): PageFiles => {
      const files = filesOfJob(ctxOf(job), job);
      const unchanged = mayHaveChanged && !mayHaveChanged(job) ? previous!.get(files[0]!) : undefined;
      if (unchanged !== undefined) {
        for (const file of files) hashes.set(file, unchanged);
        before += files.length;
        return { job, files, kept: true };
      }
      const hash = ctxOf(job).hashes.page(job);
      let kept = previous !== undefined;
      for (const file of files) {
        const recorded = previous?.get(file);
        // Taken over above already, when only the changed pages are looked at.
        if (recorded !== undefined && !hashes.has(file)) before++;
        hashes.set(file, hash);
        if (recorded !== hash) kept = false;
      }
      return { job, files, kept };
    };
    const pages = full ? [] : onlyChanged ? jobs.filter(onlyChanged).map(pageOf) : jobs.map(pageOf);
    // Every page with its files: those not looked at above made now (when a file of the output is
    // found gone, and only then).
    const everyPage = (): PageFiles[] => {
      if (!onlyChanged) return pages;
      const looked = new Map(pages.map((page) => [page.job.path, page]));
      return jobs.map((job) => looked.get(job.path) ?? { job, files: filesOfJob(ctxOf(job), job), kept: true });
    };
    for (const [path, extra] of extras) {
      if (!hashes.has(path) && previous?.has(path)) before++;
      hashes.set(path, extraHash(extra));
    }
    // A language's search bundle is kept when none of its HTML files changed; its files are then kept as pages are.
    // (A full build's, once its pages are listed: see below.)
    const bundleKeys = ctx.search && !full ? searchKeys(languages, hashes) : new Map<string, string>();
    const bundles = ctx.search ? keptBundles(bundleKeys, previous) : new Map<string, string[]>();
    const keptSearch: string[] = [];
    for (const [lang, files] of bundles) {
      for (const file of files) hashes.set(file, bundleKeys.get(lang)!);
      keptSearch.push(...files);
    }
    const unchanged = (path: string) => previous !== undefined && previous.get(path) === hashes.get(path);
    const keptPages = pages.filter((page) => page.kept);
    const keptExtras = [...extras.keys()].filter(unchanged);
    // The previous build's files this one does not have (the bundles of languages indexed again among them).
    const removed = (previous?.size ?? 0) - before - keptSearch.length;
    const notKept = new Set([...pages.filter((page) => !page.kept).flatMap((page) => page.files), ...[...extras.keys()].filter((path) => !unchanged(path))]);
    // Those of every page kept, the site files unchanged and the search bundles kept: here, every
    // file of the build not made anew (the pages not looked at are all kept).
    const keptFiles = onlyChanged ? [...hashes.keys()].filter((file) => !notKept.has(file)) : [...keptPages.flatMap((page) => page.files), ...keptExtras, ...keptSearch];

    const allKept = !full && keptPages.length === pages.length && keptExtras.length === extras.size && removed === 0 && bundles.size === bundleKeys.size;
    // Whether the output lost a kept file is looked at here only when nothing else changed: it
    // then decides whether anything is written at all. Otherwise a kept file found missing when
    // it is linked has its page rendered then (\`vanished\` below), which spares a walk of the
    // whole output (85,000 files for ten languages of SIP).
    const present = allKept ? output.filesInTarget() : undefined;
    const missing = new Set(present ? keptFiles.filter((file) => !present.has(file)) : []);
    if (allKept && missing.size === 0) {
      // Nothing to write: the output folder stays exactly as it is. When only the input key
      // changed (an edit that changes no page), the manifest records the new one, so the next
      // rebuild with these inputs stops before loading them.
      if (manifest?.inputs?.key !== key) {
        await output.replaceInTarget(PARSE_CACHE_PATH, parseCache.serialize(tool));
        await output.replaceInTarget(BUILD_MANIFEST_PATH, serializeBuildManifest(tool, hashes, record(), manifest));
      }
      await stopThreads(threads);
      await output.abort();
      const finished = performance.now();
      const timings: StageTimings = { load: loaded - started, plan: planned - loaded, ...thread, keep: finished - opened, commit: 0, search: 0, total: finished - started, threads: 0 };
      return { warnings, pages: jobs.length, files: 0, kept: keptFiles.length, removed: 0, rendered: 0, languages, outDir: options.outDir, timings, sitemap: ctx.baseUrl !== undefined, searchPages: undefined };
    }

    // The output the last commit replaced becomes the staging folder: its files whose hash is
    // this build's stay there, every other file of it goes (see StagedOutput.recyclePrevious).
    // The files this build makes anew: those of the pages not kept and the site files whose hash changed.
    const remade = [...notKept];
    const recycling = keptFiles.length > 0 && output.recyclePrevious(await listing);
    // Held by the output until it settles, when it recycles; not by this function to its end.
    listing = undefined;
    const right = recycling ? await rightInRecycled(output.staging, stamp, tool, keptFiles, hashes, remade) : NONE_RIGHT;
    // Nothing carried over: what is written is linked into a seed as well, for the next build to recycle.
    if (keptFiles.length === 0) output.seed();
    // A page one of whose files is gone from the output (and not in the recycled folder) is rendered again, all its files.
    const gone = (file: string) => missing.has(file) && !right.has(file);
    const again = missing.size ? everyPage().filter((page) => page.kept && page.files.some(gone)) : [];
    const againFiles = new Set(again.flatMap((page) => page.files));
    const renderSet = full ? undefined : new Set([...pages.filter((page) => !page.kept), ...again].map((page) => page.job.path));
    // A full build renders the plan itself (no copy of it: 3.6 MB of references for 300 codes in ten languages).
    toRender = renderSet ? (again.length ? everyPage() : pages).filter((page) => renderSet.has(page.job.path)).map((page) => page.job) : jobs;
    const reuse = previousRecords ? { from: output.target, records: previousRecords } : undefined;
    // Render threads load the inputs while the staging folder is made ready below, and render
    // once they are given their pages (settling a recycled folder unlinks what is not this
    // build's and removes the folders it leaves empty: no page may be written there meanwhile).
    threads ??= startRenderThreads(options, toRender.length, parseCache.entries());
    const renderThreads = await threads;
    // The render threads started and this one.
    workers = renderThreads.length + 1;
    let linking: Promise<string[]>;
    try {
      const settled = output.settle(right, (file) => hashes.has(file));
      await output.unkeep([...againFiles].filter((file) => settled.has(file)));
      // The other files are linked into the staging folder while the pages are rendered; a file
      // the output lost is then found missing, and its page rendered (\`vanished\` below).
      if (previous) output.reuseUnchanged();
      // Those the recycled folder has as this build needs them are there; link the others. When
      // it has every one (an edit), those are its stale kept files: no pass over all 85,000.
      const toLink = settled === right ? right.stale : keptFiles.filter((file) => !settled.has(file));
      linking = output.keepFiles(toLink.filter((file) => !againFiles.has(file)));
    } catch (error) {
      await stopThreads(threads);
      throw error;
    }
    // Its failure is thrown where it is awaited, after rendering; not an unhandled rejection before.
    linking.catch(() => undefined);
    const keeping = performance.now();
    // Rendered here: the files it will read (the previous Markdown and HTML, the stubs of the
    // recycled folder) are read ahead into memory by another thread meanwhile.
    const inThreads = renderThreads.length > 0;
    const stopWarming = inThreads || portal ? undefined : warmFiles(filesToRead(reuse, output.recycledStaging, toRender));
    // Rendered here: the files are made on another thread while this one renders the next pages.
    if (!inThreads && toRender.length >= WRITE_THREAD_PAGES) output.writeOnAThread();
    const pageHash = (job: Job) => ctxOf(job).hashes.page(job);
    // A full build lists each page's files with the page's hash: on threads as the page is given
    // out (its hash made then and not kept); here as the page is rendered (its hash kept while
    // the page's front matter shows it, then forgotten with the page before).
    fileSpill = full ? output.recordSpill('files') : undefined;
    const fullList = fileSpill && ((job: Job, hash: string) => (fileSpill!.add(filesOfJob(ctxOf(job), job).map((file): [string, string] => [file, hash])), hash));
    const listHere = fullList && ((job: Job) => (ctxOf(job).hashes.forgetPages(), fullList(job, pageHash(job))));
    // The render threads' records are kept in a file until written into the records file below;
    // so are a full build's rendered here (an edit's few hundred stay in a map).
    const records = inThreads
      ? (spill = await renderOnThreads(renderThreads, toRender, fullList ? (job) => fullList(job, ctxOf(job).hashes.once(job)) : pageHash, output, ctx, thread, reuse, options.onProgress, { site, before: listHere }))
      : await renderJobs(site, toRender, output, options.onProgress, thread, reuse, full ? (spill = output.recordSpill()) : new Map<string, string>(), listHere);
    stopWarming?.();
    // A file gone since the look above (someone removed it meanwhile): its page is rendered too.
    const vanished = new Set(await linking);
    if (vanished.size) {
      const late = everyPage().filter((page) => page.kept && page.files.some((file) => vanished.has(file)));
      await output.unkeep(late.flatMap((page) => page.files.filter((file) => !vanished.has(file))));
      const lateJobs = late.map((page) => page.job);
      await renderJobs(site, lateJobs, output, undefined, thread, reuse, records);
      // A new list, not pushed onto toRender, which may be the plan itself.
      toRender = [...toRender, ...lateJobs];
    }
    rendered = performance.now();
    keepTime = keeping - opened;
    for (const c of site.ctxs) if (c.i18n.misses.length) throw missingTranslations(c);
    const extrasToWrite = [...extras].filter(([path]) => !keptExtras.includes(path) || gone(path) || vanished.has(path));
    for (const [path, extra] of extrasToWrite) if (typeof extra === 'string') await output.write(path, extra);
    // Every page made before the folder is indexed; the build's records (below) are written on
    // this thread: each is one large text (8 MB and 16 MB for ten languages of SIP), which
    // handing over would only copy once more. So are the sitemap's lists of URLs, in chunks.
    await output.flush();
    for (const [path, extra] of extrasToWrite) if (typeof extra !== 'string') output.writeChunks(path, extra.chunks());
    written = output.written;
    kept = output.kept;
    removedFiles = removed;
    const indexed: string[] = [];
    // Every file of a full build, sorted by path: its pages' (listed above) and the site files.
    const allFiles = (readAgain = false) => mergedEntries(fileSpill!.sorted(readAgain), sortedEntries(hashes));
    if (ctx.search && full) for (const [lang, key] of searchKeysOfSorted(languages, allFiles(true))) bundleKeys.set(lang, key);
    if (ctx.search) {
      // The bundles of the languages a page of which changed; and of any language a kept file of whose bundle is gone.
      const indexing = performance.now();
      const lost = (file: string) => gone(file) || vanished.has(file);
      const stale = languages.filter((lang) => !bundles.has(lang) || bundles.get(lang)!.some(lost));
      for (const lang of stale) if (bundles.has(lang)) await rm(join(output.staging, searchBundle(lang)), { recursive: true, force: true });
      for (const [lang, files] of await writeSearchIndex(output.staging, stale, await searchThreads(stale.length, options.jobs))) {
        for (const file of files) hashes.set(file, bundleKeys.get(lang)!);
        indexed.push(...files);
      }
      searchPages = await indexedPages(output.staging, languages);
      searchTime = performance.now() - indexing;
    }
    const keys: Record<string, string> = {};
    // A run of pages shares its catalog and language: one key a run, not a look a page.
    for (const job of jobs.heads()) keys[piecesKeyId(ctxOf(job), job.lang)] ??= piecesKey(ctxOf(job), job.lang);
    // Every page's record, in the records file's order: those made now (the render threads',
    // merged from their sorted runs one at a time, see RecordSpill: a build that renders all
    // 451,510 pages of 300 codes in ten languages would otherwise hold 270 MB of them), and the
    // previous one of each page kept. After a build of the same pages, the previous file's lines
    // with those of the pages rendered written anew.
    const made = records instanceof RecordSpill ? records.sorted() : sortedEntries(records);
    let pieceRecords: Iterable<string>;
    if (!previousRecords) pieceRecords = sortedRecordsChunks(keys, made);
    else {
      const rendered = sortedPaths(toRender.map((job) => job.path));
      if (mayHaveChanged) pieceRecords = updatedRecordsChunks(previousRecords, keys, withRecords(rendered, made));
      else {
        const renderedNow = new Set(rendered);
        const all = withRecords(sortedPaths(pages.map((page) => page.job.path)), made);
        pieceRecords = sortedRecordsChunks(
          keys,
          (function* () {
            for (const [path, record] of all) {
              const text = record ?? (renderedNow.has(path) ? undefined : previousRecords.pages.get(path));
              if (text) yield [path, text] as const;
            }
          })(),
        );
      }
    }
    // The state files are written in chunks, never whole (see src/emit/chunks.ts).
    output.writeChunks(PIECE_RECORDS_PATH, pieceRecords);
    previousRecords?.pages.close();
    await output.write(PARSE_CACHE_PATH, parseCache.serialize(tool));
    // What this build changed in the output it replaces: the files it made anew and the search
    // bundles indexed again. Every other file has the hash the previous manifest lists for it (a
    // kept bundle's files too).
    const changed = [...remade, ...indexed];
    // The previous manifest's lines, those of the changed files written again.
    output.writeChunks(BUILD_MANIFEST_PATH, buildManifestChunks(tool, full ? { sorted: allFiles() } : hashes, record(), manifest, changed));
    const replaced = await output.commit();
    // What the folder kept for the next build to recycle lacks of the new output: nothing, when
    // it is the seed; else what this build changed.
    if (replaced) writeRecycleNote(replaced.kept, manifestStamp(output.target)!, replaced.seed ? [] : changed);
  } catch (error) {
    await stopThreads(threads);
    spill?.remove();
    fileSpill?.remove();
    previousRecords?.pages.close();
    await output.abort();
    throw toInputError(error);
  }
  const finished = performance.now();
  const timings: StageTimings = {
    load: loaded - started,
    plan: planned - loaded,
    ...thread,
    keep: keepTime,
    commit: finished - rendered - searchTime,
    search: searchTime,
    total: finished - started,
    threads: workers,
  };
  return {
    warnings,
    pages: jobs.length,
    files: written,
    kept,
    removed: removedFiles,
    rendered: toRender.length,
    languages,
    outDir: options.outDir,
    timings,
    sitemap: ctx.baseUrl !== undefined,
    searchPages,
  };
}

/**
 * The input key of a build (src/load/input-key.ts): the input folders' files, the options that
 * change the output, the tool, and the working folder (warnings name files relative to it).
 */
function buildInputKey(options: BuildOptions, tool: string): string {
  const { root, catalog, catalogs, langs, baseUrl, strict, noindexBelow, diagrams, search, shard, layout } = options;
  const target = resolve(options.outDir);
  const staging = `.${basename(target)}.`;
  return inputKey({
    root,
    catalogs: [...(catalogs ?? []), ...(catalog ? [catalog] : [])],
    skip: (path) => path === target || (dirname(path) === dirname(target) && basename(path).startsWith(staging)),
    // As load reads them: a search index only without a shard and with the plain layout; shard 1/1 is the full build.
    settings: {
      tool,
      cwd: process.cwd(),
      root: resolve(root),
      options: {
        catalog,
        catalogs,
        langs: langs?.length ? [...new Set(langs)].sort() : undefined,
        baseUrl: baseUrl ? baseUrl.replace(/\/?$/, '/') : undefined,
        strict: strict === true,
        noindexBelow,
        diagrams: diagrams ?? 'svg',
        search: search === true && !shard && (layout ?? 'plain') === 'plain',
        shard: shard && shard.count > 1 ? shard : undefined,
        layout: layout ?? 'plain',
      },
    },
  });
}

/**
 * What this build's pages are hashed from, as the manifest records it: the plan of its pages (as
 * Plan.describe gives it: the same lines, the same pages) and each catalog's slices.
 */
function slicesOf(site: Pick<Site, 'ctxs'>, jobs: Plan, languages: readonly string[]): SlicesRecord {
  const hashes: Record<string, Record<string, string>> = {};
  for (const c of site.ctxs) hashes[c.catalog.protocol.id] = c.hashes.slices(languages);
  return { pages: sha256Lines(jobs.describe()), hashes };
}

/** Whether the page of a job may have changed since the build that recorded `before`, whose pages were this build's. */
function changedOf(site: Pick<Site, 'ctxs'>, before: SlicesRecord['hashes'], now: SlicesRecord['hashes']): (job: Job) => boolean {
  const ctxOf = contextOf(site);
  const tests = new Map(site.ctxs.map((c) => [c, changedPages(before[c.catalog.protocol.id] ?? {}, now[c.catalog.protocol.id]!)]));
  return (job) => tests.get(ctxOf(job))!(job);
}

/**
 * The files a build keeps that its recycled staging folder has as they are now (see settle):
 * whether a file is one (`has`), how many there are (`size`), and the kept files it has stale
 * (`stale`: linked again from the output).
 */
interface RightInRecycled {
  has(path: string): boolean;
  readonly size: number;
  readonly stale: string[];
}

/** None: the staging folder is not a recycled one. */
const NONE_RIGHT: RightInRecycled = { has: () => false, size: 0, stale: [] };

/**
 * Of the files a build keeps, those its recycled staging folder (the output the build before
 * replaced) already has with this build's hash: the note the build before left there says what
 * it changed since, when the output is still the one it wrote (see writeRecycleNote); otherwise
 * the folder's own manifest is read. Whether each file is really there is seen by settle.
 * Told from the note without a set of the kept files (85,000 paths for ten languages of SIP;
 * making it and passing over it again took an edit ~40 ms): a kept file is one of the build's
 * not among those it makes anew (`remade`, see keptTest).
 */
async function rightInRecycled(staging: string, stamp: string | undefined, tool: string, keptFiles: string[], hashes: ReadonlyMap<string, string>, remade: readonly string[]): Promise<RightInRecycled> {
  const changed = readRecycleNote(staging, stamp);
  if (!changed) {
    const files = (await readBuildManifest(staging, tool))?.files;
    const right = new Set(files ? keptFiles.filter((file) => files.get(file) === hashes.get(file)) : []);
    return { has: (path) => right.has(path), size: right.size, stale: keptFiles.filter((file) => !right.has(file)) };
  }
  const isKept = keptTest(hashes, remade);
  const stale = [...changed].filter(isKept);
  return { has: (path) => isKept(path) && !changed.has(path), size: keptFiles.length - stale.length, stale };
}

/**
 * Whether a path is one of the files a build keeps: a file of the build (`hashes`) but not one it
 * makes anew (`remade`: an edit's 1,500), without a set of the 85,000 it keeps.
 */
function keptTest(hashes: ReadonlyMap<string, string>, remade: readonly string[]): (path: string) => boolean {
  const notKept = new Set(remade);
  return (path) => hashes.has(path) && !notKept.has(path);
}

/** What the early look found: the result when nothing changed, else the manifest it read and its stamp (to be used again). */
type EarlyLook = { result: BuildResult } | { manifest: PreviousBuild | undefined; stamp: string | undefined };

/**
 * The result of a build whose inputs have the key the previous build recorded, with all the
 * files of that build still there: nothing is loaded, rendered or written, and the warnings it
 * reported are reported again. Otherwise what it read, for the build to look closer with.
 */
async function unchangedBuild(options: BuildOptions, key: string, tool: string, started: number): Promise<EarlyLook> {
  // A look first, without the lock: most builds after a change stop here.
  const target = resolve(options.outDir);
  const stamp = manifestStamp(target);
  const previous = stamp === undefined ? undefined : await readBuildManifest(target, tool);
  if (!previous || previous.inputs?.key !== key) return { manifest: previous, stamp };
  const keyed = performance.now();
  let output: StagedOutput;
  try {
    output = await StagedOutput.open(options.outDir, { keep: [KB_DIR] });
  } catch (error) {
    throw toInputError(error);
  }
  try {
    // Again under the lock, unless its stamp says it is the manifest read above: another build
    // may have replaced the output meanwhile (the whole shipped site's manifest is 14 MB).
    const current = manifestStamp(output.target);
    const manifest = current === stamp ? previous : await readBuildManifest(output.target, tool);
    const inputs = manifest?.inputs;
    if (!manifest || inputs?.key !== key || !(await output.allInTarget([...manifest.files.keys(), PIECE_RECORDS_PATH]))) return { manifest, stamp: current };
    const finished = performance.now();
    const timings: StageTimings = { load: keyed - started, plan: 0, render: 0, markdown: 0, write: 0, workerLoad: 0, keep: finished - keyed, commit: 0, search: 0, total: finished - started, threads: 0 };
    return {
      result: { warnings: replayWarnings(inputs.warnings), pages: inputs.pages, files: 0, kept: manifest.files.size, removed: 0, rendered: 0, languages: inputs.languages, outDir: options.outDir, timings, sitemap: inputs.sitemap, searchPages: undefined },
    };
  } finally {
    await output.abort();
  }
}

/**
 * The site files of a build of several catalogs: the stylesheet, the root page (the language
 * chooser), each language's home page listing the protocols, and sitemap.xml, robots.txt and
 * 404.html over every catalog's pages. Home pages are made on every build (one per language)
 * and, like the other files here, written only when their bytes change.
 */
async function siteOfSeveral(site: Site, allJobs: Plan, stylesheet: string): Promise<Array<[string, Extra]>> {
  const ctxOf = contextOf(site);
  const host: RenderContext = { ...site.ctxs[0]!, languages: site.languages };
  const built = new Set(allJobs.languages);
  const languages = site.languages.filter((l) => built.has(l.tag));
  const files: Array<[string, Extra]> = [
    [STYLESHEET_PATH, stylesheet],
    ['index.html', renderRootPage({ ...host, languages }, translator(host.i18n, FALLBACK_LANG, 'common').t('home.title'))],
  ];
  for (const { tag } of languages) {
    // A catalog's languages are the ones this build writes for it (see load and planSite).
    const home = renderHomePage(site.ctxs.filter((c) => c.languages.some((l) => l.tag === tag)), tag, languages);
    files.push([`${tag}/index.md`, home.markdown], [`${tag}/index.html`, home.html]);
  }
  const homes = languages.map((l) => homeJob(l.tag));
  const indexedJob = (job: Job) => isHome(job) || indexed(ctxOf(job), job);
  const jobs = {
    *[Symbol.iterator]() {
      yield* homes;
      yield* allJobs;
    },
  };
  files.push(...siteFiles({ ...host, languages }, jobs, undefined, indexedJob).map(extraOf));
  return files;
}

/**
 * One render thread per idle core, at least one and at most 8; `--jobs` overrides. A thread only
 * pays off on a core nobody else is using: `npm run bench` on the 2-core development machine,
 * while other builds kept it busy (load average 9 to 15), measured a cold build (932 and 1,642
 * pages) at 58.3 s and 59.6 s on one thread against 62.2 s and 89.6 s on two, and one thread
 * needs about 40% less memory. So the cores the load average says are busy are not counted.
 */
export function defaultJobs(cores = availableParallelism(), load = loadavg()[0] ?? 0): number {
  return Math.max(1, Math.min(cores - Math.round(load), 8));
}

/**
 * How many cores are busy now: the share of CPU time that was not idle over a short sample,
 * times the cores this process may use. Unlike the one-minute load average, it does not count
 * work that just ended (a compile, the previous build), which made the default of `--jobs` one
 * thread on an idle two-core machine, where two render threads build in 55% of the time.
 */
export async function busyCores(sampleMs = 200): Promise<number> {
  const sum = (all: ReturnType<typeof cpus>) =>
    all.reduce((acc, cpu) => ({ idle: acc.idle + cpu.times.idle, total: acc.total + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq }), { idle: 0, total: 0 });
  const before = sum(cpus());
  const own = process.cpuUsage();
  const from = performance.now();
  await new Promise((resolvePromise) => setTimeout(resolvePromise, sampleMs));
  const after = sum(cpus());
  const mine = process.cpuUsage(own);
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return othersBusy(1 - (after.idle - before.idle) / total, availableParallelism(), (mine.user + mine.system) / 1000, performance.now() - from);
}

/**
 * The cores other processes kept busy: the machine's busy share of `cores` cores, less the CPU
 * time this process took in `elapsedMs` (its main thread planning the build, render threads
 * loading: those cores are the build's own).
 */
export function othersBusy(busyShare: number, cores: number, ownMs: number, elapsedMs: number): number {
  return Math.max(0, busyShare * cores - ownMs / Math.max(1, elapsedMs));
}

/** One thread per core idle now, at most 8, at least 1 (the default of `--jobs`). */
export async function idleJobs(): Promise<number> {
  return defaultJobs(availableParallelism(), await busyCores());
}

/**
 * The threads that render (or export) `pages` pages: `jobs` when given (no more than one per
 * page); by default one per idle core, but no more than one per PAGES_PER_THREAD pages, so a
 * small build (an edit) stays on the main thread and does not wait for the sample of busy cores.
 */
export async function threadsFor(pages: number, jobs: number | undefined): Promise<number> {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, pages));
  const most = Math.ceil(pages / PAGES_PER_THREAD);
  if (most <= 1) return 1;
  return Math.max(1, Math.min(await idleJobs(), most));
}

/**
 * How far, in percent, V8 lets a heap grow past what was live after its last full collection
 * before it collects again, once a build starts render threads: every heap of the process
 * (V8's flags are the process's; the limit is worked out at each collection, so it holds from
 * the next one on).
 *
 * By default V8 lets a heap grow by up to four times what is live when the heap may take
 * gigabytes, as the main thread's may (a render thread's heap has a limit, under which it grows
 * by up to twice). The main thread renders a share of the pages (see startRenderThreads), with
 * caches of its own: in a cold build of 300 codes in ten languages on two threads its heap grew
 * to 319 MB with 90-160 MB live, and the build peaked at 527 MB of RSS; with this, 179 MB and
 * 393 MB (in 322 s against 301 s), set as the build started. In three cold builds of ten
 * languages of SIP, each interleaved with one without it, 266-276 MB against 290-297 MB, in
 * 26.3-37.9 s against 25.6-36.1 s; set as the threads start (the main thread's heap limit after
 * the inputs loaded is then V8's), 284-285 MB. Not for a build on the main thread alone:
 * one-code edits, whose heap starts small and grows through many more full collections then,
 * took ~0.1 s longer (medians of twelve interleaved, set as the build started).
 */
export const HEAP_GROWING_PERCENT = 50;

/** Every heap's growth set to HEAP_GROWING_PERCENT, for the rest of the process. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * Start the render threads for `pages` pages: one fewer than the threads that render them (see
 * threadsFor), since this thread renders a share as well (see renderOnThreads); none when it
 * renders them all.
 *
 * This thread has the inputs loaded already, and rendering here spares a thread's load, its
 * warm-up and its heap: in four cold builds of ten languages of SIP on two threads, each
 * interleaved with one on two render threads started, the peak RSS was 287-308 MB instead of
 * 360-366 MB, in the same time (30.7-37.1 s against 31.5-38.4 s) and CPU time (52.8-64.3 s
 * against 56.2-66.2 s). Its heap then holds what a render thread's does, without the limit of
 * one: see HEAP_GROWING_PERCENT.
 */
async function startRenderThreads(options: BuildOptions, pages: number, parsed: Array<[string, string]>): Promise<RenderThread[]> {
  const count = await threadsFor(pages, options.jobs);
  if (count > 1) limitHeapGrowth();
  return Array.from({ length: count - 1 }, () => startRenderThread(options, parsed, Math.ceil(pages / count)));
}

/** Stop render threads, if any were started (when the build fails before they are done). */
async function stopThreads(threads: Promise<RenderThread[]> | undefined): Promise<void> {
  const started = await threads?.catch(() => []);
  await Promise.all((started ?? []).map((thread) => thread.stop()));
}

/**
 * The threads that index `languages` languages for search: `jobs` when given; by default one per
 * idle core, at most SEARCH_THREADS (each runs a Pagefind service of its own, which held up to
 * ~1.5 GB while indexing a language of the shipped site).
 */
async function searchThreads(languages: number, jobs: number | undefined): Promise<number> {
  if (languages <= 1) return 1;
  return Math.min(jobs ?? Math.min(await idleJobs(), SEARCH_THREADS), languages);
}

const SEARCH_THREADS = 4;

/**
 * The fewest pages a render thread is started for by default. A thread loads the inputs and
 * warms its own compiled code and caches first (about 0.5 s of CPU time for ten languages of
 * SIP): on the two-core development machine a one-code edit (750 pages) took 4.1–4.5 s on the
 * main thread and 4.3–5.4 s on two threads; a two-code edit (1,490 pages) was even.
 */
export const PAGES_PER_THREAD = 1000;

/**
 * From how many pages rendered on the main thread on, their files are made on a thread of their
 * own (see src/emit/write-thread.ts): starting it costs a few milliseconds of that thread's time.
 */
export const WRITE_THREAD_PAGES = 50;

/**
 * The previous output and its piece records, for pages rendered again (see src/emit/piece-records.ts).
 * Only the records are used, never a file without one.
 */
export interface PieceReuse {
  from: string;
  records: PieceRecords;
}

/** Where the piece records keep the key of a protocol's pages of a language. */
const piecesKeyId = (ctx: RenderContext, lang: string) => `${ctx.catalog.protocol.id}:${lang}`;

/** Where a page's previous Markdown or HTML is (see previousOf; filesToRead reads them ahead). */
const previousFile = (reuse: PieceReuse, job: Job, extension: 'md' | 'html') => join(reuse.from, `${job.path}.${extension}`);

/** Where the recycled staging folder has a pair's reversed-URL stub (see stubOf); none for other pages. */
const stubPath = (recycled: string | undefined, job: Job) => (recycled !== undefined && job.kind === 'pair' ? join(recycled, reversedPairPath(job)) : undefined);

/** The previous files of a page with a record, or undefined. */
function previousOf(reuse: PieceReuse | undefined, ctx: RenderContext, job: Job): PreviousFiles | undefined {
  const record = reuse && recordOf(reuse.records, job.path);
  if (!record) return undefined;
  try {
    const read = (extension: 'md' | 'html') => readFileSync(previousFile(reuse!, job, extension), 'utf8');
    return { markdown: read('md'), html: read('html'), record, key: reuse!.records.keys[piecesKeyId(ctx, job.lang)] };
  } catch {
    return undefined;
  }
}

/**
 * The text of a pair's reversed-URL stub as the recycled staging folder has it, null when there
 * is none (the stub rarely changes: the same bytes are then kept, see StagedOutput.write).
 *
 * These reads and previousOf's are made here, one file after the other, not on Node's thread
 * pool: there a file takes four hops (open, stat, read, close), each waiting for this thread to
 * take its turn between pages, and waking a pool thread took this thread's core from it. On
 * the development machine a one-code edit's 2,250 files (750 pages and their stubs) kept the
 * render loop waiting 0.14-0.19 s read here against 0.46-0.53 s read ahead sixteen pages at a
 * time on the pool (the whole loop 1.25-1.32 s against 1.55-1.80 s); with the files dropped
 * from memory first, both waited ~0.5 s.
 */
function stubOf(recycled: string | undefined, job: Job): string | null | undefined {
  const path = stubPath(recycled, job);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The files renderJobs reads for `jobs`, in the order it reads them (see previousOf and stubOf),
 * up to WARM_AT_MOST: the thread that reads them ahead (warmFiles) outruns the renderer, and
 * what it reads stays in memory only while the machine has room for it.
 */
function filesToRead(reuse: PieceReuse | undefined, recycled: string | undefined, jobs: Iterable<Job>): string[] {
  const paths: string[] = [];
  for (const job of jobs) {
    if (paths.length >= WARM_AT_MOST) break;
    if (reuse?.records.pages.has(job.path)) paths.push(previousFile(reuse, job, 'md'), previousFile(reuse, job, 'html'));
    const stub = stubPath(recycled, job);
    if (stub !== undefined) paths.push(stub);
  }
  return paths;
}

/** About 100 MB of pages and stubs (a one-code edit of ten languages reads 2,250 files, ~20 MB). */
const WARM_AT_MOST = 12_000;

/** Where renderJobs puts each page's piece record: a map, or a worker's batch for the main thread. */
export interface RecordSink {
  set(path: string, record: string): unknown;
}

/**
 * Render jobs one after the other on this thread into `output` (the main thread or a worker);
 * puts the pages' piece records into `records` (returned), each as the JSON text of its line in
 * the records file. Kept as objects, a page's record was ~2 KB on the thread that rendered it
 * and again on the main thread; as text ~0.6 KB (after rendering a 300-code catalog of two
 * languages, 90,302 pages, the main thread held 183 MB of heap instead of 328 MB).
 */
export async function renderJobs<Records extends RecordSink>(
  site: Pick<Site, 'ctxs'>,
  jobs: readonly Job[] | Plan,
  output: StagedOutput,
  onProgress: BuildOptions['onProgress'],
  timings: RenderTimings | undefined,
  reuse: PieceReuse | undefined,
  records: Records,
  /** Called with each job before it is rendered (a full build lists the page's files then). */
  before?: (job: Job) => void,
): Promise<Records> {
  let done = 0;
  const ctxOf = contextOf(site);
  const portal = portalOf(site.ctxs[0]!.layout);
  const recycled = output.recycledStaging;
  for (const job of jobs) {
    const ctx = ctxOf(job);
    before?.(job);
    if (portal) {
      const files = renderPortalPage(ctx, portal, job, timings);
      const writing = timings ? performance.now() : 0;
      for (const file of files) await output.write(file.path, file.content);
      if (timings) timings.write += performance.now() - writing;
      onProgress?.(++done, jobs.length);
      continue;
    }
    const previous = previousOf(reuse, ctx, job);
    const stub = stubOf(recycled, job);
    const article = renderArticle(ctx, job, timings, { previous });
    if (article.record) records.set(job.path, JSON.stringify(article.record));
    const writing = timings ? performance.now() : 0;
    // The previous Markdown and HTML were read for their pieces: compared as read, not read again.
    await output.write(`${job.path}.md`, article.markdown, previous?.markdown);
    await output.write(`${job.path}.html`, article.html, previous?.html);
    if (article.redirect) await output.write(article.redirect.path, article.redirect.html, undefined, stub);
    for (const file of article.files ?? []) await output.write(file.path, file.content);
    if (timings) timings.write += performance.now() - writing;
    onProgress?.(++done, jobs.length);
  }
  return records;
}

/** A render thread, started before the pages it renders are known (see startRenderThread): it is told where to write, then given pages, then the end (see ToWorker). */
type RenderThread = Thread<WorkerMessage, ToWorker>;

/**
 * Start a render thread for up to `pages` pages: it loads the inputs (about 0.2 s of its own
 * for ten languages of SIP) while this thread goes on, and renders once given its pages. A
 * message it posts before it is listened to (a template that fails as it loads) is kept for the
 * listener; a thread that exits without its `done` has failed.
 */
function startRenderThread(options: BuildOptions, parsed: Array<[string, string]>, pages: number): RenderThread {
  const { root, catalog, catalogs, baseUrl, strict, noindexBelow, diagrams, search, shard, langs, layout } = options;
  const input: WorkerInput = { load: { root, catalog, catalogs, baseUrl, strict, noindexBelow, diagrams, search, shard, langs, layout }, parsed };
  const limits = renderThreadLimits(pages, options.threadHeapMb);
  return startThread<WorkerMessage, ToWorker>(new URL('./render/worker.js', import.meta.url), {
    workerData: input,
    resourceLimits: limits,
    name: 'render worker',
    finished: (message) => message.type === 'done',
    failure: (error) => (error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ThreadMemoryError(limits.maxOldGenerationSizeMb, pages, options.outDir) : error),
  });
}

/**
 * Render the jobs on the threads and on this one (`here`: its site, and what is done with each of
 * its pages first); each writes its pages into the staging folder. Output does not depend on
 * which thread renders a page. Returns the pages' piece records, spilled to a file as sorted
 * runs (see RecordSpill).
 *
 * Each thread has a contiguous share of the jobs (so it renders pages of the same languages and
 * reuses its section cache), given in batches of BATCH_PAGES, BATCHES_AHEAD at a time: a thread
 * holds a few hundred pages, not its whole share. A thread done with its share takes the last
 * batches of the share with the most left. Shares of the same size did not take the same time:
 * in six ten-language cold builds of SIP one thread ended 0.2-9.4 s before the other (the one
 * given en to ko, where it was looked at), one core idle meanwhile; 0.1 s with batches.
 */
async function renderOnThreads(
  threads: RenderThread[],
  jobs: Job[] | Plan,
  pageHash: (job: Job) => string,
  output: StagedOutput,
  ctx: RenderContext,
  timings: RenderTimings & { workerLoad: number },
  reuse: PieceReuse | undefined,
  onProgress: BuildOptions['onProgress'],
  here: { site: Pick<Site, 'ctxs'>; before?: (job: Job) => void },
): Promise<RecordSpill> {
  const records = output.recordSpill();
  let done = 0;
  // A share for each thread, and the last for this one.
  const count = threads.length + 1;
  // Batches of a plan are plans themselves: their jobs are made as each is given out.
  const shares: Array<Job[] | Plan> = Array.from({ length: count }, (_, k) => planShard(jobs, { index: k + 1, count }));
  const batches = new BatchQueue(shares, BATCH_PAGES);
  const inFlight = threads.map(() => 0);
  // A page's previous piece record, for the batch that has it.
  const piecesOf = (job: Job): Array<[string, string]> => {
    const record = reuse?.records.pages.get(job.path);
    return record === undefined ? [] : [[job.path, record]];
  };
  const feed = (k: number) => {
    const thread = threads[k]!;
    // Batches of its own share ahead; another share's only when it holds none (else a thread
    // given its first batches would take those of a share of a batch or two, as another starts).
    for (let next: Job[] | Plan | undefined; inFlight[k]! < BATCHES_AHEAD && (next = batches.next(k, inFlight[k] === 0)); inFlight[k]!++) {
      const batch = Array.isArray(next) ? next : [...next];
      thread.give({ type: 'batch', jobs: batch, hashes: batch.map(pageHash), records: batch.flatMap(piecesOf) });
    }
    if (inFlight[k] === 0) thread.give({ type: 'end' });
  };
  const runs = threads.map((thread, k) => {
    thread.listen((message) => {
      if (message.type === 'progress') {
        try {
          records.add(message.records);
        } catch (error) {
          throw output.unwritable(error);
        }
        done += message.done;
        onProgress?.(done, jobs.length);
      } else if (message.type === 'batch-done') {
        inFlight[k]!--;
        feed(k);
      } else if (message.type === 'template-error') {
        throw new TemplateRenderError(message.template, message.message);
      } else {
        ctx.i18n.misses.push(...message.misses);
        output.written += message.written;
        output.kept += message.kept;
        for (const stage of ['render', 'markdown', 'write', 'workerLoad'] as const) timings[stage] += message.timings[stage];
      }
    });
    thread.give({ type: 'setup', staging: output.staging, seeded: output.seeded, recycled: output.replaces, ...(reuse ? { pieces: { from: reuse.from, keys: reuse.records.keys } } : {}) });
    return thread.exited;
  });
  // Set when the build fails: this thread then renders no further batch.
  let failed = false;
  const renderHere = async () => {
    for (let batch: Job[] | Plan | undefined; !failed && (batch = batches.next(threads.length)); ) {
      await renderJobs(here.site, batch, output, undefined, timings, reuse, records, here.before);
      done += batch.length;
      onProgress?.(done, jobs.length);
      // The threads' messages are taken between batches: a thread done with its batches is given
      // more then (it holds BATCHES_AHEAD, more than this thread renders in one).
      await new Promise(setImmediate);
    }
  };
  // This thread takes its first batch (and renders its first page) before the threads are fed.
  const renderingHere = renderHere();
  threads.forEach((_, k) => feed(k));
  try {
    await Promise.all([...runs, renderingHere]);
  } catch (error) {
    // Stop the other threads, and this one's batches, before the staging folder is removed under them.
    failed = true;
    await Promise.all(threads.map((thread) => thread.stop()));
    await renderingHere.catch(() => undefined);
    records.remove();
    throw error;
  }
  return records;
}

/** The pages a render thread is given at a time (~0.1 s of its work), and how many such batches it holds at most. */
const BATCH_PAGES = 200;
const BATCHES_AHEAD = 2;

/**
 * The batches of the render threads' shares: each share cut into batches of `size`, in order.
 * A thread takes its share's next batch; once its share is done, the last batch of the share
 * with the most left (the end farthest from where that share's own thread is).
 */
export class BatchQueue<List extends { readonly length: number; slice(start: number, end: number): List }> {
  private readonly shares: List[][];

  constructor(shares: List[], size: number) {
    this.shares = shares.map((share) => {
      const batches: List[] = [];
      for (let start = 0; start < share.length; start += size) batches.push(share.slice(start, start + size));
      return batches;
    });
  }

  /** The next batch for the thread of share `k`, or undefined when none is left (in its share, when it may not `steal`). */
  next(k: number, steal = true): List | undefined {
    return this.shares[k]!.shift() ?? (steal ? this.shares.reduce((most, share) => (share.length > most.length ? share : most)).pop() : undefined);
  }
}

/**
 * The heap limits of a render thread of `pages` pages. Without limits, V8 sizes a thread's heap
 * for the machine's memory and lets it grow to up to four times what is live between two
 * collections: on a 300-code catalog of two languages each render thread held 65-90 MB after a
 * collection but grew to 170-290 MB, and the build peaked at 750-790 MB of RSS. Under a limit of
 * less than 2 GB V8 grows a heap by less (1.3-2 times what is live), and the same build peaked at
 * 560-575 MB, in the same time and CPU time. The limit is well above what a thread holds: the
 * inputs, caches bounded by size (src/render/processors.ts) and the pages it is given (measured
 * when a thread was given its whole share at once: 2 KB a page; given in batches, it keeps
 * nothing of the pages before its batch: the limit's share of pages is room it no longer needs,
 * kept as a margin, since what a thread holds grows with the catalog's codes and languages
 * instead: at 300 codes in ten languages, 225,000 pages a thread and a limit of 825 MB, a thread
 * held 55 MB in the middle of the build, and its heap grew to 178-193 MB under a limit of 400 MB
 * as under 825 MB). The young generation is V8's default (16 MB semi-spaces): made from a
 * smaller old generation it was smaller, and a build spent 1.8 times the CPU time collecting it.
 */
export function renderThreadLimits(pages: number, heapMb?: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: heapMb ?? 384 + Math.ceil(pages / 512), maxYoungGenerationSizeMb: 48 };
}

/** A render thread that ran out of its heap limit (see renderThreadLimits). */
export class ThreadMemoryError extends Error {
  constructor(
    readonly limitMb: number,
    readonly pages: number,
    readonly outDir: string,
  ) {
    super(`a render thread of ${pages} pages ran out of its heap limit of ${limitMb} MB`);
  }
}

export function missingTranslations(ctx: RenderContext): InputError {
  const byLang = new Map<string, VFile>();
  const seen = new Set<string>();
  for (const miss of ctx.i18n.misses) {
    const id = `${miss.lang}:${miss.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const [ns, key] = miss.key.split(':') as [string, string];
    const path = `locales/${miss.lang}/${ns}.json`;
    const file = byLang.get(path) ?? new VFile({ path });
    byLang.set(path, file);
    report(file, 'missing-translation', { key, lang: miss.lang, where: 'page templates' });
  }
  return new InputError([...byLang.values()]);
}

export function toInputError(error: unknown): unknown {
  if (error instanceof TemplateRenderError) {
    const file = new VFile({ path: `templates/${error.template}.hbs` });
    report(file, 'template-runtime', { template: error.template, detail: error.message.replace(/\s*- \d+:\d+\s*$/, '') }, { line: error.line, column: error.column });
    return new InputError([file]);
  }
  if (error instanceof SearchIndexError) {
    const file = new VFile({ path: SEARCH_DIR });
    report(file, 'search-index-failed', { detail: error.detail });
    return new InputError([file]);
  }
  if (error instanceof ThreadMemoryError) {
    const file = new VFile({ path: error.outDir });
    report(file, 'render-thread-memory', { limit: String(error.limitMb), pages: String(error.pages) });
    return new InputError([file]);
  }
  if (error instanceof OutputError) {
    const file = new VFile({ path: error.path });
    report(file, error.ruleId, { path: error.path, detail: error.detail, lock: lockPath(error.path) });
    return new InputError([file]);
  }
  return error;
}
