/**
 * Stable ids on the headings of a page (file.data.sectionKeys, see section-keys.ts): the title
 * gets `top`, a level-2 heading its section key, a level-3 heading its key prefixed with that of
 * the level-2 section it is in (`code-183-description`). Runs after rehype-sanitize: the ids are
 * ours, made of letters, digits and hyphens, never taken from the input.
 */
import type { Element, Root } from 'hast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import { TITLE_ID, headingId, keyOf, type SectionKeys } from '../section-keys.js';

export default function rehypeSectionIds() {
  return (tree: Root, file: VFile) => {
    const keys = file.data.sectionKeys;
    if (!keys) return;
    let section: string | undefined;
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'h1') {
        node.properties.id = TITLE_ID;
        section = undefined;
      } else if (node.tagName === 'h2') {
        section = keyOf(keys, toString(node));
        node.properties.id = section;
      } else if (node.tagName === 'h3') {
        node.properties.id = headingId(keyOf(keys, toString(node)), section);
      }
    });
  };
}

declare module 'vfile' {
  interface DataMap {
    sectionKeys: SectionKeys;
  }
}
