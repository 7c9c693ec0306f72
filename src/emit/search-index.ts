/**
 * The full-text search index: Pagefind reads the HTML pages in the staging folder (only the
 * regions marked data-pagefind-body, so redirect stubs, the root page and the 404 page stay out,
 * and not the code sections of pair articles, see rehype-search-ignore.ts)
 * and writes a bundle per language, with its default UI, into `pagefind/<lang>/`: a language's
 * home page searches its own language's bundle. It runs before the staging folder is swapped
 * in, so a failed index leaves the previous output as it was.
 *
 * Pagefind cannot update a bundle in part, but a bundle none of whose pages changed is kept as it
 * is: a bundle's files are listed in the build manifest with the language's search key (every
 * HTML file of the language with its hash, see searchKeys), so an edit of one language's
 * translations indexes that language again, not all ten.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { sha256 } from '../hash.js';
import { SEARCH_DIR, searchBundle } from '../site/search-bundle.js';
import { runWorkers } from '../run-workers.js';

/**
 * Per language, the key of its search bundle: a hash of every HTML file under `<lang>/` with the
 * hash it was made from (`hashes`: the build manifest's, a page's input hash or a file's content
 * hash). The same key means the same pages, so the same bundle.
 */
export function searchKeys(langs: readonly string[], hashes: ReadonlyMap<string, string>): Map<string, string> {
  const lists = new Map(langs.map((lang): [string, string[]] => [lang, []]));
  for (const [path, hash] of hashes) if (path.endsWith('.html')) lists.get(path.slice(0, path.indexOf('/')))?.push(`${path}\u0000${hash}`);
  return new Map([...lists].map(([lang, list]) => [lang, sha256(list.sort().join('\n'))]));
}

/**
 * The keys of searchKeys made from the files sorted by path (as a full build has them, without a
 * map of every file): the same, since a list sorted by path is sorted by `<path>\0<hash>` as well
 * (no path is there twice, and none holds a NUL), so each language's lines are hashed as they come.
 */
export function searchKeysOfSorted(langs: readonly string[], sorted: Iterable<readonly [string, string]>): Map<string, string> {
  const hashes = new Map(langs.map((lang) => [lang, { hash: createHash('sha256'), first: true }]));
  for (const [path, hash] of sorted) {
    if (!path.endsWith('.html')) continue;
    const key = hashes.get(path.slice(0, path.indexOf('/')));
    if (!key) continue;
    key.hash.update(`${key.first ? '' : '\n'}${path}\u0000${hash}`);
    key.first = false;
  }
  return new Map([...hashes].map(([lang, key]) => [lang, key.hash.digest('hex')]));
}

/**
 * Of the previous build's files (`previous`: the manifest's), the search bundles that can be kept:
 * per language whose key is the one its files were listed with, those files. A bundle is whole
 * or not kept: it has its entry file, and every file has the key.
 */
export function keptBundles(keys: ReadonlyMap<string, string>, previous: ReadonlyMap<string, string> | undefined): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const broken = new Set<string>();
  for (const [path, hash] of previous ?? []) {
    if (!path.startsWith(`${SEARCH_DIR}/`)) continue;
    const lang = path.slice(SEARCH_DIR.length + 1, path.indexOf('/', SEARCH_DIR.length + 1));
    if (keys.get(lang) !== hash) broken.add(lang);
    else if (files.has(lang)) files.get(lang)!.push(path);
    else files.set(lang, [path]);
  }
  return new Map([...files].filter(([lang, paths]) => !broken.has(lang) && paths.includes(`${searchBundle(lang)}/pagefind-entry.json`)));
}

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

/**
 * Index the pages of each of `langs` in the staging folder into its bundle (a folder that is not
 * there yet): the files written, per language, as paths inside the staging folder, in the order
 * of `langs`. With `threads` above one, the languages are shared among that many threads.
 *
 * Pagefind's service indexes one language at a time, on one core for most of it (a language of
 * the shipped site took 11-16 s on the development machine, two languages sent to one service at
 * once 36 s): a thread of ours starts a service of its own. On the two-core development machine
 * two services took 26.5 s for two languages, 1.3 times as fast as one; each holds up to ~1.5 GB
 * while it indexes a language of the shipped site.
 */
export async function writeSearchIndex(staging: string, langs: readonly string[], threads = 1): Promise<Map<string, string[]>> {
  const shares = Array.from({ length: Math.min(threads, langs.length) }, (_, i) => langs.filter((_, j) => j % threads === i));
  if (shares.length <= 1) return indexLanguages(staging, langs);
  const found = new Map<string, string[]>();
  await runWorkers<SearchWorkerInput, SearchWorkerMessage>(
    new URL('./search-index-worker.js', import.meta.url),
    shares.map((share) => ({ staging, langs: share })),
    (message) => {
      if ('error' in message) throw new SearchIndexError(message.error);
      for (const [lang, files] of message.files) found.set(lang, files);
    },
    'search index',
  ).catch((error: unknown) => {
    if (error instanceof SearchIndexError) throw error;
    throw new SearchIndexError((error as Error).message);
  });
  // A thread that ends without its answer: its Pagefind service stopped (see stallGuard).
  if (langs.some((lang) => !found.has(lang))) throw new SearchIndexError('the Pagefind process stopped without an answer');
  return new Map(langs.map((lang) => [lang, found.get(lang)!]));
}

export interface SearchWorkerInput {
  staging: string;
  langs: string[];
}

export type SearchWorkerMessage = { files: Array<[string, string[]]> } | { error: string };

/** writeSearchIndex on this thread, one language after another. */
export async function indexLanguages(staging: string, langs: readonly string[]): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  if (!langs.length) return files;
  // Pagefind prints its service's failures with stack traces; they become the error's detail.
  const printed: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => void printed.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  const guard = stallGuard();
  const call = <T>(promise: Promise<T>) => Promise.race([promise, guard.stalled]);
  try {
    for (const lang of langs) {
      const created = await call(pagefind.createIndex({ keepIndexUrl: true }));
      if (!created.index || created.errors.length) throw new SearchIndexError(created.errors.join('; ') || 'no index');
      const { index } = created;
      const added = await call(index.addDirectory({ path: staging, glob: `${lang}/**/*.html` }));
      if (added.errors.length) throw new SearchIndexError(added.errors.join('; '));
      const bundle = join(staging, searchBundle(lang));
      const written = await call(index.writeFiles({ outputPath: bundle }));
      if (written.errors.length) throw new SearchIndexError(written.errors.join('; '));
      await call(index.deleteIndex());
      const entries = await readdir(bundle, { recursive: true, withFileTypes: true });
      files.set(
        lang,
        entries
          .filter((entry) => entry.isFile())
          .map((entry) => `${searchBundle(lang)}/${join(entry.parentPath, entry.name).slice(bundle.length + 1).replaceAll('\\', '/')}`)
          .sort(),
      );
    }
    return files;
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

/** How many pages the bundles of `langs` in `dir` index (their entry files say; page_count of addDirectory counts every HTML file seen). */
export async function indexedPages(dir: string, langs: readonly string[]): Promise<number> {
  let pages = 0;
  for (const lang of langs) {
    const entry = JSON.parse(await readFile(join(dir, searchBundle(lang), 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    pages += Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
  }
  return pages;
}
