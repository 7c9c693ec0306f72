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
 *
 * The knowledge-base export asks for the same sections as Markdown trees (`markdownSections`),
 * cached the same way; it never changes the trees it gets.
 */
import type { PhrasingContent, Root as MdastRoot, RootContent } from 'mdast';
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
import rehypeSectionIds from './plugins/rehype-section-ids.js';
import remarkTypography, { type Typography } from './plugins/remark-typography.js';
import { createHash } from 'node:crypto';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import type { SectionKeys } from './section-keys.js';

/** How a page's Markdown is processed: its language's typography and heading keys. */
export interface ProcessOptions {
  lang: string;
  typography: Typography;
  /** Heading text → section key, for the heading ids of the HTML (see section-keys.ts). */
  sectionKeys?: SectionKeys;
  /**
   * Image source → Mermaid text: in the Markdown output (not the HTML), a paragraph of nothing
   * but these images becomes one `mermaid` code block per image.
   */
  mermaid?: Record<string, string>;
}
import { hasFallbackMarks, stripFallbackMarks } from '../translations/fallback.js';

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
  .use(rehypeSectionIds)
  .use(rehypeMdLinks)
  .use(rehypeFallbackLang)
  .use(rehypeStringify)
  .freeze();

export interface Rendered {
  markdown: string;
  body: string;
}

/** Parse a piece of Markdown and apply the typography: the tree both outputs come from. */
function parseSection(source: string, options: ProcessOptions): { tree: MdastRoot; file: VFile } {
  const file = new VFile({ value: source, data: { typography: options.typography, ...(options.sectionKeys ? { sectionKeys: options.sectionKeys } : {}) } });
  const tree = markdown.runSync(markdown.parse(file), file) as MdastRoot;
  return { tree, file };
}

/** Parse a piece of Markdown; return it normalized and as an HTML fragment. */
function withoutFallbackMarks(tree: MdastRoot): MdastRoot {
  visit(tree, (node) => {
    if ('value' in node && typeof node.value === 'string') node.value = stripFallbackMarks(node.value);
  });
  return tree;
}

async function processWhole(source: string, options: ProcessOptions): Promise<Rendered> {
  const { tree, file } = parseSection(source, options);
  // Front matter is metadata for portals, not content of the HTML page.
  const content: MdastRoot = { ...tree, children: tree.children.filter((node) => node.type !== 'yaml') };
  const hast = (await html.run(content, file)) as HastRoot;
  // Markdown cannot say which language a phrase is in: the fallback marks just go.
  const out = options.mermaid ? withMermaid(tree, options.mermaid) : tree;
  return { markdown: markdown.stringify(withoutFallbackMarks(out)), body: html.stringify(hast) };
}

/** A copy of the tree's top level in which paragraphs of diagram images are Mermaid blocks. */
function withMermaid(tree: MdastRoot, mermaid: Record<string, string>): MdastRoot {
  const isDiagram = (node: PhrasingContent) => (node.type === 'image' && Object.hasOwn(mermaid, node.url)) || (node.type === 'text' && node.value.trim() === '');
  const children = tree.children.flatMap((node): RootContent[] => {
    if (node.type !== 'paragraph' || !node.children.some((c) => c.type === 'image') || !node.children.every(isDiagram)) return [node];
    return node.children.flatMap((c) => (c.type === 'image' ? [{ type: 'code' as const, lang: 'mermaid', value: mermaid[c.url]!.trimEnd() }] : []));
  });
  return { ...tree, children };
}

const UNSPLITTABLE = /^(?:```|~~~|\s{0,3}\[[^\]]+\]:|\s{0,3}<)/m;
const SECTION_START = /\n(?=## )/;
/**
 * In a section without level-3 headings (whose ids depend on the section they are in), a blank
 * line before a line that can only begin a new top-level block: a table, an image or a paragraph
 * that starts with a letter. Never inside a list (whose items start with a marker or are
 * indented), a block quote or, in pages without fences and HTML, anything else.
 */
const BLOCK_START = /\n\n(?=[|!\p{L}])/u;
const FRONT_MATTER = /^---\n[\s\S]*?\n---\n/;

/**
 * The pieces of a page that are processed and cached apart: the front matter, then each
 * level-2 section, itself in blocks where it has no level-3 headings. A piece shown on many
 * pages (a code's section, a code's call-flow steps, a label) is then parsed once per language.
 */
function piecesOf(source: string): string[] {
  const front = FRONT_MATTER.exec(source)?.[0];
  const body = front ? source.slice(front.length).replace(/^\n+/, '') : source;
  const sections = body.split(SECTION_START).flatMap((section) => (section.includes('\n### ') ? [section] : section.split(BLOCK_START)));
  return front ? [front, ...sections] : sections;
}

/**
 * Front matter alone goes through unified unchanged (a YAML node is written back as it was read,
 * and is not content of the HTML), so it is not parsed: it is unique to each page. Unless it
 * holds a fallback mark, which the Markdown output drops.
 */
const isFrontMatter = (piece: string): boolean => FRONT_MATTER.exec(piece)?.[0] === piece && !hasFallbackMarks(piece);

/**
 * Keep what is computed for a section met a second time: sections are remembered by a hash of
 * their language, typography and text (heading keys are a function of the language).
 */
class SectionCache<T> {
  private readonly seen = new Set<string>();
  private readonly results = new Map<string, T>();

  get(section: string, options: ProcessOptions, make: () => T): T {
    const key = createHash('sha1').update(options.lang).update('\n').update(JSON.stringify(options.typography)).update(section).digest('base64');
    const cached = this.results.get(key);
    if (cached !== undefined) return cached;
    const made = make();
    if (this.seen.has(key)) {
      if (this.results.size >= SectionCache.LIMIT) this.results.clear();
      this.results.set(key, made);
    } else {
      // Most pieces are one page's own and never recur: forget them now and then, so memory
      // does not grow with the number of pages (a recurring piece is soon seen twice again).
      if (this.seen.size >= SectionCache.LIMIT) this.seen.clear();
      this.seen.add(key);
    }
    return made;
  }

  /** Entries each of the two sets keeps at most: far more than recurring pieces of a catalog. */
  static readonly LIMIT = 50_000;
}

const rendered = new SectionCache<Promise<Rendered>>();
const trees = new SectionCache<MdastRoot>();

/**
 * A page's Markdown processed whole, with no cache: the straightforward pipeline. The build uses
 * processMarkdown; this is the reference a test holds it to (the same bytes for every page).
 */
export function processMarkdownWhole(source: string, options: ProcessOptions): Promise<Rendered> {
  return processWhole(source, options);
}

/** A page's Markdown, normalized, and its HTML fragment (without the front matter). */
export async function processMarkdown(source: string, options: ProcessOptions): Promise<Rendered> {
  if (UNSPLITTABLE.test(source)) return processWhole(source, options);
  const parts = await Promise.all(piecesOf(source).map((piece) => (isFrontMatter(piece) ? { markdown: piece, body: '' } : rendered.get(piece, options, () => processWhole(piece, options)))));
  return {
    markdown: parts.map((p) => p.markdown).join('\n'),
    body: parts.map((p) => p.body).filter(Boolean).join('\n'),
  };
}

/**
 * A page's Markdown as trees after typography, one per top-level section (the first holds the
 * front matter, the title and the lead). Sections for which `skip` is true, given the source text
 * of their heading line, are left out unparsed. Trees may be shared between pages: do not change
 * them.
 */
export function markdownSections(source: string, options: ProcessOptions, skip?: (heading: string) => boolean): MdastRoot[] {
  if (UNSPLITTABLE.test(source)) return [parseSection(source, options).tree];
  return source
    .split(SECTION_START)
    .filter((section) => !(skip && section.startsWith('## ') && skip(section.split('\n', 1)[0]!.slice(3).trim())))
    .map((section) => trees.get(section, options, () => withoutFallbackMarks(parseSection(section, options).tree)));
}

/**
 * A page's Markdown only, normalized, without the HTML (portal layouts): the same text as the
 * `markdown` of processMarkdown, which a test checks.
 */
export function processMarkdownOnly(source: string, options: ProcessOptions): string {
  const { tree } = parseSection(source, options);
  const out = options.mermaid ? withMermaid(tree, options.mermaid) : tree;
  return markdown.stringify(withoutFallbackMarks(out));
}
