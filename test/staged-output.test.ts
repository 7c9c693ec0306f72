/**
 * The writer of the build (src/emit/output.ts): files go into a staging folder, with a bounded
 * number of writes in flight, and replace the output only on commit; a failed write is reported
 * and an abort leaves the old output as it was. Real files in a temporary folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StagedOutput } from '../src/emit/output.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A temporary folder with an output folder holding one old file. */
function oldOutput(): string {
  dir = mkdtempSync(join(tmpdir(), 'codepairs-staged-'));
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'old.md'), 'old');
  return out;
}

describe('StagedOutput', () => {
  it('writes every file, whatever the number in flight, and commits them in place of the old output', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    for (let i = 0; i < 200; i++) await output.write(`en/sip/${i % 7}/${i}.md`, `page ${i}\n`, 4);
    await output.commit();
    expect(output.written).toBe(200);
    for (let i = 0; i < 200; i++) expect(readFileSync(join(out, `en/sip/${i % 7}/${i}.md`), 'utf8')).toBe(`page ${i}\n`);
    expect(readdirSync(out)).toEqual(['en']);
  });

  it('carries unchanged files over and names those the old output lacks', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    expect(await output.allInTarget(['old.md'])).toBe(true);
    expect(await output.allInTarget(['old.md', 'gone.md'])).toBe(false);
    expect(await output.keepFiles(['old.md', 'gone.md'])).toEqual(['gone.md']);
    await output.write('new.md', 'new');
    await output.commit();
    expect(output.kept).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['new.md', 'old.md']);
    expect(readFileSync(join(out, 'old.md'), 'utf8')).toBe('old');
  });

  it('carries thousands of files over on another thread, naming those the old output lacks', async () => {
    const out = oldOutput();
    const paths = Array.from({ length: StagedOutput.LINKS_ON_A_THREAD + 5 }, (_, i) => `en/sip/${i % 3}/${i}.md`);
    for (const dir of ['0', '1', '2']) mkdirSync(join(out, 'en/sip', dir), { recursive: true });
    for (const path of paths) writeFileSync(join(out, path), path);
    const inodes = new Map(paths.map((path) => [path, statSync(join(out, path)).ino]));
    const output = await StagedOutput.open(out);
    expect(await output.keepFiles([...paths, 'en/gone.md'])).toEqual(['en/gone.md']);
    await output.commit();
    expect(output.kept).toBe(paths.length);
    for (const path of paths) expect(statSync(join(out, path)).ino, path).toBe(inodes.get(path));
    expect(readdirSync(out).sort()).toEqual(['en']);
  });

  it('once told to reuse the old output, links a file written with the same bytes and writes one that differs', async () => {
    const out = oldOutput();
    writeFileSync(join(out, 'changed.md'), 'before');
    const inode = statSync(join(out, 'old.md')).ino;
    const output = await StagedOutput.open(out);
    output.reuseUnchanged();
    await output.write('old.md', 'old');
    await output.write('changed.md', 'after');
    await output.write('new.md', 'new');
    await output.commit();
    expect({ written: output.written, kept: output.kept }).toEqual({ written: 2, kept: 1 });
    expect(statSync(join(out, 'old.md')).ino).toBe(inode);
    expect(readFileSync(join(out, 'changed.md'), 'utf8')).toBe('after');
    expect(readFileSync(join(out, 'new.md'), 'utf8')).toBe('new');
  });

  it('reports a write that failed, and an abort leaves the old output as it was', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    await output.write('a', 'a file where a folder must go');
    await output.flush();
    // The folder `a` cannot be made: the write fails in the background, and the writer says
    // so at the latest when its writes are waited for.
    const writes = (async () => {
      for (let i = 0; i < 10; i++) await output.write(`a/${i}.md`, 'x', 2);
      await output.flush();
    })();
    await expect(writes).rejects.toThrow(/EEXIST|ENOTDIR/);
    await output.abort();
    expect(readdirSync(out)).toEqual(['old.md']);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});
