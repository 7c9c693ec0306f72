/**
 * Issue 12, point 4 (the option): pair pages less relevant than `noindexBelow` carry noindex (HTML
 * meta and front matter), stay out of the sitemap, and are not judged thin; without the setting
 * every page is indexed. A small real project, built with the real CLI.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeProject, type Project } from './helpers/project.js';

const BASE = 'https://docs.example.com/sip/';
let project: Project;
let relevance: Map<string, number>;

const front = (path: string) => parseYaml(/^---\n([\s\S]*?)\n---/.exec(project.read(path))![1]!) as Record<string, unknown>;
const pairSlugs = () => readdirSync(project.path('out/en/sip')).filter((f) => /^\d{3}-vs-\d{3}\.md$/.test(f)).map((f) => f.slice(0, -3));
const robotsMeta = (html: string) => /<meta name="robots" content="noindex">/.test(html);

beforeAll(() => {
  project = makeProject();
  const plain = project.run('build', '--base-url', BASE, '--quiet');
  expect(plain.status, plain.stderr).toBe(0);
  relevance = new Map(pairSlugs().map((slug) => [slug, Number(front(`out/en/sip/${slug}.md`).relevance)]));
});

afterAll(() => project.remove());

describe('noindexBelow', () => {
  it('is off by default: no page says noindex, and the sitemap lists every pair', () => {
    const sitemap = project.read('out/sitemap.xml');
    for (const slug of pairSlugs()) {
      expect(robotsMeta(project.read(`out/en/sip/${slug}.html`))).toBe(false);
      expect(front(`out/en/sip/${slug}.md`).noindex).toBeUndefined();
      expect(sitemap).toContain(`<loc>${BASE}en/sip/${slug}.html</loc>`);
    }
  });

  it('marks exactly the pairs below the limit, in every language, and keeps them out of the sitemap', () => {
    const values = [...new Set(relevance.values())].sort((a, b) => a - b);
    expect(values.length).toBeGreaterThan(2);
    const limit = values[Math.floor(values.length / 2)]!;
    project.write('codepairs.config.json', JSON.stringify({ search: false, noindexBelow: limit }));
    const result = project.run('build', '--base-url', BASE, '--quiet');
    expect(result.status, result.stderr).toBe(0);
    const sitemap = project.read('out/sitemap.xml');
    let hidden = 0;
    for (const [slug, score] of relevance) {
      const below = score < limit;
      if (below) hidden++;
      for (const lang of ['en', 'zh-CN']) {
        expect(robotsMeta(project.read(`out/${lang}/sip/${slug}.html`)), `${lang} ${slug} ${score}`).toBe(below);
        expect(front(`out/${lang}/sip/${slug}.md`).noindex, slug).toBe(below ? true : undefined);
        expect(sitemap.includes(`<loc>${BASE}${lang}/sip/${slug}.html</loc>`), slug).toBe(!below);
      }
    }
    expect(hidden).toBeGreaterThan(0);
    expect(hidden).toBeLessThan(relevance.size);
    // Code pages and the home pages stay indexed.
    expect(robotsMeta(project.read('out/en/sip/486.html'))).toBe(false);
    expect(sitemap).toContain(`<loc>${BASE}en/sip/486.html</loc>`);

    // The thin-page rule judges only what search engines may index.
    project.write('codepairs.config.json', JSON.stringify({ search: false, noindexBelow: limit, lint: { minOwnWords: 100000 } }));
    const check = project.run('check', '--output', '--lang', 'en');
    expect(check.status).toBe(1);
    // The report: one block per file, its path on the first line, then its messages.
    const flagged = check.stderr
      .split(/\n\s*\n/)
      .filter((block) => block.includes('thin-page'))
      .map((block) => /(\d{3}-vs-\d{3})\.md/.exec(block.split('\n')[0]!)![1]!);
    const expected = [...relevance].filter(([, score]) => score >= limit).map(([slug]) => slug);
    expect(flagged.sort()).toEqual(expected.sort());
  });

  it('must be a relevance from 0 to 1', () => {
    project.write('codepairs.config.json', JSON.stringify({ noindexBelow: 2 }));
    const result = project.run('build');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('`noindexBelow` must be a relevance from 0 to 1');
  });
});
