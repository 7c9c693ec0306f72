/**
 * GFM tables, and nothing else of GFM: pages only need tables, and leaving out the other GFM
 * syntax (autolink literals above all) makes parsing markedly faster across thousands of pages.
 *
 * Tables are written as mdast-util-gfm-table writes them, with one difference in how, not in
 * what: a cell's Markdown depends only on its content and on the constructs the table is in, so
 * a cell whose content is the very array of a cell met before (processors.ts shares the parsed
 * text of recurring cells between the tables of a build) is written once and reused.
 */
import { markdownTable } from 'markdown-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown, gfmTableToMarkdown } from 'mdast-util-gfm-table';
import type { PhrasingContent, Table, TableCell } from 'mdast';
import type { Handle, Options as ToMarkdownOptions } from 'mdast-util-to-markdown';
import type { Processor } from 'unified';

export default function remarkTable(this: Processor) {
  const data = this.data() as Record<string, unknown[] | undefined>;
  const toMarkdown = gfmTableToMarkdown();
  (data.micromarkExtensions ??= []).push(gfmTable());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown());
  const written: WrittenCells = new WeakMap();
  data.writtenTableCells = written as never;
  (data.toMarkdownExtensions ??= []).push(toMarkdown, { handlers: { table: tableWithReusedCells(toMarkdown.handlers!.tableCell!, written) } } satisfies ToMarkdownOptions);
}

/** Cell content → the constructs a cell was in (joined by U+0000) → its Markdown. */
export type WrittenCells = WeakMap<object, Map<string, string>>;

/** The constructs a cell of a table at the top level of a document is written in. */
const TOP_LEVEL = ['table', 'tableRow'].join('\u0000');

/**
 * The Markdown the processor wrote for a cell of this very content in a table at the top level
 * of a document, if it wrote one; what markdown-table is given for such a cell.
 */
export function writtenCell(processor: { data(): unknown }, content: PhrasingContent[]): string | undefined {
  if (content.length === 0) return '';
  return (processor.data() as { writtenTableCells?: WrittenCells }).writtenTableCells?.get(content)?.get(TOP_LEVEL);
}

/** A table's Markdown from its cells' (markdown-table with the options of the handler below). */
export const tableMarkdown = (cells: string[][], align: Table['align']): string => markdownTable(cells, { align, fillRows: false });

/**
 * One column of what tableMarkdown writes for a table of rows of the same length and no aligned
 * column, from the column's cells (header first): its segment of each line, the delimiter row
 * second. markdown-table pads a cell with spaces after it to the longest cell of its column
 * (length in UTF-16 code units, at least one), and the delimiter to the same length; a line is
 * its segments between pipes (`|` + segments joined by `|` + `|`). A test holds the two together.
 */
export function alignedColumn(cells: string[]): string[] {
  const width = Math.max(1, ...cells.map((cell) => cell.length));
  const segment = (cell: string) => ` ${cell}${' '.repeat(width - cell.length)} `;
  return [segment(cells[0]!), ` ${'-'.repeat(width)} `, ...cells.slice(1).map(segment)];
}

/**
 * mdast-util-gfm-table's table handler (with its default options: padded cells, aligned pipes),
 * taking each cell's Markdown from what was written for the same content in the same constructs.
 */
function tableWithReusedCells(cellHandle: Handle, written: WrittenCells): Handle {
  const cellOf = (...[cell, row, state, info]: Parameters<Handle>): string => {
    const content = (cell as TableCell).children;
    const stack = state.stack.join('\u0000');
    let byStack = written.get(content);
    let value = byStack?.get(stack);
    if (value === undefined) {
      value = cellHandle(cell, row, state, info);
      if (!byStack) written.set(content, (byStack = new Map()));
      byStack.set(stack, value);
    }
    return value;
  };
  return (node, _, state, info) => {
    const table = node as Table;
    const exitTable = state.enter('table');
    const matrix = table.children.map((row) => {
      const exitRow = state.enter('tableRow');
      const cells = row.children.map((cell) => cellOf(cell, row, state, info));
      exitRow();
      return cells;
    });
    exitTable();
    const head = matrix[0];
    if (head) {
      const columns = table.align?.length || Math.max(...matrix.map((cells) => cells.length));
      while (head.length < columns) head.push('');
    }
    return tableMarkdown(matrix, table.align);
  };
}
