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
import { HEADING_TAG, nextHeadingId, type SectionKeys } from '../section-keys.js';

export default function rehypeSectionIds() {
  return (tree: Root, file: VFile) => {
    const keys = file.data.sectionKeys;
    if (!keys) return;
    let section: string | undefined;
    visit(tree, 'element', (node: Element) => {
      const depth = HEADING_TAG.exec(node.tagName)?.[1];
      if (!depth) return;
      const next = nextHeadingId(keys, Number(depth), toString(node), section);
      section = next.section;
      if (next.id !== undefined) node.properties.id = next.id;
    });
  };
}

declare module 'vfile' {
  interface DataMap {
    sectionKeys: SectionKeys;
  }
}
