/**
 * The unified processors of a build, configured once and frozen: Markdown in, normalized
 * Markdown and sanitized HTML out. Each piece of Markdown is parsed once and both outputs come
 * from that tree.
 *
 * Pages are processed in top-level sections (split before each `## ` heading). A pair article
 * shows the same two code sections that 74 other articles of the language show, so a section
 * met a second time is taken from a cache instead of being parsed again; this roughly halves
 * the work of a build. Splitting there is safe because an ATX heading at the start of a line
 * always begins a new block; pages with code fences or link reference definitions, where it
 * would not be, are processed whole.
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
import rehypeFallbackLang from './plugins/rehype-fallback-lang.js';
import rehypeMdLinks from './plugins/rehype-md-links.js';
import remarkTypography, { type Typography } from './plugins/remark-typography.js';
import { createHash } from 'node:crypto';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { stripFallbackMarks } from '../translations/fallback.js';

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
  .use(rehypeFallbackLang)
  .use(rehypeStringify)
  .freeze();

export interface Rendered {
  markdown: string;
  body: string;
}

/** Parse a piece of Markdown; return it normalized and as an HTML fragment. */
async function processWhole(source: string, typography: Typography): Promise<Rendered> {
  const file = new VFile({ value: source, data: { typography } });
  const tree = (await markdown.run(markdown.parse(file), file)) as MdastRoot;
  // Front matter is metadata for portals, not content of the HTML page.
  const content: MdastRoot = { ...tree, children: tree.children.filter((node) => node.type !== 'yaml') };
  const hast = (await html.run(content)) as HastRoot;
  // Markdown cannot say which language a phrase is in: the fallback marks just go.
  visit(tree, (node) => {
    if ('value' in node && typeof node.value === 'string') node.value = stripFallbackMarks(node.value);
  });
  return { markdown: markdown.stringify(tree), body: html.stringify(hast) };
}

const UNSPLITTABLE = /^(?:```|~~~|\s{0,3}\[[^\]]+\]:)/m;
const SECTION_START = /\n(?=## )/;

/** Sections seen once (by hash), and the results of those seen more than once. */
const seen = new Set<string>();
const results = new Map<string, Rendered>();

async function processSection(section: string, typography: Typography): Promise<Rendered> {
  const key = createHash('sha1').update(JSON.stringify(typography)).update(section).digest('base64');
  const cached = results.get(key);
  if (cached) return cached;
  const rendered = await processWhole(section, typography);
  if (seen.has(key)) results.set(key, rendered);
  else seen.add(key);
  return rendered;
}

/** A page's Markdown, normalized, and its HTML fragment (without the front matter). */
export async function processMarkdown(source: string, typography: Typography): Promise<Rendered> {
  if (UNSPLITTABLE.test(source)) return processWhole(source, typography);
  const parts = await Promise.all(source.split(SECTION_START).map((section) => processSection(section, typography)));
  return {
    markdown: parts.map((p) => p.markdown).join('\n'),
    body: parts.map((p) => p.body).filter(Boolean).join('\n'),
  };
}
