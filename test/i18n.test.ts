/**
 * Sentence shapes (src/render/i18n.ts): every answer of a translator is the text plain i18next
 * gives for the same key and options, with values escaped for Markdown, on every shipped
 * resource of every language, with values that Markdown, i18next and the shapes' own marks could
 * misread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { createI18n, translator } from '../src/render/i18n.js';
import { escapeMarkdown } from '../src/render/markdown-text.js';
import { ROOT } from './helpers/paths.js';
import { LANGS } from './helpers/locales.js';

type Tree = { [key: string]: string | Tree };

function resourcesOf(): Record<string, Record<string, Tree>> {
  const resources: Record<string, Record<string, Tree>> = {};
  for (const lang of LANGS) {
    resources[lang] = {};
    for (const file of readdirSync(join(ROOT, 'locales', lang)).filter((f) => f.endsWith('.json'))) {
      resources[lang]![file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(ROOT, 'locales', lang, file), 'utf8')) as Tree;
    }
  }
  return resources;
}

/** Each leaf of a namespace: its key (context and plural suffixes apart) and its placeholders. */
function* leaves(tree: Tree, prefix = ''): Generator<{ key: string; context?: string; plural: boolean; names: string[] }> {
  for (const [name, value] of Object.entries(tree)) {
    const path = `${prefix}${name}`;
    if (typeof value !== 'string') {
      yield* leaves(value, `${path}.`);
      continue;
    }
    const names = [...value.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!);
    const plural = /_(?:zero|one|two|few|many|other)$/.test(path);
    const base = plural ? path.replace(/_[a-z]+$/, '') : path;
    const underscore = base.lastIndexOf('_');
    const dot = base.lastIndexOf('.');
    const context = underscore > dot ? base.slice(underscore + 1) : undefined;
    yield { key: context === undefined ? base : base.slice(0, underscore), context, plural, names };
  }
}

/** Values that mean something to Markdown, to i18next or to the shapes' marks. */
const TRICKY = ['*bold* [link](x) <b>&amp;</b> | ~ # _', '{{a}} $t(title.index) \\', 'line\nbreak', '- item', '1. first', '', 'ümlaut 日本語', 'r\u0000x'];

describe('sentence shapes', () => {
  const resources = resourcesOf();
  const namespaces = Object.keys(resources.en!);
  const reference = i18next.createInstance();
  void reference.init({
    resources,
    lng: 'en',
    fallbackLng: false,
    ns: namespaces,
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    returnEmptyString: false,
    interpolation: { escapeValue: true, escape: escapeMarkdown, skipOnVariables: true, nestingPrefix: '\u0000nest(', nestingSuffix: ')\u0000' },
    showSupportNotice: false,
  } as never);
  const context = createI18n(resources as never, namespaces);

  it('are used for the shipped resources (every placeholder a plain name)', () => {
    expect(context.shapes).toBe(true);
  });

  it('give what i18next gives, for every key of every language, escaped and raw, twice over', () => {
    let compared = 0;
    const wrong: Array<{ lang: string; key: string; answer: string; expected: string }> = [];
    for (const lang of LANGS) {
      for (const ns of namespaces) {
        const t = translator(context, lang, ns);
        for (const leaf of leaves(resources[lang]![ns]!)) {
          for (const [i, tricky] of TRICKY.entries()) {
            const values: Record<string, unknown> = Object.fromEntries(leaf.names.map((name, j) => [name, j % 2 ? 1000 + i : `${tricky}${name}`]));
            if (leaf.context !== undefined) values.context = leaf.context;
            if (leaf.plural) values.count = i;
            for (const raw of [false, true]) {
              const options = raw ? { ...values, interpolation: { escapeValue: false } } : values;
              const expected = String(reference.t(leaf.key, { ...options, lng: lang, ns } as never));
              // Asked twice: the second answer comes from the shape the first one made.
              for (const answer of [t.t(leaf.key, options), t.t(leaf.key, options)]) if (answer !== expected) wrong.push({ lang, key: `${ns}:${leaf.key}`, answer, expected });
              compared++;
            }
          }
          // A value left undefined is missing to i18next, and to the shape.
          if (leaf.names.length && !leaf.plural) {
            const options = { ...Object.fromEntries(leaf.names.slice(1).map((n) => [n, 'v'])), [leaf.names[0]!]: undefined, ...(leaf.context ? { context: leaf.context } : {}) };
            const expected = String(reference.t(leaf.key, { ...options, lng: lang, ns } as never));
            const answer = t.t(leaf.key, options);
            if (answer !== expected) wrong.push({ lang, key: `${ns}:${leaf.key} (undefined value)`, answer, expected });
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
    expect(context.misses).toEqual([]);
  });

  it('are not used where a placeholder is more than a name, and answers stay right', () => {
    const formatted = createI18n({ en: { common: { a: 'A {{- x}} B', b: 'C {{y}}' } } } as never, ['common']);
    expect(formatted.shapes).toBe(false);
    const t = translator(formatted, 'en', 'common');
    expect(t.t('a', { x: '*' })).toBe('A * B');
    expect(t.t('b', { y: '*' })).toBe('C \\*');
  });

  it('record a missing key each time it is asked', () => {
    const context = createI18n({ en: { common: { a: 'A' } } } as never, ['common']);
    const t = translator(context, 'en', 'common');
    expect(t.t('nope', { x: 1 })).toBe('[nope]');
    expect(t.t('nope', { x: 1 })).toBe('[nope]');
    expect(context.misses).toEqual([{ lang: 'en', key: 'common:nope' }, { lang: 'en', key: 'common:nope' }]);
  });

  it('answer texts read straight from the resources as i18next does, where it would answer otherwise too', () => {
    const resources = {
      en: {
        common: { plain: 'Plain *text*', empty: '', tree: { leaf: 'Leaf' }, 'dotted.key': 'Dotted', fix: 'Fix', fix_noFailure: 'Handle', n_one: 'one', n_other: 'many', both: 'Both', both_other: 'Others', nest: '$t(plain) stays' },
        sip: { plain: 'SIP text' },
      },
      'zh-CN': { common: { plain: '纯文本' } },
    };
    const reference = i18next.createInstance();
    void reference.init({ resources, lng: 'en', fallbackLng: false, ns: ['common', 'sip'], defaultNS: 'common', initAsync: false, returnNull: false, returnEmptyString: false, interpolation: { escapeValue: true, escape: escapeMarkdown, nestingPrefix: '\u0000nest(', nestingSuffix: ')\u0000' }, showSupportNotice: false } as never);
    const asks: Array<[string, string, string, Record<string, unknown> | undefined]> = [
      ['en', 'common', 'plain', undefined],
      ['en', 'common', 'plain', { interpolation: { escapeValue: false } }],
      ['en', 'common', 'plain', { unused: '*x*' }],
      ['en', 'common', 'tree.leaf', undefined],
      ['en', 'common', 'dotted.key', undefined],
      ['en', 'common', 'fix', { context: 'noFailure' }],
      ['en', 'common', 'fix', { context: undefined }],
      ['en', 'common', 'both', undefined],
      ['en', 'common', 'nest', undefined],
      ['en', 'common', 'empty', undefined],
      ['en', 'common', 'tree', undefined],
      ['en', 'common', 'sip:plain', undefined],
      ['en', 'sip', 'plain', undefined],
      ['zh-CN', 'common', 'plain', undefined],
    ];
    for (const [lang, ns, key, options] of asks) {
      const context = createI18n(resources as never, ['common', 'sip']);
      const expected = String(reference.t(key, { ...options, lng: lang, ns } as never));
      expect(translator(context, lang, ns).t(key, options), `${lang} ${ns}:${key}`).toBe(expected);
      expect(context.misses).toEqual([]);
    }
    // Missing in the language asked (no fallback language), though another has it.
    const context = createI18n(resources as never, ['common', 'sip']);
    expect(translator(context, 'zh-CN', 'common').t('tree.leaf')).toBe('[tree.leaf]');
    expect(context.misses).toEqual([{ lang: 'zh-CN', key: 'common:tree.leaf' }]);
  });
});
