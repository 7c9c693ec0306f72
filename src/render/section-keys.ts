/**
 * A language-independent key for every heading of a page: `description` for "Description",
 * "描述" and "Beschreibung" alike, `code-183` for the heading of 183's section in a pair article.
 * The HTML pages use the keys as heading ids (so `183.html#description` works in every language)
 * and the knowledge-base export as section keys. Keys come from the locale labels the templates
 * print, so a template may move or drop a section without breaking them; a heading that is no
 * label (one a template writes itself) gets a key made from its text.
 */
import type { StatusCode } from '../types.js';
import { typeset, type Typography } from './plugins/remark-typography.js';
import { codeHeading, sectionLabel, type ViewContext } from './views.js';

/** The id of a page's title (h1): the anchor of the text before the first section. */
export const TITLE_ID = 'top';

/** `sections.<label>` in the locales → key. Two labels may share a key (fix, fix_noFailure). */
export const LABEL_KEYS: Readonly<Record<string, string>> = {
  facts: 'facts',
  description: 'description',
  when: 'when',
  fix: 'fix',
  fix_noFailure: 'fix',
  use: 'use',
  differences: 'differences',
  choose: 'choose',
  compareWith: 'compare-with',
  related: 'related',
  otherComparisons: 'other-comparisons',
  learnMore: 'learn-more',
  confused: 'confused',
  mostConfused: 'most-confused',
  callFlow: 'call-flow',
  callFlows: 'call-flows',
  example: 'example',
};

export const codeSectionKey = (code: number): string => `code-${code}`;

/** The code a `code-<n>` key stands for, or undefined. */
export function codeOfKey(key: string): number | undefined {
  const match = /^code-(\d+)$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether a level-2 heading of this text heads a code's section (on a pair article): its text is
 * a code's heading of the language. Such sections are kept out of the search index
 * (rehype-search-ignore.ts).
 */
export function isCodeHeading(keys: SectionKeys, text: string): boolean {
  const key = keys.get(text.trim());
  return key !== undefined && codeOfKey(key) !== undefined;
}

/** A heading element's tag name (`h2`), its level in the first group. */
export const HEADING_TAG = /^h([1-6])$/;

/**
 * Whether the blocks after a heading met in document order are in a code's section (kept out of
 * search): a code's level-2 heading starts one, any other level-2 heading or the title ends it,
 * deeper headings leave it as it was (`before`). Used by rehype-search-ignore and by the plain-text
 * writer (plain-tree.ts), which must agree.
 */
export function inCodeSectionAfter(keys: SectionKeys, depth: number, text: string, before: boolean): boolean {
  if (depth === 1) return false;
  if (depth === 2) return isCodeHeading(keys, text);
  return before;
}

/** The hast property of the attribute that keeps an element out of Pagefind's index. */
export const SEARCH_IGNORE = 'dataPagefindIgnore';
/** The same attribute as HTML. */
export const SEARCH_IGNORE_ATTRIBUTE = 'data-pagefind-ignore';

/** Heading text as it appears on a page of this language (after typography) → key. */
export type SectionKeys = ReadonlyMap<string, string>;

export function sectionKeyMap(ctx: ViewContext, lang: string, typography: Typography, codes: readonly StatusCode[] = ctx.catalog.codes): SectionKeys {
  const keys = new Map<string, string>();
  for (const [label, key] of Object.entries(LABEL_KEYS)) {
    const text = typeset(sectionLabel(ctx, lang, label), typography);
    if (!keys.has(text)) keys.set(text, key);
  }
  for (const code of codes) {
    const text = typeset(codeHeading(ctx, lang, code), typography);
    if (!keys.has(text)) keys.set(text, codeSectionKey(code.code));
  }
  return keys;
}

/** Labels of `lang` that two different keys share: a heading could not tell them apart. */
export function ambiguousLabels(ctx: ViewContext, lang: string): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const [label, key] of Object.entries(LABEL_KEYS)) {
    const text = sectionLabel(ctx, lang, label);
    const other = seen.get(text);
    if (other !== undefined && other !== key) clashes.push(text);
    seen.set(text, key);
  }
  return clashes;
}

/**
 * A key from heading text, for headings that are no label: lower case, letters and digits,
 * starting with a letter (so it is also a valid id everywhere, CSS selectors included).
 */
export function slugKey(text: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) return 'section';
  return /^\p{L}/u.test(slug) ? slug : `section-${slug}`;
}

export function keyOf(keys: SectionKeys | undefined, text: string): string {
  return keys?.get(text.trim()) ?? slugKey(text);
}

/** The HTML id of a heading: its key, under a level-2 section prefixed with that section's key. */
export function headingId(key: string, parent: string | undefined): string {
  return parent ? `${parent}-${key}` : key;
}

/**
 * The id of a heading met in document order, and the key of the level-2 section after it: the
 * title gets `top` and ends any section, a level-2 heading its key and starts its section, a
 * level-3 heading its key under that section; deeper headings get no id. Used by
 * rehype-section-ids and by the plain-text writer (plain-tree.ts), which must agree.
 */
export function nextHeadingId(keys: SectionKeys, depth: number, text: string, section: string | undefined): { id: string | undefined; section: string | undefined } {
  if (depth === 1) return { id: TITLE_ID, section: undefined };
  if (depth === 2) {
    const key = keyOf(keys, text);
    return { id: key, section: key };
  }
  return { id: depth === 3 ? headingId(keyOf(keys, text), section) : undefined, section };
}
