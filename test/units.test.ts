import { describe, expect, it } from 'vitest';
import { differingFacts, relatedPairs } from '../src/compare/facts.js';
import fc from 'fast-check';
import { duplicatePaths, homeJob, pairSlug, Plan, planJobs } from '../src/plan/jobs.js';
import { planShard } from '../src/plan/shard.js';
import { urlFor } from '../src/render/article.js';
import { alignedColumn, tableMarkdown } from '../src/render/plugins/remark-table.js';
import { escapeMarkdown, formatList } from '../src/render/markdown-text.js';
import { frenchSpacing, spaceCjkLatin } from '../src/render/plugins/remark-typography.js';
import { isSafeLanguageTag } from '../src/load/locales.js';
import { cached, LANGUAGES_KEPT, type ViewCache } from '../src/render/view-cache.js';
import { SectionCache, setPieceCacheBudget } from '../src/render/section-cache.js';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Catalog, Job, Language, Protocol, StatusCode } from '../src/types.js';
import { ROOT } from './helpers/paths.js';

/** The shipped SIP protocol: the facts it declares decide what differs. */
const sip = parseYaml(readFileSync(join(ROOT, 'data/sip/protocol.yaml'), 'utf8')) as Protocol;

const code = (n: number, overrides: StatusCode['facts'] = {}, extra: Partial<StatusCode> = {}): StatusCode => ({
  code: n,
  reason: `Reason ${n}`,
  reference: 'RFC3261',
  section: '21.1.1',
  lifecycle: { status: 'active' },
  aliases: [],
  facts: { senders: ['uas'], requests: ['INVITE'], dialog: 'prevents', sdp: false, headers: [], retry: 'never', ...overrides },
  related: [],
  text: { description: 'D.', when: 'W.', fix: 'F.', use: 'U.' },
  classId: ['', 'provisional', 'success', 'redirection', 'client-failure', 'server-failure', 'global-failure'][Math.floor(n / 100)]!,
  file: `${n}.yaml`,
  ...extra,
});

describe('differingFacts', () => {
  it('should list nothing for two codes with the same facts in the same class', () => {
    expect(differingFacts(sip, code(486), code(480))).toEqual([]);
  });

  it('should list class and finality for a provisional and a final code', () => {
    expect(differingFacts(sip, code(183, { dialog: 'early', retry: 'not-applicable' }), code(486))).toEqual(['class', 'finality', 'dialog', 'retry']);
  });

  it('should compare lists as sets, not by order', () => {
    expect(differingFacts(sip, code(486, { senders: ['uas', 'proxy'] }), code(480, { senders: ['proxy', 'uas'] }))).toEqual([]);
    expect(differingFacts(sip, code(486, { headers: ['Retry-After'] }), code(480))).toEqual(['headers']);
  });

  it('should notice a deprecated code', () => {
    expect(differingFacts(sip, code(202, {}, { lifecycle: { status: 'deprecated', by: 'RFC6665' } }), code(200))).toEqual(['lifecycle']);
  });
});

describe('relatedPairs', () => {
  it('should give each related pair once, lower code first, without the pair itself', () => {
    const a = code(486, {}, { related: [600, 480] });
    const b = code(600, {}, { related: [486, 603] });
    expect(relatedPairs(a, b)).toEqual([[480, 486], [600, 603]]);
  });
});

/** A catalog and languages as planJobs reads them: codes and tags. */
const catalogOf = (protocol: string, codes: number[]) => ({ protocol: { id: protocol }, codes: codes.map((c) => ({ code: c })) }) as unknown as Catalog;
const languagesOf = (tags: string[]) => tags.map((tag) => ({ tag })) as Language[];

describe('the plan', () => {
  /** Every unordered pair, lower code first, the lower codes in order, then the higher. */
  const planPairs = (codes: number[]): Array<[number, number]> => {
    const sorted = [...codes].sort((x, y) => x - y);
    return sorted.flatMap((low, i) => sorted.slice(i + 1).map((high): [number, number] => [low, high]));
  };

  /** The plan as a list, made the straightforward way: language by language, the index, the code pages, the pairs. */
  const listed = (protocol: string, codes: number[], langs: string[], nested: boolean): Job[] =>
    langs.flatMap((lang): Job[] => [
      nested ? { kind: 'index', lang, translationKey: `${protocol}-index`, path: `${lang}/${protocol}/index`, codes: [] } : homeJob(lang),
      ...codes.map((c): Job => ({ kind: 'code', lang, translationKey: `${protocol}-${c}`, path: `${lang}/${protocol}/${c}`, codes: [c] })),
      ...planPairs(codes).map(([low, high]): Job => ({ kind: 'pair', lang, translationKey: `${protocol}-${pairSlug(low, high)}`, path: `${lang}/${protocol}/${pairSlug(low, high)}`, codes: [low, high] })),
    ]);

  it('makes the same jobs as the list, in the same order, however it is taken apart', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 100, max: 699 }), { maxLength: 12 }),
        fc.uniqueArray(fc.constantFrom('en', 'de', 'zh-CN', 'pt-BR'), { minLength: 1 }),
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        (codes, langs, nested, a, b, count) => {
          const list = listed('sip', codes, langs, nested);
          const plan = planJobs(catalogOf('sip', codes), languagesOf(langs), { nested });
          expect(plan.length).toBe(list.length);
          expect([...plan]).toEqual(list);
          expect(plan.map((job) => job.path)).toEqual(list.map((job) => job.path));
          const [start, end] = [a % (list.length + 2), b % (list.length + 2)].sort((x, y) => x - y) as [number, number];
          expect([...plan.slice(start, end)]).toEqual(list.slice(start, end));
          expect([...plan.slice(start, end).slice(1, 3)]).toEqual(list.slice(start, end).slice(1, 3));
          expect(plan.at(start)).toEqual(list[start]);
          expect(plan.slice(start, end).languages).toEqual([...new Set(list.slice(start, end).map((job) => job.lang))]);
          // The first page of each language's run.
          expect(plan.slice(start, end).heads()).toEqual(list.slice(start, end).filter((job, i, all) => i === 0 || all[i - 1]!.lang !== job.lang));
          for (let index = 1; index <= count; index++) expect([...planShard(plan, { index, count })]).toEqual(planShard(list, { index, count }));
        },
      ),
    );
  });

  it('plans n(n-1)/2 unordered pairs a language, lower code first', () => {
    const pairs = planJobs(catalogOf('sip', [439, 183, 100, 600]), languagesOf(['en'])).filter((job) => job.kind === 'pair');
    expect(pairs.map((job) => job.codes)).toEqual([[100, 183], [100, 439], [100, 600], [183, 439], [183, 600], [439, 600]]);
  });

  it('describes a plan in a line a run, the same lines for the same pages and others for other pages', () => {
    const lines = (plan: Plan) => [...plan.describe()];
    const plan = (codes: number[], langs: string[], nested = false) => planJobs(catalogOf('sip', codes), languagesOf(langs), { nested });
    const sip = plan([486, 180, 183], ['en', 'de']);
    expect(lines(sip)).toHaveLength(2);
    expect(lines(plan([486, 180, 183], ['en', 'de']))).toEqual(lines(sip));
    expect(lines(plan([486, 180, 183], ['en', 'de']).slice(2, 9))).toEqual(lines(sip.slice(2, 9)));
    const differing: Array<[Plan, Plan]> = [
      [sip.slice(2, 8), sip.slice(2, 9)],
      [sip.slice(3, 9), sip.slice(2, 9)],
      // Code pages in another order; another code; the languages the other way; nested.
      [plan([180, 486, 183], ['en', 'de']), sip],
      [plan([486, 180, 183, 600], ['en', 'de']), sip],
      [plan([486, 180, 183], ['de', 'en']), sip],
      [plan([486, 180, 183], ['en', 'de'], true), sip],
    ];
    for (const [other, one] of differing) {
      expect([...other].map((job) => job.path)).not.toEqual([...one].map((job) => job.path));
      expect(lines(other)).not.toEqual(lines(one));
    }
  });

  it('puts several catalogs one after the other', () => {
    const sip = planJobs(catalogOf('sip', [486, 180, 183]), languagesOf(['en', 'de']), { nested: true });
    const http = planJobs(catalogOf('http', [404, 200]), languagesOf(['de']), { nested: true });
    const both = Plan.concat([sip.slice(2, 9), http]);
    expect([...both]).toEqual([...listed('sip', [486, 180, 183], ['en', 'de'], true).slice(2, 9), ...listed('http', [404, 200], ['de'], true)]);
    expect(both.languages).toEqual(['en', 'de']);
    expect(both.heads().map((job) => job.path)).toEqual(['en/sip/180', 'de/sip/index', 'de/http/index']);
  });
});

describe('the view cache', () => {
  // A computation that counts how often it runs: a value kept is not made again.
  const counter = () => {
    const made = new Map<string, number>();
    const make = (lang: string | undefined, key: string) => () => {
      const id = `${lang}:${key}`;
      made.set(id, (made.get(id) ?? 0) + 1);
      return id;
    };
    return { made, make };
  };

  it('makes a value once per language and key while the language is kept', () => {
    const ctx: { cache?: ViewCache } = {};
    const { made, make } = counter();
    for (let i = 0; i < 3; i++) {
      expect(cached(ctx, 'de', 'heading:183', make('de', 'heading:183'))).toBe('de:heading:183');
      expect(cached(ctx, 'fr', 'heading:183', make('fr', 'heading:183'))).toBe('fr:heading:183');
      expect(cached(ctx, undefined, 'curated', make(undefined, 'curated'))).toBe('undefined:curated');
    }
    expect([...made.values()]).toEqual([1, 1, 1]);
  });

  it('keeps the languages used last and forgets the others; entries of no language stay', () => {
    expect(LANGUAGES_KEPT).toBe(2);
    const ctx: { cache?: ViewCache } = {};
    const { made, make } = counter();
    cached(ctx, undefined, 'curated', make(undefined, 'curated'));
    for (const lang of ['en', 'de', 'en', 'fr']) cached(ctx, lang, 'facts:486', make(lang, 'facts:486'));
    // en was used after de: de, the least recently used, is forgotten when fr comes.
    expect(ctx.cache!.keptLanguages).toEqual(['en', 'fr']);
    cached(ctx, 'en', 'facts:486', make('en', 'facts:486'));
    cached(ctx, 'de', 'facts:486', make('de', 'facts:486'));
    cached(ctx, undefined, 'curated', make(undefined, 'curated'));
    expect(Object.fromEntries(made)).toEqual({ 'undefined:curated': 1, 'en:facts:486': 1, 'de:facts:486': 2, 'fr:facts:486': 1 });
    expect(ctx.cache!.keptLanguages).toEqual(['en', 'de']);
  });
});

describe('SectionCache', () => {
  // One typography object per language, as a build has; the section is kept the first time.
  const options = (lang: string, mermaid?: Record<string, string>) => ({ lang, typography: typographies[lang]!, ...(mermaid ? { mermaid } : {}) });
  const typographies: Record<string, object> = { en: {}, de: {}, fr: {} };
  const counting = () => {
    const made: string[] = [];
    const cache = new SectionCache<string>(() => true);
    const get = (lang: string, mermaid?: Record<string, string>) => cache.get('## 183\n\nText.', options(lang, mermaid), () => (made.push(lang + (mermaid ? '+mermaid' : '')), lang));
    return { made, get };
  };

  it('keeps what it made in the languages used last, and forgets the others', () => {
    const { made, get } = counting();
    for (const lang of ['en', 'de', 'en', 'fr']) expect(get(lang)).toBe(lang);
    // de, the least recently used language, is forgotten when fr comes; en and fr are kept.
    expect(made).toEqual(['en', 'de', 'fr']);
    get('en');
    get('fr');
    expect(get('de')).toBe('de');
    expect(made).toEqual(['en', 'de', 'fr', 'de']);
  });

  it('keeps every scope of a language together (pages with and without Mermaid diagrams)', () => {
    const { made, get } = counting();
    const mermaid = { 'diagrams/183.svg': 'sequenceDiagram' };
    for (let i = 0; i < 2; i++) for (const lang of ['en', 'de']) get(lang), get(lang, mermaid);
    expect(made).toEqual(['en', 'en+mermaid', 'de', 'de+mermaid']);
  });

  it('counts a forgotten language out of its budget', () => {
    // Each language's entry takes 3 × 13 characters of a budget that holds two of them: were the
    // forgotten language still counted, the third language would empty the cache, and en (used
    // last but one) be made again.
    const before = setPieceCacheBudget(3 * 13 * 2);
    try {
      const { made, get } = counting();
      for (const lang of ['de', 'en', 'fr', 'en']) get(lang);
      expect(made).toEqual(['de', 'en', 'fr']);
    } finally {
      setPieceCacheBudget(before);
    }
  });
});

describe('duplicatePaths', () => {
  const job = (path: string) => ({ kind: 'index' as const, lang: 'x', translationKey: 'index', path, codes: [] });
  it('should find two pages written to one file, also when only the case differs', () => {
    expect(duplicatePaths([job('en/index'), job('de/index')])).toEqual([]);
    expect(duplicatePaths([job('en/index'), job('en/index')])).toEqual(['en/index']);
    expect(duplicatePaths([job('en/sip/a'), job('EN/sip/a')])).toEqual(['en/sip/a and EN/sip/a']);
  });

  it('should find them in a plan whose languages differ only in case, and none when they differ otherwise', () => {
    const plan = (langs: string[]) => planJobs(catalogOf('sip', [486, 183]), languagesOf(langs));
    expect(duplicatePaths(plan(['en', 'de']))).toEqual([]);
    expect(duplicatePaths(plan(['en', 'de', 'EN']))).toEqual(['en/index and EN/index', 'en/sip/183 and EN/sip/183', 'en/sip/183-vs-486 and EN/sip/183-vs-486', 'en/sip/486 and EN/sip/486']);
    // Two runs of one language: compared page by page, and none meet.
    expect(duplicatePaths(Plan.concat([plan(['en']).slice(0, 2), plan(['en']).slice(2)]))).toEqual([]);
  });
});

describe('escapeMarkdown', () => {
  it('should escape everything that could turn text into markup', () => {
    expect(escapeMarkdown('<script>alert(1)</script> *a* _b_ [c](d) `e` | &amp;')).toBe(
      '\\<script\\>alert(1)\\</script\\> \\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\| \\&amp;',
    );
  });

  it('should fold line breaks and escape what would open a block at the start of a line', () => {
    expect(escapeMarkdown('a\n\n## b\n- c')).toBe('a \\#\\# b - c');
    expect(escapeMarkdown('---')).toBe('\\---');
    expect(escapeMarkdown('+ x')).toBe('\\+ x');
    expect(escapeMarkdown('12. x')).toBe('12\\. x');
    expect(escapeMarkdown('3) x')).toBe('3\\) x');
    expect(escapeMarkdown('RFC 3261, section 21.1.5')).toBe('RFC 3261, section 21.1.5');
  });

  it('should give what the four replacements give on any text (its shortcut for text with nothing to escape)', () => {
    const replaced = (text: string) =>
      text
        .replace(/[ \t]*\r?\n\s*/g, ' ')
        .replace(/[\\`*_[\]<>|~&#]/g, (char) => `\\${char}`)
        .replace(/^[ \t]*([-+=])/, '\\$1')
        .replace(/^[ \t]*(\d+)([.)])/, '$1\\$2');
    const alphabet = [' ', '\t', '\r', '\n', 'a', 'Z', 'é', '会', '1', '9', '.', ')', '-', '+', '=', '#', '*', '_', '\\', '`', '[', ']', '<', '>', '|', '~', '&', ':'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(escapeMarkdown(text), JSON.stringify(text)).toBe(replaced(text));
    }
  });
});

describe('formatList', () => {
  it('joins two items with the language\'s pairConjunction, and leaves longer lists and other languages to Intl', () => {
    const languages = JSON.parse(readFileSync(join(ROOT, 'locales/languages.json'), 'utf8')) as Array<{ tag: string; pairConjunction?: string }>;
    const japanese = languages.find((l) => l.tag === 'ja')!;
    const ja = japanese.pairConjunction!;
    expect(formatList(japanese, ['送信元', '再試行'])).toBe(`送信元${ja}再試行`);
    expect(formatList(japanese, ['A', 'B', 'C'])).toBe(new Intl.ListFormat('ja', { type: 'conjunction' }).format(['A', 'B', 'C']));
    expect(formatList(japanese, ['A', 'B'], 'disjunction')).toBe(new Intl.ListFormat('ja', { type: 'disjunction' }).format(['A', 'B']));
    expect(formatList({ tag: 'en' }, ['A', 'B'])).toBe('A and B');
  });

  it('should join lists the way each language does', () => {
    expect(formatList({ tag: 'en' }, ['Require', 'RSeq', 'Contact'])).toBe('Require, RSeq, and Contact');
    expect(formatList({ tag: 'en' }, ['a proxy', 'the UAS'], 'disjunction')).toBe('a proxy or the UAS');
    expect(formatList({ tag: 'zh-CN' }, ['代理服务器', 'UAS'], 'disjunction')).toBe('代理服务器或UAS');
  });
});

describe('spaceCjkLatin', () => {
  it('should put a space between Han characters and Latin letters or digits, and nowhere else', () => {
    expect(spaceCjkLatin('由UAS发送')).toBe('由 UAS 发送');
    expect(spaceCjkLatin('应答的是INVITE 请求')).toBe('应答的是 INVITE 请求');
    expect(spaceCjkLatin('第 21.1.5 节，RFC 3261')).toBe('第 21.1.5 节，RFC 3261');
    expect(spaceCjkLatin('（183）')).toBe('（183）');
    expect(spaceCjkLatin('404 Not Found（未找到） 与 410 Gone（已不存在） 对比')).toBe('404 Not Found（未找到）与 410 Gone（已不存在）对比');
  });
});

describe('frenchSpacing', () => {
  it('should make the typed space before : ; ! ? » and after « non-breaking, and add none', () => {
    expect(frenchSpacing('Attention : le 183 ; vraiment ? « Busy Here »')).toBe('Attention\u00a0: le 183\u202f; vraiment\u202f? «\u202fBusy Here\u202f»');
    expect(frenchSpacing('avec Require: 100rel')).toBe('avec Require: 100rel');
  });
});

describe('urlFor', () => {
  it('should link relatively without a base URL, so pages work opened from disk', () => {
    expect(urlFor({ baseUrl: undefined }, 'zh-CN/sip/183-vs-439.html', 'en/sip/183-vs-439.html')).toBe('../../en/sip/183-vs-439.html');
    expect(urlFor({ baseUrl: undefined }, 'zh-CN/sip/183-vs-439.html', 'zh-CN/sip/183-vs-439.html')).toBe('183-vs-439.html');
  });

  it('should give what path.relative gives (the file name when it is the page itself), for any two paths', () => {
    const paths = ['index.html', 'en/index.html', 'en/sip/183.html', 'en/sip/183-vs-439.html', 'zh-CN/sip/183.html', 'zh-CN/http/404.html', 'en/sip/diagrams/183.svg', 'assets/style.css', 'en/sip', 'en/sip/x/y.html', 'pagefind/pagefind-ui.js'];
    for (const from of paths) {
      for (const target of paths) {
        // Asked twice: the second answer comes from the remembered way between the folders.
        for (let i = 0; i < 2; i++) expect(urlFor({ baseUrl: undefined }, from, target), `${from} -> ${target}`).toBe(posix.relative(posix.dirname(from), target) || posix.basename(target));
      }
    }
  });

  it('should link absolutely under a configured base URL', () => {
    expect(urlFor({ baseUrl: 'https://example.com/docs/' }, 'zh-CN/sip/183.html', 'en/sip/183.html')).toBe('https://example.com/docs/en/sip/183.html');
  });
});

describe('isSafeLanguageTag', () => {
  it('should accept BCP 47 tags and refuse anything path-like', () => {
    for (const tag of ['en', 'zh-CN', 'pt-BR', 'zh-Hant-TW', 'es-419']) expect(isSafeLanguageTag(tag), tag).toBe(true);
    for (const tag of ['../en', 'en/../../x', '/etc', 'en\u0000', 'EN_us', '', 'zh-cn']) expect(isSafeLanguageTag(tag), tag).toBe(false);
  });
});

describe('alignedColumn', () => {
  it('gives the lines markdown-table writes for tables of rows of one length and no aligned column', () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const words = ['', 'a', 'Class', '**486 Busy Here**', '临时响应', '🙂 x', 'UAC → UAS: INVITE', '\\| pipe', '-', 'a much longer cell than the others'];
    for (let t = 0; t < 2000; t++) {
      const width = 1 + random(4);
      const rows = Array.from({ length: 1 + random(10) }, () => Array.from({ length: width }, () => words[random(words.length)]!));
      const columns = rows[0]!.map((_, j) => alignedColumn(rows.map((row) => row[j]!)));
      const lines = columns[0]!.map((_, r) => `|${columns.map((column) => column[r]).join('|')}|`);
      expect(lines.join('\n')).toBe(tableMarkdown(rows, rows[0]!.map(() => null)));
    }
  });
});
