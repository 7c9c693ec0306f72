/**
 * The unified processors of a build, configured once and frozen: Markdown in, normalized
 * Markdown and sanitized HTML out. Each piece of Markdown is parsed once and both outputs come
 * from that tree.
 *
 * Pages are processed in top-level sections (split before each `## ` heading). A pair article
 * shows the same two code sections that 74 other articles of the language show, so a section
 * met a second time is taken from a cache instead of being parsed again; this roughly halves
 * the work of a build. Splitting there is safe because an ATX heading at the start of a line
 * always begins a new block, unless it is inside fenced code (sectionsOf tells) or HTML; pages
 * with HTML or link reference definitions (which reach across sections) are processed whole.
 *
 * Below that, what is unique to a pair is mostly made of parts that recur: a list's items (a
 * link to a code's RFC section) and a table's cells (a fact's value, a call-flow step). A list
 * is processed item by item and a table is assembled from its cells' parsed text, each part
 * taken from the cache when met before, so only the words a pair does not share are parsed.
 *
 * The knowledge-base export asks for the same sections as Markdown trees (`markdownSections`),
 * cached the same way; it never changes the trees it gets.
 */
import type { AlignType, List, PhrasingContent, Root as MdastRoot, RootContent, Table } from 'mdast';
import type { Root as HastRoot } from 'hast';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkFrontmatter from 'remark-frontmatter';
import remarkTable, { alignedColumn, writtenCell } from './plugins/remark-table.js';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import rehypeFallbackLang from './plugins/rehype-fallback-lang.js';
import rehypeMdLinks from './plugins/rehype-md-links.js';
import rehypeSectionIds from './plugins/rehype-section-ids.js';
import rehypeSearchIgnore from './plugins/rehype-search-ignore.js';
import remarkTypography, { typeset, type Typography } from './plugins/remark-typography.js';
import { sha256 } from '../hash.js';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { isCodeHeading, type SectionKeys } from './section-keys.js';
import type { PageRecord, PieceRecord } from '../types.js';
import { plainOutputs, plainTree } from './plain-tree.js';
import { NOT_INLINE, SIMPLE_LIST, TABLE } from './markdown-shapes.js';
import { detached, SectionCache } from './section-cache.js';
import { hasFallbackMarks, stripFallbackMarks, unnumberedMarks } from '../translations/fallback.js';

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
  .use(rehypeSearchIgnore)
  .use(rehypeMdLinks)
  .use(rehypeFallbackLang)
  .use(rehypeStringify)
  .freeze();

export interface Rendered {
  markdown: string;
  body: string;
}

/** A page's outputs with the record of its pieces (none for a page processed whole). */
export interface RenderedPage extends Rendered {
  pieces?: PieceRecord[];
}

/**
 * What a page was rendered to before: its Markdown and HTML files, and the record of its pieces.
 * A piece whose text hashes the same is taken from them instead of being processed again; the
 * caller makes sure the options were the same (see optionsKey).
 */
export interface PreviousPage {
  markdown: string;
  html: string;
  record: PageRecord;
}

/**
 * The hash of a piece's text (a list's items marked as a list), with the Mermaid diagrams of the
 * images it shows (the Markdown output shows them as code): 96 bits, as text.
 */
function pieceHash(piece: Piece, options: ProcessOptions): string {
  // Without the units' numbers in fallback marks, which do not change what the piece becomes.
  const text = unnumberedMarks(typeof piece === 'string' ? piece : `\u0000list\n${piece.items.join('\n')}`);
  let hashed = text;
  for (const [image, diagram] of Object.entries(options.mermaid ?? {})) if (text.includes(image)) hashed += `\u0000${image}\u0000${diagram}`;
  return sha256(hashed, 'base64url').slice(0, 16);
}

/**
 * The outputs of the pieces of a page rendered before, by hash; none when the record does not
 * fit the files (they were changed since, or the record is of other files).
 */
function previousPieces(previous: PreviousPage): Map<string, Rendered> | undefined {
  const byHash = new Map<string, Rendered>();
  let markdownAt = 0;
  let bodyAt = previous.record.bodyStart;
  for (const [hash, markdownLength, bodyLength] of previous.record.pieces) {
    const part = { markdown: previous.markdown.slice(markdownAt, markdownAt + markdownLength), body: previous.html.slice(bodyAt, bodyAt + bodyLength) };
    if (part.markdown.length !== markdownLength || part.body.length !== bodyLength) return undefined;
    if (markdownLength) markdownAt += markdownLength + 1;
    if (bodyLength) bodyAt += bodyLength + 1;
    byHash.set(hash, part);
  }
  // The Markdown file is the pieces' Markdown and nothing else (no trailing text).
  return markdownAt === previous.markdown.length + 1 || (markdownAt === 0 && previous.markdown === '') ? byHash : undefined;
}

/**
 * What a language's pieces are processed with, as a hash: its typography and heading keys (the
 * Mermaid diagrams are in each piece's hash). Pieces are taken from the files of a build whose
 * key for the language was the same.
 */
export function optionsKey(options: Pick<ProcessOptions, 'lang' | 'typography' | 'sectionKeys'>): string {
  const keys = options.sectionKeys ? JSON.stringify([...options.sectionKeys]) : '';
  return sha256(JSON.stringify([options.lang, typographyKey(options.typography), keys]), 'base64url').slice(0, 16);
}

/** Parse a piece of Markdown and apply the typography: the tree both outputs come from. */
function parseSection(source: string, options: ProcessOptions): { tree: MdastRoot; file: VFile } {
  const file = fileOf(source, options);
  const tree = markdown.runSync(markdown.parse(file), file) as MdastRoot;
  return { tree, file };
}

/** The file a piece is processed as: its text, the language's typography and heading keys. */
function fileOf(source: string, options: ProcessOptions): VFile {
  return new VFile({ value: source, data: { typography: options.typography, ...(options.sectionKeys ? { sectionKeys: options.sectionKeys } : {}) } });
}

/**
 * A piece's tree after typography, as parseSection makes it: built at once when the piece is
 * plain text (see plainTree), parsed otherwise. `plain` says which.
 */
function treeOf(source: string, options: ProcessOptions): { tree: MdastRoot; file: VFile; plain: boolean } {
  const built = plainTree(source);
  if (!built) return { ...parseSection(source, options), plain: false };
  const file = fileOf(source, options);
  return { tree: markdown.runSync(built, file) as MdastRoot, file, plain: true };
}

/**
 * A piece of the cached path, normalized and as an HTML fragment: a plain piece is written
 * directly where it can be (see plainOutputs), anything else through unified.
 */
function processPiece(source: string, options: ProcessOptions): Rendered {
  const { tree, file, plain } = treeOf(source, options);
  return (plain && !hasFallbackMarks(source) && plainOutputs(tree, options)) || outputsOf(tree, file, options);
}

function withoutFallbackMarks(tree: MdastRoot): MdastRoot {
  visit(tree, (node) => {
    if ('value' in node && typeof node.value === 'string') node.value = stripFallbackMarks(node.value);
  });
  return tree;
}

function processWhole(source: string, options: ProcessOptions): Rendered {
  const { tree, file } = parseSection(source, options);
  return outputsOf(tree, file, options);
}

/** The normalized Markdown and the HTML fragment of a parsed piece. */
function outputsOf(tree: MdastRoot, file: VFile, options: ProcessOptions): Rendered {
  // Front matter is metadata for portals, not content of the HTML page.
  const content: MdastRoot = { ...tree, children: tree.children.filter((node) => node.type !== 'yaml') };
  const hast = html.runSync(content, file) as HastRoot;
  const out = options.mermaid ? withMermaid(tree, options.mermaid) : tree;
  // Markdown cannot say which language a phrase is in: the fallback marks just go.
  const marked = hasFallbackMarks(String(file.value));
  return { markdown: markdown.stringify(marked ? withoutFallbackMarks(out) : out), body: html.stringify(hast) };
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

/** Link reference definitions and HTML: a page with either is processed whole. */
const UNSPLITTABLE = /^(?:\s{0,3}\[[^\]]+\]:|\s{0,3}<)/m;
/**
 * Whether a page must be processed whole (UNSPLITTABLE): only a page with a `<` or a `]:` can be,
 * and looking for those two first spares most pages the expression (~14 µs a pair page).
 */
const unsplittable = (source: string): boolean => (source.includes('<') || source.includes(']:')) && UNSPLITTABLE.test(source);
const SECTION_START = /\n(?=## )/;
/**
 * Text that may hold fenced code. A section that does stays whole: blank lines in it may be
 * the code's.
 */
const hasFence = (text: string): boolean => text.includes('```') || text.includes('~~~');
/** A line that may open or close fenced code: up to three spaces, then three backticks or tildes. */
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * A page's body in top-level sections: split before each line that starts with `## ` outside
 * fenced code. Undefined when that cannot be told by lines alone: a fence line that is indented
 * (it may belong to a list item, whose fence a line at the margin ends). A fence at the margin
 * always opens top-level code, which only a line at the margin of the same character, at least
 * as long and with nothing after it but spaces, closes (or the end of the page).
 */
function sectionsOf(body: string): string[] | undefined {
  if (!hasFence(body)) return body.split(SECTION_START);
  const sections: string[] = [];
  let current: string[] = [];
  let open: string | undefined;
  for (const line of body.split('\n')) {
    const fence = FENCE_LINE.exec(line);
    if (fence && line[0] === ' ') return undefined;
    if (open === undefined) {
      if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) open = fence[1];
      else if (line.startsWith('## ') && current.length) {
        sections.push(current.join('\n'));
        current = [];
      }
    } else if (fence && fence[1]![0] === open[0] && fence[1]!.length >= open.length && fence[2]!.trim() === '') open = undefined;
    current.push(line);
  }
  sections.push(current.join('\n'));
  return sections;
}

/**
 * In a section without level-3 headings (whose ids depend on the section they are in), a blank
 * line before a line that can only begin a new top-level block: a table, an image or a paragraph
 * that starts with a letter, or with a number that is not an ordered list's (`1.`, `2)`). Never
 * inside a list (whose items start with a marker or are indented), a block quote or, in pages
 * without fences and HTML, anything else.
 */
const BLOCK_START = /\n\n(?=[|!\p{L}]|\p{N}(?!\p{N}*[.)]))/u;
const FRONT_MATTER = /^---\n[\s\S]*?\n---\n/;

/** A piece of a page, or a tight list whose items are pieces of their own. */
type Piece = string | { items: string[] };

/**
 * The pieces of a page that are processed and cached apart: the front matter, then each
 * level-2 section, itself in blocks where it has no level-3 headings. A piece shown on many
 * pages (a code's section, a code's call-flow steps, a label) is then parsed once per language.
 * A list at the end of a block is cut into its items, which recur far more often than the list
 * (a link to a code's RFC section, a code's "which to use when" entry).
 */
function piecesOf(source: string, options: ProcessOptions): Piece[] | undefined {
  const front = FRONT_MATTER.exec(source)?.[0];
  const body = front ? source.slice(front.length).replace(/^\n+/, '') : source;
  const sections = sectionsOf(body)?.flatMap((section) => (keptWhole(section, options) ? [section] : section.split(BLOCK_START).flatMap(listApart)));
  return sections && (front ? [front, ...sections] : sections);
}

/** A section that is one piece: one with level-3 headings (whose ids depend on the section they are in), fenced code or a code's. */
const keptWhole = (section: string, options: ProcessOptions): boolean => section.includes('\n### ') || hasFence(section) || isCodeSection(section, options);

/**
 * Whether a section is a code's on a pair article: all of it is kept out of search, which its
 * heading decides (rehype-search-ignore), so it is processed whole, like a section with
 * level-3 headings. The heading is read as the Markdown has it: one written with escapes (a
 * reason phrase with `*` or `_`) is not recognized here, and its section stays whole only by
 * its level-3 headings, which the shipped templates give every code section.
 */
function isCodeSection(section: string, options: ProcessOptions): boolean {
  if (!options.sectionKeys || !section.startsWith('## ')) return false;
  const end = section.indexOf('\n');
  return isCodeHeading(options.sectionKeys, typeset(section.slice(3, end === -1 ? undefined : end), options.typography));
}

/** A line of a list: an item's marker (an empty item's alone), or an indented continuation. */
const LIST_LINE = /(?:^|\n)(?:[-*+](?:[ \t\n]|$)|\d{1,9}[.)](?:[ \t\n]|$)|[ \t])/;

/**
 * A block that ends in a list: the blocks before it, and the list, as its items when it is a
 * simple list. The list stays with the block before it when that block has a list line (the
 * two would be one loose list), and whole when it has fallback marks (one mark may span several
 * items).
 */
function listApart(block: string): Piece[] {
  // The last part of the block is a list only where a line after a blank one starts with `- `.
  if (!block.startsWith('- ') && !block.includes('\n\n- ')) return [block];
  const at = block.lastIndexOf('\n\n');
  const before = at === -1 ? '' : block.slice(0, at);
  const list = at === -1 ? block : block.slice(at + 2);
  const gap = before.lastIndexOf('\n\n');
  const last = gap === -1 ? before : before.slice(gap + 2);
  if (!list.startsWith('- ') || LIST_LINE.test(last)) return [block];
  const items = SIMPLE_LIST.test(list) && !hasFallbackMarks(list) ? [{ items: list.replace(/\n$/, '').split('\n') }] : [list];
  return before ? [before, ...items] : items;
}

/**
 * Front matter alone goes through unified unchanged (a YAML node is written back as it was read,
 * and is not content of the HTML), so it is not parsed: it is unique to each page. Unless it
 * holds a fallback mark, which the Markdown output drops.
 */
const isFrontMatter = (piece: string): boolean => FRONT_MATTER.exec(piece)?.[0] === piece && !hasFallbackMarks(piece);

/** A language's typography settings as text, once per settings object. */
const typographyKeys = new WeakMap<Typography, string>();
const typographyKey = (typography: Typography): string => {
  let key = typographyKeys.get(typography);
  if (key === undefined) typographyKeys.set(typography, (key = JSON.stringify(typography)));
  return key;
};

const rendered = new SectionCache<Rendered>();
const trees = new SectionCache<MdastRoot>(undefined, 10);
/**
 * What is kept of a top-level piece met again: its hash and, once made, its outputs. One entry,
 * so that a code's section (2 KB) is looked up once a page. A scope is one build's (see
 * SectionCache), in which a piece with an image always shows the same diagram.
 */
interface PieceEntry {
  hash: string;
  rendered?: Rendered;
}
/**
 * A piece with level-3 headings is a code's whole section (see piecesOf), shown on every pair
 * page of the code: kept the first time, so that it is made once a language, not twice (at
 * ~2 KB, the largest piece of a pair page).
 */
const entries = new SectionCache<PieceEntry>((piece) => piece.includes('\n### '));

/**
 * A page's Markdown processed whole, with no cache: the straightforward pipeline. The build uses
 * processMarkdown; this is the reference a test holds it to (the same bytes for every page).
 */
export function processMarkdownWhole(source: string, options: ProcessOptions): RenderedPage {
  return processWhole(source, options);
}

/**
 * A page's Markdown, normalized, and its HTML fragment (without the front matter), with the
 * record of its pieces. With `previous` (the same page rendered before with the same options),
 * a piece whose text did not change is taken from it.
 */
export function processMarkdown(source: string, options: ProcessOptions, previous?: PreviousPage): RenderedPage {
  // Copies of the page's pieces, so that what the caches keep of them does not keep the page.
  const pieces = unsplittable(source) ? undefined : piecesOf(source, options)?.map((piece) => (typeof piece === 'string' ? detached(piece) : { items: piece.items.map(detached) }));
  if (!pieces) return processWhole(source, options);
  const process = (piece: string) => rendered.get(piece, options, () => processPiece(piece, options));
  // Front matter is each page's own: not remembered.
  const front = pieces.map((piece) => typeof piece === 'string' && isFrontMatter(piece));
  const found = pieces.map((piece, i): PieceEntry => (typeof piece === 'string' && !front[i] ? entries.get(piece, options, () => ({ hash: pieceHash(piece, options) })) : { hash: pieceHash(piece, options) }));
  const before = previous && previousPieces(previous);
  const parts = pieces.map((piece, i) => {
    const entry = found[i]!;
    return (
      before?.get(entry.hash) ??
      (typeof piece !== 'string' ? processList(piece.items, options, process) : front[i] ? { markdown: piece, body: '' } : TABLE.test(piece) ? processTable(piece, options) : (entry.rendered ??= processPiece(piece, options)))
    );
  });
  return {
    // A piece of only blank lines and spaces writes nothing, and takes no line of its own.
    markdown: parts.map((p) => p.markdown).filter(Boolean).join('\n'),
    body: parts.map((p) => p.body).filter(Boolean).join('\n'),
    pieces: parts.map((p, i) => [found[i]!.hash, p.markdown.length, p.body.length]),
  };
}

/** The cells of a table row: its text between unescaped pipes, trimmed as GFM trims it. */
const cellsOf = (row: string): string[] => row.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim());

function alignOf(delimiter: string): AlignType {
  const left = delimiter.startsWith(':');
  const right = delimiter.endsWith(':');
  return left && right ? 'center' : left ? 'left' : right ? 'right' : null;
}

/**
 * A table piece built from its cells: each distinct cell text is parsed once (the same step
 * names, fact values and code names fill the tables of many pairs) and the table's trees are
 * assembled from them, as the GFM table parser would. A table this cannot read exactly as the
 * parser does (a backslash before a pipe, rows of other widths, a cell that is not plain inline
 * text, fallback marks) is processed whole.
 */
function processTable(source: string, options: ProcessOptions): Rendered {
  const cells = tableCells(source);
  if (!cells) return processWhole(source, options);
  if (cells.align.every((a) => a === null)) {
    const columns = cells.texts[0]!.map((_, j) => columnOf(cells.texts.map((row) => row[j]!), options));
    if (columns.every((column) => column !== undefined)) return tableFromColumns(columns as Column[]);
  }
  const table = tableOf(cells, options);
  return table ? outputsOf({ type: 'root', children: [table] }, fileOf(source, options), options) : processWhole(source, options);
}

/**
 * A tight list's tree from its items' trees, each parsed as a list of one and kept when met again
 * (a code's "which to use when" entry, a link to its RFC section): shared, not to be changed.
 * Undefined when an item is not one list item alone.
 */
function listTree(items: string[], options: ProcessOptions): List | undefined {
  if (!trees.metBefore(items, options)) return undefined;
  const lists = items.map((item) => trees.get(item, options, () => treeOf(item, options).tree).children);
  if (!lists.every((nodes) => nodes.length === 1 && nodes[0]!.type === 'list' && nodes[0].children.length === 1 && !nodes[0].spread)) return undefined;
  const first = lists[0]![0] as List;
  return { ...first, children: lists.map((nodes) => (nodes[0] as List).children[0]!) };
}

/**
 * A table's cell texts by row (the delimiter row left out) and its columns' alignment, when the
 * table can be put together from its cells as the GFM table parser reads it: no backslash before
 * a pipe, rows of one width, every cell one that reads as plain inline text, no fallback marks.
 */
function tableCells(source: string): { texts: string[][]; align: AlignType[] } | undefined {
  const lines = source.replace(/\n$/, '').split('\n');
  const rows = lines.map(cellsOf);
  const width = rows[0]!.length;
  const plain = !source.includes('\\\\') && !lines.some((line) => line.endsWith('\\|')) && !hasFallbackMarks(source);
  const texts = rows.filter((_, i) => i !== 1);
  if (!plain || rows.some((cells) => cells.length !== width) || texts.some((cells) => cells.some((cell) => NOT_INLINE.test(cell)))) return undefined;
  return { texts, align: rows[1]!.map(alignOf) };
}

/** A table's tree from its cells' trees (see inlineOf: shared, not to be changed); undefined when a cell is not inline text. */
function tableOf({ texts, align }: { texts: string[][]; align: AlignType[] }, options: ProcessOptions): Table | undefined {
  const contents = texts.map((cells) => cells.map((cell) => inlineOf(cell, options)));
  if (contents.some((cells) => cells.some((cell) => cell === undefined))) return undefined;
  return {
    type: 'table',
    align,
    children: contents.map((cells) => ({ type: 'tableRow', children: cells.map((children) => ({ type: 'tableCell', children: children! })) })),
  };
}

/**
 * A column of a table with no aligned column: its Markdown a segment per line (the delimiter row
 * second) as the table handler pads it (see alignedColumn), its HTML a cell's inline HTML per row.
 */
interface Column {
  markdown: string[];
  html: string[];
}

/**
 * The columns of tables recur far more than the tables: a fact table is its labels, one code's
 * values and the other's; a table of steps is the numbers and each code's steps.
 */
const columns = new SectionCache<Column | undefined>();

/** A column from its cells' text (header first); undefined when a cell is not plain inline text. */
function columnOf(texts: string[], options: ProcessOptions): Column | undefined {
  // A cell is one line: a line break cannot be in one.
  return columns.get(texts.join('\n'), options, () => {
    const made = texts.map((text) => cellOf(text, options));
    if (made.some((cell) => cell === undefined)) return undefined;
    return { markdown: alignedColumn(made.map((cell) => cell!.markdown)), html: made.map((cell) => cell!.html) };
  });
}

/** A cell of a column: its Markdown as the table handler writes it (before padding), and its inline HTML. */
interface Cell {
  markdown: string;
  html: string;
}

/**
 * The cells recur more than the columns: a column missed (a code's steps beside a longer or
 * shorter column than before) is mostly cells met before. A cell is a code's fact, step or
 * name, nearly always met again: kept the first time, so each is parsed and written once.
 */
const cells = new SectionCache<Cell | undefined>(() => true);

/** A cell from its text; undefined when it is not plain inline text. */
function cellOf(text: string, options: ProcessOptions): Cell | undefined {
  return cells.get(text, options, () => {
    const content = inlineOf(text, options);
    return content && { markdown: writtenCell(markdown, content) ?? writeCell(content), html: cellHtml(content, options) };
  });
}

/**
 * A table's outputs from its columns, without a table tree: its Markdown line by line from the
 * columns' segments, its HTML from each cell's inline HTML, as remark-rehype lays a table out (an
 * element per line).
 */
function tableFromColumns(columns: Column[]): Rendered {
  // Each output as one list of parts joined once: a flat string, not a chain of concatenations.
  const markdown: string[] = [];
  for (let r = 0; r < columns[0]!.markdown.length; r++) {
    for (const column of columns) markdown.push('|', column.markdown[r]!);
    markdown.push('|\n');
  }
  const rows = columns[0]!.html.length;
  const html: string[] = ['<table>\n<thead>\n'];
  for (let r = 0; r < rows; r++) {
    const tag = r === 0 ? 'th' : 'td';
    if (r === 1) html.push('\n<tbody>\n');
    else if (r > 1) html.push('\n');
    html.push('<tr>\n');
    columns.forEach((column, c) => html.push(c ? '\n<' : '<', tag, '>', column.html[r]!, '</', tag, '>'));
    html.push('\n</tr>');
    if (r === 0) html.push('\n</thead>');
  }
  html.push(rows > 1 ? '\n</tbody>\n</table>' : '\n</table>');
  return { markdown: markdown.join(''), body: html.join('') };
}

/**
 * A cell met for the first time, written as the only cell of a table: the table handler keeps
 * the Markdown of the cell's content (see remark-table.ts), as it would in any table.
 */
function writeCell(content: PhrasingContent[]): string {
  markdown.stringify({ type: 'root', children: [{ type: 'table', align: [null], children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: content }] }] }] });
  return writtenCell(markdown, content)!;
}

/** The inline HTML of a cell's content (what a paragraph of it holds), once per cell: see cellOf. */
function cellHtml(content: PhrasingContent[], options: ProcessOptions): string {
  if (content.length === 0) return '';
  const tree = html.runSync({ type: 'root', children: [{ type: 'paragraph', children: content }] }, fileOf('', options));
  return html.stringify(tree as HastRoot).replace(/^<p>|<\/p>$/g, '');
}

/** The inline content of a cell's text, parsed as a paragraph (shared: do not change it). */
function inlineOf(text: string, options: ProcessOptions): PhrasingContent[] | undefined {
  if (text === '') return [];
  const tree = trees.get(text, options, () => treeOf(text, options).tree);
  const only = tree.children.length === 1 ? tree.children[0] : undefined;
  return only?.type === 'paragraph' ? only.children : undefined;
}

const LIST_OPEN = '<ul>\n';
const LIST_CLOSE = '\n</ul>';

/**
 * A tight list from its items, each processed as a list of one: the Markdown of a tight list is
 * its items' lines, its HTML their `<li>` elements between `<ul>` and `</ul>`, one per line.
 */
function processList(items: string[], options: ProcessOptions, process: (piece: string) => Rendered): Rendered {
  // A list none of whose items was met before (a pair's own comparison sentences) is one piece:
  // parsing it item by item would only add the cost of a parse per item.
  if (!rendered.metBefore(items, options)) return process(items.join('\n'));
  const parts = items.map(process);
  if (!parts.every((p) => p.body.startsWith(LIST_OPEN) && p.body.endsWith(LIST_CLOSE))) return process(items.join('\n'));
  return {
    markdown: parts.map((p) => p.markdown).join(''),
    body: `${LIST_OPEN}${parts.map((p) => p.body.slice(LIST_OPEN.length, -LIST_CLOSE.length)).join('\n')}${LIST_CLOSE}`,
  };
}

/**
 * A page's Markdown as trees after typography, one per top-level section (the first holds the
 * front matter, the title and the lead). Sections for which `skip` is true, given the source text
 * of their heading line, are left out unparsed. Trees may be shared between pages: do not change
 * them.
 */
export function markdownSections(source: string, options: ProcessOptions, skip?: (heading: string) => boolean): MdastRoot[] {
  const sections = sectionsShown(source, skip);
  if (!sections) return [parseSection(source, options).tree];
  return sections.map((section) => trees.get(section, options, () => sectionTree(detached(section), options)));
}

/** The same trees, each section parsed whole, with no cache: the reference a test holds markdownSections to. */
export function markdownSectionsWhole(source: string, options: ProcessOptions, skip?: (heading: string) => boolean): MdastRoot[] {
  const sections = sectionsShown(source, skip);
  if (!sections) return [parseSection(source, options).tree];
  return sections.map((section) => withoutFallbackMarks(parseSection(section, options).tree));
}

/** The top-level sections of a page but those `skip` leaves out; undefined when the page is one whole. */
function sectionsShown(source: string, skip?: (heading: string) => boolean): string[] | undefined {
  const sections = unsplittable(source) ? undefined : sectionsOf(source);
  return sections?.filter((section) => !(skip && section.startsWith('## ') && skip(section.split('\n', 1)[0]!.slice(3).trim())));
}

/**
 * A section's tree, as parsing it whole gives it (positions aside). A section the build keeps
 * whole (a code's, one with level-3 headings or fenced code) is parsed whole; any other is put
 * together from its pieces as the build cuts them (see piecesOf), which is what the build's
 * output rests on: a table from its cells (each parsed once a language), plain text without a
 * parse (plainTree), the rest parsed. A pair's own sections (its lead, key differences, call
 * flows, which to use when) took a knowledge-base export ~4.7 ms a page to parse whole.
 */
function sectionTree(section: string, options: ProcessOptions): MdastRoot {
  if (keptWhole(section, options)) return withoutFallbackMarks(parseSection(section, options).tree);
  // The front matter (on the first section) is a piece of its own, as in piecesOf.
  const front = FRONT_MATTER.exec(section)?.[0];
  const rest = front ? section.slice(front.length).replace(/^\n+/, '') : section;
  const pieces = rest.split(BLOCK_START).flatMap(listApart);
  const children = (front ? [front, ...pieces] : pieces).flatMap((piece): RootContent[] => {
    // Front matter is not parsed (~0.7 ms a page): its node is its text between the fences.
    if (piece === front && isFrontMatter(front)) return [{ type: 'yaml', value: front.slice('---\n'.length, -'\n---\n'.length) }];
    const list = typeof piece === 'string' ? undefined : listTree(piece.items, options);
    if (list) return [list];
    const text = typeof piece === 'string' ? piece : piece.items.join('\n');
    const cells = TABLE.test(text) ? tableCells(text) : undefined;
    const table = cells && tableOf(cells, options);
    if (table) return [table];
    const { tree } = treeOf(text, options);
    return (hasFallbackMarks(text) ? withoutFallbackMarks(tree) : tree).children;
  });
  return { type: 'root', children };
}

/**
 * A page's Markdown only, normalized, without the HTML (portal layouts): the same text as the
 * `markdown` of processMarkdown, which a test checks.
 */
export function processMarkdownOnly(source: string, options: ProcessOptions): string {
  return processMarkdown(source, options).markdown;
}
