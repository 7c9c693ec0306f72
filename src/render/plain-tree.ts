/**
 * The Markdown tree of plain text, without parsing it: most of what a pair page does not share
 * with other pages (its lead, its comparison sentences, its title, the paragraph of its two
 * call-flow diagrams) has no Markdown syntax at all, and building its tree directly costs a
 * fraction of a parse. Pure: text in, the tree remark-parse would make (without positions) or
 * undefined out. test/pipeline.test.ts holds the results to the parser's, byte for byte.
 */
import type { Heading, List, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';

/**
 * Text in which Markdown sees no syntax: it begins with a letter or a number (not an ordered
 * list's), and has no backslash, code, emphasis, link, HTML, entity, table or line break. Most
 * sentences of a pair (its lead, its comparisons) are such text.
 */
/**
 * The characters Markdown may read as syntax or as a break (escapes, code, emphasis, links, HTML,
 * entities, tables, line breaks), as the inside of a regular expression's character class.
 */
const SYNTAX = '\\\\`*_[\\]<>&|~\\n\\r\\t\\f\\v';
const PLAIN_TEXT = new RegExp(String.raw`^(?:\p{L}|\p{N}(?!\p{N}*[.)]))[^${SYNTAX}]*(?<![ \u00a0])$`, 'u');

/**
 * The tree remark-parse makes of plain blocks separated by blank lines, without parsing them:
 * paragraphs, ATX headings and tight lists of one-line items ("- text") of plain text (never two
 * lists in a row, which would be one loose list); undefined for anything else. A test holds the
 * result to the parser's, byte for byte.
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

function plainBlock(block: string): Paragraph | Heading | List | undefined {
  const phrasing = (value: string): PhrasingContent[] => [{ type: 'text', value }];
  if (PLAIN_TEXT.test(block)) return { type: 'paragraph', children: phrasing(block) };
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
