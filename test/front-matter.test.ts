/**
 * Front matter written directly (src/render/front-matter.ts) must be byte for byte what yaml
 * writes: on the front matter of real pages in every language, and on strings and numbers made
 * to trip the rules that decide whether yaml writes a scalar plain.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { build } from '../src/build.js';
import { frontMatterYaml, writtenDirectly } from '../src/render/front-matter.js';
import { makeProject, type Project } from './helpers/project.js';

type Data = Record<string, unknown>;
/** What yaml writes, without its final newline (a trimEnd would also take a final no-break space). */
const byYaml = (data: Data) => toYaml(data, { lineWidth: 0 }).replace(/\n$/, '');

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('front matter written directly', () => {
  let project: Project;
  const pages: Array<{ path: string; yaml: string }> = [];
  beforeAll(async () => {
    const langs = readdirSync(join(import.meta.dirname, '..', 'locales'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    project = makeProject(undefined, langs);
    const out = mkdtempSync(join(tmpdir(), 'codepairs-front-matter-'));
    try {
      await build({ root: project.dir, outDir: join(out, 'out'), langs, jobs: 1 });
      const walk = (dir: string, rel: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), `${rel}${entry.name}/`);
          else if (entry.name.endsWith('.md')) pages.push({ path: `${rel}${entry.name}`, yaml: /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(join(dir, entry.name), 'utf8'))![1]! });
        }
      };
      walk(join(out, 'out'), '');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
  afterAll(() => project.remove());

  it("is yaml's own text for every page of every language, and needs no yaml for any of them", () => {
    expect(pages.length).toBeGreaterThan(200);
    expect(new Set(pages.map((page) => page.path.split('/')[0])).size).toBeGreaterThanOrEqual(10);
    for (const { path, yaml } of pages) {
      const data = parseYaml(yaml) as Data;
      expect(byYaml(data), path).toBe(yaml);
      expect(writtenDirectly(data), path).toBe(yaml);
    }
  });

  it('writes every string as yaml does, plain or not, alone, in a list and in a nested mapping', () => {
    const pieces = ['a', 'SIP', ' ', '  ', ':', ': ', '#', ' #', '-', '- ', '?', '? ', '"', "'", '\t', '\n', '0', '12', '.', '1.5', 'e3', '0x1F', '0o7', 'true', 'False', 'NULL', 'null', '~', '.inf', '.NaN', '---', '...', '%', '@', '`', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '中文', 'é', '\u0085', '\u00a0', '\u2028', '\ud800', '\u0007', '\ufeff', '\ue000'];
    const next = random(20261126);
    const strings = new Set<string>(pieces);
    while (strings.size < 8_000) {
      let text = '';
      const parts = 1 + Math.floor(next() * 4);
      for (let i = 0; i < parts; i++) text += pieces[Math.floor(next() * pieces.length)];
      strings.add(text);
    }
    let direct = 0;
    for (const text of strings) {
      for (const data of [{ title: text }, { keywords: [text, 'b'] }, { fallback: { lang: 'en', keys: [text] } }] as Data[]) {
        expect(frontMatterYaml(data), JSON.stringify(data)).toBe(byYaml(data));
        if (writtenDirectly(data) !== undefined) direct++;
      }
    }
    // Most are written directly; those of several lines, control characters and the like by yaml.
    expect(direct).toBeGreaterThan(strings.size);
    expect(direct).toBeLessThan(strings.size * 3);
  });

  it('writes numbers and booleans as yaml does', () => {
    for (const value of [0, 1, 42, -7, 0.5, 0.99, 1 / 3, 1e21, 1e-7, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, false]) {
      const data: Data = { relevance: value, codes: [value, 183] };
      expect(frontMatterYaml(data), String(value)).toBe(byYaml(data));
    }
  });

  it('leaves to yaml what it does not write itself: empty lists and mappings, odd keys, strings of several lines, with a document marker or a control character, values of other types', () => {
    for (const data of [{ codes: [] }, { fallback: {} }, { 'not a key': 'x' }, { true: 'x' }, { title: 'two\nlines' }, { title: '--- a marker' }, { title: 'a bell \u0007' }, { title: undefined }, { codes: [[1]] }] as unknown as Data[]) {
      expect(writtenDirectly(data), JSON.stringify(data)).toBeUndefined();
      expect(frontMatterYaml(data)).toBe(byYaml(data));
    }
  });
});
