/**
 * A render worker: loads the same inputs as the main thread, renders its share of the jobs and
 * writes them into the staging folder. It reports progress and any missing translation back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { load } from '../build.js';
import type { Job } from '../types.js';
import { TemplateRenderError, renderArticle } from './article.js';

export interface WorkerInput {
  root: string;
  baseUrl: string | undefined;
  staging: string;
  jobs: Job[];
}

export type WorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'done'; misses: Array<{ lang: string; key: string }>; written: number }
  | { type: 'template-error'; template: string; message: string };

async function run(input: WorkerInput): Promise<void> {
  const { ctx } = await load({ root: input.root, baseUrl: input.baseUrl });
  const made = new Set<string>();
  let written = 0;
  let sinceReport = 0;
  for (const job of input.jobs) {
    const article = await renderArticle(ctx, job);
    const base = join(input.staging, job.path);
    const dir = dirname(base);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await Promise.all([writeFile(`${base}.md`, article.markdown), writeFile(`${base}.html`, article.html)]);
    written += 2;
    if (++sinceReport === 25) {
      parentPort!.postMessage({ type: 'progress', done: sinceReport } satisfies WorkerMessage);
      sinceReport = 0;
    }
  }
  if (sinceReport) parentPort!.postMessage({ type: 'progress', done: sinceReport } satisfies WorkerMessage);
  parentPort!.postMessage({ type: 'done', misses: ctx.i18n.misses, written } satisfies WorkerMessage);
}

try {
  await run(workerData as WorkerInput);
} catch (error) {
  // Errors lose their class crossing threads; a template error is sent as data instead.
  if (!(error instanceof TemplateRenderError)) throw error;
  parentPort!.postMessage({ type: 'template-error', template: error.template, message: error.message } satisfies WorkerMessage);
}
