/**
 * The build processes pages in sections and reuses a section it has met before (the section
 * cache of src/render/processors.ts). That is an optimisation only: every page must have the
 * same bytes as when its Markdown is processed whole, the straightforward pipeline. Checked on
 * a sample of the shipped catalog in every language: the index, some code pages, and runs of
 * pair articles that share a code, so their code sections come from the cache.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { load, plan } from '../src/build.js';
import { renderArticle, type RenderContext } from '../src/render/article.js';
import type { Job } from '../src/types.js';
import { ROOT } from './helpers/paths.js';

let ctx: RenderContext;
let jobs: Job[];

beforeAll(async () => {
  ({ ctx } = await load({ root: ROOT }));
  jobs = plan(ctx, undefined);
});

/**
 * The sample of a language, in plan order: the index, every 25th code page, 20 pairs of 183 (its
 * code section comes from the cache from the third on) and every 200th pair.
 */
function sample(lang: string): Job[] {
  const own = jobs.filter((job) => job.lang === lang);
  const codes = own.filter((job) => job.kind === 'code');
  const pairs = own.filter((job) => job.kind === 'pair');
  return [
    ...own.filter((job) => job.kind === 'index'),
    ...codes.filter((_, i) => i % 25 === 0),
    ...pairs.filter((job) => job.codes.includes(183)).slice(0, 20),
    ...pairs.filter((_, i) => i % 200 === 0),
  ];
}

describe('the section cache', () => {
  it('covers every language of the shipped catalog', () => {
    expect(new Set(jobs.map((job) => job.lang)).size).toBe(ctx.languages.length);
  });

  it.each(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'de', 'fr', 'pt-BR', 'ru'])('gives the bytes of the whole-page pipeline on a sample of %s pages', async (lang) => {
    const pages = sample(lang);
    expect(pages.length).toBeGreaterThan(30);
    for (const job of pages) {
      const cached = await renderArticle(ctx, job);
      const whole = await renderArticle(ctx, job, undefined, { sectionCache: false });
      expect(cached.markdown, job.path).toBe(whole.markdown);
      expect(cached.html, job.path).toBe(whole.html);
      expect(cached.redirect, job.path).toEqual(whole.redirect);
      // A value is escaped for Markdown once: twice, and the reader sees the backslash
      // ("section 21\.4.24"). The catalog's own text has no backslash.
      const text = cached.html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]*>/g, '');
      expect(text, job.path).not.toContain('\\');
    }
  });
});
