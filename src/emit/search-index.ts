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

export async function writeSearchIndex(staging: string): Promise<{ pages: number }> {
  try {
    const created = await pagefind.createIndex({ keepIndexUrl: true });
    if (!created.index || created.errors.length) throw new SearchIndexError(created.errors.join('; ') || 'no index');
    const { index } = created;
    const added = await index.addDirectory({ path: staging, glob: '**/*.html' });
    if (added.errors.length) throw new SearchIndexError(added.errors.join('; '));
    const written = await index.writeFiles({ outputPath: join(staging, SEARCH_DIR) });
    if (written.errors.length) throw new SearchIndexError(written.errors.join('; '));
    // page_count above counts every HTML file seen; the entry file counts the pages indexed.
    const entry = JSON.parse(await readFile(join(staging, SEARCH_DIR, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    return { pages: Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0) };
  } catch (error) {
    throw error instanceof SearchIndexError ? error : new SearchIndexError(error instanceof Error ? error.message : String(error));
  } finally {
    await pagefind.close();
  }
}
