/**
 * `codepairs build --jobs N`: N threads render, the main thread one of them (N − 1 are started,
 * see startRenderThreads in src/build.ts), and the output does not depend on N: the pages, and
 * the state the next build reads (the manifest, the piece records), are the same byte for byte
 * as when the main thread renders every page.
 */
import { afterAll, describe, expect, it } from 'vitest';
// The compiled build (`npm test` compiles first): its render threads run the compiled worker next to it.
import { build } from '../dist/build.js';
import { EVERY_FOURTH_CODE, makeProject, snapshotTree, type Project } from './helpers/project.js';

/** 382 pages in two languages: a share of ~127 pages for each of three threads. */
const CODES = EVERY_FOURTH_CODE;

describe('build --jobs', () => {
  const project: Project = makeProject(CODES, ['en', 'fr']);
  afterAll(() => project.remove());

  it('writes the same files, manifest and piece records on three threads as on the main thread alone', async () => {
    const one = await build({ root: project.dir, outDir: project.path('one'), jobs: 1 });
    const three = await build({ root: project.dir, outDir: project.path('three'), jobs: 3 });
    expect([one.timings.threads, three.timings.threads]).toEqual([1, 3]);
    expect(three.rendered).toBe(one.rendered);
    const expected = snapshotTree(project.path('one'));
    expect(expected.has('.codepairs/pieces.json')).toBe(true);
    expect(snapshotTree(project.path('three'))).toEqual(expected);
  });
});
