/**
 * Reads the full build of the shipped catalog (made once in helpers/global-build.ts) the way a
 * reader would: counts, the seed page's defects, doubled words, Chinese prose, links.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, inject, it } from 'vitest';

const out = inject('outDir');
const LANGS = ['en', 'zh-CN'];
const CODES = readdirSync(join(out, 'en/sip')).filter((f) => /^\d{3}\.md$/.test(f)).map((f) => Number(f.slice(0, 3)));

const read = (path: string) => readFileSync(join(out, path), 'utf8');
const split = (md: string) => {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(md)!;
  return { front: parseYaml(match[1]!) as Record<string, unknown>, body: md.slice(match[0].length) };
};
/** The Markdown body's sections: heading text → content under it (until the next heading). */
const sections = (body: string) => {
  const result: Array<{ level: number; title: string; content: string }> = [];
  for (const line of body.split('\n')) {
    const h = /^(#{1,6}) (.*)$/.exec(line);
    if (h) result.push({ level: h[1]!.length, title: h[2]!, content: '' });
    else if (result.length) result.at(-1)!.content += `${line}\n`;
  }
  return result;
};
const prose = (md: string) =>
  md
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/^\|.*\|$/gm, '');
const allMarkdown = () =>
  LANGS.flatMap((lang) => [
    `${lang}/index.md`,
    ...readdirSync(join(out, lang, 'sip')).filter((f) => f.endsWith('.md')).map((f) => `${lang}/sip/${f}`),
  ]);

describe('the output tree', () => {
  it('has one article per unordered pair, lower code first, in every language and both formats', () => {
    const n = CODES.length;
    expect(n).toBe(75);
    for (const lang of LANGS) {
      const files = readdirSync(join(out, lang, 'sip'));
      const pairs = files.filter((f) => /^\d{3}-vs-\d{3}\.md$/.test(f));
      expect(pairs).toHaveLength((n * (n - 1)) / 2);
      expect(files.filter((f) => /^\d{3}-vs-\d{3}\.html$/.test(f))).toHaveLength(pairs.length);
      for (const f of pairs) {
        const [low, high] = f.slice(0, -3).split('-vs-').map(Number) as [number, number];
        expect(low).toBeLessThan(high);
      }
      for (const code of CODES) expect(existsSync(join(out, lang, 'sip', `${code}.html`))).toBe(true);
      expect(existsSync(join(out, lang, 'index.html'))).toBe(true);
    }
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'assets/style.css'))).toBe(true);
  });

  it('writes front matter with what portals need, the translation key shared across languages', () => {
    const en = split(read('en/sip/183-vs-439.md')).front;
    const zh = split(read('zh-CN/sip/183-vs-439.md')).front;
    expect(en).toMatchObject({ title: 'SIP 183 Session Progress vs 439 First Hop Lacks Outbound Support', lang: 'en', protocol: 'sip', codes: [183, 439], slug: '183-vs-439', translationKey: 'sip-183-vs-439' });
    expect(zh).toMatchObject({ lang: 'zh-CN', codes: [183, 439], slug: '183-vs-439', translationKey: 'sip-183-vs-439' });
    expect(String(en.description).length).toBeGreaterThan(50);
    expect(en.sourceHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(zh.sourceHash).not.toBe(en.sourceHash);
    expect(en.keywords).toContain('Session in Progress');
  });
});

describe('the 183 vs 439 article, the page codepairs was born from', () => {
  const expected = {
    en: ['Description', 'When it occurs', 'Key differences', 'Which to use when', 'Learn more'],
    'zh-CN': ['描述', '何时出现', '如何修复', '主要区别', '何时使用哪个', '了解更多'],
  };
  for (const lang of LANGS) {
    const md = read(`${lang}/sip/183-vs-439.md`);
    const { body } = split(md);
    const all = sections(body);

    it(`${lang}: has the seed's sections, localized, none of them empty`, () => {
      const titles = all.map((s) => s.title);
      for (const label of expected[lang as 'en']) expect(titles).toContain(label);
      for (const [i, s] of all.entries()) {
        const nested = all[i + 1] && all[i + 1]!.level > s.level;
        if (!nested) expect(s.content.trim(), s.title).not.toBe('');
      }
    });

    it(`${lang}: has no glued fragments and no doubled words`, () => {
      expect(body).not.toMatch(/\bwhen when\b/i);
      expect(body).not.toMatch(/indicates that (used|is used)/i);
      expect(body).not.toMatch(/\byou encounter \d{3} when\b/i);
    });

    it(`${lang}: key differences come from the facts, never the descriptions again`, () => {
      const differences = all.find((s) => s.title === expected[lang as 'en'][lang === 'en' ? 2 : 3])!.content;
      const descriptions = all.filter((s) => s.level === 3).map((s) => s.content.trim());
      for (const text of descriptions) {
        for (const sentence of text.split(/(?<=[.。])\s*/).filter((s) => s.length > 20)) expect(differences).not.toContain(sentence);
      }
      const bullets = differences.split('\n').filter((l) => l.startsWith('- '));
      expect(bullets.length).toBeGreaterThanOrEqual(4);
      expect(differences).toMatch(/^\|/m);
    });

    it(`${lang}: "learn more" links the RFC sections, both code pages and related pairs`, () => {
      const learn = all.at(-1)!.content;
      expect(learn).toContain('https://www.rfc-editor.org/rfc/rfc3261#section-21.1.5');
      expect(learn).toContain('https://www.rfc-editor.org/rfc/rfc5626#section-11.6');
      expect(learn).toContain('(183.md)');
      expect(learn).toContain('(439.md)');
      expect(learn).toMatch(/\(\d{3}-vs-\d{3}\.md\)/);
    });
  }

  it('zh-CN: headings and prose are Chinese; English stays only in protocol tokens', () => {
    const { body } = split(read('zh-CN/sip/183-vs-439.md'));
    for (const paragraph of prose(body).split(/\n\s*\n/).map((p) => p.replace(/^#+ .*$/gm, '').trim()).filter(Boolean)) {
      expect(paragraph, paragraph).toMatch(/\p{Script=Han}/u);
    }
  });
});

describe('every page', () => {
  const files = allMarkdown();

  it('has no doubled word', () => {
    const doubled: string[] = [];
    for (const file of files) {
      for (const m of prose(read(file)).matchAll(/(?<![\p{L}\p{N}])(\p{L}{2,})\s+\1(?![\p{L}\p{N}])/giu)) doubled.push(`${file}: ${m[0]}`);
    }
    expect(doubled).toEqual([]);
  });

  it('has no empty section and no sentence twice', () => {
    const problems: string[] = [];
    for (const file of files) {
      const all = sections(split(read(file)).body);
      all.forEach((s, i) => {
        const nested = all[i + 1] && all[i + 1]!.level > s.level;
        if (!nested && !s.content.trim()) problems.push(`${file}: empty "${s.title}"`);
      });
      const seen = new Set<string>();
      for (const raw of prose(read(file)).split(/(?<=[.!?。！？])\s+|\n+/)) {
        const sentence = raw.replace(/^[\s\-*\d.|#>]+/, '').trim();
        if (sentence.length < 30) continue;
        if (seen.has(sentence)) problems.push(`${file}: repeated "${sentence.slice(0, 60)}"`);
        seen.add(sentence);
      }
    }
    expect(problems).toEqual([]);
  });

  it('zh-CN: every paragraph is Chinese prose, with no English sentence inside', () => {
    const english = /\b(the|and|is|are|of|to|that|with|when|this|which|for|in|on)\b/i;
    const problems: string[] = [];
    for (const file of files.filter((f) => f.startsWith('zh-CN/'))) {
      for (const paragraph of prose(read(file)).split(/\n\s*\n/)) {
        const text = paragraph.replace(/^#+ .*$/gm, '').replace(/\[[^\]]*\]/g, '').replace(/^\s*- *$/gm, '').trim();
        if (!/\p{L}/u.test(text)) continue;
        if (!/\p{Script=Han}/u.test(text)) problems.push(`${file}: ${text.slice(0, 60)}`);
        const latinRuns = text.match(/[A-Za-z]+(?:[ -][A-Za-z]+){3,}/g) ?? [];
        for (const run of latinRuns) if (english.test(run) && !/[A-Z][a-z]+ [A-Z]/.test(run)) problems.push(`${file}: ${run}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('key differences never repeat a sentence of the descriptions', () => {
    const problems: string[] = [];
    for (const file of files.filter((f) => /-vs-/.test(f))) {
      const all = sections(split(read(file)).body);
      const differences = all.find((s) => s.title === 'Key differences' || s.title === '主要区别')!.content;
      for (const text of all.filter((s) => s.level === 3).map((s) => s.content)) {
        for (const sentence of text.split(/(?<=[.。])\s*/).map((s) => s.trim()).filter((s) => s.length > 20)) {
          if (differences.includes(sentence)) problems.push(`${file}: ${sentence.slice(0, 60)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the HTML pages', () => {
  it('link every hreflang alternate, switcher entry and local link to a file that exists', () => {
    const missing: string[] = [];
    for (const lang of LANGS) {
      const pages = ['index.html', ...readdirSync(join(out, lang, 'sip')).filter((f) => f.endsWith('.html')).map((f) => `sip/${f}`)];
      for (const page of pages) {
        const path = join(out, lang, page);
        const html = readFileSync(path, 'utf8');
        for (const [, href] of html.matchAll(/href="([^"#]+)(?:#[^"]*)?"/g)) {
          if (/^https?:/.test(href!)) continue;
          if (!existsSync(resolve(dirname(path), href!))) missing.push(`${lang}/${page} → ${href}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('declare the language, canonical URL and an alternate for every language plus x-default', () => {
    const html = read('zh-CN/sip/183-vs-439.html');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>SIP 183 Session Progress 与 439 First Hop Lacks Outbound Support 对比</title>');
    expect(html).toContain('<link rel="canonical" href="183-vs-439.html">');
    expect(html).toContain('<link rel="alternate" hreflang="en" href="../../en/sip/183-vs-439.html">');
    expect(html).toContain('<link rel="alternate" hreflang="zh-CN" href="183-vs-439.html">');
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="../../en/sip/183-vs-439.html">');
    expect(html).toMatch(/<meta name="description" content="[^"]{40,}">/);
    expect(html).not.toMatch(/<script/i);
  });
});
