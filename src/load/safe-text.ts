/**
 * Catalog text and translations are plain sentences, never markup: anything a Markdown or HTML
 * renderer (ours, or a docs portal's) could turn into an element, a link or a template is
 * refused where it is written. Rendering escapes values as well; this catches what a template
 * string of a translation could otherwise carry into a page.
 */
import type { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import type { KeyPath, Parsed } from './source.js';

type Rule = [RegExp, string];

const MARKUP: Rule[] = [
  [/[<>]/, 'angle bracket (HTML)'],
  [/`/, 'backtick (Markdown code)'],
  [/\]\(|\]\[/, 'Markdown link'],
  [/\bjavascript:/i, '`javascript:` URL'],
  [/[\u0000-\u0008\u000b-\u001f\u007f]/, 'control character'],
  // The renderer marks English shown in place of a translation with private-use characters.
  [/[\ue000-\uf8ff\u{f0000}-\u{ffffd}\u{100000}-\u{10fffd}]/u, 'private-use character'],
];

/** Catalog text also may not hold template braces: it is never a template. */
const CATALOG: Rule[] = [...MARKUP, [/\{\{|\}\}/, 'template braces `{{ }}`']];

function check(rules: Rule[], file: VFile, parsed: Parsed, path: KeyPath, text: string): boolean {
  for (const [pattern, what] of rules) {
    if (pattern.test(text)) {
      report(file, 'unsafe-text', { what }, parsed.placeOf(path));
      return false;
    }
  }
  return true;
}

/** Report a problem if catalog `text` carries markup or control characters; returns whether it is clean. */
export function checkSafeText(file: VFile, parsed: Parsed, path: KeyPath, text: string): boolean {
  return check(CATALOG, file, parsed, path, text);
}

/**
 * Report every string of a locale file that carries markup. Sentences may hold `{{variables}}`;
 * translated catalog text (under `codes` and `confusable`) may not, as in the catalog.
 */
export function checkLocaleText(file: VFile, parsed: Parsed): void {
  const walk = (value: unknown, path: KeyPath) => {
    if (typeof value === 'string') check(path[0] === 'codes' || path[0] === 'confusable' ? CATALOG : MARKUP, file, parsed, path, value);
    else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
  };
  walk(parsed.value, []);
}
