/**
 * `codepairs export`: the knowledge base. Load and plan exactly as a build does, compose each
 * code page and pair article's Markdown, turn its sections into records (src/export, pure), and
 * write out/kb/<lang>.jsonl, manifest.json and, with --since, changes.jsonl into a staging folder
 * that replaces out/kb/ only when everything succeeded. The rest of out/ is not touched.
 */
import { join } from 'node:path';
import type { VFile } from 'vfile';
import { contextOf, limitHeapGrowth, loadSite, missingTranslations, planSite, threadsFor, toInputError, type Site } from './build.js';
import { InputError } from './diagnostics.js';
import { LineSpill } from './emit/line-spill.js';
import { RecordSpill } from './emit/piece-records.js';
import { KB_DIR, StagedOutput } from './emit/output.js';
import { ChangeSet, manifestChunks, type Manifest } from './export/manifest.js';
import { NAVIGATION_KEYS, codeRecords, pageSections, pairRecords, type CodeTexts, type KbPage, type KbRecord } from './export/records.js';
import { loadManifest } from './load/manifest.js';
import type { KbWorkerInput, KbWorkerMessage } from './kb-export-worker.js';
import { planJobs } from './plan/jobs.js';
import { planShard } from './plan/shard.js';
import { TemplateRenderError, composePage, type RenderContext } from './render/article.js';
import { translator } from './render/i18n.js';
import { typeset } from './render/plugins/remark-typography.js';
import { markdownSections } from './render/processors.js';
import { stripEscapes } from './render/views.js';
import { runWorkers } from './run-workers.js';
import type { Job } from './types.js';

/** Records stay within about this many characters unless configured otherwise. */
export const DEFAULT_MAX_CHARS = 1500;
/** Below this a limit would cut sections into scraps. */
export const MIN_MAX_CHARS = 100;

export const MANIFEST_FILE = 'manifest.json';
export const CHANGES_FILE = 'changes.jsonl';

export interface ExportOptions {
  root: string;
  /** The project's catalogs (codepairs.config.json), as a build takes them; default data/sip. */
  catalogs?: string[];
  outDir: string;
  langs?: string[];
  maxChars: number;
  /** Threads; 1 exports on the main thread. Default: the number of cores, at most 8. */
  jobs?: number;
  /** Manifest of an earlier export, relative to the project folder: write changes.jsonl. */
  since?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  warnings: VFile[];
  pages: number;
  records: number;
  languages: string[];
  changes?: { upserts: number; deletes: number };
}

/** The category of every record of a language: the localized title of the protocol's index. */
function category(ctx: RenderContext, lang: string, typography: Parameters<typeof typeset>[1]): string {
  return typeset(translator(ctx.i18n, lang, ctx.catalog.protocol.id).t('title.index', { interpolation: { escapeValue: false } }), typography);
}

/** A job's page as the export sees it: its sections as Markdown trees. */
export function kbPage(ctx: RenderContext, job: Job): KbPage {
  const page = composePage(ctx, job);
  const keys = page.options.sectionKeys ?? new Map<string, string>();
  // Lists of links are not exported: leave them unparsed when their heading says what they are.
  const navigation = (heading: string) => NAVIGATION_KEYS.has(keys.get(typeset(stripEscapes(heading), page.options.typography)) ?? '');
  const trees = markdownSections(page.source, page.options, navigation);
  return {
    kind: job.kind === 'pair' ? 'pair' : 'code',
    protocol: ctx.catalog.protocol.id,
    lang: job.lang,
    codes: [...job.codes],
    path: job.path,
    title: page.meta.title,
    category: category(ctx, job.lang, page.options.typography),
    sections: pageSections(trees, keys),
  };
}

/**
 * The records of `jobs` (code pages and pair articles of the site's catalogs), in job order,
 * passed to `onRecords` page by page. A pair needs the text of its language's code pages, which
 * are composed here when they are not among the jobs (a render thread may get pairs only).
 */
export function exportRecords(site: Pick<Site, 'ctxs'>, jobs: Job[], maxChars: number, onRecords: (records: KbRecord[]) => void, onProgress?: () => void): void {
  const ctxOf = contextOf(site);
  const codePages = new Map<string, ReturnType<typeof codeRecords>>();
  const codePage = (ctx: RenderContext, job: Job) => {
    let made = codePages.get(job.path);
    if (!made) {
      made = codeRecords(kbPage(ctx, job), maxChars);
      codePages.set(job.path, made);
    }
    return made;
  };
  const texts = new Map<string, CodeTexts>();
  const textsOf = (ctx: RenderContext, lang: string): CodeTexts => {
    const key = `${ctx.catalog.protocol.id} ${lang}`;
    let made = texts.get(key);
    if (!made) {
      made = new Map();
      const language = ctx.languages.filter((l) => l.tag === lang);
      for (const job of planJobs(ctx.catalog, language, { nested: ctx.nested }).filter((j) => j.kind === 'code')) {
        for (const [id, units] of codePage(ctx, job).texts) made.set(id, units);
      }
      texts.set(key, made);
    }
    return made;
  };
  for (const job of jobs) {
    const ctx = ctxOf(job);
    if (job.kind === 'code') onRecords(codePage(ctx, job).records);
    else if (job.kind === 'pair') onRecords(pairRecords(kbPage(ctx, job), textsOf(ctx, job.lang), maxChars));
    onProgress?.();
  }
}

export async function exportKb(options: ExportOptions): Promise<ExportResult> {
  // Much garbage, little kept, on every thread: see HEAP_GROWING_PERCENT. Set before anything
  // loads, so that it holds from the first full collection on (the main thread's heap, sized by
  // V8 after an earlier manifest was read, grew to ~390 MB of mostly the records' garbage).
  limitHeapGrowth();
  const site = await loadSite({ root: options.root, catalogs: options.catalogs, baseUrl: undefined, langs: options.langs });
  const { warnings } = site;
  const ctx = site.ctxs[0]!;
  const jobs = planSite(site, options.langs).filter((job) => job.kind === 'code' || job.kind === 'pair');
  const langs = [...new Set(jobs.map((j) => j.lang))];

  let old: Manifest | undefined;
  if (options.since !== undefined) {
    const files: VFile[] = [];
    old = await loadManifest(options.root, options.since, files);
    if (!old) throw new InputError(files.filter((f) => f.messages.length > 0));
  }
  const changeSet = old ? new ChangeSet(old, langs) : undefined;

  const threads = await threadsFor(jobs.length, options.jobs);
  // Each language's records as JSON lines, by thread share (contiguous, in order), on disk as
  // they come: a language's file is its shares' lines one after the other.
  const lines = new LineSpill();
  const streamOf = (lang: string, share: number) => `${lang}\t${share}`;
  const streamsOf = (lang: string) => Array.from({ length: threads }, (_, share) => streamOf(lang, share));
  // Every record's id and hash, and the upserts' lines, sorted by id on disk as they come: the
  // manifest and the change set are written from them (see src/export/manifest.ts).
  const ids = new RecordSpill(lines.file('ids'));
  const upserts = changeSet && new RecordSpill(lines.file('upserts'));
  let count = 0;
  const take = (records: KbRecord[], share = 0) => {
    for (const record of records) {
      ids.set(record.id, record.hash);
      const json = JSON.stringify(record);
      lines.add(streamOf(record.lang, share), json);
      const upsert = changeSet?.upsert(record, json);
      if (upsert !== undefined) upserts!.set(record.id, upsert);
    }
    count += records.length;
  };
  try {
    try {
      if (threads === 1) {
        let done = 0;
        exportRecords(site, jobs, options.maxChars, take, () => options.onProgress?.(++done, jobs.length));
      } else {
        await recordsInWorkers(options, jobs, threads, ctx, take);
      }
    } catch (error) {
      throw toInputError(error);
    }
    for (const c of site.ctxs) if (c.i18n.misses.length) throw missingTranslations(c);

    let output: StagedOutput;
    try {
      output = await StagedOutput.open(join(options.outDir, KB_DIR));
    } catch (error) {
      throw toInputError(error);
    }
    try {
      for (const lang of langs) output.writeChunks(`${lang}.jsonl`, lines.text(streamsOf(lang)));
      output.writeChunks(MANIFEST_FILE, manifestChunks(keptBy(changeSet, ids.sorted()), langs, options.maxChars));
      if (changeSet) output.writeChunks(CHANGES_FILE, changeSet.lines(upserts!.sorted()));
      await output.commit();
    } catch (error) {
      await output.abort();
      throw toInputError(error);
    }
    return {
      warnings,
      pages: jobs.length,
      records: count,
      languages: langs,
      changes: changeSet && { upserts: changeSet.upserts, deletes: changeSet.deletes },
    };
  } finally {
    ids.remove();
    upserts?.remove();
    lines.remove();
  }
}

/** The ids and hashes of the new export, each id noted as kept by the change set on the way. */
function* keptBy(changeSet: ChangeSet | undefined, records: Iterable<readonly [string, string]>): Generator<readonly [string, string]> {
  for (const record of records) {
    changeSet?.keep(record[0]);
    yield record;
  }
}

/**
 * Split the jobs into contiguous shares, one per worker thread; each loads the inputs itself
 * and sends its records back a batch at a time, handed to `take` with the share's index. The
 * caller keeps the shares apart and in order, so the output does not depend on the number of
 * threads. A thread held its share's records until its end, then the main thread a copy: the
 * shipped project peaked at 815 MB.
 */
async function recordsInWorkers(options: ExportOptions, jobs: Job[], count: number, ctx: RenderContext, take: (records: KbRecord[], share: number) => void): Promise<void> {
  let done = 0;
  const inputs: KbWorkerInput[] = Array.from({ length: count }, (_, k) => ({ root: options.root, ...(options.catalogs ? { catalogs: options.catalogs } : {}), langs: options.langs, maxChars: options.maxChars, jobs: planShard(jobs, { index: k + 1, count }) }));
  await runWorkers<KbWorkerInput, KbWorkerMessage>(new URL('./kb-export-worker.js', import.meta.url), inputs, (message, index) => {
    if (message.type === 'progress') {
      done += message.done;
      options.onProgress?.(done, jobs.length);
    } else if (message.type === 'template-error') {
      throw new TemplateRenderError(message.template, message.message);
    } else if (message.type === 'records') {
      take(message.records, index);
    } else {
      ctx.i18n.misses.push(...message.misses);
    }
  }, 'export');
}
