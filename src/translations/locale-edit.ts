/**
 * Set translations in the text of a locale file without touching anything else: each value is
 * replaced in place, a new key goes where English has it among its siblings, and the rest of
 * the file keeps its bytes. Pure: text in, text out.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';

export interface LocaleEdit {
  /** Dotted key path, e.g. `codes.183.description`. */
  key: string;
  value: string;
}

/** `englishOrder(path)` lists the English keys of the object at `path`, in order. */
export function editLocaleText(text: string, edits: LocaleEdit[], englishOrder: (path: string[]) => string[]): string {
  for (const { key, value } of edits) {
    const path = key.split('.');
    const tree = parseTree(text);
    // The deepest object that exists on the path: a new property is inserted there.
    let depth = path.length - 1;
    while (depth > 0 && !findNodeAtLocation(tree!, path.slice(0, depth))) depth--;
    const order = englishOrder(path.slice(0, depth));
    const rank = (name: string) => {
      const i = order.indexOf(name);
      return i === -1 ? Number.MAX_SAFE_INTEGER : i;
    };
    const inserted = rank(path[depth]!);
    const edit = modify(text, path, value, {
      formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' },
      getInsertionIndex: (properties) => {
        // Before the first sibling that English puts after it; keys English lacks do not count.
        const after = properties.findIndex((p) => rank(p) > inserted && rank(p) !== Number.MAX_SAFE_INTEGER);
        return after === -1 ? properties.length : after;
      },
    });
    text = applyEdits(text, edit);
  }
  return text;
}
