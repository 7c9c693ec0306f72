/**
 * A render worker: loads the same inputs as the main thread, then waits for its share of the
 * jobs (the main thread starts it before it knows them, see startRenderThread in src/build.ts),
 * renders them and writes them into the staging folder. It reports progress and any missing
 * translation back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { contextOf, loadSite, renderJobs, type LoadOptions } from '../build.js';
import { StagedOutput } from '../emit/output.js';
import { ParseCache } from '../load/parse-cache.js';
import type { Job, RenderTimings } from '../types.js';
import { TemplateRenderError } from './article.js';

/** What a worker is started with: what to load. */
export interface WorkerInput {
  /** The options the main thread loaded its inputs with. */
  load: LoadOptions;
  /** The YAML the main thread parsed (see src/load/parse-cache.ts): the worker does not parse it again. */
  parsed: Array<[string, string]>;
}

/**
 * The main thread's one message to a worker: its pages, sent once the staging folder is ready
 * for them (a recycled staging folder is sorted out meanwhile, see src/emit/output.ts).
 */
export interface WorkerJobs {
  staging: string;
  /** Whether the files written are linked into the staging folder's seed as well (see StagedOutput.seed). */
  seeded: boolean;
  /** Whether the staging folder is a recycled one, whose stale files a write replaces (see StagedOutput.settle). */
  recycled: boolean;
  /**
   * An incremental build's previous output, whose files of the same bytes are linked, not
   * written, and the piece records of this worker's pages (see src/emit/piece-records.ts).
   */
  pieces?: { from: string; records: Array<[string, string]>; keys: Record<string, string> };
  jobs: Job[];
  /** The input hash of each job, as the main thread made it (see InputHashes). */
  hashes: string[];
}

export type WorkerMessage =
  /** Pages done since the last report, and their piece records (sent as made: a worker keeps none). */
  | { type: 'progress'; done: number; records: Array<[string, string]> }
  | { type: 'done'; misses: Array<{ lang: string; key: string }>; written: number; kept: number; timings: RenderTimings & { workerLoad: number } }
  | { type: 'template-error'; template: string; message: string };

const given = new Promise<WorkerJobs>((resolvePromise) => parentPort!.once('message', resolvePromise));

async function run(input: WorkerInput): Promise<void> {
  const started = performance.now();
  const site = await loadSite({ ...input.load, parseCache: new ParseCache(new Map(input.parsed)) });
  const ctxOf = contextOf(site);
  const timings = { render: 0, markdown: 0, write: 0, workerLoad: performance.now() - started };
  const work = await given;
  for (const [i, job] of work.jobs.entries()) ctxOf(job).hashes.know(job.path, work.hashes[i]!);
  const output = StagedOutput.attach(work.staging, { reuseFrom: work.pieces?.from, seeded: work.seeded, recycled: work.recycled });
  let sinceReport = 0;
  let records: Array<[string, string]> = [];
  const report = () => {
    if (sinceReport) parentPort!.postMessage({ type: 'progress', done: sinceReport, records } satisfies WorkerMessage);
    sinceReport = 0;
    records = [];
  };
  await renderJobs(
    site,
    work.jobs,
    output,
    () => {
      if (++sinceReport === 25) report();
    },
    timings,
    work.pieces ? { from: work.pieces.from, records: { keys: work.pieces.keys, pages: new Map(work.pieces.records) } } : undefined,
    { set: (path: string, record: string) => records.push([path, record]) },
  );
  report();
  parentPort!.postMessage({ type: 'done', misses: site.ctxs.flatMap((c) => c.i18n.misses), written: output.written, kept: output.kept, timings } satisfies WorkerMessage);
}

try {
  await run(workerData as WorkerInput);
} catch (error) {
  // Errors lose their class crossing threads; a template error is sent as data instead.
  if (!(error instanceof TemplateRenderError)) throw error;
  parentPort!.postMessage({ type: 'template-error', template: error.template, message: error.message } satisfies WorkerMessage);
}
