/** Text that goes into Markdown: escaped so it always renders literally, never as markup. */

const SPECIAL = /[\\`*_[\]<>|~&#]/g;

/**
 * Escape every character Markdown gives a meaning to, and fold line breaks into spaces: a value
 * is inline text, and a line that starts with `#`, `-`, `1.` or `>` would otherwise open a block.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[ \t]*\r?\n\s*/g, ' ')
    .replace(SPECIAL, (char) => `\\${char}`);
}

/** Lists joined the way each language joins them ("A, B, and C" / "A、B和C"). */
export function formatList(lang: string, items: string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(lang, { style: 'long', type }).format(items);
}

export function formatNumber(lang: string, value: number): string {
  return new Intl.NumberFormat(lang).format(value);
}
