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
  | { type: 'done'; records: KbRecord[]; misses: Array<{ lang: string; key: string }> }
  | { type: 'template-error'; template: string; message: string };

async function run(input: KbWorkerInput): Promise<void> {
  const site = await loadSite({ root: input.root, catalogs: input.catalogs, baseUrl: undefined, langs: input.langs });
  const records: KbRecord[] = [];
  let sinceReport = 0;
  const report = () => {
    if (sinceReport) parentPort!.postMessage({ type: 'progress', done: sinceReport } satisfies KbWorkerMessage);
    sinceReport = 0;
  };
  exportRecords(site, input.jobs, input.maxChars, (page) => records.push(...page), () => {
    if (++sinceReport === 25) report();
  });
  report();
  parentPort!.postMessage({ type: 'done', records, misses: site.ctxs.flatMap((c) => c.i18n.misses) } satisfies KbWorkerMessage);
}

try {
  await run(workerData as KbWorkerInput);
} catch (error) {
  // Errors lose their class crossing threads; a template error is sent as data instead.
  if (!(error instanceof TemplateRenderError)) throw error;
  parentPort!.postMessage({ type: 'template-error', template: error.template, message: error.message } satisfies KbWorkerMessage);
}
