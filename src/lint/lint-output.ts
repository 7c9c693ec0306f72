/**
 * `codepairs check --output`: read every generated Markdown page the way a careful reader would
 * and report what reads badly — empty sections, doubled words, sentences said twice, key
 * differences that repeat the code texts, prose left in English, broken links, and pair pages
 * too similar to another — as vfile messages on the page files.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { VFile } from 'vfile';
import { limitHeapGrowth } from '../build.js';
import { report } from '../diagnostics.js';
import { translator } from '../render/i18n.js';
import { typeset } from '../render/plugins/remark-typography.js';
import type { RenderContext } from '../render/article.js';
import { readPage, type Page } from './page.js';
import { brokenLinks, differencesRepeatText, emptySections, proseToTranslate, repeatedSentences, repeatedWords, untranslatedText, type Finding, type SectionLabels } from './page-rules.js';
import { jaccard, mostSimilar, shingles, signature, wordsOfBlocks } from './similarity.js';
import { PairShingles } from './pair-shingles.js';
import type { LintWorkerInput } from './worker.js';
import { planShard } from '../plan/shard.js';
import { runWorkers } from '../run-workers.js';

export interface LintOptions {
  /** The output folder to read. */
  outDir: string;
  /** Where paths in messages are shown from (the current folder). */
  cwd: string;
  /** Pair pages more similar than this to another pair page are near-duplicates. */
  maxSimilarity: number;
  /** Pair pages with fewer words of their own (in no other pair page) than this are thin. */
  minOwnWords: number;
  /** Languages to read (default: all); English is read too, as the original of the others. */
  langs?: string[];
}

export interface LanguageSummary {
  lang: string;
  pages: number;
  /** The two most similar pair pages and their estimated similarity. */
  mostSimilar?: { a: string; b: string; similarity: number };
  /** The pair page with the fewest words of its own, and their share of its text. */
  leastOwn?: { path: string; words: number; share: number };
}

export interface LintResult {
  files: VFile[];
  pages: number;
  languages: LanguageSummary[];
}

/** What one thread found in its languages, as plain data that can cross threads. */
export interface LanguagesReport {
  findings: Array<{ path: string; findings: Finding[] }>;
  pages: number;
  languages: LanguageSummary[];
}

/** The entries of a folder (recursive: of all below it), none when it is not there. */
function entriesOf(dir: string, recursive: boolean): Dirent[] {
  try {
    return readdirSync(dir, { recursive, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** The files under `dir` (none when it is not there), as sorted paths relative to it with `/`. */
function listFiles(dir: string): string[] {
  return entriesOf(dir, true)
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** Whether there is a Markdown file anywhere under `dir`: looked for folder by folder, until one is found. */
function hasMarkdown(dir: string): boolean {
  const folders = [dir];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for (const entry of entriesOf(folder, false)) {
      if (entry.isFile() && entry.name.endsWith('.md')) return true;
      if (entry.isDirectory()) folders.push(join(folder, entry.name));
    }
  }
  return false;
}

/**
 * The files of the output folder, listed a top-level folder at a time (the files at the top as
 * one more) when first asked for, and kept for the two folders asked for last: a thread reads a
 * language's pages, which link within their language. Each thread held the whole output's list,
 * and a set of it: ~47 MB of its heap for the 271,000 files of a 300-code catalog in two
 * languages (a heap snapshot), and ten languages have 1.35 million.
 */
class OutputFiles {
  #folders = new Map<string, Set<string>>();
  #last: string | undefined;

  constructor(readonly dir: string) {}

  /** Whether the output has the file `path` (relative to the output folder, with `/`). */
  has(path: string): boolean {
    const slash = path.indexOf('/');
    return this.folder(slash === -1 ? '' : path.slice(0, slash)).has(path);
  }

  /** The files of the top-level folder `top` (`''`: the files at the top), sorted, as paths relative to the output folder. */
  folder(top: string): ReadonlySet<string> {
    let files = this.#folders.get(top);
    // The folder asked for last is asked for again nearly always: it stays where it is.
    if (files && top === this.#last) return files;
    if (files) this.#folders.delete(top);
    else files = new Set(top === '' ? entriesOf(this.dir, false).flatMap((e) => (e.isFile() ? [e.name] : [])).sort() : listFiles(join(this.dir, top)).map((p) => `${top}/${p}`));
    this.#folders.set(top, files);
    this.#last = top;
    if (this.#folders.size > 2) this.#folders.delete(this.#folders.keys().next().value!);
    return files;
  }
}

function labelsOf(ctx: RenderContext, lang: string): SectionLabels {
  const language = ctx.languages.find((l) => l.tag === lang);
  const typography = { cjkLatinSpacing: language?.cjkLatinSpacing === true, frenchSpacing: language?.frenchSpacing === true };
  const common = translator(ctx.i18n, lang, 'common');
  const label = (key: string) => typeset(common.t(`sections.${key}`), typography);
  return { differences: label('differences'), choose: label('choose'), confused: label('confused'), learnMore: label('learnMore') };
}

/**
 * Lint the chosen languages of the output folder. Languages are independent (each is compared
 * with English only), so with `jobs` above 1 they are split over worker threads; the report is
 * the same whatever the number.
 */
export async function lintOutput(ctx: RenderContext, options: LintOptions & { root: string; catalog?: string; jobs: number }): Promise<LintResult> {
  // English first: the other languages are compared with it.
  const tags = ctx.languages
    .map((l) => l.tag)
    .filter((tag) => !options.langs?.length || options.langs.includes(tag))
    .filter((tag) => hasMarkdown(join(options.outDir, tag)))
    .sort((a, b) => Number(b === 'en') - Number(a === 'en'));
  const count = Math.max(1, Math.min(options.jobs, tags.length));
  // Reading thousands of pages makes much garbage and keeps little (a thread linting two
  // languages of SIP holds ~70-90 MB): by default V8 let each heap grow to ~270 MB between
  // collections, and the whole shipped output took 2.75 GB of RSS. See HEAP_GROWING_PERCENT.
  limitHeapGrowth();
  const reports: LanguagesReport[] = [];
  if (count === 1) {
    reports.push(await lintLanguages(ctx, tags, options));
  } else {
    const inputs: LintWorkerInput[] = Array.from({ length: count }, (_, k) => ({
      root: options.root,
      ...(options.catalog ? { catalog: options.catalog } : {}),
      options: { ...options, langs: planShard(tags, { index: k + 1, count }) },
    }));
    await runWorkers<LintWorkerInput, LanguagesReport>(new URL('./worker.js', import.meta.url), inputs, (message, index) => {
      reports[index] = message;
    }, 'lint');
  }
  const files: VFile[] = [];
  for (const { path, findings } of reports.flatMap((r) => r.findings)) {
    const file = new VFile({ path: relative(options.cwd, join(options.outDir, path)) });
    for (const f of findings) report(file, f.ruleId, f.params, f.place);
    files.push(file);
  }
  return {
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
    pages: reports.reduce((n, r) => n + r.pages, 0),
    languages: reports.flatMap((r) => r.languages),
  };
}

/** Lint `tags` (English first when among them) on this thread. */
export async function lintLanguages(ctx: RenderContext, tags: string[], options: LintOptions): Promise<LanguagesReport> {
  const present = new OutputFiles(options.outDir);
  const found: LanguagesReport['findings'] = [];
  const languages: LanguageSummary[] = [];
  const record = (path: string, findings: Finding[]) => {
    if (findings.length) found.push({ path, findings });
  };
  const read = async (path: string) => readPage(path, await readFile(join(options.outDir, path), 'utf8'));
  // A language's pages, from the listing its links are checked against.
  const pathsOf = (tag: string) => [...present.folder(tag)].filter((p) => p.endsWith('.md'));

  // The other languages are compared with English: read it first, linting it only when chosen
  // (and keeping its prose only when another language is).
  const english = new EnglishProse();
  const translated = tags.some((tag) => tag !== 'en');
  const order = tags.length === 0 || tags.includes('en') ? tags : ['en', ...tags];
  let pages = 0;
  for (const tag of order) {
    const chosen = tags.includes(tag);
    const paths = pathsOf(tag);
    const labels = labelsOf(ctx, tag);
    const pairs: PairPage[] = [];
    const sets = new PairShingles();
    try {
      for (const path of paths) {
        const page = await read(path);
        if (tag === 'en' && translated) english.add(page);
        if (!chosen) continue;
        record(path, [
          ...emptySections(page),
          ...repeatedWords(page),
          ...repeatedSentences(page),
          ...differencesRepeatText(page, labels),
          ...untranslatedText(page, tag === 'en' ? undefined : english.of(page.translationKey)),
          ...brokenLinks(page, (p) => present.has(p)),
        ]);
        if (page.codes.length === 2) {
          const set = shingles(wordsOfBlocks(tag, page.blocks.map((b) => b.text)));
          sets.add(set);
          pairs.push({ path, codes: page.codes, noindex: page.noindex, sig: signature(set) });
        }
      }
      if (!chosen) continue;
      pages += paths.length;
      languages.push({
        lang: tag,
        pages: paths.length,
        ...nearDuplicates(pairs, sets, options.maxSimilarity, record),
        ...thinPages(pairs, sets, options.minOwnWords, record),
      });
    } finally {
      sets.remove();
    }
  }
  return { findings: found, pages, languages };
}

/** The English pages' prose that untranslatedText compares translations with (see proseToTranslate), by translation key. */
class EnglishProse {
  #byKey = new Map<string, number[]>();

  add(page: Page): void {
    this.#byKey.set(page.translationKey, proseToTranslate(page));
  }

  of(translationKey: string): readonly number[] | undefined {
    return this.#byKey.get(translationKey);
  }
}

interface PairPage {
  path: string;
  codes: number[];
  /** Not for search engines: it cannot be thin content to them, so the thin-page rule skips it. */
  noindex: boolean;
  /** The MinHash signature of its distinct shingles (which are in PairShingles, by its index). */
  sig: Uint32Array;
}

/**
 * MinHash finds each pair page's most similar candidate; the exact similarity of the shingle
 * sets then decides, so a finding never rests on an estimate.
 */
function nearDuplicates(
  pairs: PairPage[],
  sets: PairShingles,
  max: number,
  record: (path: string, findings: Finding[]) => void,
): Pick<LanguageSummary, 'mostSimilar'> {
  const byCode = new Map<number, number[]>();
  pairs.forEach((p, i) => p.codes.forEach((c) => (byCode.get(c) ?? byCode.set(c, []).get(c)!).push(i)));
  const best = mostSimilar(
    pairs.map((p) => p.sig),
    [...byCode.values()],
  );
  let top: LanguageSummary['mostSimilar'];
  best.forEach((pair, i) => {
    if (!pair) return;
    const other = pairs[pair.b]!.path;
    const similarity = jaccard(sets.get(i), sets.get(pair.b));
    if (!top || similarity > top.similarity) top = { a: pairs[i]!.path, b: other, similarity };
    if (similarity > max) record(pairs[i]!.path, [{ ruleId: 'near-duplicate', params: { other, similarity: similarity.toFixed(2), max }, place: { line: 1, column: 1 } }]);
  });
  return top ? { mostSimilar: top } : {};
}

/**
 * Words a pair page has of its own: its 5-word shingles that no other pair page of the language
 * contains (each stands for the word it starts with). A page below the limit is thin;
 * pages marked noindex are counted against the others but not judged.
 */
function thinPages(pairs: PairPage[], sets: PairShingles, min: number, record: (path: string, findings: Finding[]) => void): Pick<LanguageSummary, 'leastOwn'> {
  const own = sets.own();
  let least: LanguageSummary['leastOwn'];
  pairs.forEach(({ path, noindex }, i) => {
    if (noindex) return;
    const words = own[i]!;
    const share = sets.size(i) ? words / sets.size(i) : 0;
    if (!least || words < least.words) least = { path, words, share };
    if (words < min) record(path, [{ ruleId: 'thin-page', params: { words, share: Math.round(share * 100), min }, place: { line: 1, column: 1 } }]);
  });
  return least ? { leastOwn: least } : {};
}
