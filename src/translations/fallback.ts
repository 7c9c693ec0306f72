/**
 * English in place of stale and missing translations, marked so pages can say so.
 *
 * Before the build, each stale or missing unit of a language gets the English text as its
 * value, wrapped in two private-use characters: a start mark that also names the unit (one code
 * point of Supplementary Private Use Area-A, U+F0000 + the unit's index in `fallbackIds`) and an
 * end mark (U+E001). Interpolation and Markdown leave them alone. The renderer reads the marks to
 * list the units a page shows in English, sets `lang="en"` on the element holding them in HTML
 * (rehype-fallback-lang), and removes them everywhere; a page that still has one is a bug and
 * fails the build. Pure: no I/O.
 */
import type { Resources } from '../types.js';
import type { UnitStatus } from './units.js';

const FIRST = 0xf0000;
const LAST = 0xffffd;
export const FALLBACK_END = '\ue001';
export const FALLBACK_MARKS = /[\u{F0000}-\u{FFFFD}\uE001]/gu;
const STARTS = /[\u{F0000}-\u{FFFFD}]/gu;

export const fallbackStart = (index: number): string => String.fromCodePoint(FIRST + index);
export const isFallbackStart = (codePoint: number): boolean => codePoint >= FIRST && codePoint <= LAST;

/**
 * The text with every start mark made the same. What a processed text looks like depends on
 * where marks are, not on which unit they name: the numbers shift when another unit of the
 * language goes stale, so hashes of texts (a page's inputs, a piece's text) leave them out.
 */
export function unnumberedMarks(text: string): string {
  return text.replace(STARTS, fallbackStart(0));
}

export function stripFallbackMarks(text: string): string {
  return text.replace(FALLBACK_MARKS, '');
}

export function hasFallbackMarks(text: string): boolean {
  return /[\u{F0000}-\u{FFFFD}\uE001]/u.test(text);
}

/**
 * The unit ids whose start marks are in the strings of `value` (arrays and plain objects walked, as
 * JSON.stringify would see them), sorted, without repeats; without writing the JSON (a pair's
 * view is long).
 */
export function fallbackUnitsOf(value: unknown, ids: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (item: unknown): void => {
    if (typeof item === 'string') {
      if (HAS_START.test(item)) for (const [mark] of item.matchAll(STARTS)) found.add(ids[mark.codePointAt(0)! - FIRST] ?? '');
    } else if (Array.isArray(item)) for (const one of item) walk(one);
    else if (typeof item === 'object' && item !== null) for (const one of Object.values(item)) walk(one);
  };
  walk(value);
  found.delete('');
  return [...found].sort();
}
const HAS_START = /[\u{F0000}-\u{FFFFD}]/u;

export interface WithFallbacks {
  resources: Resources;
  /** Unit id of each start mark, by index. */
  fallbackIds: string[];
}

/**
 * Copies of the resources in which every stale or missing unit holds its marked English text.
 * `statuses` holds the units of each language other than English.
 */
export function withEnglishFallbacks(resources: Resources, statuses: Map<string, UnitStatus[]>): WithFallbacks {
  const fallbackIds: string[] = [];
  const indexOf = new Map<string, number>();
  const out: Resources = { ...resources };
  for (const [lang, units] of statuses) {
    const untranslated = units.filter((u) => u.state !== 'translated');
    if (untranslated.length === 0) continue;
    const copy = structuredClone(resources[lang] ?? {}) as Record<string, unknown>;
    for (const { unit } of untranslated) {
      let index = indexOf.get(unit.id);
      if (index === undefined) {
        index = fallbackIds.push(unit.id) - 1;
        indexOf.set(unit.id, index);
      }
      if (FIRST + index > LAST) throw new Error('too many untranslated units to mark');
      setPath(copy, [unit.ns, ...unit.key.split('.')], `${fallbackStart(index)}${unit.source}${FALLBACK_END}`);
    }
    out[lang] = copy;
  }
  return { resources: out, fallbackIds };
}

function setPath(target: Record<string, unknown>, path: string[], value: string) {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (!next || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}
