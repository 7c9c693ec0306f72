/**
 * The state files are written in chunks (src/emit/chunks.ts): the chunks joined are the text,
 * each chunk but the last holds at least the size asked for, and no line is cut.
 */
import { describe, expect, it } from 'vitest';
import { inChunks, joinedChunks } from '../src/emit/chunks.js';

describe('chunks', () => {
  it('joins pieces into chunks of at least the size, the last one shorter, the pieces whole and in order', () => {
    const pieces = Array.from({ length: 50 }, (_, i) => `piece ${i};`);
    const chunks = [...inChunks(pieces, 40)];
    expect(chunks.join('')).toBe(pieces.join(''));
    expect(chunks.length).toBeGreaterThan(5);
    // At least the size, and no more than one piece past it: a chunk is given as soon as it is full.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(40);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(40 + 'piece 49;'.length);
    // Each chunk ends where a piece ends.
    for (const chunk of chunks) expect(chunk.endsWith(';')).toBe(true);
    expect([...inChunks([], 40)]).toEqual([]);
  });

  it('makes lines with the separator between them, as join does, in any chunk size', () => {
    const lines = Array.from({ length: 333 }, (_, i) => `  "en/sip/${i}.md": "${'h'.repeat(i % 7)}"`);
    for (const size of [1, 64, 1000, 1 << 20]) expect([...joinedChunks(lines, ',\n', size)].join('')).toBe(lines.join(',\n'));
    expect([...joinedChunks([], ',\n')].join('')).toBe('');
    expect([...joinedChunks(['one'], ',\n')].join('')).toBe('one');
  });
});
