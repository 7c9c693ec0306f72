/**
 * Places in JSON files found by reading along the path (src/load/json-place.ts), held to
 * jsonc-parser's syntax tree, which the loader used before: the same offset for every path of
 * every shipped locale file, for paths that go nowhere, and for JSON written in odd ways.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { jsonPlace } from '../src/load/json-place.js';
import type { KeyPath } from '../src/load/source.js';

const LOCALES = join(import.meta.dirname, '..', 'locales');

/** The offset jsonc-parser's tree gives, as the loader asked it: the deepest part of the path that is there. */
function treePlace(tree: Node, path: KeyPath, key: boolean): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (!node) continue;
    const keyNode = key && depth === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return (keyNode ?? node).offset;
  }
  return 0;
}

/** Every path in a value, parents first. */
function pathsOf(value: unknown, prefix: KeyPath = []): KeyPath[] {
  const paths: KeyPath[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [name, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, name]));
  return paths;
}

function expectSamePlaces(text: string, paths: KeyPath[]): void {
  const tree = parseTree(text)!;
  const differ: Array<[KeyPath, boolean, number, number]> = [];
  for (const path of paths) {
    for (const key of [false, true]) {
      const [ours, theirs] = [jsonPlace(text, path, key), treePlace(tree, path, key)];
      if (ours !== theirs) differ.push([path, key, ours, theirs]);
    }
  }
  expect(differ).toEqual([]);
}

describe('places in JSON', () => {
  it('are where jsonc-parser puts them, for every path of every shipped locale file and for paths that go nowhere', () => {
    const files = readdirSync(LOCALES, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(20);
    let checked = 0;
    for (const name of files) {
      const text = readFileSync(join(LOCALES, name), 'utf8');
      // Each path is looked for from the top of the file: a spread sample of the paths of a large file.
      const all = pathsOf(JSON.parse(text));
      const paths = all.filter((_, i) => i % Math.ceil(all.length / 300) === 0 || i === all.length - 1);
      // Beyond a value, a name that is not there, an index past the end, a step of the wrong kind.
      const nowhere = paths.slice(0, 40).flatMap((path): KeyPath[] => [[...path, 'no-such-key'], [...path, 9999], [...path, 0, 'x']]);
      expectSamePlaces(text, [...paths, ...nowhere]);
      checked += paths.length;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('read escapes, white space, nesting and repeated names as JSON does, taking the first of a name as jsonc-parser does', () => {
    const text = ` \r\n\t{ "a\\"b" : [ 1 , -2.5e3 , { "c" : "d\\\\" } , [ ] , null ] ,\n "\\u00e9t\\u00e9": { "x": true, "x": false },
      "s": "a \\"quoted\\" } ] , string", "t" : {} , "e": [[], [[0]], {"q": [true]}] }  `;
    const paths: KeyPath[] = [[], ['a"b'], ['a"b', 0], ['a"b', 1], ['a"b', 2], ['a"b', 2, 'c'], ['a"b', 3], ['a"b', 4], ['a"b', 5], ['été'], ['été', 'x'], ['s'], ['t'], ['t', 'u'], ['e', 1, 0, 0], ['e', 2, 'q', 0], ['e', 0, 0], ['nope', 'deeper']];
    expectSamePlaces(text, paths);
    expect(text.slice(jsonPlace(text, ['été', 'x']))).toMatch(/^true/);
    expect(text.slice(jsonPlace(text, ['e', 2, 'q', 0]))).toMatch(/^true/);
  });

  it('gives some offset in a text cut short, never hangs', () => {
    for (const text of ['{"a": {"b": [1', '{"a": [1, {"b": "x', '{"a": {"b": ', '[[[', '{"a": "\\', '']) {
      for (const path of [['a', 1, 'b'], ['a', 'c'], [0, 0, 5], ['a'], ['z']] as KeyPath[]) {
        const at = jsonPlace(text, path);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(at).toBeLessThanOrEqual(text.length);
      }
    }
  });
});
