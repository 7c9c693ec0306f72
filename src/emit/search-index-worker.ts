/**
 * A search index thread: indexes its share of the languages (see writeSearchIndex) with a
 * Pagefind service of its own and sends back the files of each bundle, or why it could not.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SearchIndexError, indexLanguages, type SearchWorkerInput, type SearchWorkerMessage } from './search-index.js';

const { staging, langs } = workerData as SearchWorkerInput;
let message: SearchWorkerMessage;
try {
  message = { files: [...(await indexLanguages(staging, langs))] };
} catch (error) {
  message = { error: error instanceof SearchIndexError ? error.detail : String(error) };
}
parentPort!.postMessage(message);
