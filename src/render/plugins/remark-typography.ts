/**
 * Per-language typography on the text of a page, set by the page's languages.json entry
 * (file.data.typography). Translators type ordinary text; these rules fix what interpolation and
 * plain keyboards leave behind:
 *
 * - cjkLatinSpacing: a space between Han characters and Latin letters or digits
 *   ("发送 183 响应", "由 UAS 发送"), the convention of Chinese technical writing, and none next
 *   to full-width punctuation, which carries its own space ("Not Found（未找到）与 410").
 * - frenchSpacing: the space before « : ; ! ? » and inside « » becomes non-breaking, U+00A0
 *   before a colon and the narrow U+202F elsewhere. Only spaces that are there are converted, so a
 *   protocol token such as "Require: 100rel" stays as typed.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';

export interface Typography {
  cjkLatinSpacing?: boolean;
  frenchSpacing?: boolean;
}

const HAN_THEN_LATIN = /(\p{Script=Han})([A-Za-z0-9])/gu;
const LATIN_THEN_HAN = /([A-Za-z0-9])(\p{Script=Han})/gu;

const FULL_WIDTH = '（）「」『』【】《》〈〉，。：；！？、';
const SPACE_AROUND_FULL_WIDTH = new RegExp(` +([${FULL_WIDTH}])|([${FULL_WIDTH}]) +`, 'gu');

export function spaceCjkLatin(text: string): string {
  return text
    .replace(HAN_THEN_LATIN, '$1 $2')
    .replace(LATIN_THEN_HAN, '$1 $2')
    .replace(SPACE_AROUND_FULL_WIDTH, '$1$2');
}

export function frenchSpacing(text: string): string {
  return text.replace(/ :/g, '\u00a0:').replace(/ ([;!?»])/g, '\u202f$1').replace(/« /g, '«\u202f');
}

/** Apply the enabled rules to plain text (titles and descriptions outside the Markdown). */
export function typeset(text: string, typography: Typography | undefined): string {
  if (typography?.cjkLatinSpacing) text = spaceCjkLatin(text);
  if (typography?.frenchSpacing) text = frenchSpacing(text);
  return text;
}

export default function remarkTypography() {
  return (tree: Root, file: VFile) => {
    const typography = file.data.typography;
    if (!typography?.cjkLatinSpacing && !typography?.frenchSpacing) return;
    visit(tree, 'text', (node) => {
      node.value = typeset(node.value, typography);
    });
  };
}

declare module 'vfile' {
  interface DataMap {
    typography: Typography;
  }
}
