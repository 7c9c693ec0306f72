/**
 * A lint thread: loads the inputs itself, lints its share of the languages and sends back what
 * it found as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { load } from '../build.js';
import { lintLanguages, type LanguagesReport, type LintOptions } from './lint-output.js';

export interface LintWorkerInput {
  root: string;
  /** The catalog folder of `check --catalog`, loaded instead of data/sip. */
  catalog?: string;
  options: LintOptions;
}

const input = workerData as LintWorkerInput;
const { ctx } = await load({ root: input.root, catalog: input.catalog, baseUrl: undefined });
const result: LanguagesReport = await lintLanguages(ctx, input.options.langs ?? [], input.options);
parentPort!.postMessage(result);
