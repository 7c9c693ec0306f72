/**
 * Markdown blocks as plain text for a knowledge base: the words a reader sees, without markup.
 * Inline content goes through mdast-util-to-string; tables become one line per row, the first
 * cell as a label and the others after it ("Class: provisional | client failure"), so cells are
 * never glued together; list items and paragraphs get lines of their own.
 */
import type { Nodes, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';

/** Blocks of a section are separated by a blank line. */
export const BLOCK_SEPARATOR = '\n\n';

function tableText(table: Table): string {
  return table.children
    .map((row) => {
      const [first = '', ...rest] = row.children.map((cell) => toString(cell).trim());
      return rest.length ? `${first}: ${rest.join(' | ')}` : first;
    })
    .join('\n');
}

/** The plain text of one block (a paragraph, list, table, heading, quotation …). */
export function blockText(node: RootContent | Nodes): string {
  switch (node.type) {
    case 'yaml':
    case 'html':
    case 'definition':
    case 'thematicBreak':
      return '';
    case 'code':
      return node.value;
    case 'table':
      return tableText(node);
    case 'list':
    case 'listItem':
    case 'blockquote':
      return node.children.map(blockText).filter(Boolean).join('\n');
    default:
      return toString(node).trim();
  }
}
