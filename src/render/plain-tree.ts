/**
 * The Markdown tree of plain text, without parsing it: most of what a pair page does not share
 * with other pages (its lead, its comparison sentences, its title, the paragraph of its two
 * call-flow diagrams) has no Markdown syntax at all, and building its tree directly costs a
 * fraction of a parse. Pure: text in, the tree remark-parse would make (without positions) or
 * undefined out. And for such trees (plain paragraphs, headings, tight lists, one-line quotes,
 * links and images) both outputs without unified (plainOutputs). test/pipeline.test.ts holds
 * the results to the parser's and to unified's, byte for byte.
 */
import type { BlockContent, Blockquote, DefinitionContent, Heading, List, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { htmlHref } from './plugins/rehype-md-links.js';
import { inCodeSectionAfter, nextHeadingId, SEARCH_IGNORE_ATTRIBUTE, type SectionKeys } from './section-keys.js';

/**
 * The characters Markdown may read as syntax or as a break (escapes, code, emphasis, links, HTML,
 * entities, tables, line breaks and other control characters), as the inside of a regular
 * expression's character class.
 */
const SYNTAX = '\\\\`*_[\\]<>&|~\\x00-\\x1f\\x7f';
/**
 * Text in which Markdown sees no syntax: it begins with a letter or a number (not an ordered
 * list's), and has no backslash, code, emphasis, link, HTML, entity, table or line break. Most
 * sentences of a pair (its lead, its comparisons) are such text.
 */
export const PLAIN_TEXT = new RegExp(String.raw`^(?:\p{L}|\p{N}(?!\p{N}*[.)]))[^${SYNTAX}]*(?<![ \u00a0])$`, 'u');

/**
 * The tree remark-parse makes of plain blocks separated by blank lines, without parsing them:
 * paragraphs, ATX headings, tight lists of one-line items ("- text") of plain text (never two
 * lists in a row, which would be one loose list) and quotes of one plain line ("> text": the
 * note over a page whose translation is incomplete); undefined for anything else. A test holds
 * the result to the parser's, byte for byte.
 */
export function plainTree(source: string): Root | undefined {
  const text = source.endsWith('\n') ? source.slice(0, -1) : source;
  const children: RootContent[] = [];
  for (const block of text.split('\n\n')) {
    const node = plainBlock(block);
    if (!node || (node.type === 'list' && children.at(-1)?.type === 'list')) return undefined;
    children.push(node);
  }
  return { type: 'root', children };
}

/** An ATX heading: its level, and its text (a closing sequence of `#` is not read as plain). */
const ATX_HEADING = /^(#{1,6}) (.*[^#])$/;

/** An image with plain alternative text and a plain relative URL: `![alt](diagrams/183.svg)`. */
const IMAGE = new RegExp(String.raw`!\[([^${SYNTAX}]*)\]\(([\w./-]+)\)`, 'u');
/** A paragraph of nothing but such images, one space apart (the call flows of a pair). */
const PLAIN_IMAGES = new RegExp(`^${IMAGE.source}(?: ${IMAGE.source})*$`, 'u');

function plainBlock(block: string): Paragraph | Heading | List | Blockquote | undefined {
  const phrasing = (value: string): PhrasingContent[] => [{ type: 'text', value }];
  if (PLAIN_TEXT.test(block)) return { type: 'paragraph', children: phrasing(block) };
  if (block.startsWith('> ') && PLAIN_TEXT.test(block.slice(2))) return { type: 'blockquote', children: [{ type: 'paragraph', children: phrasing(block.slice(2)) }] };
  if (PLAIN_IMAGES.test(block)) {
    const images = [...block.matchAll(new RegExp(IMAGE.source, 'gu'))];
    if (images.every(([, alt]) => alt === alt!.trim())) {
      const children = images.flatMap(([, alt, url], i): PhrasingContent[] => [...(i ? phrasing(' ') : []), { type: 'image', title: null, url: url!, alt: alt! }]);
      return { type: 'paragraph', children };
    }
  }
  const heading = ATX_HEADING.exec(block);
  if (heading) return PLAIN_TEXT.test(heading[2]!) ? { type: 'heading', depth: heading[1]!.length as Heading['depth'], children: phrasing(heading[2]!) } : undefined;
  const items = block.split('\n').map((item) => (item.startsWith('- ') ? itemContent(item.slice(2)) : undefined));
  if (!items.every((item) => item !== undefined)) return undefined;
  return {
    type: 'list',
    ordered: false,
    start: null,
    spread: false,
    children: items.map((children) => ({ type: 'listItem', spread: false, checked: null, children: [{ type: 'paragraph', children }] })),
  };
}

/**
 * A link with plain text and a plain URL (no spaces, parentheses, escapes or entities), alone:
 * `[180 Ringing](100-vs-180.md)`, `[RFC 3261, section 21.1.5 (183)](https://…#section-21.1.5)`.
 */
const PLAIN_LINK = new RegExp(String.raw`^\[([^${SYNTAX}]+)\]\(([\w./:#?=%+-]+)\)$`, 'u');

/**
 * The content of a list item of one line: plain text, or a plain link alone (the lists of links
 * of code pages and of "Learn more", whose parse grows faster than their length).
 */
function itemContent(text: string): PhrasingContent[] | undefined {
  if (PLAIN_TEXT.test(text)) return [{ type: 'text', value: text }];
  const link = PLAIN_LINK.exec(text);
  if (!link || link[1] !== link[1]!.trim()) return undefined;
  return [{ type: 'link', title: null, url: link[2]!, children: [{ type: 'text', value: link[1]! }] }];
}

/** What plainOutputs needs of the processing options: heading keys, and the Mermaid images. */
export interface PlainOutputOptions {
  sectionKeys?: SectionKeys;
  mermaid?: Record<string, string>;
}

/**
 * A URL that neither Markdown nor HTML writes other than as it is: http(s) or relative, of
 * letters, digits, `.`, `_`, `/`, `-` and a fragment. (remark-rehype percent-encodes other
 * characters, rehype-sanitize drops other protocols.)
 */
const PLAIN_URL = /^(?:https?:\/\/[A-Za-z0-9.-]+)?[A-Za-z0-9._/-]*(?:#[A-Za-z0-9._-]*)?$/;
/**
 * Alternative text of an image as it is in both outputs: no syntax, no quotes (an HTML
 * attribute escapes both), not padded.
 */
const PLAIN_ALT = new RegExp(String.raw`^[^${SYNTAX}"'\s](?:[^${SYNTAX}"']*[^${SYNTAX}"'\s])?$`, 'u');

/**
 * The normalized Markdown and the HTML of a tree of plain blocks (as plainTree makes them,
 * after typography), written directly: what remark-stringify and remark-rehype → rehype-sanitize
 * → rehype-section-ids → rehype-md-links → rehype-stringify write for them. For such text that
 * is the text itself: nothing in it needs escaping in either language. Headings get the ids of
 * rehype-section-ids, links to `.md` pages the `.html` of rehype-md-links. Undefined for any
 * other tree (a quote of anything but one such paragraph, ordered or loose lists, text that
 * typography made other than plain, links and images that are not plain, diagrams that the
 * Markdown shows as Mermaid).
 */
export function plainOutputs(tree: Root, options: PlainOutputOptions = {}): { markdown: string; body: string } | undefined {
  const keys = options.sectionKeys;
  const markdown: string[] = [];
  const html: string[] = [];
  let section: string | undefined;
  // In a code's section of a pair article, every block is kept out of search (rehype-search-ignore).
  let ignoring = false;
  const open = (tag: string, attributes = '') => `<${tag}${attributes}${ignoring ? ` ${SEARCH_IGNORE_ATTRIBUTE}` : ''}>`;
  for (const node of tree.children) {
    if (node.type === 'paragraph') {
      const inline = plainInline(node.children, options);
      if (!inline) return undefined;
      markdown.push(inline.markdown);
      html.push(`${open('p')}${inline.html}</p>`);
    } else if (node.type === 'blockquote') {
      const inline = soleParagraph(node.children, options);
      if (!inline) return undefined;
      markdown.push(`> ${inline.markdown}`);
      html.push(`${open('blockquote')}\n<p>${inline.html}</p>\n</blockquote>`);
    } else if (node.type === 'heading') {
      const text = plainValue(node.children);
      if (text === undefined || text.endsWith('#')) return undefined;
      let id: string | undefined;
      if (keys) ({ id, section } = nextHeadingId(keys, node.depth, text, section));
      if (keys) ignoring = inCodeSectionAfter(keys, node.depth, text, ignoring);
      markdown.push(`${'#'.repeat(node.depth)} ${text}`);
      html.push(`${open(`h${node.depth}`, id === undefined ? '' : ` id="${id}"`)}${text}</h${node.depth}>`);
    } else if (node.type === 'list' && !node.ordered && !node.spread) {
      const items: Array<{ markdown: string; html: string }> = [];
      for (const item of node.children) {
        const inline = !item.spread && item.checked === null ? soleParagraph(item.children, options) : undefined;
        if (!inline) return undefined;
        items.push(inline);
      }
      markdown.push(items.map((item) => `- ${item.markdown}`).join('\n'));
      html.push(`${open('ul')}\n${items.map((item) => `<li>${item.html}</li>`).join('\n')}\n</ul>`);
    } else return undefined;
  }
  return { markdown: `${markdown.join('\n\n')}\n`, body: html.join('\n') };
}

/** Both outputs of the content of a quote or list item that is one paragraph of plain inline content, else undefined. */
function soleParagraph(children: Array<BlockContent | DefinitionContent>, options: PlainOutputOptions): { markdown: string; html: string } | undefined {
  const only = children.length === 1 ? children[0] : undefined;
  return only?.type === 'paragraph' ? plainInline(only.children, options) : undefined;
}

/**
 * Phrasing content of plain text, plain links and plain images (one space between two of them),
 * in both outputs.
 */
function plainInline(children: PhrasingContent[], options: PlainOutputOptions): { markdown: string; html: string } | undefined {
  let markdown = '';
  let html = '';
  for (const [i, node] of children.entries()) {
    if (node.type === 'text') {
      const between = node.value === ' ' && i > 0 && i < children.length - 1 && children[i - 1]!.type !== 'text' && children[i + 1]!.type !== 'text';
      if (!between && !PLAIN_TEXT.test(node.value)) return undefined;
      markdown += node.value;
      html += node.value;
    } else if (node.type === 'link') {
      const text = plainValue(node.children);
      if (text === undefined || text === node.url || node.title || !PLAIN_URL.test(node.url)) return undefined;
      markdown += `[${text}](${node.url})`;
      html += `<a href="${htmlHref(node.url)}">${text}</a>`;
    } else if (node.type === 'image') {
      if (node.title || !node.alt || !PLAIN_ALT.test(node.alt) || !PLAIN_URL.test(node.url) || (options.mermaid && Object.hasOwn(options.mermaid, node.url))) return undefined;
      markdown += `![${node.alt}](${node.url})`;
      html += `<img src="${node.url}" alt="${node.alt}">`;
    } else return undefined;
  }
  return markdown ? { markdown, html } : undefined;
}

/** The text of phrasing content that is one plain text node, else undefined. */
function plainValue(children: PhrasingContent[]): string | undefined {
  const only = children.length === 1 ? children[0] : undefined;
  return only?.type === 'text' && PLAIN_TEXT.test(only.value) ? only.value : undefined;
}
