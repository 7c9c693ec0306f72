/**
 * The thread that reads an edit's previous files into memory ahead of the rendering thread
 * (src/emit/warm-files.ts): what it does to each file, and that it never holds up the process.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readThrough } from '../src/emit/warm-files.js';

const MODULE = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'emit', 'warm-files.js')).href;

describe('warming files', () => {
  it('reads each file to its end, in the order given, closes it, and passes over one that cannot be read', () => {
    const sizes: Record<string, number> = { a: 10, big: 150_000, c: 0 };
    const calls: string[] = [];
    const left = new Map<number, number>();
    let next = 3;
    const fs = {
      openSync: (path: string) => {
        calls.push(`open ${path}`);
        if (!(path in sizes)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        left.set(next, sizes[path]!);
        return next++;
      },
      readSync: (fd: number, buffer: Uint8Array) => {
        const n = Math.min(buffer.length, left.get(fd)!);
        left.set(fd, left.get(fd)! - n);
        calls.push(`read ${fd} ${n}`);
        return n;
      },
      closeSync: (fd: number) => void calls.push(`close ${fd}`),
    };
    readThrough(fs as unknown as Parameters<typeof readThrough>[0], ['a', 'gone', 'big', 'c']);
    expect(calls).toEqual(['open a', 'read 3 10', 'close 3', 'open gone', 'open big', 'read 4 65536', 'read 4 65536', 'read 4 18928', 'close 4', 'open c', 'read 5 0', 'close 5']);
  });

  it('never keeps the process alive, even reading a file that never ends (/dev/zero)', () => {
    const script = `const { warmFiles } = await import(${JSON.stringify(MODULE)}); warmFiles(['/dev/zero']); setTimeout(() => console.log('done'), 200);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('done');
  });
});
