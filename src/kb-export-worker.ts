/**
 * An export thread: loads the same inputs as the main thread, turns its share of the pages into
 * knowledge-base records and sends them back with any missing translation; writes nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSite } from './build.js';
import { exportRecords } from './kb-export.js';
import type { KbRecord } from './export/records.js';
import { TemplateRenderError } from './render/article.js';
import type { Job } from './types.js';

export interface KbWorkerInput {
  root: string;
  catalogs?: string[];
  langs?: string[];
  maxChars: number;
  jobs: Job[];
}

export type KbWorkerMessage =
  | { type: 'progress'; done: number }
  /** The records of the next pages of the thread's share, in order. */
  | { type: 'records'; records: KbRecord[] }
  | { type: 'done'; misses: Array<{ lang: string; key: string }> }
  | { type: 'template-error'; template: string; message: string };

/** Pages whose records a thread sends at once (about 3 records, 5 KB of JSON, a page). */
const BATCH_PAGES = 25;

async function run(input: KbWorkerInput): Promise<void> {
  const site = await loadSite({ root: input.root, catalogs: input.catalogs, baseUrl: undefined, langs: input.langs });
  // Sent every BATCH_PAGES pages, with the progress: the thread holds a batch, not its share.
  let records: KbRecord[] = [];
  let sinceReport = 0;
  const report = () => {
    if (records.length) parentPort!.postMessage({ type: 'records', records } satisfies KbWorkerMessage);
    if (sinceReport) parentPort!.postMessage({ type: 'progress', done: sinceReport } satisfies KbWorkerMessage);
    records = [];
    sinceReport = 0;
  };
  exportRecords(site, input.jobs, input.maxChars, (page) => records.push(...page), () => {
    if (++sinceReport === BATCH_PAGES) report();
  });
  report();
  parentPort!.postMessage({ type: 'done', misses: site.ctxs.flatMap((c) => c.i18n.misses) } satisfies KbWorkerMessage);
}

try {
  await run(workerData as KbWorkerInput);
} catch (error) {
  // Errors lose their class crossing threads; a template error is sent as data instead.
  if (!(error instanceof TemplateRenderError)) throw error;
  parentPort!.postMessage({ type: 'template-error', template: error.template, message: error.message } satisfies KbWorkerMessage);
}
