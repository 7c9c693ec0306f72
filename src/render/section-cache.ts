/**
 * The caches that keep what is made for a piece of Markdown met again (a code's section, a list
 * item, a table cell), bounded by the size of what they remember, not by the number of pages.
 * The build's processors (processors.ts) and the output check's chunk reader (src/lint/page.ts)
 * use them.
 */
import type { Typography } from './plugins/remark-typography.js';
import type { ProcessOptions } from './processors.js';
import { LANGUAGES_KEPT } from './view-cache.js';

/** What a cache's entries are kept by: a language's typography, the language and whether images become Mermaid blocks. */
type CacheOptions = Pick<ProcessOptions, 'typography' | 'lang' | 'mermaid'>;

/** What a SectionCache remembers for one language and typography. */
interface CacheScope<T> {
  /** The sections met once, by textHash: whether a section was met needs no copy of its text. */
  seen: Set<number>;
  results: Map<string, T>;
  /** Characters of the sections remembered as met, and of those with results, weighted. */
  seenSize: number;
  resultSize: number;
  /** The map of its typography it is found in, by `id`. */
  home: Map<string, CacheScope<T>>;
  id: string;
}

/**
 * A copy of a piece's text that holds nothing else: a piece cut out of a page (split, slice)
 * shares the page's string, and remembering the piece would keep the whole page (~13 KB, twice
 * that in a CJK language) in memory as long as the piece. Concatenating makes a new string and
 * slicing it copies it flat into one of its own (V8 flattens a concatenation before slicing it).
 */
export const detached = (text: string): string => (text.length < 13 ? text : (' ' + text).slice(1));

/**
 * A section's text as a 32-bit number (FNV-1a over its UTF-16 code units), which is all a cache
 * remembers of a section met once. Two texts with the same number only make the second one look
 * met before: its result is then kept the first time (or a list processed item by item), which
 * gives the same bytes; nothing is ever taken from a cache by this number.
 */
function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}

/**
 * Keep what is computed for a section met a second time: sections are remembered by their
 * language, typography and text (heading keys are a function of the language). The cache is
 * bounded by the size of what it remembers, not by the number of pages: when the texts it
 * remembers (or keeps results for) pass their budget, it forgets them all and starts again.
 * And it keeps the entries of the LANGUAGES_KEPT languages used last only (pages are rendered
 * language by language, see ViewCache): kept until the budget was full, the languages already
 * done took most of it in a catalog of many codes, and a thread's heap grew with each language
 * it went through.
 */
export class SectionCache<T> {
  /**
   * What is made for a section for which `keepFirst` is true is kept the first time (parts that
   * nearly always recur, such as a table's cells); any other only when met a second time.
   * `weight`: what a result costs in memory against its section's text (a syntax tree many
   * times its text, processed Markdown and HTML about three times).
   */
  constructor(
    private readonly keepFirst: (section: string) => boolean = () => false,
    private readonly weight = 3,
  ) {}

  /** By typography (one object per language of a build), then language. */
  private readonly scopes = new WeakMap<Typography, Map<string, CacheScope<T>>>();
  /** The scopes kept, by language, the least recently used language first. */
  private readonly languages = new Map<string, Array<CacheScope<T>>>();
  private lastLang: string | undefined;
  /** Characters of the sections remembered as met, and of those with results, weighted, in every scope kept. */
  private seenSize = 0;
  private resultSize = 0;

  /**
   * A map per language and typography, in which the text itself is the key: hashing it (sha1)
   * cost more than the Map's own hashing of the string, and pieces are small (a code's section
   * is about 2 KB); a key that joined the language to the text would copy the text each time.
   */
  private scope(options: CacheOptions): CacheScope<T> {
    let byLang = this.scopes.get(options.typography);
    if (!byLang) this.scopes.set(options.typography, (byLang = new Map()));
    // Pieces with images become Mermaid blocks in Markdown on pages that ask for it.
    const id = options.mermaid ? `${options.lang}\u0000mermaid` : options.lang;
    let scope = byLang.get(id);
    if (options.lang !== this.lastLang) this.use(options.lang);
    if (!scope) {
      byLang.set(id, (scope = { seen: new Set(), results: new Map(), seenSize: 0, resultSize: 0, home: byLang, id }));
      this.languages.get(options.lang)!.push(scope);
    }
    return scope;
  }

  /** Make `lang` the most recently used language, and forget the scopes of any beyond LANGUAGES_KEPT. */
  private use(lang: string): void {
    const scopes = this.languages.get(lang) ?? [];
    this.languages.delete(lang);
    this.languages.set(lang, scopes);
    this.lastLang = lang;
    if (this.languages.size <= LANGUAGES_KEPT) return;
    const [oldest, forgotten] = this.languages.entries().next().value!;
    this.languages.delete(oldest);
    for (const scope of forgotten) {
      this.seenSize -= scope.seenSize;
      this.resultSize -= scope.resultSize;
      scope.home.delete(scope.id);
    }
  }

  /** Every scope kept. */
  private *kept(): Iterable<CacheScope<T>> {
    for (const scopes of this.languages.values()) yield* scopes;
  }

  get(section: string, options: CacheOptions, make: () => T): T {
    const scope = this.scope(options);
    const cached = scope.results.get(section);
    if (cached !== undefined) return cached;
    const made = make();
    const hash = this.keepFirst(section) ? undefined : textHash(section);
    if (hash === undefined || scope.seen.has(hash)) {
      const size = section.length * this.weight;
      if (this.resultSize + size > budget) {
        for (const each of this.kept()) {
          each.results.clear();
          each.resultSize = 0;
        }
        this.resultSize = 0;
      }
      scope.results.set(detached(section), made);
      scope.resultSize += size;
      this.resultSize += size;
    } else this.remember(scope, hash, section.length);
    return made;
  }

  /**
   * Whether any of the sections was met before; if none was, they are remembered as met, so
   * that the next `get` of one of them keeps what it makes.
   */
  metBefore(sections: string[], options: CacheOptions): boolean {
    const scope = this.scope(options);
    // Each text hashed once: the numbers looked up are the ones remembered.
    const hashes: number[] = [];
    for (const section of sections) {
      if (scope.results.has(section)) return true;
      const hash = textHash(section);
      if (scope.seen.has(hash)) return true;
      hashes.push(hash);
    }
    sections.forEach((section, i) => this.remember(scope, hashes[i]!, section.length));
    return false;
  }

  /** Remember a section of `length` characters as met, by its textHash. */
  private remember(scope: CacheScope<T>, hash: number, length: number): void {
    // Most pieces are one page's own and never recur: forget them now and then, so the set
    // does not grow with the number of pages (a recurring piece is soon seen twice again). The
    // schedule counts the characters of the texts met, as when the set held the texts.
    if (this.seenSize + length > budget) {
      for (const each of this.kept()) {
        each.seen.clear();
        each.seenSize = 0;
      }
      this.seenSize = 0;
    }
    scope.seen.add(hash);
    scope.seenSize += length;
    this.seenSize += length;
  }
}

/**
 * Characters each kind of entry of each cache remembers at most (4M: a few MB): far more than the
 * recurring pieces of a language (its codes' sections, cells, list items), and enough to remember
 * a code's piece from one of its pairs to the next in a language of several hundred codes. On a
 * 300-code catalog of two languages, a render thread's heap peaked at 110-120 MB instead of
 * 190-430 MB (by entries, 50,000 of each kind, which kept most of the pages they were cut from).
 * The sections met once are remembered by a number since 29 November 2026 (textHash), not by a
 * copy of their text (up to 4M characters in each of four caches, twice the bytes in a CJK
 * language): the same build peaked at 380 MB of RSS instead of 438 MB, its render threads' heaps
 * at 98-100 MB instead of 105-111 MB.
 */
let budget = 4_000_000;

/** Set the caches' budget (tests: a small one makes them forget often); returns the one before. */
export function setPieceCacheBudget(chars: number): number {
  const before = budget;
  budget = chars;
  return before;
}
