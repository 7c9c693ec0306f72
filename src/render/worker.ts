/**
 * A render worker: loads the same inputs as the main thread, then renders the batches of pages
 * the main thread gives it (it starts the worker before it knows them, see startRenderThread in
 * src/build.ts) into the staging folder, until told there are no more. It reports progress, the
 * end of each batch, and any missing translation back.
 */
import { on } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { contextOf, loadSite, renderJobs, type LoadOptions, type PieceReuse } from '../build.js';
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

/** What the main thread tells a worker, in this order: where to write, batches of pages, the end. */
export type ToWorker =
  /** Sent once the staging folder is ready for pages (a recycled one is sorted out meanwhile, see src/emit/output.ts). */
  | {
      type: 'setup';
      staging: string;
      /** Whether the files written are linked into the staging folder's seed as well (see StagedOutput.seed). */
      seeded: boolean;
      /** Whether the staging folder is a recycled one, whose stale files a write replaces (see StagedOutput.settle). */
      recycled: boolean;
      /**
       * An incremental build's previous output, whose files of the same bytes are linked, not
       * written, and the key of its pieces (see src/emit/piece-records.ts).
       */
      pieces?: { from: string; keys: Record<string, string> };
    }
  /** Pages to render, with their input hashes (see InputHashes) and their previous piece records. */
  | { type: 'batch'; jobs: Job[]; hashes: string[]; records: Array<[string, string]> }
  | { type: 'end' };

export type WorkerMessage =
  /** Pages done since the last report, and their piece records (sent as made: a worker keeps none). */
  | { type: 'progress'; done: number; records: Array<[string, string]> }
  /** A batch is done (its pages reported): the main thread sends the next. */
  | { type: 'batch-done' }
  | { type: 'done'; misses: Array<{ lang: string; key: string }>; written: number; kept: number; timings: RenderTimings & { workerLoad: number } }
  | { type: 'template-error'; template: string; message: string };

/** The main thread's messages, kept as they come while this thread loads or renders (events.on queues them). */
const messages = on(parentPort!, 'message');

async function next(): Promise<ToWorker> {
  return ((await messages.next()).value as [ToWorker])[0];
}

async function run(input: WorkerInput): Promise<void> {
  const started = performance.now();
  const site = await loadSite({ ...input.load, parseCache: new ParseCache(new Map(input.parsed)) });
  const ctxOf = contextOf(site);
  const timings = { render: 0, markdown: 0, write: 0, workerLoad: performance.now() - started };
  const setup = await next();
  if (setup.type !== 'setup') throw new Error(`render worker: ${setup.type} before setup`);
  const output = StagedOutput.attach(setup.staging, { reuseFrom: setup.pieces?.from, seeded: setup.seeded, recycled: setup.recycled });
  // The records of the batch being rendered.
  const batchRecords = new Map<string, string>();
  const reuse: PieceReuse | undefined = setup.pieces ? { from: setup.pieces.from, records: { keys: setup.pieces.keys, pages: batchRecords } } : undefined;
  let sinceReport = 0;
  let records: Array<[string, string]> = [];
  const report = () => {
    if (sinceReport) parentPort!.postMessage({ type: 'progress', done: sinceReport, records } satisfies WorkerMessage);
    sinceReport = 0;
    records = [];
  };
  const sink = { set: (path: string, record: string) => records.push([path, record]) };
  for (let batch = await next(); batch.type === 'batch'; batch = await next()) {
    // Only this batch's page hashes are kept: nothing a thread holds grows with the pages it renders.
    for (const ctx of site.ctxs) ctx.hashes.forgetPages();
    for (const [i, job] of batch.jobs.entries()) ctxOf(job).hashes.know(job.path, batch.hashes[i]!);
    batchRecords.clear();
    for (const [path, record] of batch.records) batchRecords.set(path, record);
    await renderJobs(
      site,
      batch.jobs,
      output,
      () => {
        if (++sinceReport === 25) report();
      },
      timings,
      reuse,
      sink,
    );
    report();
    parentPort!.postMessage({ type: 'batch-done' } satisfies WorkerMessage);
  }
  parentPort!.postMessage({ type: 'done', misses: site.ctxs.flatMap((c) => c.i18n.misses), written: output.written, kept: output.kept, timings } satisfies WorkerMessage);
  // Nothing more comes: the thread ends.
  parentPort!.close();
}

try {
  await run(workerData as WorkerInput);
} catch (error) {
  // Errors lose their class crossing threads; a template error is sent as data instead.
  if (!(error instanceof TemplateRenderError)) throw error;
  parentPort!.postMessage({ type: 'template-error', template: error.template, message: error.message } satisfies WorkerMessage);
  parentPort!.close();
}
