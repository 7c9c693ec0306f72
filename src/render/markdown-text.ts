/** Text that goes into Markdown: escaped so it always renders literally, never as markup. */

const SPECIAL = /[\\`*_[\]<>|~&#]/g;
/** Anything one of escapeMarkdown's replacements would change: a line break, a special character, a block opener at the start. */
const NEEDS_ESCAPE = /[\n\\`*_[\]<>|~&#]|^[ \t]*(?:[-+=]|\d+[.)])/;

/**
 * Escape every character Markdown gives a meaning to, and fold line breaks into spaces: a value
 * is inline text, and a line that starts with `#`, `-`, `1.` or `>` would otherwise open a block.
 * A value may itself start a line in a template, so what opens a block there is escaped too: a
 * leading `-`, `+` or `=` (list, thematic break, setext underline) and `1.` or `1)` (ordered list).
 */
export function escapeMarkdown(value: unknown): string {
  const text = String(value);
  // Most values (names, numbers, plain sentences) have nothing to escape: one scan tells.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/[ \t]*\r?\n\s*/g, ' ')
    .replace(SPECIAL, (char) => `\\${char}`)
    .replace(/^[ \t]*([-+=])/, '\\$1')
    .replace(/^[ \t]*(\d+)([.)])/, '$1\\$2');
}

/**
 * How a language joins lists: its tag, and the word that joins two items in running text where
 * Intl.ListFormat puts a comma (Japanese: "AとB", not "A、B"; `pairConjunction` in
 * locales/languages.json). A Language is one.
 */
export interface ListStyle {
  tag: string;
  pairConjunction?: string;
}

/** The list style of `lang` among the build's languages (Intl's alone for one it does not know). */
export function listStyleOf(languages: readonly ListStyle[], lang: string): ListStyle {
  return languages.find((l) => l.tag === lang) ?? { tag: lang };
}

/** Lists joined the way each language joins them ("A, B, and C" / "A、B和C" / "AとB"). */
export function formatList(style: ListStyle, items: string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  if (style.pairConjunction !== undefined && type === 'conjunction' && items.length === 2) return `${items[0]}${style.pairConjunction}${items[1]}`;
  return listFormat(style.tag, type).format(items);
}

// Making an Intl formatter costs far more than using one: one per language and list type.
const listFormats = new Map<string, Intl.ListFormat>();
function listFormat(lang: string, type: 'conjunction' | 'disjunction'): Intl.ListFormat {
  const id = `${lang} ${type}`;
  let format = listFormats.get(id);
  if (!format) listFormats.set(id, (format = new Intl.ListFormat(lang, { style: 'long', type })));
  return format;
}

export function formatNumber(lang: string, value: number): string {
  return new Intl.NumberFormat(lang).format(value);
}
