/**
 * Where a value is in a JSON text, by its path, found by reading the text along the path: the
 * values beside it are skipped, not parsed, and no syntax tree is made. A build asks this for
 * the place of each translation it warns about (a stale unit of a language's file, ~150 KB for
 * a protocol): jsonc-parser's tree of the file took ~3 ms a file, ~30 ms of a one-code edit in
 * ten languages. It answers as jsonc-parser's `findNodeAtLocation` on that tree would (a test
 * holds it to it): the first property of a name, the deepest part of the path that is there.
 *
 * The text must be JSON that `JSON.parse` accepts: nothing here checks it (other text gives some
 * offset in it, never a hang).
 */
import type { KeyPath } from './source.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** The first character at or after `at` that is not JSON white space. */
function skipSpace(text: string, at: number): number {
  for (;;) {
    const c = text.charCodeAt(at);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return at;
    at++;
  }
}

/** Just after the string that starts at `at` (its opening quote). */
function skipString(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Just after the value that starts at `at`. */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return skipString(text, at);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (let i = at; i < text.length; ) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return i + 1;
      i++;
    }
    return text.length;
  }
  // A number, true, false or null: up to what ends it (or the end of the text).
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return i;
  }
  return text.length;
}

/** The text of the key string at `start`..`end` (its quotes included), as JSON reads it. */
const keyText = (text: string, start: number, end: number): string => {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
};

/**
 * The offset of the value at `path` (with `key`, of its property's key, when the last step is a
 * property), or of the value of the deepest part of the path that is there (the whole text's
 * value when not even the first step is).
 */
export function jsonPlace(text: string, path: KeyPath, key = false): number {
  let at = skipSpace(text, 0);
  let keyAt = -1;
  for (const [depth, step] of path.entries()) {
    const found = typeof step === 'string' ? property(text, at, step) : element(text, at, step);
    if (!found) return at;
    [at, keyAt] = found;
    if (depth === path.length - 1 && key && keyAt >= 0) return keyAt;
  }
  return at;
}

/** In the object at `at`, the first property named `name`: where its value and its key start. */
function property(text: string, at: number, name: string): [number, number] | undefined {
  if (text.charCodeAt(at) !== OPEN_OBJECT) return undefined;
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return undefined;
  for (;;) {
    const keyStart = i;
    const keyEnd = skipString(text, keyStart);
    // The colon, then the value.
    const value = skipSpace(text, skipSpace(text, keyEnd) + 1);
    if (keyText(text, keyStart, keyEnd) === name) return [value, keyStart];
    i = skipSpace(text, skipValue(text, value));
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** In the array at `at`, element `index`: where it starts (it has no key). */
function element(text: string, at: number, index: number): [number, number] | undefined {
  if (text.charCodeAt(at) !== OPEN_ARRAY || !Number.isInteger(index) || index < 0) return undefined;
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_ARRAY) return undefined;
  for (let n = 0; ; n++) {
    if (n === index) return [i, -1];
    i = skipSpace(text, skipValue(text, i));
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
}
