/**
 * A render worker: loads the same inputs as the main thread, renders its share of the jobs and
 * writes them into the staging folder. It reports progress and any missing translation back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { contextOf, loadSite, renderJobs, type LoadOptions } from '../build.js';
import { StagedOutput } from '../emit/output.js';
import { ParseCache } from '../load/parse-cache.js';
import type { Job, RenderTimings } from '../types.js';
import { TemplateRenderError } from './article.js';

export interface WorkerInput {
  /** The options the main thread loaded its inputs with. */
  load: LoadOptions;
  /** The YAML the main thread parsed (see src/load/parse-cache.ts): the worker does not parse it again. */
  parsed: Array<[string, string]>;
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

/**
 * The main thread's word that the staging folder is ready for pages: the worker loads the inputs
 * meanwhile (a recycled staging folder is being sorted out, see src/emit/output.ts).
 */
const go = new Promise<void>((resolvePromise) => parentPort!.once('message', () => resolvePromise()));

async function run(input: WorkerInput): Promise<void> {
  const started = performance.now();
  const site = await loadSite({ ...input.load, parseCache: new ParseCache(new Map(input.parsed)) });
  const ctxOf = contextOf(site);
  for (const [i, job] of input.jobs.entries()) ctxOf(job).hashes.know(job.path, input.hashes[i]!);
  const timings = { render: 0, markdown: 0, write: 0, workerLoad: performance.now() - started };
  await go;
  const output = StagedOutput.attach(input.staging, { reuseFrom: input.pieces?.from, seeded: input.seeded, recycled: input.recycled });
  let sinceReport = 0;
  let records: Array<[string, string]> = [];
  const report = () => {
    if (sinceReport) parentPort!.postMessage({ type: 'progress', done: sinceReport, records } satisfies WorkerMessage);
    sinceReport = 0;
    records = [];
  };
  await renderJobs(
    site,
    input.jobs,
    output,
    () => {
      if (++sinceReport === 25) report();
    },
    timings,
    input.pieces ? { from: input.pieces.from, records: { keys: input.pieces.keys, pages: new Map(input.pieces.records) } } : undefined,
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
