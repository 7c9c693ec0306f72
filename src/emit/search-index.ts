/**
 * The full-text search index: Pagefind reads the HTML pages in the staging folder (only the
 * regions marked data-pagefind-body, so redirect stubs, the root page and the 404 page stay out)
 * and writes its bundle, with its default UI, into `pagefind/`. It runs before the staging
 * folder is swapped in, so a failed index leaves the previous output as it was.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pagefind from 'pagefind';

export const SEARCH_DIR = 'pagefind';

export class SearchIndexError extends Error {
  readonly detail: string;
  constructor(detail: string) {
    super(`search index: ${detail}`);
    this.detail = detail;
  }
}

/**
 * Pagefind's service process that dies leaves its promises pending forever, and Node would then
 * exit silently; 'beforeExit' fires when nothing else is left to wait for, and turns that into
 * an error.
 */
function stallGuard(): { stalled: Promise<never>; stop: () => void } {
  let onStall = () => {};
  const stalled = new Promise<never>((_, reject) => {
    onStall = () => reject(new SearchIndexError('the Pagefind process stopped without an answer'));
  });
  stalled.catch(() => {});
  process.once('beforeExit', onStall);
  return { stalled, stop: () => process.off('beforeExit', onStall) };
}

export async function writeSearchIndex(staging: string): Promise<{ pages: number }> {
  // Pagefind prints its service's failures with stack traces; they become the error's detail.
  const printed: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => void printed.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  const guard = stallGuard();
  const call = <T>(promise: Promise<T>) => Promise.race([promise, guard.stalled]);
  try {
    const created = await call(pagefind.createIndex({ keepIndexUrl: true }));
    if (!created.index || created.errors.length) throw new SearchIndexError(created.errors.join('; ') || 'no index');
    const { index } = created;
    const added = await call(index.addDirectory({ path: staging, glob: '**/*.html' }));
    if (added.errors.length) throw new SearchIndexError(added.errors.join('; '));
    const written = await call(index.writeFiles({ outputPath: join(staging, SEARCH_DIR) }));
    if (written.errors.length) throw new SearchIndexError(written.errors.join('; '));
    // page_count above counts every HTML file seen; the entry file counts the pages indexed.
    const entry = JSON.parse(await readFile(join(staging, SEARCH_DIR, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    return { pages: Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0) };
  } catch (error) {
    const detail = error instanceof SearchIndexError ? error.detail : error instanceof Error ? error.message.split('\n')[0]! : String(error);
    const cause = printed.map((p) => p.replace(/^Service stopped\s*/, '').split('\n')[0]).filter(Boolean);
    throw new SearchIndexError(cause.length ? `${detail} (${[...new Set(cause)].join('; ')})` : detail);
  } finally {
    guard.stop();
    console.error = consoleError;
    await Promise.race([pagefind.close(), new Promise((done) => setTimeout(done, 1000).unref())]);
  }
}
