/**
 * The search index stage (src/emit/search-index.ts) with the real Pagefind: languages indexed
 * on threads of their own give the bundles one thread gives, and a bundle that cannot be written
 * is a SearchIndexError either way.
 *
 * From the compiled code in dist/ (`npm test` builds it first): a thread runs the compiled
 * search-index-worker.js next to the module that starts it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeSearchIndex } from '../dist/emit/search-index.js';
import { searchKeys, searchKeysOfSorted } from '../src/emit/search-index.js';

const MODULE = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'emit', 'search-index.js')).href;

const LANGS = ['en', 'de', 'fr'];
const TEXT: Record<string, string[]> = {
  en: ['The call is progressing and early media may follow.', 'The first hop lacks outbound support.'],
  de: ['Der Anruf wird aufgebaut, frühe Medien können folgen.', 'Dem ersten Hop fehlt die Outbound-Unterstützung.'],
  fr: ['L’appel progresse et des médias précoces peuvent suivre.', 'Le premier saut ne prend pas en charge Outbound.'],
};

const page = (lang: string, title: string, text: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body><main data-pagefind-body><h1>${title}</h1><p>${text}</p></main></body></html>\n`;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A staging folder with two pages a language. */
function staging(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codepairs-search-'));
  dirs.push(dir);
  for (const lang of LANGS) {
    mkdirSync(join(dir, lang, 'sip'), { recursive: true });
    TEXT[lang]!.forEach((text, i) => writeFileSync(join(dir, lang, 'sip', `${183 + i}.html`), page(lang, `SIP ${183 + i}`, text)));
  }
  return dir;
}

describe('the search keys', () => {
  it('made from the files sorted by path, a line at a time, are the keys made from a map of them', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.constantFrom('en', 'zh-CN', 'de', 'pagefind', 'ü'), fc.string({ maxLength: 6 }), fc.constantFrom('.html', '.md', '/x.html'), fc.string({ minLength: 1, maxLength: 4 })), { selector: ([lang, name, ext]) => `${lang}/${name}${ext}` }),
        (entries) => {
          const files = new Map(entries.map(([lang, name, ext, hash]) => [`${lang}/${name}${ext}`, hash]));
          const langs = ['en', 'zh-CN', 'de', 'ja'];
          const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          expect(searchKeysOfSorted(langs, sorted)).toEqual(searchKeys(langs, files));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the search index', () => {
  it('made on a thread per language is the one made on one thread, file for file', async () => {
    const one = staging();
    const three = staging();
    const filesOne = await writeSearchIndex(one, LANGS, 1);
    const filesThree = await writeSearchIndex(three, LANGS, 3);
    expect([...filesThree.keys()]).toEqual(LANGS);
    expect(filesThree).toEqual(filesOne);
    for (const lang of LANGS) {
      expect(filesOne.get(lang)).toContain(`pagefind/${lang}/pagefind-entry.json`);
      for (const file of filesOne.get(lang)!) expect(readFileSync(join(three, file)).equals(readFileSync(join(one, file))), file).toBe(true);
      const entry = JSON.parse(readFileSync(join(three, `pagefind/${lang}/pagefind-entry.json`), 'utf8')) as { languages: Record<string, { page_count: number }> };
      expect(Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0), lang).toBe(2);
    }
  }, 60_000);

  it('that cannot be written is an error that says why, on one thread or several', () => {
    for (const threads of [1, 2]) {
      const dir = staging();
      // A file where the bundles' folder goes.
      writeFileSync(join(dir, 'pagefind'), 'not a folder');
      // In a process of its own: a Pagefind service that stops is noticed when nothing else is
      // left to wait for, which a test runner's process never is.
      const script = `const { writeSearchIndex, SearchIndexError } = await import(${JSON.stringify(MODULE)});
        await writeSearchIndex(${JSON.stringify(dir)}, ${JSON.stringify(LANGS)}, ${threads}).then(
          () => console.log('written'),
          (e) => console.log(e instanceof SearchIndexError ? 'SearchIndexError: ' + e.detail : 'other: ' + e));`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout, `${threads} threads`).toMatch(/^SearchIndexError: \S/);
    }
  }, 120_000);
});
