/**
 * GFM tables, and nothing else of GFM: pages only need tables, and leaving out the other GFM
 * syntax (autolink literals above all) makes parsing markedly faster across thousands of pages.
 */
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown, gfmTableToMarkdown } from 'mdast-util-gfm-table';
import type { Processor } from 'unified';

export default function remarkTable(this: Processor) {
  const data = this.data() as Record<string, unknown[] | undefined>;
  (data.micromarkExtensions ??= []).push(gfmTable());
  (data.fromMarkdownExtensions ??= []).push(gfmTableFromMarkdown());
  (data.toMarkdownExtensions ??= []).push(gfmTableToMarkdown());
}
