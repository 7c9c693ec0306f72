/**
 * What views compute once per language and code (or pair of codes): kept on the view context,
 * so it lives and dies with the build, and for a few languages at a time. Pages are rendered
 * language by language (the plan's order; a render thread's share is a run of it), so a
 * language's entries are of no use once its pages are done. Kept for every language, they made a
 * render thread hold 4.3-5.5 MB more for each language it went through (300 codes: headings,
 * fact values, call-flow diagrams, links; measured after the code pages and 3,000 pairs of each
 * language, after a collection).
 */

/**
 * Languages whose entries are kept at once, the most recently used: the language of the pages
 * being rendered and the one before it (a render thread that takes another thread's last batches
 * moves to that thread's language, and a batch may end in one language and go on in the next).
 */
export const LANGUAGES_KEPT = 2;

export class ViewCache {
  /** Entries that belong to no language. */
  private readonly shared = new Map<string, unknown>();
  /** Entries by language, the least recently used language first. */
  private readonly languages = new Map<string, Map<string, unknown>>();
  private lastLang: string | undefined;
  private last: Map<string, unknown> | undefined;

  /** The entries of `lang` (of no language when undefined), its language now the most recently used. */
  entries(lang: string | undefined): Map<string, unknown> {
    if (lang === undefined) return this.shared;
    // Dozens of lookups a page, nearly all in the language of the one before.
    if (lang === this.lastLang) return this.last!;
    let entries = this.languages.get(lang);
    if (entries) this.languages.delete(lang);
    else entries = new Map();
    this.languages.set(lang, entries);
    if (this.languages.size > LANGUAGES_KEPT) this.languages.delete(this.languages.keys().next().value!);
    this.lastLang = lang;
    this.last = entries;
    return entries;
  }

  /** The languages whose entries are kept, the least recently used first. */
  get keptLanguages(): string[] {
    return [...this.languages.keys()];
  }
}

/** Memoize a computation for `lang` (undefined: one that belongs to no language) for as long as the language's entries are kept. */
export function cached<T>(ctx: { cache?: ViewCache }, lang: string | undefined, key: string, make: () => T): T {
  const entries = (ctx.cache ??= new ViewCache()).entries(lang);
  // One lookup when the value is there; a second only for a value made undefined.
  let value = entries.get(key) as T | undefined;
  if (value === undefined && !entries.has(key)) {
    value = make();
    entries.set(key, value);
  }
  return value as T;
}
