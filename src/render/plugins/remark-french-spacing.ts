/**
 * French typography: the space before « : ; ! ? » and inside « » is non-breaking, so a line never
 * starts with a colon or a closing guillemet. Translators type ordinary spaces; this plugin
 * turns them into U+00A0 (before a colon) and U+202F (the narrow no-break space, elsewhere).
 * It only converts spaces that are there: "Require: 100rel" (a protocol token) stays as typed.
 * Runs only on pages whose language asks for it (file.data.frenchSpacing).
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';

export function frenchSpacing(text: string): string {
  return text
    .replace(/ :/g, '\u00a0:')
    .replace(/ ([;!?»])/g, '\u202f$1')
    .replace(/« /g, '«\u202f');
}

export default function remarkFrenchSpacing() {
  return (tree: Root, file: VFile) => {
    if (!file.data.frenchSpacing) return;
    visit(tree, 'text', (node) => {
      node.value = frenchSpacing(node.value);
    });
  };
}

declare module 'vfile' {
  interface DataMap {
    frenchSpacing: boolean;
  }
}
