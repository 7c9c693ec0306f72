/**
 * Reads the full build of the shipped catalog (made once in helpers/global-build.ts) the way a
 * reader would: counts, the seed page's defects, doubled words, prose in the page's language,
 * links and alternates — in every shipped language.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { franc } from 'franc';
import { describe, expect, it } from 'vitest';
import { LANGS, scriptOf, sectionLabels } from './helpers/locales.js';
import { ROOT } from './helpers/paths.js';
import { builtOutput } from './helpers/built-output.js';

const out = await builtOutput();
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
/** Prose only: no front matter, link targets, image marks, table rows or code blocks (example messages are protocol text). */
const prose = (md: string) =>
  md
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '')
    .replace(/!\[/g, '[')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/^\|.*\|$/gm, '');
const pagesOf = (lang: string) => [`${lang}/index.md`, ...readdirSync(join(out, lang, 'sip')).filter((f) => f.endsWith('.md')).map((f) => `${lang}/sip/${f}`)];
const allMarkdown = () => LANGS.flatMap(pagesOf);

describe('the output tree', () => {
  it('ships ten languages', () => {
    expect(LANGS).toEqual(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'de', 'fr', 'pt-BR', 'ru']);
  });

  it('has one article per unordered pair, lower code first, in every language and both formats', () => {
    const n = CODES.length;
    expect(n).toBe(75);
    for (const lang of LANGS) {
      const files = readdirSync(join(out, lang, 'sip'));
      const pairs = files.filter((f) => /^\d{3}-vs-\d{3}\.md$/.test(f));
      expect(pairs, lang).toHaveLength((n * (n - 1)) / 2);
      const order = (f: string) => f.slice(0, 11).split('-vs-').map(Number) as [number, number];
      const html = files.filter((f) => /^\d{3}-vs-\d{3}\.html$/.test(f));
      expect(html.filter((f) => order(f)[0] < order(f)[1]), lang).toHaveLength(pairs.length);
      // The reversed order of every pair is a redirect stub, and nothing else.
      const reversed = html.filter((f) => order(f)[0] > order(f)[1]);
      expect(reversed.map((f) => `${order(f)[1]}-vs-${order(f)[0]}.md`).sort(), lang).toEqual([...pairs].sort());
      for (const f of pairs) {
        const [low, high] = f.slice(0, -3).split('-vs-').map(Number) as [number, number];
        expect(low).toBeLessThan(high);
      }
      for (const code of CODES) expect(existsSync(join(out, lang, 'sip', `${code}.html`)), `${lang} ${code}`).toBe(true);
      expect(existsSync(join(out, lang, 'index.html'))).toBe(true);
    }
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'assets/style.css'))).toBe(true);
  });

  it('writes front matter with what portals need, the translation key shared across languages', () => {
    const en = split(read('en/sip/183-vs-439.md')).front;
    expect(en).toMatchObject({ title: 'SIP 183 Session Progress vs 439 First Hop Lacks Outbound Support', lang: 'en', protocol: 'sip', codes: [183, 439], slug: '183-vs-439', translationKey: 'sip-183-vs-439' });
    expect(String(en.description).length).toBeGreaterThan(50);
    expect(en.sourceHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(en.keywords).toContain('Session in Progress');
    const hashes = new Set<unknown>();
    for (const lang of LANGS) {
      const front = split(read(`${lang}/sip/183-vs-439.md`)).front;
      expect(front, lang).toMatchObject({ lang, codes: [183, 439], slug: '183-vs-439', translationKey: 'sip-183-vs-439' });
      hashes.add(front.sourceHash);
    }
    expect(hashes.size).toBe(LANGS.length);
  });
});

describe('the 183 vs 439 article, the page codepairs was born from', () => {
  for (const lang of LANGS) {
    const labels = sectionLabels(lang);
    const { body } = split(read(`${lang}/sip/183-vs-439.md`));
    const all = sections(body);

    it(`${lang}: has the seed's sections, localized, none of them empty`, () => {
      const titles = all.map((s) => s.title);
      for (const key of ['description', 'when', 'fix', 'fix_noFailure', 'differences', 'choose', 'learnMore']) expect(titles, key).toContain(labels[key]);
      for (const [i, s] of all.entries()) {
        const nested = all[i + 1] && all[i + 1]!.level > s.level;
        if (!nested) expect(s.content.trim(), s.title).not.toBe('');
      }
    });

    it(`${lang}: has no glued fragments`, () => {
      expect(body).not.toMatch(/\bwhen when\b/i);
      expect(body).not.toMatch(/indicates that (used|is used)/i);
      expect(body).not.toMatch(/\byou encounter \d{3} when\b/i);
    });

    it(`${lang}: key differences are a table and sentences from the facts, never the descriptions again`, () => {
      const differences = all.find((s) => s.title === labels.differences)!.content;
      const texts = all.filter((s) => s.level === 3).map((s) => s.content.trim());
      for (const text of texts) {
        for (const sentence of text.split(/(?<=[.。])\s*/).filter((s) => s.length > 20)) expect(differences).not.toContain(sentence);
      }
      expect(differences.split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThanOrEqual(6);
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
});

describe('every page', () => {
  it('has no doubled word', () => {
    const doubled: string[] = [];
    for (const file of allMarkdown()) {
      for (const m of prose(read(file)).matchAll(/(?<![\p{L}\p{N}])(\p{L}{2,})\s+\1(?![\p{L}\p{N}])/giu)) doubled.push(`${file}: ${m[0]}`);
    }
    expect(doubled).toEqual([]);
  });

  it('has no empty section and no sentence twice', () => {
    const problems: string[] = [];
    for (const file of allMarkdown()) {
      const text = read(file);
      const all = sections(split(text).body);
      all.forEach((s, i) => {
        const nested = all[i + 1] && all[i + 1]!.level > s.level;
        if (!nested && !s.content.trim()) problems.push(`${file}: empty "${s.title}"`);
      });
      const seen = new Set<string>();
      // Link lists name codes again and again ("413 … vs. 486 …"); they are not sentences.
      const sentences = prose(text).replace(/^- \[.*$/gm, '').split(/(?<=[.!?。！？])\s+|\n+/);
      for (const raw of sentences) {
        const sentence = raw.replace(/^[\s\-*|#>]+/, '').trim();
        if (sentence.length < 30) continue;
        if (seen.has(sentence)) problems.push(`${file}: repeated "${sentence.slice(0, 60)}"`);
        seen.add(sentence);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is written in its own language: every paragraph in the language, no English sentence inside', () => {
    const english = /\b(the|and|is|are|of|to|that|with|when|this|which|for|in|on|be|not|or|by|from|your|you)\b/gi;
    const problems: string[] = [];
    for (const lang of LANGS.filter((l) => l !== 'en')) {
      const script = scriptOf(lang);
      for (const file of pagesOf(lang)) {
        for (const paragraph of prose(read(file)).split(/\n\s*\n/)) {
          // Link labels are code names and reason phrases: protocol tokens, not prose.
          const text = paragraph.replace(/^#+ .*$/gm, '').replace(/\[[^\]]*\]/g, '').replace(/^\s*- *$/gm, '').trim();
          if (!/\p{L}/u.test(text)) continue;
          if (script && !script.test(text)) problems.push(`${file}: ${text.slice(0, 60)}`);
          const runs = script ? (text.match(/[A-Za-z]+(?:[ -][A-Za-z]+){3,}/g) ?? []) : [text];
          for (const run of runs) {
            const words = run.match(/\p{L}+/gu) ?? [];
            const englishWords = run.match(english)?.length ?? 0;
            if (script ? englishWords >= 2 && !/^([A-Z][\w-]*[ -]?)+$/.test(run) : words.length >= 8 && englishWords / words.length > 0.2) {
              problems.push(`${file}: ${run.slice(0, 60)}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('is identified as its own language by franc, paragraph by paragraph (Latin-script languages)', () => {
    const iso: Record<string, string> = { en: 'eng', es: 'spa', de: 'deu', fr: 'fra', 'pt-BR': 'por' };
    const only = ['eng', 'spa', 'deu', 'fra', 'por', 'ita', 'nld'];
    const registry = readFileSync(join(ROOT, 'data/sip/iana-registry.tsv'), 'utf8').split('\n').slice(1);
    const reasons = registry.map((line) => line.split('\t')[1] ?? '').filter(Boolean).sort((a, b) => b.length - a.length);
    // Protocol tokens are English by nature: reason phrases, header names, methods, numbers.
    const strip = (text: string) => {
      for (const reason of reasons) text = text.split(reason).join(' ');
      return text
        .replace(/\[[^\]]*\]\([^)]*\)/g, ' ')
        .replace(/\b[A-Za-z]+(?:-[A-Za-z0-9]+)+\b/g, ' ')
        .replace(/\b[A-Z0-9]{2,}\b/g, ' ')
        .replace(/[|*#>_\\-]|\d+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    };
    for (const lang of LANGS.filter((l) => !scriptOf(l))) {
      // Each distinct paragraph once: code texts recur on many pages.
      const paragraphs = new Set<string>();
      for (const file of pagesOf(lang)) {
        for (const paragraph of split(read(file)).body.split(/\n\s*\n/)) {
          const text = /^[#|]/.test(paragraph) ? '' : strip(paragraph);
          if (text.length >= 40) paragraphs.add(text);
        }
      }
      const total = paragraphs.size;
      const right = [...paragraphs].filter((text) => franc(text, { only }) === iso[lang]).length;
      expect(total, lang).toBeGreaterThan(500);
      expect(right / total, lang).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('follows each language’s punctuation: full-width in Chinese and Japanese, French spacing, no straight quotes', () => {
    const problems: string[] = [];
    for (const lang of LANGS.filter((l) => l !== 'en')) {
      for (const file of pagesOf(lang)) {
        const text = prose(read(file)).replace(/^#+ .*$/gm, (h) => h.replace(/^#+ /, ''));
        if (/^(zh|ja)/.test(lang)) {
          const halfWidth = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}][,.;:!?]|[,;!?(][\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.exec(text);
          if (halfWidth) problems.push(`${file}: half-width punctuation in "${halfWidth[0]}"`);
        }
        if (lang === 'fr') {
          const plain = / [;:!?»]|« /.exec(text);
          if (plain) problems.push(`${file}: breaking space in "${text.slice(Math.max(0, plain.index - 10), plain.index + 3)}"`);
        }
        if (text.includes('"')) problems.push(`${file}: straight double quote`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('key differences never repeat a sentence of the descriptions', () => {
    const problems: string[] = [];
    for (const lang of LANGS) {
      const label = sectionLabels(lang).differences;
      for (const file of pagesOf(lang).filter((f) => /-vs-/.test(f))) {
        const all = sections(split(read(file)).body);
        const differences = all.find((s) => s.title === label)!.content;
        for (const text of all.filter((s) => s.level === 3).map((s) => s.content)) {
          for (const sentence of text.split(/(?<=[.。])\s*/).map((s) => s.trim()).filter((s) => s.length > 20)) {
            if (differences.includes(sentence)) problems.push(`${file}: ${sentence.slice(0, 60)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('says in its lead how many aspects it names: the form for one where the language has one', () => {
    const sip = (lang: string) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'sip.json'), 'utf8')) as { lead: Record<string, string>; facts: Record<string, { aspect: string }> };
    const english = sip('en');
    const aspects = Object.values(english.facts).map((fact) => fact.aspect);
    // What the English lead lists after "differ in", as many aspects as it names.
    const counts = new Map<string, number>();
    for (const file of pagesOf('en').filter((f) => /-vs-/.test(f))) {
      const listed = /differ in (.+)\.$/m.exec(read(file))?.[1];
      if (listed) counts.set(file.slice(3), aspects.filter((aspect) => listed.includes(aspect)).length);
    }
    expect([...counts.values()].filter((n) => n === 1).length).toBeGreaterThan(20);
    expect([...counts.values()].filter((n) => n > 1).length).toBeGreaterThan(100);
    // The words of a form just before the list ("…, unterscheiden sich aber in einem Punkt: ").
    const before = (form: string) => form.slice(0, form.indexOf('{{aspects}}')).split('}}').at(-1)!;
    const checked: string[] = [];
    const problems: string[] = [];
    for (const lang of LANGS) {
      const { lead } = sip(lang);
      // A language without a form for one (ja, ko, zh) says it as it says any number.
      const [one, other] = ['one', 'other'].map((form) => ['sameClass', 'differentClass'].map((context) => before(lead[`differences_${context}_${form}`] ?? lead[`differences_${context}_other`]!)));
      if (one!.every((words, i) => words === other![i])) continue;
      checked.push(lang);
      for (const [page, count] of counts) {
        const text = read(`${lang}/${page}`);
        const saysOne = one!.some((words) => text.includes(words));
        const saysMore = other!.some((words) => text.includes(words));
        if (saysOne !== (count === 1) || saysMore !== (count > 1)) problems.push(`${lang}/${page}: ${count} aspects`);
      }
    }
    expect(checked).toEqual(['de', 'pt-BR', 'ru']);
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
        for (const [, href] of readFileSync(path, 'utf8').matchAll(/href="([^"#]+)(?:#[^"]*)?"/g)) {
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
    for (const lang of LANGS) {
      const href = lang === 'zh-CN' ? '183-vs-439.html' : `../../${lang}/sip/183-vs-439.html`;
      expect(html).toContain(`<link rel="alternate" hreflang="${lang}" href="${href}">`);
    }
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="../../en/sip/183-vs-439.html">');
    expect(html).toMatch(/<meta name="description" content="[^"]{40,}">/);
    // The one script is the page's JSON-LD: data, never run.
    expect([...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0])).toEqual(['<script type="application/ld+json">']);
  });

  it('apply each language’s typography: spaced CJK and Latin in Chinese, no-break spaces in French', () => {
    expect(read('zh-CN/sip/183-vs-439.md')).toMatch(/\p{Script=Han} UAS/u);
    expect(read('zh-TW/sip/183-vs-439.md')).toMatch(/\p{Script=Han} UAS/u);
    // (A space before `![`, the next image of a row, is Markdown, not punctuation.)
    expect(read('fr/sip/183-vs-439.md')).not.toMatch(/ (?:[;:?»]|!(?!\[))/);
    expect(read('fr/sip/183-vs-439.md')).toMatch(/\u202f[;!?»]|\u00a0:/);
  });
});

describe('codepairs check --output on the shipped catalog', () => {
  // Every pair of the catalog, in one language of each script and word-splitting rule (spaces,
  // Intl.Segmenter for Chinese and for Japanese, Hangul, Cyrillic): all ten would take five
  // minutes of a CI run that has twenty; the other tests of this file read every language.
  const CHECKED = ['en', 'zh-CN', 'ja', 'ko', 'ru'];
  // The shipped project's limits (issue 12: under 0.7 similarity, at least 120 words of a pair
  // page's own), which the build above and this check both read from codepairs.config.json.
  const config = JSON.parse(readFileSync(join(ROOT, 'codepairs.config.json'), 'utf8')) as { noindexBelow?: number; lint?: { maxSimilarity?: number; minOwnWords?: number } };

  it('has the limits of the issue in the shipped config', () => {
    expect(config.lint?.maxSimilarity).toBeLessThanOrEqual(0.7);
    expect(config.lint?.minOwnWords).toBeGreaterThanOrEqual(120);
    // Only the curated pairs, which carry hand-written text, are for search engines.
    expect(config.noindexBelow).toBeGreaterThan(0.5);
    const indexed = readdirSync(join(out, 'en/sip')).filter((f) => /^\d{3}-vs-\d{3}\.md$/.test(f) && !/^noindex: true$/m.test(read(`en/sip/${f}`)));
    expect(indexed.length).toBe((parseYaml(readFileSync(join(ROOT, 'data/sip/confusable.yaml'), 'utf8')) as unknown[]).length);
  });

  it('finds nothing in a language of each script, and no two pair pages above the similarity limit', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/codepairs.js'), 'check', '--output', '--out', out, '--jobs', '2', '--lang', CHECKED.join(',')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(result.status, result.stderr.slice(0, 4000)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`codepairs check --output: ${2851 * CHECKED.length} pages in .*: no findings`));
    for (const lang of CHECKED) {
      expect(result.stdout).toMatch(new RegExp(`  ${lang}: 2851 pages; most similar pair pages .*: 0\\.[0-6]\\d \\(limit 0\\.7\\); fewest words of its own \\d+ .* \\(limit ${config.lint!.minOwnWords}\\)`));
    }
  }, 900_000);
});
