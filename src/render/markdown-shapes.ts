/**
 * Shapes of Markdown text that can be read a part at a time: what the build's processors and the
 * output check's reader (src/lint/page.ts) both take apart without a parse.
 */

/**
 * A tight list of one-line items, each beginning with a letter, a number (not an ordered list's),
 * a link or strong text, so that it holds nothing but its own paragraph (never a nested list, a
 * thematic break or a heading).
 */
export const SIMPLE_LIST = /^(?:- (?:\[|\*\*\S|\p{L}|\p{N}(?!\p{N}*[.)]))[^\n]*(?:\n|$))+$/u;

/** A GFM table and nothing else: a header row, a delimiter row, body rows. */
export const TABLE = /^\|[^\n]*\|\n\|[ :|-]+\|(?:\n\|[^\n]*\|)*\n?$/;
/** A cell that, read alone as a document, would not be one paragraph of its text. */
export const NOT_INLINE = /^(?:[#>]|[-+*](?:\s|$)|[-*_](?:\s*[-*_]){2,}\s*$|\d{1,9}[.)](?:\s|$)|=+\s*$|`{3}|~{3}|<)/;
