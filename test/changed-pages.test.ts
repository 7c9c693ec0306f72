/**
 * Which pages a build hashes again (src/plan/incremental.ts, changedPages): after a build of the
 * same pages, only those that read a slice whose hash changed. A page it passes over keeps the
 * hash recorded for it, so it must never pass over a page whose hash changed; and it must pass
 * over the others, or it saves nothing. Real inputs on disk, loaded as a build loads them, before
 * and after each kind of change.
 */
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextOf, loadSite, planSite } from '../src/build.js';
import { changedPages, commonChanged } from '../src/plan/incremental.js';
import type { Job } from '../src/types.js';
import { makeProject, SMALL_SET, type Project } from './helpers/project.js';

const LANGS = ['en', 'zh-CN'];
let project: Project;

/** Every page's hash and the slices, as a build of the project's current inputs makes them. */
async function hashed(): Promise<{ jobs: Job[]; pages: Map<string, string>; slices: Record<string, string> }> {
  const site = await loadSite({ root: project.dir });
  const jobs = planSite(site, undefined);
  const ctx = contextOf(site);
  return { jobs, pages: new Map(jobs.map((job) => [job.path, ctx(job).hashes.page(job)])), slices: site.ctxs[0]!.hashes.slices(LANGS) };
}

/**
 * The pages whose hash a change made differ, those changedPages would hash again, and whether a
 * slice every page of a kind reads changed (commonChanged: the build then looks at every page).
 */
async function afterChange(change: () => void): Promise<{ changed: string[]; looked: string[]; common: boolean }> {
  const before = await hashed();
  change();
  const after = await hashed();
  expect(after.jobs.map((job) => job.path)).toEqual(before.jobs.map((job) => job.path));
  const test = changedPages(before.slices, after.slices);
  return {
    changed: after.jobs.filter((job) => after.pages.get(job.path) !== before.pages.get(job.path)).map((job) => job.path),
    looked: after.jobs.filter(test).map((job) => job.path),
    common: commonChanged(before.slices, after.slices),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (path: string, set: (data: any) => void) =>
  project.edit(path, (text) => {
    const data = JSON.parse(text) as unknown;
    set(data);
    return `${JSON.stringify(data, null, 2)}\n`;
  });

const yaml = (path: string, set: (doc: ReturnType<typeof parseDocument>) => void) =>
  project.edit(path, (text) => {
    const doc = parseDocument(text);
    set(doc);
    return String(doc);
  });

describe('changedPages', () => {
  beforeAll(() => {
    project = makeProject(SMALL_SET, LANGS);
  });
  afterAll(() => project.remove());

  const cases: Array<[string, () => void]> = [
    ["a code's English description", () => yaml('data/sip/codes/183.yaml', (doc) => doc.setIn(['text', 'description'], 'Edited.'))],
    ["a code's facts", () => yaml('data/sip/codes/486.yaml', (doc) => doc.setIn(['facts', 'retry'], 'after-delay'))],
    ["one language's translation of a code", () => json('locales/zh-CN/sip.json', (data) => (data.codes['200'].description += '改'))],
    ["one language's gloss of a code, which every page that links to it shows", () => json('locales/zh-CN/sip.json', (data) => (data.codes['600'].gloss += '改'))],
    ["one language's label", () => json('locales/zh-CN/common.json', (data) => (data.sections.fix += '改'))],
    ['the pair template', () => project.edit('templates/pair.md.hbs', (text) => `${text}\n`)],
    ['the curated text of a pair', () => yaml('data/sip/confusable.yaml', (doc) => doc.setIn([1, 'why'], `${String(doc.getIn([1, 'why']))} Edited.`))],
  ];
  for (const [what, change] of cases) {
    it(`hashes again every page that ${what} changes, and only what may read it`, async () => {
      const { changed, looked, common } = await afterChange(change);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.filter((path) => !looked.includes(path))).toEqual([]);
      // Not every page, for a change that does not reach every page: those of a kind and language
      // for one that does, seen as such (a build then looks at every page's files, not only these).
      expect(common).toBe(/template|label/.test(what));
      if (!common) expect(looked.length).toBeLessThan(changed.length + 40);
    });
  }

  it('takes a page hash it is told until told to forget it, then makes it again from the inputs (a render thread, batch after batch)', async () => {
    const site = await loadSite({ root: project.dir });
    const job = planSite(site, undefined).find((j) => j.kind === 'pair')!;
    const hashes = site.ctxs[0]!.hashes;
    const made = hashes.page(job);
    hashes.know(job.path, 'told');
    expect(hashes.page(job)).toBe('told');
    hashes.forgetPages();
    expect(hashes.page(job)).toBe(made);
  });

  it('hashes again no page when nothing changed', async () => {
    const { changed, looked, common } = await afterChange(() => undefined);
    expect(changed).toEqual([]);
    expect(looked).toEqual([]);
    expect(common).toBe(false);
  });
});
