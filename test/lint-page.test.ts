/**
 * check --output reads each generated page in chunks (src/lint/page.ts): sections, the blocks of
 * a section without level-3 headings, the items of a simple list, each chunk met before taken
 * from a cache. That is an optimisation only: a page read in chunks must give what it gives read
 * whole (its blocks with their sections and places, its links, its empty headings). Checked on
 * pages rendered from the shipped catalogs in every language, each read three times so that its
 * recurring chunks come from the cache.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load, planSite } from '../src/build.js';
import { readPage } from '../src/lint/page.js';
import { wordsOf, wordsOfBlocks } from '../src/lint/similarity.js';
import { renderArticle, type RenderContext } from '../src/render/article.js';
import type { Job } from '../src/types.js';
import { ROOT } from './helpers/paths.js';

let sip: RenderContext;
let http: RenderContext;
let sipJobs: Job[];
let httpJobs: Job[];

beforeAll(async () => {
  ({ ctx: sip } = await load({ root: ROOT }));
  sipJobs = planSite({ ctxs: [sip] }, undefined);
  ({ ctx: http } = await load({ root: ROOT, catalog: join(ROOT, 'data/http') }));
  httpJobs = planSite({ ctxs: [http] }, undefined);
});

/** The index, some code pages and pairs, among them runs that share a code. */
function sample(jobs: Job[], lang: string, code: number): Job[] {
  const own = jobs.filter((job) => job.lang === lang);
  return [
    ...own.filter((job) => job.kind === 'index'),
    ...own.filter((job) => job.kind === 'code').filter((_, i) => i % 40 === 0),
    ...own.filter((job) => job.kind === 'pair' && job.codes.includes(code)).slice(0, 6),
    ...own.filter((job) => job.kind === 'pair').filter((_, i) => i % 500 === 0),
  ];
}

function expectSameAsWhole(ctx: RenderContext, jobs: Job[]) {
  expect(jobs.length).toBeGreaterThan(10);
  for (const job of jobs) {
    const { markdown } = renderArticle(ctx, job);
    const path = `${job.path}.md`;
    const whole = readPage(path, markdown, { whole: true });
    expect(whole.blocks.length, path).toBeGreaterThan(5);
    for (let i = 0; i < 3; i++) expect(readPage(path, markdown), path).toEqual(whole);
  }
}

describe('a generated page read in chunks', () => {
  it.each(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'de', 'fr', 'pt-BR', 'ru'])('reads as the whole page on SIP pages in %s', (lang) => {
    expectSameAsWhole(sip, sample(sipJobs, lang, 486));
  });

  it.each(['en', 'ja', 'de'])('reads as the whole page on HTTP pages in %s', (lang) => {
    expectSameAsWhole(http, sample(httpJobs, lang, 404));
  });
});

describe('a page read in chunks, on Markdown made to trip it', () => {
  // Tables with links, images, code, emphasis and empty cells, after a heading, a paragraph or
  // at a chunk's start; lists of links; a heading with nothing under it. Read three times each.
  const pages = {
    'tables with links': [
      '---\nlang: en\ntranslationKey: t\n---\n',
      '# Title\n\nThe lead.\n',
      '## Key differences\n\n| Property | [183](183.md) | **439** |\n| --- | :-- | --: |\n| Class | `provisional` ![d](diagrams/183.svg) |  |\n| Defined in | [RFC 3261](https://www.rfc-editor.org/rfc/rfc3261) | _RFC 5626_ |\n',
      '- One [link](a.md).\n- Two [links](b.md) [here](c.md).\n\nA paragraph after.\n',
      '| Step | A | B |\n| - | - | - |\n| 1 | UAC → UAS: [INVITE](x.md) | |\n',
      '## Empty\n\n## Call flows\n\nText before a table.\n\n| a | b |\n| - | - |\n| [c](d.md) | e |\n',
    ].join('\n'),
    'a table that is not plain': '# T\n\n## Table\n\n| a \\| b | c |\n| - | - |\n| # d | > e |\n\n## Last\n\n| x |\n| - |\n| 1. y |\n',
  };
  it.each(Object.entries(pages))('reads as the whole page: %s', (_, markdown) => {
    const whole = readPage('en/sip/x.md', markdown, { whole: true });
    expect(whole.links.length + whole.blocks.length).toBeGreaterThan(5);
    for (let i = 0; i < 3; i++) expect(readPage('en/sip/x.md', markdown)).toEqual(whole);
  });
});

describe('the words of a page, found a block at a time', () => {
  // The near-duplicate and thin-page rules count a page's words: found block by block (each
  // block's words kept while it recurs), they must be those of the blocks' texts joined.
  it.each(['ja', 'zh-CN', 'zh-TW', 'ko', 'en', 'ru'])('are those of the whole text in %s', (lang) => {
    for (const job of sample(sipJobs, lang, 486)) {
      const texts = readPage(`${job.path}.md`, renderArticle(sip, job).markdown).blocks.map((b) => b.text);
      for (let i = 0; i < 2; i++) expect(wordsOfBlocks(lang, texts), job.path).toEqual(wordsOf(lang, texts.join('\n')));
    }
  });
});
