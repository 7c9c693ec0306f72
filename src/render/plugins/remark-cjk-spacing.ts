/**
 * Chinese typography: a space between Han characters and Latin letters or digits
 * ("发送 183 响应", "由 UAS 发送"). Translators write it in their sentences; this plugin adds it
 * where interpolated values meet the sentence around them. Runs only on pages whose language
 * asks for it (file.data.cjkSpacing).
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';

const HAN = '\\p{Script=Han}';
const LATIN = '[A-Za-z0-9]';
const HAN_THEN_LATIN = new RegExp(`(${HAN})(${LATIN})`, 'gu');
const LATIN_THEN_HAN = new RegExp(`(${LATIN})(${HAN})`, 'gu');

export function spaceCjkLatin(text: string): string {
  return text.replace(HAN_THEN_LATIN, '$1 $2').replace(LATIN_THEN_HAN, '$1 $2');
}

export default function remarkCjkSpacing() {
  return (tree: Root, file: VFile) => {
    if (!file.data.cjkSpacing) return;
    visit(tree, 'text', (node) => {
      node.value = spaceCjkLatin(node.value);
    });
  };
}

declare module 'vfile' {
  interface DataMap {
    cjkSpacing: boolean;
  }
}
