/**
 * Text shown in English because its translation is stale or missing arrives between fallback
 * marks (see src/translations/fallback.ts). This plugin gives it `lang="en"`: on the element
 * itself when the English is all the element holds, else on a `<span lang="en">` around it;
 * and removes every mark.
 */
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';
import type { VFile } from 'vfile';
import { FALLBACK_END, hasFallbackMarks, isFallbackStart, stripFallbackMarks } from '../../translations/fallback.js';

type Parent = Root | Element;
type Child = RootContent;

const text = (value: string): Text => ({ type: 'text', value });
const isBlank = (node: Child) => node.type === 'text' && node.value.trim() === '';

/** Index of the first start mark in `value` (in UTF-16 units), or -1. */
function findStart(value: string): number {
  let i = 0;
  for (const char of value) {
    if (isFallbackStart(char.codePointAt(0)!)) return i;
    i += char.length;
  }
  return -1;
}

/** Index of the end mark that closes the open marks (`depth` of them), or the depth left. */
function findEnd(value: string, depth: number): { index: number; depth: number } {
  let i = 0;
  for (const char of value) {
    if (isFallbackStart(char.codePointAt(0)!)) depth++;
    else if (char === FALLBACK_END && --depth === 0) return { index: i, depth };
    i += char.length;
  }
  return { index: -1, depth };
}

function stripDeep(node: Child) {
  if (node.type === 'text') node.value = stripFallbackMarks(node.value);
  else if ('children' in node) for (const child of node.children) stripDeep(child as Child);
}

function mark(parent: Parent) {
  const out: Child[] = [];
  const queue = [...(parent.children as Child[])];
  while (queue.length) {
    const node = queue.shift()!;
    if (node.type !== 'text') {
      if (node.type === 'element') mark(node);
      out.push(node);
      continue;
    }
    const start = findStart(node.value);
    if (start < 0) {
      node.value = stripFallbackMarks(node.value);
      out.push(node);
      continue;
    }
    const before = stripFallbackMarks(node.value.slice(0, start));
    const inside: Child[] = [];
    let after: Text | undefined;
    let depth = 1;
    let current: Child | undefined = text(node.value.slice(start + 2));
    while (current) {
      if (current.type === 'text') {
        const end = findEnd(current.value, depth);
        if (end.index >= 0) {
          inside.push(text(current.value.slice(0, end.index)));
          after = text(current.value.slice(end.index + 1));
          break;
        }
        depth = end.depth;
      }
      inside.push(current);
      current = queue.shift();
    }
    inside.forEach(stripDeep);
    const content = inside.filter((n) => n.type !== 'text' || n.value !== '');
    const whole = parent.type === 'element' && before.trim() === '' && out.every(isBlank) && (!after || after.value.trim() === '') && queue.every(isBlank);
    if (before) out.push(text(before));
    if (whole) {
      (parent as Element).properties.lang = 'en';
      out.push(...content);
      if (after?.value) out.push(after);
    } else {
      out.push({ type: 'element', tagName: 'span', properties: { lang: 'en' }, children: content as ElementContent[] });
      if (after?.value) queue.unshift(after);
    }
  }
  parent.children = out as Parent['children'];
}

export default function rehypeFallbackLang() {
  // The marks come from the Markdown the tree was made of: without any there, nothing to do.
  return (tree: Root, file: VFile) => {
    if (hasFallbackMarks(String(file.value))) mark(tree);
  };
}
