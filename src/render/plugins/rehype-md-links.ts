/**
 * Markdown pages link to each other as `.md` files (what docs portals expect); in the HTML
 * output the same links must lead to the `.html` siblings.
 */
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';

const LOCAL_MD = /^(?![a-z][a-z0-9+.-]*:|\/\/)([^?#]*)\.md(#.*)?$/i;

/** The link target in the HTML output: a local `.md` page's `.html` sibling, else the same. */
export function htmlHref(href: string): string {
  const match = LOCAL_MD.exec(href);
  return match ? `${match[1]}.html${match[2] ?? ''}` : href;
}

export default function rehypeMdLinks() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      const href = node.properties?.href;
      if (node.tagName === 'a' && typeof href === 'string') node.properties.href = htmlHref(href);
    });
  };
}
