/**
 * `codepairs build --shard K/N`: N shards built into N folders and copied together give the
 * full build byte for byte; the shards split the pages without overlap; bad values are usage
 * errors.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERY_FOURTH_CODE, makeProject, snapshotTree, type Project } from './helpers/project.js';

/**
 * 382 pages in two languages, enough for the full build to render on the main thread and a
 * worker thread while each of three shards renders on its main thread alone, so the comparison
 * also crosses the two ways of rendering.
 */
const CODES = EVERY_FOURTH_CODE;

const COMMON = ['index.html', 'assets/style.css', '404.html', 'robots.txt'];

/**
 * The files of an output but the build manifest (.codepairs/), which lists the files of the
 * build that wrote the folder: each shard's lists its own share.
 */
const outputTree = (dir: string) => new Map([...snapshotTree(dir)].filter(([path]) => !path.startsWith('.codepairs/')));

describe('build --shard', () => {
  const project: Project = makeProject(CODES, ['en', 'fr']);
  const small: Project = makeProject([180, 183, 200, 486], ['en', 'fr']);
  afterAll(() => {
    project.remove();
    small.remove();
  });

  it('3 shards in 3 folders, copied together, equal a full build byte for byte', () => {
    // A shard holds part of the pages and writes no search index: the union is a build without one.
    const full = project.run('build', '--out', 'full', '--jobs', '2', '--no-search');
    expect(full.status, full.stderr).toBe(0);
    const expected = outputTree(project.path('full'));

    const shards = [1, 2, 3].map((k) => {
      const result = project.run('build', '--shard', `${k}/3`, '--out', `out-${k}`);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`(shard ${k}/3)`);
      return outputTree(project.path(`out-${k}`));
    });

    // Each page is in exactly one shard; only the root page, the stylesheet, 404.html and robots.txt are in all.
    const pages = shards.map((tree) => [...tree.keys()].filter((path) => !COMMON.includes(path)));
    for (const tree of shards) for (const path of COMMON) expect(tree.get(path)).toBe(expected.get(path));
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    // Near-equal shares: no shard has more than one page (one Markdown file each) above another.
    const sizes = pages.map((p) => p.filter((path) => path.endsWith('.md')).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);

    const merged = mkdtempSync(join(tmpdir(), 'codepairs-merged-'));
    try {
      for (const k of [1, 2, 3]) cpSync(project.path(`out-${k}`), merged, { recursive: true });
      expect(outputTree(merged)).toEqual(expected);
    } finally {
      rmSync(merged, { recursive: true, force: true });
    }
  });

  it('the same shard built twice is the same', () => {
    expect(small.run('build', '--shard', '2/4', '--out', 'again-a').status).toBe(0);
    expect(small.run('build', '--shard', '2/4', '--out', 'again-b').status).toBe(0);
    expect(snapshotTree(small.path('again-b'))).toEqual(snapshotTree(small.path('again-a')));
  });

  it('1/1 is the full build', () => {
    expect(small.run('build', '--shard', '1/1', '--out', 'one').status).toBe(0);
    expect(small.run('build', '--out', 'plain', '--no-search').status).toBe(0);
    expect(snapshotTree(small.path('one'))).toEqual(snapshotTree(small.path('plain')));
  });

  it.each(['0/3', '4/3', '1/0', '3', 'a/b', '-1/2', '1/2/3', '1.5/3', ''])('rejects --shard %j with exit 2 and writes nothing', (value) => {
    const result = small.run('build', '--shard', value, '--out', 'bad');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--shard');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(() => snapshotTree(small.path('bad'))).toThrow();
  });

  it('is a build option only', () => {
    const result = small.run('check', '--shard', '1/2');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('`--shard` does not apply to `check`');
  });
});
