/**
 * The thread that makes the files of pages rendered on the main thread (src/emit/write-thread.ts):
 * every file handed over is made, in order, with no more than IN_FLIGHT waiting at any time, and
 * the first that cannot be made fails the close. Real files in a temporary folder; how
 * StagedOutput uses it is in staged-output.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_FLIGHT, WriteThread } from '../src/emit/write-thread.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'codepairs-write-thread-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the thread that makes files', () => {
  it('makes every file handed over, never more than IN_FLIGHT waiting at a time', async () => {
    const thread = new WriteThread();
    const count = IN_FLIGHT * 12;
    for (let i = 0; i < count; i++) await thread.write([join(dir, `${i}.md`), `page ${i}, ${'是'.repeat(i % 50)}\n`, false, undefined]);
    await thread.close();
    expect(readdirSync(dir)).toHaveLength(count);
    for (const i of [0, 1, IN_FLIGHT, count - 1]) expect(readFileSync(join(dir, `${i}.md`), 'utf8')).toBe(`page ${i}, ${'是'.repeat(i % 50)}\n`);
    // Handing over takes far less than making a file: the thread fell behind, and the writer waited.
    expect(thread.mostInFlight).toBe(IN_FLIGHT);
  });

  it('replaces an existing file only when told to, and links each file where asked', async () => {
    writeFileSync(join(dir, 'stale.md'), 'stale');
    mkdirSync(join(dir, 'seed'));
    const thread = new WriteThread();
    await thread.write([join(dir, 'stale.md'), 'new', true, join(dir, 'seed', 'stale.md')]);
    await thread.write([join(dir, 'other.md'), 'other', false, join(dir, 'no-such-folder', 'other.md')]);
    await thread.close();
    expect(readFileSync(join(dir, 'stale.md'), 'utf8')).toBe('new');
    expect(statSync(join(dir, 'seed', 'stale.md')).ino).toBe(statSync(join(dir, 'stale.md')).ino);
    // A link that cannot be made only leaves the file out of the seed.
    expect(readFileSync(join(dir, 'other.md'), 'utf8')).toBe('other');
  });

  it('fails on the first file it cannot make, and makes none after it', async () => {
    writeFileSync(join(dir, 'there.md'), 'there');
    const thread = new WriteThread();
    await thread.write([join(dir, 'first.md'), 'first', false, undefined]);
    // Not to be replaced: the thread refuses it, as the main thread would.
    await thread.write([join(dir, 'there.md'), 'again', false, undefined]);
    await thread.write([join(dir, 'after.md'), 'after', false, undefined]);
    await expect(thread.close()).rejects.toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'first.md'), 'utf8')).toBe('first');
    expect(readFileSync(join(dir, 'there.md'), 'utf8')).toBe('there');
    expect(existsSync(join(dir, 'after.md'))).toBe(false);
  });
});
