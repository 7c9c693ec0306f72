/**
 * Decide every page before anything renders: for each language, the index, one page per code
 * and one article per unordered pair of codes (lower code first), each with its output path. The
 * plan is numbers (see Plan): a page's job is made when it is asked for.
 */
import type { Catalog, Job, Language } from '../types.js';

export const pairSlug = (low: number, high: number): string => `${low}-vs-${high}`;

/**
 * Text joined into one flat string. A template literal of 13 characters or more makes a chain of
 * its parts (a cons string); the first time V8 hashes it (a path is a map key) it copies the text
 * into a flat string and keeps the chain in front of it. Array#join makes the flat string at once
 * (when the plan was a list, that of 300 codes in ten languages held 56 MB instead of 73 MB).
 */
const flat = (...parts: string[]): string => parts.join('');

/**
 * A run of consecutive pages of one language of one catalog: its page `index` made when asked
 * for, from numbers.
 */
interface Segment {
  readonly lang: string;
  readonly count: number;
  /**
   * What its pages' paths follow from (the protocol, the language, whether nested, the codes in
   * order, the first page): two segments with the same id make the same pages.
   */
  readonly id: string;
  job(index: number): Job;
}

/**
 * The pages of a build in order, made when asked for: a plan holds a few numbers per language,
 * not a job per page. A job is made each time it is asked for (the same values, a new object),
 * so a build that gives its pages out a batch at a time holds no more of them than its batches:
 * the plan of 300 codes in ten languages (451,510 pages) took 56 MB of the main thread's heap as
 * a list while the pages rendered. `map`, `filter` and `find` go through the jobs, as
 * an array's do, and give arrays; `slice` is a plan of the pages between two positions.
 */
export class Plan implements Iterable<Job> {
  private constructor(
    private readonly segments: readonly Segment[],
    private readonly from: number,
    readonly length: number,
  ) {}

  static of(segments: readonly Segment[]): Plan {
    return new Plan(segments, 0, segments.reduce((sum, segment) => sum + segment.count, 0));
  }

  /** The plans one after the other (the catalogs of a site). */
  static concat(plans: readonly Plan[]): Plan {
    return Plan.of(plans.flatMap((plan) => [...plan.runs()].map(([segment, start, end]) => slicedSegment(segment, start, end))));
  }

  /** The job at `index` (0 to length - 1), made now. */
  at(index: number): Job | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    for (const [segment, start] of this.slice(index, index + 1).runs()) return segment.job(start);
    return undefined;
  }

  /** The pages from `start` up to (not including) `end`, as Array#slice takes them (no negative positions). */
  slice(start = 0, end = this.length): Plan {
    const from = Math.min(Math.max(0, start), this.length);
    const to = Math.min(Math.max(from, end), this.length);
    return new Plan(this.segments, this.from + from, to - from);
  }

  /** The languages of the pages, in order. */
  get languages(): string[] {
    return [...new Set([...this.runs()].map(([segment]) => segment.lang))];
  }

  *[Symbol.iterator](): Iterator<Job> {
    for (const [segment, start, end] of this.runs()) for (let i = start; i < end; i++) yield segment.job(i);
  }

  map<T>(fn: (job: Job, index: number) => T): T[] {
    const out: T[] = [];
    let i = 0;
    for (const job of this) out.push(fn(job, i++));
    return out;
  }

  filter(fn: (job: Job) => boolean): Job[] {
    const out: Job[] = [];
    for (const job of this) if (fn(job)) out.push(job);
    return out;
  }

  find(fn: (job: Job) => boolean): Job | undefined {
    for (const job of this) if (fn(job)) return job;
    return undefined;
  }

  /**
   * The plan as a few lines (a segment's id and the positions taken in it, a line each): two
   * plans with the same lines have the same pages in the same order, which a build records
   * and compares (see slicesOf in src/build.ts) without making every page's path.
   */
  *describe(): Generator<string> {
    for (const [segment, start, end] of this.runs()) yield `${segment.id}\t${start}\t${end}`;
  }

  /** The first page of each run of pages of one catalog and language (which every other page of the run shares). */
  heads(): Job[] {
    return [...this.runs()].map(([segment, start]) => segment.job(start));
  }

  /** Each segment the pages go through, with the positions in it they take. */
  private *runs(): Generator<[Segment, number, number]> {
    let skip = this.from;
    let left = this.length;
    for (const segment of this.segments) {
      if (left === 0) return;
      if (skip >= segment.count) {
        skip -= segment.count;
        continue;
      }
      const end = Math.min(segment.count, skip + left);
      yield [segment, skip, end];
      left -= end - skip;
      skip = 0;
    }
  }
}

const slicedSegment = (segment: Segment, start: number, end: number): Segment =>
  start === 0 && end === segment.count ? segment : { lang: segment.lang, count: end - start, id: `${segment.id}\t${start}`, job: (index) => segment.job(start + index) };

/**
 * For each language: the index, one page per code and one article per unordered pair of codes
 * (lower code first), each with its output path. `nested`: the build holds several catalogs, so
 * the protocol's index goes into its folder (`<lang>/<protocol>/index`) and `<lang>/index` is the
 * home page that lists the protocols.
 */
export function planJobs(catalog: Catalog, languages: Language[], options: { nested?: boolean } = {}): Plan {
  const protocol = catalog.protocol.id;
  const codes = catalog.codes.map((c) => c.code).sort((a, b) => a - b);
  const n = codes.length;
  // The pairs before row i (the pairs whose lower code is codes[i]): row i has n - 1 - i.
  const rowStart = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i]! + (n - 1 - i);
  const pairCount = rowStart[n]!;
  /** The pair at position k: the row found by halving, then the place in it. */
  const pairAt = (k: number): [number, number] => {
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (rowStart[mid]! <= k) low = mid;
      else high = mid - 1;
    }
    return [codes[low]!, codes[low + 1 + (k - rowStart[low]!)]!];
  };
  // Codes in catalog order for code pages (as the plan always listed them), pairs lower code first.
  const codePages = catalog.codes.map((c) => c.code);
  return Plan.of(
    languages.map(({ tag: lang }): Segment => ({
      lang,
      count: 1 + codePages.length + pairCount,
      id: JSON.stringify([protocol, lang, options.nested === true, codePages]),
      job(index) {
        if (index === 0) return options.nested ? { kind: 'index', lang, translationKey: `${protocol}-index`, path: `${lang}/${protocol}/index`, codes: [] } : homeJob(lang);
        if (index <= codePages.length) {
          const code = codePages[index - 1]!;
          const name = String(code);
          return { kind: 'code', lang, translationKey: flat(protocol, '-', name), path: flat(lang, '/', protocol, '/', name), codes: [code] };
        }
        const [low, high] = pairAt(index - 1 - codePages.length);
        const name = pairSlug(low, high);
        return { kind: 'pair', lang, translationKey: flat(protocol, '-', name), path: flat(lang, '/', protocol, '/', name), codes: [low, high] };
      },
    })),
  );
}

/** The home page of a language: the index of the only catalog, or the list of several. */
export const homeJob = (lang: string): Job => ({ kind: 'index', lang, translationKey: 'index', path: `${lang}/index`, codes: [] });

/** Whether a page is a language's home page (its x-default is the root page, the language chooser). */
export const isHome = (job: Job): boolean => job.kind === 'index' && job.path === `${job.lang}/index`;

/** The protocol a page of a build belongs to (undefined for the home pages of several catalogs). */
export const protocolOfPath = (path: string): string | undefined => path.split('/')[2] === undefined ? undefined : path.split('/')[1];

/**
 * Paths that two jobs would both write, compared without case as a case-insensitive file system
 * would: never allowed to overwrite each other.
 */
export function duplicatePaths(jobs: Iterable<Job>): string[] {
  // A plan's pages of one run are of one catalog (whose codes are each there once) and language,
  // each at a path of its own, and every path begins with its language: when no two runs are of
  // the same language (case aside), no two pages meet, and the plan's paths are not gone through.
  if (jobs instanceof Plan) {
    const langs = jobs.heads().map((job) => job.lang.toLowerCase());
    if (new Set(langs).size === langs.length) return [];
  }
  const seen = new Map<string, string>();
  const duplicates = new Set<string>();
  for (const job of jobs) {
    const key = job.path.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) duplicates.add(first === job.path ? job.path : `${first} and ${job.path}`);
    else seen.set(key, job.path);
  }
  return [...duplicates].sort();
}
