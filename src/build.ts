/**
 * The staged run, top to bottom: load + validate → plan → render → write.
 * Any problem in the inputs stops the run before the output folder is touched.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { VFile } from 'vfile';
import { InputError, hasErrors, report } from './diagnostics.js';
import { KB_DIR, StagedOutput, OutputError, lockPath } from './emit/output.js';
import { loadCatalog } from './load/catalog.js';
import { loadLocales } from './load/locales.js';
import { loadTemplates } from './load/templates.js';
import { withEnglishFallbacks } from './translations/fallback.js';
import { duplicatePaths, planJobs } from './plan/jobs.js';
import { planShard } from './plan/shard.js';
import { STYLESHEET_PATH, TemplateRenderError, renderArticle, renderRootPage, type RenderContext } from './render/article.js';
import { createI18n } from './render/i18n.js';
import { COMMON_KEYS, protocolKeys } from './render/required-keys.js';
import { REQUIRED_TEMPLATES, compileTemplates } from './render/templates.js';
import type { BuildOptions, Job, Language, RenderTimings, StageTimings } from './types.js';
import type { WorkerInput, WorkerMessage } from './render/worker.js';
import { SEARCH_DIR, SearchIndexError, writeSearchIndex } from './emit/search-index.js';
import { siteFiles } from './site/files.js';

export const DEFAULT_CATALOG = 'data/sip';

export interface Loaded {
  ctx: RenderContext;
  stylesheet: string;
  files: VFile[];
  /** Files with warnings only (for example stale or missing translations, shown in English). */
  warnings: VFile[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Stage 1: read and validate every input. Throws InputError with all problems at once. */
export async function load(options: Pick<BuildOptions, 'root' | 'baseUrl' | 'strict' | 'noindexBelow' | 'diagrams'>): Promise<Loaded> {
  const { root } = options;
  const files: VFile[] = [];
  const catalog = await loadCatalog(root, join(root, DEFAULT_CATALOG), files);
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
    ? await loadLocales(root, catalog, files, { common: COMMON_KEYS, [catalog.protocol.id]: protocolKeys(catalog.protocol) }, { strict: options.strict })
    : undefined;
  if (!catalog || !locales || hasErrors(files)) throw new InputError(files.filter((f) => f.messages.length > 0));
  const warnings = files.filter((f) => f.messages.length > 0);

  const statuses = new Map([...locales.translations].map(([lang, t]) => [lang, t.statuses]));
  const { resources, fallbackIds } = withEnglishFallbacks(locales.resources, statuses);
  const i18n = createI18n(resources, ['common', catalog.protocol.id]);
  const templateText = Object.entries(templates.files).map(([name, file]) => `${name}\n${String(file.value)}`).join('\n');
  const inputHash = new Map(
    locales.languages.map((l) => [l.tag, sha256([templateText, JSON.stringify(resources.en), JSON.stringify(resources[l.tag]), options.baseUrl ?? '', String(options.noindexBelow ?? ''), options.diagrams ?? 'svg'].join('\n'))]),
  );
  const codeHash = new Map(catalog.codes.map((c) => [c.code, sha256(JSON.stringify(c))]));
  const ctx: RenderContext = {
    catalog,
    byCode: new Map(catalog.codes.map((c) => [c.code, c])),
    i18n,
    templates: compileTemplates(templates),
    languages: locales.languages,
    baseUrl: options.baseUrl ? (options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`) : undefined,
    diagrams: options.diagrams ?? 'svg',
    inputHash,
    codeHash,
    fallbackIds,
    noindexBelow: options.noindexBelow,
  };
  return { ctx, stylesheet: stylesheet!, files, warnings };
}

/** Stage 2: every page of the chosen languages. */
export function plan(ctx: RenderContext, langs: string[] | undefined): Job[] {
  const chosen = selectLanguages(ctx.languages, langs);
  const jobs = planJobs(ctx.catalog, chosen);
  const duplicates = duplicatePaths(jobs);
  if (duplicates.length) {
    const file = new VFile({ path: 'locales/languages.json' });
    report(file, 'duplicate-output-path', { paths: duplicates.map((p) => `\`${p}\``).join(', ') }, { line: 1, column: 1 });
    throw new InputError([file]);
  }
  return jobs;
}

function selectLanguages(languages: Language[], langs: string[] | undefined): Language[] {
  if (!langs || langs.length === 0) return languages;
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
  files: number;
  languages: string[];
  outDir: string;
  timings: StageTimings;
  /** Whether sitemap.xml was written (it needs a site URL). */
  sitemap: boolean;
  /** Pages in the search index, when one was written. */
  searchPages: number | undefined;
}

/**
 * Stages 3 and 4: render every job (or the jobs of `options.shard`) and write it into a staging
 * folder, then swap it in. Every shard also writes the stylesheet and the root page, the same
 * bytes each time, so shards merged in any order give the full build.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { ctx, stylesheet, warnings } = await load(options);
  // A shard holds part of the pages: its index would be partial (see the README on --shard).
  ctx.search = options.search === true && !options.shard;
  const loaded = performance.now();
  const allJobs = plan(ctx, options.langs);
  const jobs = planShard(allJobs, options.shard);
  const planned = performance.now();
  const thread: RenderTimings & { workerLoad: number } = { render: 0, markdown: 0, write: 0, workerLoad: 0 };
  let output: StagedOutput;
  try {
    // The knowledge base is written by `export`; a build carries the last one over.
    output = await StagedOutput.open(options.outDir, { keep: [KB_DIR] });
  } catch (error) {
    throw toInputError(error);
  }
  const workers = Math.max(1, Math.min(options.jobs ?? defaultJobs(), Math.ceil(jobs.length / 200)));
  let rendered = 0;
  let searchTime = 0;
  let searchPages: number | undefined;
  const site = siteFiles(ctx, allJobs);
  try {
    if (workers === 1) await renderJobs(ctx, jobs, output, options.onProgress, thread);
    else await renderInWorkers(options, jobs, workers, output, ctx, thread);
    rendered = performance.now();
    if (ctx.i18n.misses.length) throw missingTranslations(ctx);
    await output.write(STYLESHEET_PATH, stylesheet);
    await output.write('index.html', renderRootPage(ctx));
    for (const file of site) await output.write(file.path, file.content);
    if (ctx.search) {
      await output.flush();
      const indexing = performance.now();
      searchPages = (await writeSearchIndex(output.staging)).pages;
      searchTime = performance.now() - indexing;
    }
    await output.commit();
  } catch (error) {
    await output.abort();
    throw toInputError(error);
  }
  const finished = performance.now();
  const languages = [...new Set(jobs.map((j) => j.lang))];
  const timings: StageTimings = {
    load: loaded - started,
    plan: planned - loaded,
    ...thread,
    commit: finished - rendered - searchTime,
    search: searchTime,
    total: finished - started,
    threads: workers,
  };
  return { warnings, pages: jobs.length, files: output.written, languages, outDir: options.outDir, timings, sitemap: ctx.baseUrl !== undefined, searchPages };
}

/** Worker threads pay off from two cores on; `--jobs` overrides. */
export function defaultJobs(): number {
  return Math.min(availableParallelism(), 8);
}

/** Render jobs one after the other on this thread into `output` (the main thread or a worker). */
export async function renderJobs(ctx: RenderContext, jobs: Job[], output: StagedOutput, onProgress: BuildOptions['onProgress'], timings?: RenderTimings) {
  let done = 0;
  for (const job of jobs) {
    const article = await renderArticle(ctx, job, timings);
    const writing = timings ? performance.now() : 0;
    await output.write(`${job.path}.md`, article.markdown);
    await output.write(`${job.path}.html`, article.html);
    if (article.redirect) await output.write(article.redirect.path, article.redirect.html);
    for (const file of article.files ?? []) await output.write(file.path, file.content);
    if (timings) timings.write += performance.now() - writing;
    onProgress?.(++done, jobs.length);
  }
  const flushing = timings ? performance.now() : 0;
  await output.flush();
  if (timings) timings.write += performance.now() - flushing;
}

/**
 * Split the jobs into contiguous shares, one per worker thread (contiguous, so a worker renders
 * pages of the same language and reuses its section cache); each worker loads the inputs itself
 * and writes its pages into the staging folder. Output does not depend on which worker renders
 * a page.
 */
async function renderInWorkers(options: BuildOptions, jobs: Job[], count: number, output: StagedOutput, ctx: RenderContext, timings: RenderTimings & { workerLoad: number }) {
  let done = 0;
  const shares = Array.from({ length: count }, (_, k) => planShard(jobs, { index: k + 1, count }));
  const workers: Worker[] = [];
  const runs = shares.map(
    (share) =>
      new Promise<void>((resolvePromise, reject) => {
        const input: WorkerInput = { root: options.root, baseUrl: options.baseUrl, noindexBelow: options.noindexBelow, diagrams: options.diagrams, search: ctx.search === true, staging: output.staging, jobs: share };
        const worker = new Worker(new URL('./render/worker.js', import.meta.url), { workerData: input });
        workers.push(worker);
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'progress') {
            done += message.done;
            options.onProgress?.(done, jobs.length);
          } else if (message.type === 'template-error') {
            reject(new TemplateRenderError(message.template, message.message));
          } else {
            ctx.i18n.misses.push(...message.misses);
            output.written += message.written;
            for (const stage of ['render', 'markdown', 'write', 'workerLoad'] as const) timings[stage] += message.timings[stage];
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`render worker exited with code ${code}`))));
      }),
  );
  try {
    await Promise.all(runs);
  } catch (error) {
    // Stop the other threads before the staging folder is removed under them.
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
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
  if (error instanceof OutputError) {
    const file = new VFile({ path: error.path });
    report(file, error.ruleId, { path: error.path, detail: error.detail, lock: lockPath(error.path) });
    return new InputError([file]);
  }
  return error;
}
