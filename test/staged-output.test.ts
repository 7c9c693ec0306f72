/**
 * The writer of the build (src/emit/output.ts): files go into a staging folder, with a bounded
 * number of writes in flight, and replace the output only on commit; a failed write is reported
 * and an abort leaves the old output as it was. Real files in a temporary folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StagedOutput, listRecyclable, previousPath } from '../src/emit/output.js';

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
  it('writes every file, and commits them in place of the old output', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    for (let i = 0; i < 200; i++) await output.write(`en/sip/${i % 7}/${i}.md`, `page ${i}\n`);
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

  it('puts back the output a build killed between the two renames of its commit left aside as `.old`', async () => {
    const out = oldOutput();
    // The first rename done, not the second: no output folder, the previous one aside under the killed build's name.
    const aside = join(dir, '.out.staging-999999999.old');
    renameSync(out, aside);
    const output = await StagedOutput.open(out);
    expect(readFileSync(join(out, 'old.md'), 'utf8')).toBe('old');
    expect(existsSync(aside)).toBe(false);
    await output.abort();
    expect(readdirSync(out)).toEqual(['old.md']);
  });

  it('removes a killed build\'s `.old` when the output folder is there (the kill fell after both renames)', async () => {
    const out = oldOutput();
    const aside = join(dir, '.out.staging-999999999.old');
    mkdirSync(aside);
    writeFileSync(join(aside, 'older.md'), 'older');
    const output = await StagedOutput.open(out);
    expect(existsSync(aside)).toBe(false);
    await output.abort();
    expect(readdirSync(out)).toEqual(['old.md']);
  });

  it('reports a write that failed, and an abort leaves the old output as it was', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    await output.write('a', 'a file where a folder must go');
    // The folder `a` cannot be made: the write fails.
    await expect(output.write('a/0.md', 'x')).rejects.toThrow(/EEXIST|ENOTDIR/);
    await output.abort();
    expect(readdirSync(out)).toEqual(['old.md']);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});

describe('recycling the output a commit replaced', () => {
  /** Files under a folder, by path, with their bytes and inode. */
  const tree = (root: string) => {
    const files: Record<string, [string, number]> = {};
    const walk = (sub: string) => {
      for (const entry of readdirSync(join(root, sub), { withFileTypes: true })) {
        const path = sub ? `${sub}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path);
        else files[path] = [readFileSync(join(root, path), 'utf8'), statSync(join(root, path)).ino];
      }
    };
    walk('');
    return files;
  };

  /** An output of a.md, b.md and c/d.md, then a build that keeps them and adds e.md: `.out.previous` is the first output. */
  async function twoBuilds(): Promise<string> {
    const out = oldOutput();
    rmSync(join(out, 'old.md'));
    mkdirSync(join(out, 'c'));
    for (const [path, text] of [['a.md', 'a'], ['b.md', 'b'], ['c/d.md', 'd']]) writeFileSync(join(out, path!), text!);
    const output = await StagedOutput.open(out);
    await output.keepFiles(['a.md', 'b.md', 'c/d.md']);
    await output.write('e.md', 'e');
    await output.commit();
    return out;
  }

  /**
   * After twoBuilds, the next build's output with the previous one recycled and settled: a.md and
   * c/d.md kept as they are, b.md left stale for the build to write (its inode is the current
   * output's). With the current output's tree, which no write may change.
   */
  async function staleB(): Promise<{ out: string; current: ReturnType<typeof tree>; output: StagedOutput }> {
    const out = await twoBuilds();
    const current = tree(out);
    const output = await StagedOutput.open(out);
    output.recyclePrevious();
    output.settle(new Set(['a.md', 'c/d.md']), (path) => path === 'b.md');
    return { out, current, output };
  }

  it('is kept beside the output when the build carried files over, and removed when it carried none', async () => {
    const out = await twoBuilds();
    const current = tree(out);
    expect(tree(previousPath(out))).toEqual({ 'a.md': current['a.md'], 'b.md': current['b.md'], 'c/d.md': current['c/d.md'] });
    const full = await StagedOutput.open(out);
    await full.write('a.md', 'a');
    await full.commit();
    expect(readdirSync(dir).sort()).toEqual(['out']);
  });

  it('becomes the next staging folder: the files settled stay as they are, the others go or are replaced, the current output never changes', async () => {
    const out = await twoBuilds();
    const current = tree(out);
    const stale = tree(previousPath(out));
    const output = await StagedOutput.open(out);
    expect(output.recyclePrevious()).toBe(true);
    expect(existsSync(previousPath(out))).toBe(false);
    // a.md and c/d.md stay; b.md is to change and is left for its write to replace; the
    // recycle note is not part of the new output and goes.
    mkdirSync(join(output.staging, '.codepairs'));
    writeFileSync(join(output.staging, '.codepairs/recycle.json'), '{}');
    expect(output.settle(new Set(['a.md', 'c/d.md', 'not-there.md']), (path) => path === 'b.md')).toEqual(new Set(['a.md', 'c/d.md']));
    expect(tree(output.staging)).toEqual(stale);
    // b.md there is a link of the current output's: it is unlinked and made anew, never written over.
    await output.write('b.md', 'b, changed');
    await output.keepFiles(['e.md']);
    expect(tree(out)).toEqual(current);
    await output.commit();
    expect(output.kept).toBe(3);
    const next = tree(out);
    expect(next['b.md']![0]).toBe('b, changed');
    expect(next['b.md']![1]).not.toBe(current['b.md']![1]);
    for (const path of ['a.md', 'c/d.md', 'e.md']) expect(next[path], path).toEqual(current[path]);
    // The output replaced is the next build's staging folder in turn.
    expect(tree(previousPath(out))).toEqual(current);
  });

  it('settles from a listing made on another thread before it was recycled: unlinks what is not wanted, removes the folders left empty, passes over a file gone since', async () => {
    const out = await twoBuilds();
    const previous = previousPath(out);
    mkdirSync(join(previous, 'x/y'), { recursive: true });
    writeFileSync(join(previous, 'x/y/z.md'), 'z');
    writeFileSync(join(previous, 'c/gone.md'), 'gone');
    mkdirSync(join(previous, 'empty'));
    const listing = await listRecyclable(out);
    expect([...listing!.files].sort()).toEqual(['a.md', 'b.md', 'c/d.md', 'c/gone.md', 'x/y/z.md']);
    expect(listing!.empty).toEqual(['empty']);
    rmSync(join(previous, 'c/gone.md'));
    const output = await StagedOutput.open(out);
    expect(output.recyclePrevious(listing)).toBe(true);
    expect(output.settle(new Set(['a.md', 'not-there.md']), (path) => path === 'b.md')).toEqual(new Set(['a.md']));
    expect(Object.keys(tree(output.staging)).sort()).toEqual(['a.md', 'b.md']);
    expect(readdirSync(output.staging).sort()).toEqual(['a.md', 'b.md']);
    await output.abort();
  });

  it('lists from a process started with --input-type=module too (its threads run CommonJS)', async () => {
    const out = await twoBuilds();
    const module = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'emit', 'output.js')).href;
    const script = `const { listRecyclable } = await import(${JSON.stringify(module)}); console.log(JSON.stringify((await listRecyclable(${JSON.stringify(out)}))?.files));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).sort()).toEqual(['a.md', 'b.md', 'c/d.md']);
  });

  it('walks a recycled folder that is not the one listed (a build replaced it since)', async () => {
    const out = await twoBuilds();
    const listing = await listRecyclable(out);
    // Another build: its commit keeps the output it replaced as the folder to recycle, with a file the listing never saw.
    const between = await StagedOutput.open(out);
    await between.keepFiles(['a.md', 'b.md', 'c/d.md', 'e.md']);
    await between.commit();
    writeFileSync(join(previousPath(out), 'unlisted.md'), 'u');
    const output = await StagedOutput.open(out);
    expect(output.recyclePrevious(listing)).toBe(true);
    output.settle(new Set(['a.md']), () => false);
    expect(readdirSync(output.staging).sort()).toEqual(['a.md']);
    await output.abort();
    expect(await listRecyclable(join(dir, 'nothing-here'))).toBeUndefined();
  });

  it('leaves a stale file of a recycled folder that has the bytes written as it is, and replaces one of other bytes, on this thread and on a render thread', async () => {
    const out = await twoBuilds();
    const current = tree(out);
    const stale = tree(previousPath(out));
    const output = await StagedOutput.open(out);
    output.recyclePrevious();
    output.reuseUnchanged();
    output.settle(new Set(), (path) => ['a.md', 'b.md', 'c/d.md'].includes(path));
    // The stale a.md made anew (not a link of the output's, which has the same bytes): it is the one kept, not the output's linked over it.
    rmSync(join(output.staging, 'a.md'));
    writeFileSync(join(output.staging, 'a.md'), 'a');
    const made = tree(output.staging)['a.md']!;
    expect(made[1]).not.toBe(current['a.md']![1]);
    const worker = StagedOutput.attach(output.staging, { recycled: true, reuseFrom: out });
    // a.md: the same bytes as the stale file; b.md: the same length, other bytes; c/d.md: the caller read it from the output and found it changed.
    await output.write('a.md', 'a');
    await worker.write('b.md', 'B');
    await output.write('c/d.md', 'd', 'D');
    expect([output.kept, output.written, worker.kept, worker.written]).toEqual([1, 1, 0, 1]);
    expect(tree(out)).toEqual(current);
    await output.commit();
    const next = tree(out);
    expect(next['a.md']).toEqual(made);
    expect(next['b.md']![0]).toBe('B');
    expect(next['b.md']![1]).not.toBe(stale['b.md']![1]);
    expect(next['c/d.md']![0]).toBe('d');
    expect(next['c/d.md']![1]).not.toBe(stale['c/d.md']![1]);
  });

  it('takes the text of a stale file read by the caller as the file: kept when the same, replaced when other or none', async () => {
    const out = await twoBuilds();
    const current = tree(out);
    const stale = tree(previousPath(out));
    const output = await StagedOutput.open(out);
    output.recyclePrevious();
    output.settle(new Set(), (path) => ['a.md', 'b.md', 'c/d.md'].includes(path));
    expect(output.recycledStaging).toBe(output.staging);
    // a.md as read by the caller: kept without a look at the file. b.md read as other bytes than
    // it has (changed since): written, though the file has the bytes. c/d.md read as missing: written.
    await output.write('a.md', 'a', undefined, 'a');
    await output.write('b.md', 'b', undefined, 'not b');
    await output.write('c/d.md', 'd', undefined, null);
    expect([output.kept, output.written]).toEqual([1, 2]);
    expect(tree(out)).toEqual(current);
    await output.commit();
    const next = tree(out);
    expect(next['a.md']).toEqual(stale['a.md']);
    expect(next['b.md']![1]).not.toBe(stale['b.md']![1]);
    expect(next['c/d.md']![1]).not.toBe(stale['c/d.md']![1]);
    expect(next['c/d.md']![0]).toBe('d');
  });

  it('replaces a stale file it links, on this thread and on the thread that links thousands', async () => {
    const out = await twoBuilds();
    const many = Array.from({ length: StagedOutput.LINKS_ON_A_THREAD }, (_, i) => `many/${i}.md`);
    mkdirSync(join(out, 'many'));
    for (const [i, path] of many.entries()) writeFileSync(join(out, path), `new ${i}`);
    const output = await StagedOutput.open(out);
    output.recyclePrevious();
    // Stale files at the paths to be linked: what the output before had there.
    mkdirSync(join(output.staging, 'many'));
    for (const path of [...many, 'e.md']) writeFileSync(join(output.staging, path), 'stale');
    output.settle(new Set(['a.md', 'b.md', 'c/d.md']), (path) => path === 'e.md' || path.startsWith('many/'));
    expect(await output.keepFiles(['e.md'])).toEqual([]);
    expect(await output.keepFiles(many)).toEqual([]);
    await output.commit();
    const next = tree(out);
    expect(next['e.md']![0]).toBe('e');
    for (const [i, path] of many.entries()) expect(next[path]![0]).toBe(`new ${i}`);
  });

  it('never writes a path twice outside a recycled folder: the second write fails, and the old output stays as it was', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    await output.write('a.md', 'first');
    await expect(output.write('a.md', 'second')).rejects.toThrow(/EEXIST/);
    await output.abort();
    expect(tree(out)).toEqual({ 'old.md': ['old', statSync(join(out, 'old.md')).ino] });
  });

  it('is the seed after a build that carried nothing over: links of every file written, on this thread and on one attached', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    output.seed();
    await output.write('a.md', 'a');
    // A render worker writes into the same staging folder, told to seed it too.
    const worker = StagedOutput.attach(output.staging, { seeded: output.seeded });
    await worker.write('c/d.md', 'd');
    const kept = await output.commit();
    expect(kept).toEqual({ kept: previousPath(out), seed: true });
    const current = tree(out);
    expect(Object.keys(current).sort()).toEqual(['a.md', 'c/d.md']);
    // The same inodes: nothing was written twice, and nothing of the old output (old.md) is left.
    expect(tree(previousPath(out))).toEqual(current);
    expect(readdirSync(dir).sort()).toEqual(['.out.previous', 'out']);
  });

  it('writes on the calling thread: the file is there when write returns, seeded, never twice', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    output.seed();
    const worker = StagedOutput.attach(output.staging, { seeded: output.seeded });
    const writing = worker.write('c/d.md', 'd');
    // Before the promise is even awaited: nothing was left to the thread pool.
    expect(readFileSync(join(output.staging, 'c/d.md'), 'utf8')).toBe('d');
    await writing;
    expect(statSync(join(`${output.staging}.seed`, 'c/d.md')).ino).toBe(statSync(join(output.staging, 'c/d.md')).ino);
    await expect(worker.write('c/d.md', 'again')).rejects.toThrow(/EEXIST/);
    expect(worker.written).toBe(1);
    await output.commit();
    expect(tree(out)).toEqual(tree(previousPath(out)));
  });

  it('makes the files on a thread of its own once told to: all there after flush, seeded, CJK text whole, a stale file of a recycled folder replaced', async () => {
    const full = oldOutput();
    const seeded = await StagedOutput.open(full);
    seeded.seed();
    seeded.writeOnAThread();
    for (let i = 0; i < 300; i++) await seeded.write(`zh-CN/sip/${i % 5}/${i}.md`, `第 ${i} 页：${'状态码'.repeat(i)}\n`);
    expect(seeded.written).toBe(300);
    await seeded.commit();
    const files = tree(full);
    expect(Object.keys(files)).toHaveLength(300);
    for (let i = 0; i < 300; i++) expect(files[`zh-CN/sip/${i % 5}/${i}.md`]![0]).toBe(`第 ${i} 页：${'状态码'.repeat(i)}\n`);
    // Linked into the seed as they were made: the next build's staging folder holds the same inodes.
    expect(tree(previousPath(full))).toEqual(files);

    const { out, current, output } = await staleB();
    output.writeOnAThread();
    await output.write('b.md', 'b, changed');
    await output.write('f/g.md', 'new');
    await output.flush();
    // There once flushed, and the current output (whose inode the stale b.md shares) untouched.
    expect(readFileSync(join(output.staging, 'f/g.md'), 'utf8')).toBe('new');
    expect(tree(out)).toEqual(current);
    // Written after the flush: on this thread again.
    await output.write('h.md', 'h');
    expect(readFileSync(join(output.staging, 'h.md'), 'utf8')).toBe('h');
    await output.commit();
    expect(tree(out)['b.md']![0]).toBe('b, changed');
    expect(tree(previousPath(out))).toEqual(current);
  });

  it('writes a file in chunks as it writes any: seeded, a stale file of a recycled folder replaced, never through it, never while a thread makes the files', async () => {
    const full = oldOutput();
    const seeded = await StagedOutput.open(full);
    seeded.seed();
    seeded.writeChunks('.codepairs/state.json', ['{"a": ', '"状态码",', ' "b": 2}\n']);
    await seeded.commit();
    expect(tree(full)['.codepairs/state.json']![0]).toBe('{"a": "状态码", "b": 2}\n');
    expect(tree(previousPath(full))).toEqual(tree(full));

    const { out, current, output } = await staleB();
    output.writeOnAThread();
    expect(() => output.writeChunks('b.md', ['x'])).toThrow(/flush first/);
    await output.flush();
    output.writeChunks('b.md', (function* () {
      yield 'b, ';
      yield 'in chunks';
    })());
    expect(tree(out)).toEqual(current);
    await output.commit();
    expect(tree(out)['b.md']![0]).toBe('b, in chunks');
    expect(tree(previousPath(out))).toEqual(current);
    // Outside a recycled folder a path is never written twice.
    const again = await StagedOutput.open(out);
    again.writeChunks('x.md', ['x']);
    expect(() => again.writeChunks('x.md', ['y'])).toThrow(/output-unwritable|EEXIST/);
    await again.abort();
  });

  it('a file the thread could not make fails the flush (and so the commit), and an abort leaves the old output as it was', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    output.writeOnAThread();
    await output.write('a.md', 'a');
    // Written twice outside a recycled folder: the thread refuses the second, as this thread does.
    await output.write('a.md', 'again');
    await output.write('b.md', 'b');
    await expect(output.commit()).rejects.toThrow(/output-unwritable.*EEXIST/s);
    await output.abort();
    expect(tree(out)).toEqual({ 'old.md': ['old', statSync(join(out, 'old.md')).ino] });
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('replaces a stale file of a recycled folder on a render thread too, never writing through it', async () => {
    const { out, current, output } = await staleB();
    const worker = StagedOutput.attach(output.staging, { recycled: true });
    await worker.write('b.md', 'b, changed');
    expect(tree(out)).toEqual(current);
    await output.commit();
    expect(tree(out)['b.md']![0]).toBe('b, changed');
    expect(tree(previousPath(out))).toEqual(current);
  });

  it('leaves a file out of the seed when it cannot be linked there, and writes it all the same', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    output.seed();
    // A file where the seed needs a folder: linking c/d.md into it fails.
    writeFileSync(join(`${output.staging}.seed`, 'c'), 'in the way');
    await output.write('a.md', 'a');
    await output.write('c/d.md', 'd');
    await output.commit();
    expect(Object.keys(tree(out)).sort()).toEqual(['a.md', 'c/d.md']);
    expect(Object.keys(tree(previousPath(out))).sort()).toEqual(['a.md', 'c']);
  });

  it('is removed with the staging folder by a build that stops', async () => {
    const out = oldOutput();
    const output = await StagedOutput.open(out);
    output.seed();
    await output.write('a.md', 'a');
    await output.abort();
    expect(readdirSync(dir).sort()).toEqual(['out']);
    expect(tree(out)).toEqual({ 'old.md': ['old', statSync(join(out, 'old.md')).ino] });
  });

  /** The folder's entries once only those are left, or what is there after 20 s. */
  async function settlesTo(folder: string, expected: string[]): Promise<string[]> {
    for (let waited = 0; waited < 20_000; waited += 100) {
      if (JSON.stringify(readdirSync(folder).sort()) === JSON.stringify(expected)) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    return readdirSync(folder).sort();
  }

  it('leaves the folders a big build that kept nothing replaced to a process of their own, which removes them', async () => {
    const out = oldOutput();
    const many = Array.from({ length: StagedOutput.REMOVED_IN_BACKGROUND }, (_, i) => `en/${i % 5}/${i}.md`);
    for (const round of ['first', 'second']) {
      const output = await StagedOutput.open(out);
      output.seed();
      for (const path of many) await output.write(path, `${round} ${path}`);
      await output.commit();
    }
    // Only the output and its seed stay: the first output and the seed it kept went to a remover.
    expect(await settlesTo(dir, ['.out.previous', 'out'])).toEqual(['.out.previous', 'out']);
    expect(readFileSync(join(out, many[7]!), 'utf8')).toBe(`second ${many[7]}`);
    expect(Object.keys(tree(out)).length).toBe(many.length);
    expect(tree(previousPath(out))).toEqual(tree(out));
  });

  it('hands a folder put aside for removal, still there, to a remover again', async () => {
    const out = oldOutput();
    mkdirSync(join(dir, '.out.trash-999999999-0/en/sip'), { recursive: true });
    writeFileSync(join(dir, '.out.trash-999999999-0/en/sip/183.md'), 'old');
    writeFileSync(join(dir, '.unrelated.trash-1'), 'keep');
    const output = await StagedOutput.open(out);
    await output.write('a.md', 'a');
    await output.commit();
    expect(await settlesTo(dir, ['.unrelated.trash-1', 'out'])).toEqual(['.unrelated.trash-1', 'out']);
  });

  it('is given back untouched by a build that stops before settling it', async () => {
    const out = await twoBuilds();
    const before = tree(previousPath(out));
    const output = await StagedOutput.open(out);
    output.recyclePrevious();
    await output.abort();
    expect(tree(previousPath(out))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['.out.previous', 'out']);
  });
});
