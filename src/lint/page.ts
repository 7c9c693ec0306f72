/**
 * A generated Markdown page as the output linter sees it: front matter, the blocks of text in
 * reading order with the heading section they belong to, and the links. Pure: text in, model out.
 */
import type { Heading, PhrasingContent, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { parse as parseYaml } from 'yaml';
import remarkTable from '../render/plugins/remark-table.js';
import type { Place } from '../diagnostics.js';
import type { ProcessOptions } from '../render/processors.js';
import { NOT_INLINE, SIMPLE_LIST, TABLE } from '../render/markdown-shapes.js';
import { detached, SectionCache } from '../render/section-cache.js';
import { PLAIN_TEXT } from '../render/plain-tree.js';

export type BlockKind = 'heading' | 'paragraph' | 'cell';

export interface Block {
  kind: BlockKind;
  text: string;
  place: Place;
  /** The heading of the level-2 section the block is in ('' before the first one). */
  section: string;
  /** The heading of the innermost section the block is in. */
  subsection: string;
}

export interface Page {
  /** Path relative to the output folder, e.g. "en/sip/183-vs-439.md". */
  path: string;
  lang: string;
  translationKey: string;
  codes: number[];
  /** The page asks search engines not to index it (front matter `noindex: true`). */
  noindex: boolean;
  blocks: Block[];
  links: Array<{ url: string; place: Place }>;
  /** Headings directly followed by a heading of the same or a higher level, or by the end. */
  emptyHeadings: Array<{ text: string; place: Place }>;
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkTable).freeze();

const placeOf = (node: { position?: { start: { line: number; column: number } } }): Place => ({
  line: node.position?.start.line ?? 1,
  column: node.position?.start.column ?? 1,
});

interface Chunk {
  /** Blocks, links and empty headings with lines counted from the chunk's first line (1). */
  blocks: Array<Omit<Block, 'section' | 'subsection'> & { h2?: string; heading?: string }>;
  links: Page['links'];
  emptyHeadings: Page['emptyHeadings'];
  front?: Record<string, unknown>;
}

/**
 * Read one chunk of a page (see splitChunks), places relative to the chunk: a table that ends it
 * from its cells (see tableBlocks), anything else parsed. The text of a code's sections recurs in
 * every pair page that shows it, so a chunk met before is taken from the cache (see chunkOf).
 */
function readChunk(markdown: string, last: boolean): Chunk {
  const table = tableAtEnd(markdown);
  if (!table) return chunkOfTree(plainChunk(markdown) ?? parse(markdown), last, false);
  const chunk = chunkOfTree(plainChunk(table.before) ?? parse(table.before), false, true);
  return tableBlocks(chunk, table.rows, table.line) ? chunk : chunkOfTree(parse(markdown), last, false);
}

const parse = (markdown: string): Root => parser.parse(markdown) as Root;

/**
 * The tree of a chunk of plain blocks, as the parser makes it (positions: their starts only),
 * without parsing it: front matter, then one-line ATX headings and paragraphs of plain text (see
 * PLAIN_TEXT), between blank lines. Undefined for anything else. A pair's title and lead, and
 * most of its own sentences, are such text.
 */
function plainChunk(markdown: string): Root | undefined {
  const lines = markdown.split('\n');
  const children: RootContent[] = [];
  let i = 0;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end === -1) return undefined;
    children.push({ type: 'yaml', value: lines.slice(1, end).join('\n'), position: at(1) });
    i = end + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    // A block of one line: the next is blank or the end.
    if (lines[i + 1] !== undefined && lines[i + 1] !== '') return undefined;
    const heading = /^(#{1,6}) (.*[^#\s])$/.exec(line);
    const text = heading ? heading[2]! : line;
    if (!PLAIN_TEXT.test(text)) return undefined;
    const value: PhrasingContent[] = [{ type: 'text', value: text }];
    children.push(heading ? { type: 'heading', depth: heading[1]!.length as Heading['depth'], children: value, position: at(i + 1) } : { type: 'paragraph', children: value, position: at(i + 1) });
  }
  return { type: 'root', children };
}

/** A node's place, as placeOf reads it: where it starts (line from 1), column 1. */
const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 1 } });

/**
 * A chunk from its tree. `followed`: what comes after it in its chunk (a table, see readChunk) is
 * not a heading, so a heading at its end is not empty.
 */
function chunkOfTree(tree: Root, last: boolean, followed: boolean): Chunk {
  const chunk: Chunk = { blocks: [], links: [], emptyHeadings: [] };
  if (tree.children[0]?.type === 'yaml') chunk.front = (parseYaml(tree.children[0].value) ?? {}) as Record<string, unknown>;
  tree.children.forEach((node, index) => {
    if (node.type === 'heading') {
      const text = toString(node);
      chunk.blocks.push({ kind: 'heading', text, place: placeOf(node), heading: text, ...(node.depth === 2 ? { h2: text } : {}) });
      const next = tree.children[index + 1];
      // A chunk ends where the next level-2 heading starts, or where the page ends.
      const followedByHeading = next ? next.type === 'heading' && (next as Heading).depth <= node.depth : !followed && (last || node.depth >= 2);
      if (followedByHeading) chunk.emptyHeadings.push({ text, place: placeOf(node) });
      return;
    }
    visit(node, (child) => {
      if (child.type === 'paragraph' || child.type === 'tableCell') {
        chunk.blocks.push({ kind: child.type === 'paragraph' ? 'paragraph' : 'cell', text: toString(child), place: placeOf(child) });
        return 'skip';
      }
      return undefined;
    });
    // Images too: a page's diagram must be in the output like any page it links to.
    visit(node, (child) => {
      if (child.type === 'link' || child.type === 'image') chunk.links.push({ url: child.url, place: placeOf(child) });
    });
  });
  return chunk;
}

/**
 * A GFM table that ends a chunk (a pair's key differences, its call-flow steps): what is before it,
 * its lines, and the line (from 1) it starts on. Undefined when the chunk does not end in one, or
 * in one whose cells could be read otherwise than split at every pipe (a backslash).
 */
function tableAtEnd(markdown: string): { before: string; rows: string[]; line: number } | undefined {
  // After a blank line; or first, after the blank line a chunk cut before a block starts with.
  const at = markdown.lastIndexOf('\n\n|');
  const start = at !== -1 ? at + 2 : markdown.startsWith('\n|') ? 1 : markdown.startsWith('|') ? 0 : -1;
  if (start === -1) return undefined;
  const text = markdown.slice(start);
  if (!TABLE.test(text) || text.includes('\\')) return undefined;
  return { before: at !== -1 ? markdown.slice(0, at) : '', rows: text.replace(/\n$/, '').split('\n'), line: markdown.slice(0, start).split('\n').length };
}

/** A cell's content read alone: its text and its links, with columns from the content's start (1). */
interface CellContent {
  text: string;
  links: Array<{ url: string; column: number }>;
}

/**
 * Cells met before (a table's labels, a code's values and steps recur on every pair of the code):
 * kept the first time, within the budget of the build's caches (SectionCache, as the build keeps
 * its cells), in the chunks' scope (see CHUNKS).
 */
const cells = new SectionCache<CellContent | undefined>(() => true);

const cellContent = (content: string): CellContent | undefined =>
  cells.get(content, CHUNKS, () => (content === '' ? { text: '', links: [] } : NOT_INLINE.test(content) ? undefined : inlineContent(content)));

/** A cell's content parsed as a paragraph alone; undefined when it is not one paragraph. */
function inlineContent(content: string): CellContent | undefined {
  const tree = parser.parse(content) as Root;
  const paragraph = tree.children.length === 1 && tree.children[0]!.type === 'paragraph' ? tree.children[0] : undefined;
  if (!paragraph) return undefined;
  const links: CellContent['links'] = [];
  visit(paragraph, (child) => {
    if (child.type === 'link' || child.type === 'image') links.push({ url: child.url, column: child.position?.start.column ?? 1 });
  });
  return { text: toString(paragraph), links };
}

/**
 * The cells of a table (its lines, the first on line `line` of the chunk) added to `chunk` as the
 * parser gives them: each cell a block at its opening pipe, its links where they are on the line.
 * False when a cell is not plain inline text or the rows differ in width: the chunk is then parsed.
 */
function tableBlocks(chunk: Chunk, rows: string[], line: number): boolean {
  const blocks: Chunk['blocks'] = [];
  const links: Chunk['links'] = [];
  let width: number | undefined;
  for (const [r, row] of rows.entries()) {
    const pipes: number[] = [];
    for (let i = row.indexOf('|'); i !== -1; i = row.indexOf('|', i + 1)) pipes.push(i);
    if ((width ??= pipes.length) !== pipes.length) return false;
    if (r === 1) continue;
    for (let k = 0; k + 1 < pipes.length; k++) {
      const raw = row.slice(pipes[k]! + 1, pipes[k + 1]);
      const content = raw.trim();
      const read = cellContent(content);
      if (!read) return false;
      const start = pipes[k]! + 2 + (raw.length - raw.trimStart().length);
      blocks.push({ kind: 'cell', text: read.text, place: { line: line + r, column: pipes[k]! + 1 } });
      for (const link of read.links) links.push({ url: link.url, place: { line: line + r, column: start + link.column - 1 } });
    }
  }
  chunk.blocks.push(...blocks);
  chunk.links.push(...links);
  return true;
}

/**
 * Chunks met again, by their text (and whether they end the page): a code's sections, in the
 * language being read. Most chunks are a pair's own and never recur: the build's section cache
 * (SectionCache) keeps a chunk only when met a second time and forgets what it keeps when it
 * passes its budget, so that what is kept does not grow with the pages read. Keeping every
 * chunk, 20,000 at a time, a thread linting two languages of SIP held ~420 MB of heap.
 */
const cache = new SectionCache<Chunk>(undefined, 1);
/** The chunks' one scope of the cache: they are read without a language's typography. */
const CHUNKS: ProcessOptions = { lang: '', typography: {} };

/** The chunk of `text`, from the cache when it was kept; kept when met before. */
const chunkOf = (text: string, last: boolean): Chunk => cache.get(`${last ? 1 : 0}${text}`, CHUNKS, () => readChunk(text, last));

/**
 * Split before each level-2 heading, and a section without level-3 headings also before each
 * blank line that starts a table, an image or a paragraph (a code's call-flow steps recur on
 * all its pairs): safe for generated pages, which have no code fences. Each piece but the first
 * starts on a new line of the page; a heading never ends a piece, so "is it empty?" is answered
 * inside one piece.
 */
function splitChunks(markdown: string): string[] {
  const pieces = markdown.split(/\n(?=## )/).flatMap((section) => (section.includes('\n### ') ? [section] : section.split(/\n(?=\n(?:[|!\p{L}]|- ))/u).flatMap(listItems)));
  const merged: string[] = [];
  for (const piece of pieces) {
    const previous = merged.at(-1);
    if (previous !== undefined && /(?:^|\n)#{1,6} [^\n]*\n?$/.test(previous) && !piece.startsWith('## ')) merged[merged.length - 1] = `${previous}\n${piece}`;
    else merged.push(piece);
  }
  return merged;
}

/**
 * A simple list (one-line items, see SIMPLE_LIST) after a blank line, a piece per item: the
 * items recur far more than the lists (a link to a code's RFC section, a code's "which to use
 * when" entry). An item read alone has the paragraph, text and links it has in the list.
 */
function listItems(piece: string): string[] {
  if (!piece.startsWith('\n- ') || !SIMPLE_LIST.test(piece.slice(1))) return [piece];
  const items = piece.slice(1).split('\n');
  return [`\n${items[0]}`, ...items.slice(1)];
}

const shift = (place: Place, lines: number): Place => ({ line: place.line + lines, column: place.column });

/**
 * A generated page as the rules read it. It is parsed in chunks, each met before taken from the
 * cache; `whole` parses it as one (the reference a test holds the chunks to).
 */
export function readPage(path: string, markdown: string, { whole = false } = {}): Page {
  const page: Page = { path, lang: path.split('/')[0]!, translationKey: path, codes: [], noindex: false, blocks: [], links: [], emptyHeadings: [] };
  // Each part a string of its own: a part cut out of the page (split) holds the whole page, and
  // what is kept of a part (a cached chunk's key, its blocks' text, an English page's paragraphs)
  // would keep every page read in memory (68 MB of English pages for two languages of SIP).
  const parts = (whole || /^```|^~~~|^\[[^\]]+\]:/m.test(markdown) ? [markdown] : splitChunks(markdown)).map(detached);
  let offset = 0;
  let section = '';
  let subsection = '';
  parts.forEach((text, i) => {
    const last = i === parts.length - 1;
    // The first chunk (the front matter, title and lead) is each page's own.
    const chunk = whole ? chunkOfTree(parse(text), last, false) : i === 0 ? readChunk(text, last) : chunkOf(text, last);
    if (chunk.front) {
      const front = chunk.front;
      if (front.lang !== undefined) page.lang = String(front.lang);
      if (front.translationKey !== undefined) page.translationKey = String(front.translationKey);
      if (Array.isArray(front.codes)) page.codes = front.codes.map(Number);
      if (front.noindex === true) page.noindex = true;
    }
    for (const block of chunk.blocks) {
      if (block.h2 !== undefined) section = block.h2;
      if (block.heading !== undefined) subsection = block.heading;
      page.blocks.push({ kind: block.kind, text: block.text, place: shift(block.place, offset), section, subsection });
    }
    for (const link of chunk.links) page.links.push({ url: link.url, place: shift(link.place, offset) });
    for (const heading of chunk.emptyHeadings) page.emptyHeadings.push({ text: heading.text, place: shift(heading.place, offset) });
    offset += text.split('\n').length;
  });
  return page;
}
