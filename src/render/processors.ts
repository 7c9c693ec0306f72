/**
 * The unified processors of a build, configured once and frozen: Markdown in, normalized
 * Markdown and sanitized HTML out. Each page is parsed once and both outputs come from that tree.
 */
import type { Root as MdastRoot } from 'mdast';
import type { Root as HastRoot } from 'hast';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkFrontmatter from 'remark-frontmatter';
import remarkTable from './plugins/remark-table.js';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import rehypeMdLinks from './plugins/rehype-md-links.js';
import remarkTypography, { type Typography } from './plugins/remark-typography.js';
import { VFile } from 'vfile';

const markdown = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkTable)
  .use(remarkTypography)
  .use(remarkStringify, { bullet: '-', emphasis: '_', strong: '*', rule: '-', fences: true, listItemIndent: 'one' })
  .freeze();

const html = unified()
  .use(remarkRehype)
  .use(rehypeSanitize)
  .use(rehypeMdLinks)
  .use(rehypeStringify)
  .freeze();

export interface Rendered {
  markdown: string;
  body: string;
}

/** Parse a page's Markdown once; return it normalized and as an HTML fragment. */
export async function processMarkdown(source: string, typography: Typography): Promise<Rendered> {
  const file = new VFile({ value: source, data: { typography } });
  const tree = (await markdown.run(markdown.parse(file), file)) as MdastRoot;
  const normalized = markdown.stringify(tree);
  // Front matter is metadata for portals, not content of the HTML page.
  const content: MdastRoot = { ...tree, children: tree.children.filter((node) => node.type !== 'yaml') };
  const hast = (await html.run(content)) as HastRoot;
  return { markdown: normalized, body: html.stringify(hast) };
}
