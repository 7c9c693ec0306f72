/**
 * The cache of parsed YAML (src/load/parse-cache.ts): values by text, given back as fresh
 * copies, only what JSON carries exactly, only from a file of this tool, and written sorted with
 * what one build used. Pure: no files.
 */
import { describe, expect, it } from 'vitest';
import { ParseCache } from '../src/load/parse-cache.js';

const TOOL = 'tool-a';

describe('ParseCache', () => {
  it('gives back what a text parsed to, a fresh copy each time, and nothing for another text', () => {
    const cache = new ParseCache();
    const value = { code: 183, text: { description: 'Session Progress' }, related: [180, 486], final: false, note: null };
    cache.set('code: 183\n', value);
    const again = ParseCache.parse(cache.serialize(TOOL), TOOL);
    const first = again.get('code: 183\n') as typeof value;
    expect(first).toEqual(value);
    first.related.push(999);
    expect(again.get('code: 183\n')).toEqual(value);
    expect(again.get('code: 184\n')).toBeUndefined();
  });

  it('does not remember a value JSON would change', () => {
    const cache = new ParseCache();
    const unsafe = [{ limit: Number.POSITIVE_INFINITY }, { zero: -0 }, JSON.parse('{"__proto__": {"x": 1}}') as unknown, { when: new Date(0) }, { nothing: undefined }];
    unsafe.forEach((value, i) => cache.set(`text ${i}`, value));
    cache.set('safe', { n: 1.5 });
    const again = ParseCache.parse(cache.serialize(TOOL), TOOL);
    unsafe.forEach((_, i) => expect(again.get(`text ${i}`)).toBeUndefined());
    expect(again.get('safe')).toEqual({ n: 1.5 });
  });

  it('is empty when written by another tool, of another format, or not a cache at all', () => {
    const cache = new ParseCache();
    cache.set('a: 1\n', { a: 1 });
    const text = cache.serialize(TOOL);
    expect(ParseCache.parse(text, TOOL).get('a: 1\n')).toEqual({ a: 1 });
    expect(ParseCache.parse(text, 'tool-b').get('a: 1\n')).toBeUndefined();
    expect(ParseCache.parse(text.replace('codepairs-parsed-inputs', 'something-else'), TOOL).get('a: 1\n')).toBeUndefined();
    for (const damaged of [undefined, '', 'not json\n', '[]\n']) expect(ParseCache.parse(damaged, TOOL).get('a: 1\n')).toBeUndefined();
  });

  it('takes no damaged line: the text is then parsed again and its value written anew', () => {
    const cache = new ParseCache();
    cache.set('a: 1\n', { a: 1 });
    cache.set('b: 2\n', { b: 2 });
    const [header, first, second] = cache.serialize(TOOL).split('\n');
    const damaged = ParseCache.parse(`${header}\n${first!.slice(0, -3)}\n${second}\n`, TOOL);
    const [damagedText, kept] = first!.includes('"a"') ? ['a: 1\n', 'b: 2\n'] : ['b: 2\n', 'a: 1\n'];
    expect(damaged.get(damagedText)).toBeUndefined();
    expect(damaged.get(kept)).toBeDefined();
    expect(damaged.serialize(TOOL).split('\n')).toHaveLength(3);
  });

  it('writes the values used since it was read, sorted by hash: the same inputs give the same bytes', () => {
    const texts = ['z: 1\n', 'a: 1\n', 'm: 1\n'];
    const one = new ParseCache();
    const other = new ParseCache();
    texts.forEach((text) => one.set(text, { text }));
    [...texts].reverse().forEach((text) => other.set(text, { text }));
    expect(one.serialize(TOOL)).toBe(other.serialize(TOOL));
    // Read back, only the values taken are written again.
    const read = ParseCache.parse(one.serialize(TOOL), TOOL);
    read.get('m: 1\n');
    expect(read.serialize(TOOL).trim().split('\n')).toHaveLength(2);
    expect(read.entries()).toHaveLength(1);
  });
});
