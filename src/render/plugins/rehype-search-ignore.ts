/**
 * Keeps the code sections of a pair article out of the search index: every top-level element
 * of a level-2 section whose heading is a code's (`## 183 Session Progress`, see
 * section-keys.ts) gets `data-pagefind-ignore`, the heading included. The same sections are
 * indexed on the code's own page; indexed on each of the code's pairs as well, a search for a
 * code's text listed the same excerpt ~75 times and buried the code page. A pair article is
 * still found by what it says of the pair (title, lead, differences).
 *
 * Runs after rehype-section-ids on the same keys; plain-tree.ts writes the same attributes for
 * the text it writes without unified.
 */
import type { Root } from 'hast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import { HEADING_TAG, inCodeSectionAfter, SEARCH_IGNORE } from '../section-keys.js';

export default function rehypeSearchIgnore() {
  return (tree: Root, file: VFile) => {
    const keys = file.data.sectionKeys;
    if (!keys) return;
    let ignoring = false;
    for (const node of tree.children) {
      if (node.type !== 'element') continue;
      const depth = HEADING_TAG.exec(node.tagName)?.[1];
      if (depth) ignoring = inCodeSectionAfter(keys, Number(depth), toString(node), ignoring);
      if (ignoring) node.properties[SEARCH_IGNORE] = true;
    }
  };
}
