/**
 * Curated confusable pairs (data/sip/confusable.yaml) and the relevance score: validation with
 * places, the section on the pair pages in English and Chinese, the order of the "compare with"
 * lists and of the index, the front matter; and (issue 12, point 5) that the Key differences of
 * three articles state every deciding fact of the catalog and repeat no description sentence.
 * Every expectation comes from the project's own data and locale files, not from copied output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { load } from '../src/build.js';
import { differingFacts, isFinal, type FactId } from '../src/compare/facts.js';
import { curatedIndex, relevance } from '../src/compare/relevance.js';
import type { Protocol, StatusCode } from '../src/types.js';
import { ROOT } from './helpers/paths.js';
import { makeProject, type Project } from './helpers/project.js';

const CODES = [180, 183, 200, 404, 439, 480, 486, 487, 600];
const LANGS = ['en', 'zh-CN'];
const PAIRS: Array<[number, number]> = [
  [486, 600],
  [404, 480],
  [183, 439],
];

let project: Project;
let codes: Map<number, StatusCode>;
let protocol: Protocol;

type Json = Record<string, unknown>;
const locale = (lang: string, ns: string): Json => JSON.parse(project.read('locales', lang, `${ns}.json`)) as Json;
const get = (obj: Json, path: string): string => path.split('.').reduce<unknown>((o, k) => (o as Json)?.[k], obj) as string;
/** Compare text regardless of spacing: the renderer adds spaces between Han and Latin in zh-CN. */
const squash = (text: string) => text.replace(/\\([\\`*_[\]<>|~&#])/g, '$1').replace(/\s+/gu, '');

function frontMatter(markdown: string): Json {
  return parseYaml(/^---\n([\s\S]*?)\n---/.exec(markdown)![1]!) as Json;
}

/** The text of the level-2 section headed `heading` (up to the next level-2 heading). */
function section(markdown: string, heading: string): string | undefined {
  const parts = markdown.split(/^## /m);
  const found = parts.find((part) => squash(part.split('\n')[0]!) === squash(heading));
  return found?.slice(found.indexOf('\n') + 1);
}

const pairPage = (lang: string, [a, b]: [number, number]) => project.read('out', lang, 'sip', `${a}-vs-${b}.md`);
const curatedPairs = (): Array<[number, number]> =>
  (parseYaml(project.read('data/sip/confusable.yaml')) as Array<{ pair: [number, number] }>).map((e) => e.pair);

beforeAll(async () => {
  project = makeProject(CODES, LANGS);
  const result = project.run('build', '--out', project.path('out'), '--jobs', '1');
  expect(result.status, result.stderr).toBe(0);
  const { ctx } = await load({ root: project.dir, strict: false });
  codes = ctx.byCode;
  protocol = ctx.catalog.protocol;
}, 120_000);

afterAll(() => project.remove());

describe('the curated list', () => {
  it('keeps the pairs of the small set, each with English text', () => {
    const pairs = curatedPairs();
    expect(pairs).toContainEqual([486, 600]);
    expect(pairs).toContainEqual([404, 480]);
  });

  it('gives every shipped curated pair of every protocol a concrete case (practice) besides why and guidance', () => {
    for (const protocol of ['sip', 'http']) {
      const entries = parseYaml(readFileSync(join(ROOT, 'data', protocol, 'confusable.yaml'), 'utf8')) as Array<{ pair: number[]; practice?: string }>;
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) expect(entry.practice?.trim(), `${protocol} ${entry.pair.join('-')}`).toBeTruthy();
    }
  });

  it('reports every kind of bad entry at its line and column, with its rule id', () => {
    const bad = makeProject([180, 183, 404, 480, 486, 600], ['en']);
    try {
      bad.write(
        'data/sip/confusable.yaml',
        [
          '- pair: [486, 600]',
          '  why: Both are busy.',
          '  guidance: Ask where else.',
          '- pair: [600, 486]',
          '  why: Reversed.',
          '  guidance: Reversed.',
          '- pair: [404, 999]',
          '  why: Unknown code.',
          '  guidance: Unknown code.',
          '- pair: [404, 480]',
          '  why: No guidance.',
          '- pair: [480, 486]',
          '  why: Has <b>markup</b>.',
          '  guidance: Fine.',
          '  colour: red',
          '- pair: [180, 183]',
          '  why: Both ring.',
          '  guidance: Look at the body.',
          '  practice: [a list]',
          '',
        ].join('\n'),
      );
      const result = bad.run('build', '--out', bad.path('out'));
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/data\/sip\/confusable\.yaml/);
      expect(result.stderr).toMatch(/4:9\s+error Unexpected pair order `\[600, 486\]`.*unordered-confusable-pair/);
      expect(result.stderr).toMatch(/4:9\s+error Duplicate confusable pair `486-600`, first listed at line 1\s+duplicate-confusable-pair/);
      expect(result.stderr).toMatch(/7:15\s+error Unknown code `999` in a confusable pair.*unknown-confusable-code/);
      expect(result.stderr).toMatch(/10:3\s+error Missing required field `\[3\]\.guidance`\s+missing-field/);
      expect(result.stderr).toMatch(/13:8\s+error Unexpected angle bracket \(HTML\) in text.*unsafe-text/);
      expect(result.stderr).toMatch(/15:3\s+error Unexpected field `\[4\]\.colour`.*unknown-field/);
      expect(result.stderr).toMatch(/19:13\s+error .*`\[5\]\.practice`.*wrong-type/);
      expect(result.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
    } finally {
      bad.remove();
    }
  });
});

describe('curated pair pages', () => {
  for (const lang of LANGS) {
    it(`show why the codes are confused and how to tell them apart (${lang})`, () => {
      const label = get(locale(lang, 'common'), 'sections.confused');
      const english = new Map(
        (parseYaml(project.read('data/sip/confusable.yaml')) as Array<{ pair: number[]; why: string; guidance: string; practice?: string }>).map((e) => [e.pair.join('-'), e]),
      );
      for (const pair of [[486, 600], [404, 480]] as Array<[number, number]>) {
        const key = pair.join('-');
        const text = (field: 'why' | 'guidance' | 'practice') =>
          lang === 'en' ? english.get(key)![field]! : get(locale(lang, 'sip'), `confusable.${key}.${field}`);
        const page = pairPage(lang, pair);
        const body = section(page, label);
        expect(body, `${lang} ${key}`).toBeDefined();
        expect(squash(body!)).toContain(squash(text('why')));
        expect(squash(body!)).toContain(squash(text('guidance')));
        // The concrete case, after the guidance, when the entry has one (every shipped entry does).
        if (english.get(key)!.practice !== undefined) expect(squash(body!).indexOf(squash(text('practice')))).toBeGreaterThan(squash(body!).indexOf(squash(text('guidance'))));
        // Right after the lead, before the first code's section.
        const sections = page.split(/^## /m).slice(1).map((part) => squash(part.split('\n')[0]!));
        expect(sections[0]).toBe(squash(label));
      }
    });
  }

  it('are the only pages with the section', () => {
    const label = get(locale('en', 'common'), 'sections.confused');
    expect(section(pairPage('en', [183, 439]), label)).toBeUndefined();
    expect(section(pairPage('en', [486, 487]), label)).toBeUndefined();
  });
});

describe('the section elsewhere', () => {
  it('has the same heading id in every language', () => {
    for (const lang of LANGS) expect(project.read('out', lang, 'sip', '486-vs-600.html')).toMatch(/<h2 id="confused">/);
  });

  it('is a pair record of its own in the knowledge base, in every language', () => {
    const result = project.run('export', '--jobs', '1');
    expect(result.status, result.stderr).toBe(0);
    for (const lang of LANGS) {
      const records = project
        .read('out/kb', `${lang}.jsonl`)
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; kind: string; section: string; codes: number[]; text: string; url: string });
      const confused = records.filter((r) => r.section === 'confused');
      const expected = curatedPairs().filter((p) => p.every((c) => CODES.includes(c)));
      expect(confused.map((r) => r.codes.join('-')).sort()).toEqual(expected.map((p) => p.join('-')).sort());
      for (const record of confused) {
        expect(record.kind).toBe('pair');
        expect(record.id).toBe(`sip/${record.codes.join('-vs-')}/${lang}/confused`);
        expect(record.url).toMatch(/#confused$/);
        const why = lang === 'en'
          ? (parseYaml(project.read('data/sip/confusable.yaml')) as Array<{ pair: number[]; why: string }>).find((e) => e.pair.join('-') === record.codes.join('-'))!.why
          : get(locale(lang, 'sip'), `confusable.${record.codes.join('-')}.why`);
        expect(squash(record.text)).toContain(squash(why));
      }
    }
  });
});

describe('relevance', () => {
  const relevanceOf = (a: number, b: number) => frontMatter(pairPage('en', [Math.min(a, b), Math.max(a, b)] as [number, number])).relevance as number;

  it('is in the front matter of every pair page, from 0 to 1, the same in every language', () => {
    for (const a of CODES) {
      for (const b of CODES.filter((c) => c > a)) {
        const score = relevanceOf(a, b);
        expect(typeof score).toBe('number');
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(Math.round(score * 100) / 100).toBe(score);
        expect(frontMatter(pairPage('zh-CN', [a, b])).relevance).toBe(score);
      }
    }
  });

  it('is symmetric, and the curated list alone lifts a pair above one half', () => {
    const none = curatedIndex([]);
    const listed = curatedIndex([{ pair: [486, 600], why: 'x', guidance: 'y' }]);
    for (const a of CODES) {
      for (const b of CODES.filter((c) => c !== a)) {
        const [x, y] = [codes.get(a)!, codes.get(b)!];
        expect(relevance(protocol, x, y, none)).toBe(relevance(protocol, y, x, none));
        expect(relevance(protocol, x, y, none)).toBeLessThanOrEqual(0.5);
      }
    }
    const [busyHere, busyEverywhere] = [codes.get(486)!, codes.get(600)!];
    expect(relevance(protocol, busyHere, busyEverywhere, listed)).toBeGreaterThan(0.5);
    expect(relevance(protocol, busyHere, busyEverywhere, listed) - relevance(protocol, busyHere, busyEverywhere, none)).toBeGreaterThanOrEqual(0.5 - 0.01);
  });

  it('ranks every curated pair above every pair that is not curated', () => {
    const curated = new Set(curatedPairs().map((p) => p.join('-')));
    const scores = CODES.flatMap((a) => CODES.filter((b) => b > a).map((b) => ({ curated: curated.has(`${a}-${b}`), score: relevanceOf(a, b) })));
    const lowestCurated = Math.min(...scores.filter((s) => s.curated).map((s) => s.score));
    const highestOther = Math.max(...scores.filter((s) => !s.curated).map((s) => s.score));
    expect(lowestCurated).toBeGreaterThan(highestOther);
  });

  it('orders the "compare with" lists of a code page, most relevant first, ties by code', () => {
    for (const code of [486, 180]) {
      const page = project.read('out', 'en', 'sip', `${code}.md`);
      const compare = section(page, get(locale('en', 'common'), 'sections.compareWith'))!;
      const lists = compare.split(/^### .*$/m).map((part) => [...part.matchAll(/\]\((\d+)-vs-(\d+)\.md\)/g)].map((m) => (Number(m[1]) === code ? Number(m[2]) : Number(m[1]))));
      const nonEmpty = lists.filter((list) => list.length > 0);
      expect(nonEmpty.flat().sort()).toEqual(CODES.filter((c) => c !== code).sort());
      for (const list of nonEmpty) {
        const expected = [...list].sort((x, y) => relevanceOf(code, y) - relevanceOf(code, x) || x - y);
        expect(list, `${code}`).toEqual(expected);
      }
    }
    // 486's curated counterparts (480, 600) lead its lists.
    const page = project.read('out', 'en', 'sip', '486.md');
    const first = /\]\((\d+)-vs-(\d+)\.md\)/.exec(page)!;
    expect(['480-486', '486-600']).toContain(`${first[1]}-${first[2]}`);
  });
});

describe('the index', () => {
  for (const lang of LANGS) {
    it(`leads with the curated pairs, most confused first (${lang})`, () => {
      const page = project.read('out', lang, 'index.md');
      const label = get(locale(lang, 'common'), 'sections.mostConfused');
      const headings = page.split(/^## /m).slice(1).map((part) => squash(part.split('\n')[0]!));
      expect(headings[0]).toBe(squash(label));
      const links = [...section(page, label)!.matchAll(/\]\(sip\/(\d+)-vs-(\d+)\.md\)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
      expect(links.map((p) => p.join('-')).sort()).toEqual(curatedPairs().map((p) => p.join('-')).sort());
      const scores = links.map(([a, b]) => frontMatter(pairPage(lang, [a, b])).relevance as number);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
    });
  }
});

/**
 * Issue 12, point 5: for each fact that differs per the catalog, the comparison sentence of the
 * locale's template, filled with the pair's codes, is in Key differences. Other template
 * variables (localized lists of senders, methods or headers) may be any text.
 */
const CODE_VARIABLES = ['a', 'b', 'provisional', 'final', 'yes', 'no', 'with', 'without', 'deprecated', 'active', 'code'];

function templatePattern(template: string, values: Record<string, number>): RegExp {
  const parts = squash(template).split(/(\{\{\w+\}\})/);
  const source = parts
    .map((part) => {
      const variable = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
      if (!variable) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return CODE_VARIABLES.includes(variable) ? String(values[variable]) : '.+?';
    })
    .join('');
  return new RegExp(source, 'u');
}

/** The templates (and the codes that fill them) that say how `a` and `b` differ in `fact`. */
function expectedSentences(sip: Json, fact: FactId, a: StatusCode, b: StatusCode): RegExp[] {
  const both = { a: a.code, b: b.code };
  switch (fact) {
    case 'class':
      return [templatePattern(get(sip, `compare.class_${a.classId}_${b.classId}`), both)];
    case 'finality': {
      const [provisional, final] = isFinal(protocol, a) ? [b, a] : [a, b];
      return [templatePattern(get(sip, 'compare.finality'), { provisional: provisional.code, final: final.code })];
    }
    case 'senders':
    case 'requests':
      return [templatePattern(get(sip, `compare.${fact}`), both)];
    case 'sdp': {
      const [yes, no] = a.facts.sdp === true ? [a, b] : [b, a];
      return [templatePattern(get(sip, 'compare.sdp'), { yes: yes.code, no: no.code })];
    }
    case 'headers': {
      const headersOf = (code: StatusCode) => code.facts.headers as string[];
      if (headersOf(a).length && headersOf(b).length) return [templatePattern(get(sip, 'compare.headers'), both)];
      const [withH, without] = headersOf(a).length ? [a, b] : [b, a];
      return [templatePattern(get(sip, 'compare.headers_onlyOne'), { with: withH.code, without: without.code })];
    }
    case 'lifecycle': {
      const [deprecated, active] = a.lifecycle.status === 'deprecated' ? [a, b] : [b, a];
      return [templatePattern(get(sip, 'compare.lifecycle'), { deprecated: deprecated.code, active: active.code })];
    }
    case 'dialog':
    case 'retry':
      return [a, b].map((code) => templatePattern(get(sip, `facts.${fact}.sentences.${String(code.facts[fact])}`), { code: code.code }));
  }
}

function descriptionSentences(lang: string, code: StatusCode): string[] {
  const text = lang === 'en' ? code.text.description : get(locale(lang, 'sip'), `codes.${code.code}.description`);
  return [...new Intl.Segmenter(lang, { granularity: 'sentence' }).segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

describe('key differences (issue 12, point 5)', () => {
  for (const lang of LANGS) {
    for (const [low, high] of PAIRS) {
      it(`${low} vs ${high} (${lang}) states every deciding fact of the catalog and no description sentence`, () => {
        const [a, b] = [codes.get(low)!, codes.get(high)!];
        const sip = locale(lang, 'sip');
        const differences = section(pairPage(lang, [low, high]), get(locale(lang, 'common'), 'sections.differences'));
        expect(differences).toBeDefined();
        const text = squash(differences!);
        const facts = differingFacts(protocol, a, b);
        expect(facts.length).toBeGreaterThan(0);
        // One sentence says both class and finality when a provisional code meets a final one.
        const stated = facts.includes('finality') ? facts.filter((f) => f !== 'class') : facts;
        // What a receiver does differently is under Which to use when (point 1), not here.
        const choose = squash(section(pairPage(lang, [low, high]), get(locale(lang, 'common'), 'sections.choose'))!);
        expect(protocol.receiver).toBe('retry');
        for (const fact of stated) {
          const where = fact === protocol.receiver ? choose : text;
          for (const pattern of expectedSentences(sip, fact, a, b)) {
            expect(where, `${fact}: ${pattern}`).toMatch(pattern);
            if (fact === protocol.receiver) expect(text, `${fact} said twice`).not.toMatch(pattern);
          }
        }
        if (!facts.includes('retry')) expect(choose).toMatch(templatePattern(get(sip, `facts.retry.both.${String(a.facts.retry)}`), { a: low, b: high }));
        // Header names the facts name are in the section whenever headers differ.
        if (facts.includes('headers')) for (const header of [...(a.facts.headers as string[]), ...(b.facts.headers as string[])]) expect(text).toContain(header);
        for (const code of [a, b]) {
          for (const sentence of descriptionSentences(lang, code)) expect(text).not.toContain(squash(sentence));
        }
      });
    }
  }
});

describe('which to use when, for the receiver (issue 12, point 1)', () => {
  for (const lang of LANGS) {
    it(`${lang}: says once for both what a client does when the two codes ask the same of it`, () => {
      const sorted = [...codes.values()].sort((x, y) => x.code - y.code);
      const same = sorted.flatMap((a, i) => sorted.slice(i + 1).map((b) => [a, b] as const)).filter(([a, b]) => a.facts.retry === b.facts.retry);
      expect(same.length).toBeGreaterThan(0);
      const sip = locale(lang, 'sip');
      for (const [a, b] of same) {
        const choose = squash(section(pairPage(lang, [a.code, b.code]), get(locale(lang, 'common'), 'sections.choose'))!);
        expect(choose, `${a.code}-${b.code}`).toMatch(templatePattern(get(sip, `facts.retry.both.${String(a.facts.retry)}`), { a: a.code, b: b.code }));
      }
    });
  }
});

/** The facts two codes share that the shared-facts sentence names (the lead already names a shared class). */
function sharedFacts(a: StatusCode, b: StatusCode): FactId[] {
  const differing = differingFacts(protocol, a, b);
  return (['senders', 'requests', 'dialog', 'sdp', 'headers', 'retry', 'lifecycle'] as const).filter(
    (fact) => !differing.includes(fact) && !(fact === 'headers' && (a.facts.headers as string[]).length === 0) && !(fact === 'lifecycle' && a.lifecycle.status === 'active'),
  );
}

describe('shared facts (issue 12, point 1)', () => {
  for (const lang of LANGS) {
    for (const [low, high] of [...PAIRS, [180, 183], [480, 486], [200, 600]] as Array<[number, number]>) {
      it(`${low} vs ${high} (${lang}): Key differences name every shared fact in one sentence, and no fact that differs`, () => {
        const [a, b] = [codes.get(low)!, codes.get(high)!];
        const sip = locale(lang, 'sip');
        const differences = section(pairPage(lang, [low, high]), get(locale(lang, 'common'), 'sections.differences'))!;
        const pattern = templatePattern(get(sip, 'shared.sentence'), {});
        const found = differences.split('\n').map(squash).filter((line) => pattern.test(line));
        const shared = sharedFacts(a, b);
        if (shared.length === 0) {
          expect(found).toEqual([]);
          return;
        }
        expect(found).toHaveLength(1);
        const sentence = found[0]!;
        const aspect = (fact: FactId) => squash(fact === 'sdp' ? get(sip, `shared.sdp_${a.facts.sdp === true ? 'yes' : 'no'}`) : get(sip, `facts.${fact}.aspect`));
        for (const fact of shared) expect(sentence, fact).toContain(aspect(fact));
        for (const fact of differingFacts(protocol, a, b).filter((f) => f !== 'class' && f !== 'finality')) expect(sentence, fact).not.toContain(aspect(fact));
      });
    }
  }
});
