/**
 * Parse YAML and JSON input files into plain values while keeping a way back from a value's path
 * to its line and column, so every later check can point at the exact place in the source.
 */
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { jsonPlace } from './json-place.js';
import { location } from 'vfile-location';
import type { VFile } from 'vfile';
import { report, type Place } from '../diagnostics.js';
import type { ParseCache } from './parse-cache.js';

export type KeyPath = Array<string | number>;

export interface Parsed {
  value: unknown;
  /** Where the value at `path` starts; falls back to the nearest parent that exists. */
  placeOf(path: KeyPath, key?: boolean): Place;
}

const START: Place = { line: 1, column: 1 };
/** jsonc-parser held to plain JSON, as `JSON.parse` is. */
const JSON_STRICT = { allowTrailingComma: false, disallowComments: true };

/**
 * Parse a YAML file. With a cache (src/load/parse-cache.ts), a text parsed before gives its value
 * from there, and the file is parsed only when a place in it is asked for.
 */
export function parseYaml(file: VFile, cache?: ParseCache): Parsed | undefined {
  const text = String(file.value);
  const value = cache?.get(text);
  if (value !== undefined) {
    let document: Parsed | undefined;
    // The same text parsed without errors before: it does again.
    return { value, placeOf: (path, key) => (document ??= parseYamlText(file)!).placeOf(path, key) };
  }
  const parsed = parseYamlText(file);
  if (parsed) cache?.set(text, parsed.value);
  return parsed;
}

function parseYamlText(file: VFile): Parsed | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(String(file.value), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPlace = (offset: number): Place => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      report(file, 'invalid-yaml', { detail: error.message.split('\n')[0] ?? error.code }, toPlace(error.pos[0]));
    }
    return undefined;
  }
  return {
    value: doc.toJS(),
    placeOf(path, key = false) {
      for (let depth = path.length; depth >= 0; depth--) {
        const sub = path.slice(0, depth);
        if (key && depth === path.length && depth > 0) {
          const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
          if (isMap(parent)) {
            const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(sub.at(-1)));
            const range = (pair?.key as YamlNode | undefined)?.range;
            if (range) return toPlace(range[0]);
          }
        }
        const node = depth === 0 ? doc.contents : doc.getIn(sub, true);
        if ((isMap(node) || isSeq(node) || isScalar(node)) && node.range) return toPlace(node.range[0]);
      }
      return START;
    },
  };
}

/**
 * Parse a JSON file with `JSON.parse`, several times faster than a parser that keeps places; a
 * place asked for is found by reading the text along the path (see jsonPlace). A file with
 * errors is read by jsonc-parser (no comments, no trailing commas), which says where they are.
 */
export function parseJson(file: VFile): Parsed | undefined {
  const text = String(file.value);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return jsonErrors(file);
  }
  let toPlace: ((offset: number) => Place) | undefined;
  return {
    value,
    placeOf(path, key = false) {
      toPlace ??= placesOf(file);
      return toPlace(jsonPlace(text, path, key));
    },
  };
}

/** A place from an offset in the file. */
function placesOf(file: VFile): (offset: number) => Place {
  const where = location(file);
  return (offset) => {
    const point = where.toPoint(offset);
    return point ? { line: point.line, column: point.column } : START;
  };
}

/** Report where a JSON file that `JSON.parse` refused goes wrong. */
function jsonErrors(file: VFile): undefined {
  const errors: ParseError[] = [];
  parseTree(String(file.value), errors, JSON_STRICT);
  const toPlace = placesOf(file);
  for (const error of errors) report(file, 'invalid-json', { detail: printParseErrorCode(error.error) }, toPlace(error.offset));
  if (errors.length === 0) report(file, 'invalid-json', { detail: String(file.value).trim() ? 'not JSON' : 'the file is empty' }, START);
  return undefined;
}
