/**
 * The shipped project builds several catalogs into one site (codepairs.config.json `catalogs`):
 * SIP and HTTP pages side by side under `<lang>/<protocol>/`, each protocol's index in its
 * folder, and a home page per language that lists the protocols. Built here with the real CLI
 * from a copy of the project with the whole HTTP catalog and a few SIP codes (the full SIP
 * catalog is the test suite's background build), in English and Simplified Chinese; every
 * expectation is read from the catalogs and locales, not copied from output.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseDocument } from 'yaml';
import { ROOT } from './helpers/paths.js';
import { SMALL_LANGS, SMALL_SET, makeProject, type Project } from './helpers/project.js';

type Json = Record<string, unknown>;
const config = JSON.parse(readFileSync(join(ROOT, 'codepairs.config.json'), 'utf8')) as { catalogs: string[] };
const protocolOf = (dir: string) => (parseYaml(readFileSync(join(ROOT, dir, 'protocol.yaml'), 'utf8')) as { id: string; name: string; reserved?: number[] });
const codesOf = (dir: string) => readdirSync(join(project.dir, dir, 'codes')).map((name) => Number(name.slice(0, 3))).sort((a, b) => a - b);
const locale = (lang: string, ns: string) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, `${ns}.json`), 'utf8')) as Json;
const get = (obj: unknown, path: string): string => path.split('.').reduce<unknown>((o, k) => (o as Json)?.[k], obj) as string;

let project: Project;
let out: string;
const read = (path: string) => readFileSync(join(out, path), 'utf8');
/** The Markdown links of a page, resolved against the output folder. */
const linksOf = (path: string) => [...read(path).matchAll(/\]\(([^)\s]+\.md)\)/g)].map((m) => posix.join(posix.dirname(path), m[1]!));

beforeAll(() => {
  project = makeProject(SMALL_SET, SMALL_LANGS);
  // The copy keeps a few SIP codes: HTTP's seeAlso entries may name only those.
  for (const name of readdirSync(project.path('data/http/codes'))) {
    const path = `data/http/codes/${name}`;
    const doc = parseDocument(project.read(path));
    const entries = (doc.toJS() as { seeAlso?: Array<{ protocol: string; code: number }> }).seeAlso;
    if (!entries) continue;
    const kept = entries.filter((e) => e.protocol !== 'sip' || SMALL_SET.includes(e.code));
    if (kept.length) doc.set('seeAlso', kept);
    else doc.delete('seeAlso');
    project.write(path, String(doc));
  }
  project.write('codepairs.config.json', `${JSON.stringify({ search: false, catalogs: config.catalogs })}\n`);
  out = project.path('out');
  const result = project.run('build', '--jobs', '2', '--quiet');
  expect(result.status, result.stderr).toBe(0);
}, 300_000);
afterAll(() => project.remove());

describe('a site of several catalogs (the shipped codepairs.config.json)', () => {
  it('ships SIP and HTTP', () => {
    expect(config.catalogs.map((c) => protocolOf(c).id)).toEqual(['sip', 'http']);
  });

  it('has a home page per language that links every protocol\'s index and its most confused pairs, all of which exist', () => {
    const home = read('en/index.md');
    expect(home).toContain(`# ${get(locale('en', 'common'), 'home.title')}`);
    for (const catalog of config.catalogs) {
      const { id } = protocolOf(catalog);
      expect(home).toContain(`## ${get(locale('en', id), 'title.index')}`);
      expect(home).toContain(`](${id}/index.md)`);
    }
    const links = linksOf('en/index.md');
    expect(links.length).toBeGreaterThan(config.catalogs.length * 2);
    for (const link of links) {
      expect(existsSync(join(out, link)), link).toBe(true);
      expect(existsSync(join(out, link.replace(/\.md$/, '.html'))), link).toBe(true);
    }
    // The language chooser at the root leads to the home pages.
    expect(read('index.html')).toContain('href="en/index.html"');
  });

  it('writes every code and every pair of each protocol under its folder, the index beside them', () => {
    for (const catalog of config.catalogs) {
      const { id } = protocolOf(catalog);
      const codes = codesOf(catalog);
      expect(existsSync(join(out, 'en', id, 'index.md'))).toBe(true);
      for (const [i, low] of codes.entries()) {
        expect(existsSync(join(out, 'en', id, `${low}.md`))).toBe(true);
        for (const high of codes.slice(i + 1)) {
          expect(existsSync(join(out, 'en', id, `${low}-vs-${high}.md`)), `${id} ${low}-vs-${high}`).toBe(true);
          expect(existsSync(join(out, 'en', id, `${high}-vs-${low}.html`)), `${id} ${high}-vs-${low}`).toBe(true);
        }
      }
      // A page's "all codes" link leads to its protocol's index, not to the home page.
      expect(linksOf(`en/${id}/${codes[0]}.md`)).toContain(`en/${id}/index.md`);
      expect(linksOf(`en/${id}/${codes[0]}-vs-${codes[1]}.md`)).toContain(`en/${id}/index.md`);
    }
  });

  it('opens each code page with its class and the article English needs before it ("an informational")', () => {
    const http = locale('en', 'http');
    for (const [code, classId] of [[100, 'informational'], [404, 'client-error']] as const) {
      const lead = read(`en/http/${code}.md`).split('\n').find((line) => line.startsWith(`HTTP ${code} `))!;
      const article = /^[aeiou]/.test(get(http, `classes.${classId}`)) ? 'an' : 'a';
      expect(lead).toContain(` is ${article} ${get(http, `classes.${classId}`)} response`);
    }
  });

  it('lists a reserved code on its protocol\'s index by its registry name, with no article', () => {
    const http = config.catalogs.find((c) => protocolOf(c).id === 'http')!;
    const reserved = protocolOf(http).reserved ?? [];
    expect(reserved).toContain(104);
    const registry = readFileSync(join(ROOT, http, 'iana-registry.tsv'), 'utf8');
    const index = read('en/http/index.md');
    expect(index).toContain(`## ${get(locale('en', 'common'), 'sections.reserved')}`);
    for (const code of reserved) {
      const name = new RegExp(`^${code}\\t([^\\t(]+)`, 'm').exec(registry)![1]!.trim();
      expect(index).toContain(`- ${code} ${name}`);
      expect(existsSync(join(out, 'en', 'http', `${code}.md`))).toBe(false);
    }
  });

  it('links a code of the other protocol only where the code file\'s seeAlso names it, with the source', () => {
    const http = locale('en', 'http');
    const sip = locale('en', 'sip');
    let linked = 0;
    for (const code of codesOf('data/sip')) {
      const data = parseYaml(readFileSync(project.path('data/sip/codes', `${code}.yaml`), 'utf8')) as { seeAlso?: Array<{ protocol: string; code: number; source: string; section: string }> };
      const page = read(`en/sip/${code}.md`);
      const links = linksOf(`en/sip/${code}.md`).filter((link) => link.startsWith('en/http/'));
      expect(links).toEqual((data.seeAlso ?? []).map((entry) => `en/${entry.protocol}/${entry.code}.md`));
      for (const entry of data.seeAlso ?? []) {
        expect(existsSync(join(out, 'en', entry.protocol, `${entry.code}.html`))).toBe(true);
        const source = get(sip, 'facts.reference.value').replace('{{rfc}}', entry.source.replace(/^RFC(\d+)$/, 'RFC $1')).replace('{{section}}', entry.section);
        expect(page).toContain(source);
        // And back: the HTTP code names the SIP one.
        expect(linksOf(`en/http/${entry.code}.md`)).toContain(`en/sip/${code}.md`);
        linked++;
      }
    }
    expect(linked).toBeGreaterThan(0);
    expect(get(http, 'facts.reference.value')).toContain('{{rfc}}');
  });

  it('never calls 208 a final response: its kind is a member\'s status, against a final and an interim code, in each language', () => {
    const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
    for (const lang of SMALL_LANGS) {
      const http = locale(lang, 'http');
      const member = get(http, 'facts.finality.member');
      const kindRow = (page: string) => read(`${lang}/http/${page}.md`).split('\n').find((line) => line.startsWith(`| ${get(http, 'facts.finality.label')} `))!;
      expect(kindRow('208').split('|').map((cell) => cell.trim())).toEqual(['', get(http, 'facts.finality.label'), member, '']);
      expect(kindRow('200-vs-208').split('|').map((cell) => cell.trim())).toEqual(['', get(http, 'facts.finality.label'), get(http, 'facts.finality.final'), member, '']);
      expect(read(`${lang}/http/200-vs-208.md`)).toContain(fill(get(http, 'compare.finality_member'), { member: 208, other: 200, otherClass: get(http, 'classes.success') }));
      expect(read(`${lang}/http/100-vs-208.md`)).toContain(fill(get(http, 'compare.finality_memberInterim'), { member: 208, other: 100 }));
      // The sentence of an interim against a final code is not said of 208.
      const finalSentence = get(http, 'compare.finality');
      expect(read(`${lang}/http/100-vs-208.md`)).not.toContain(fill(finalSentence, { provisional: 100, final: 208, finalClass: get(http, 'classes.success') }));
      // Nor do the leads call both codes of 207 vs 208 successful responses; two success codes do.
      // Any of a lead's plural forms (one differing aspect or more).
      const lead = (context: string) => {
        const forms = Object.entries(get(http, 'lead') as unknown as Record<string, string>).filter(([key]) => key.startsWith(`differences_${context}_`));
        const pattern = (form: string) => fill(form, { class: '\u0000', aspects: '\u0000' }).replace(/[.*+?^$()[\]\\|]/g, '\\$&').replace(/\u0000/g, '.+');
        return new RegExp(forms.map(([, form]) => pattern(form)).join('|'));
      };
      const [sameClass, otherwise] = [lead('sameClass'), lead('differentClass')];
      expect(read(`${lang}/http/207-vs-208.md`)).toMatch(otherwise!);
      expect(read(`${lang}/http/207-vs-208.md`)).not.toMatch(sameClass!);
      expect(read(`${lang}/http/200-vs-207.md`)).toMatch(sameClass!);
    }
  });

  it('refuses a seeAlso entry that names a code the other catalog does not have, at its place, and writes nothing', () => {
    const file = 'data/sip/codes/404.yaml';
    const before = project.read(file);
    project.edit(file, (text) => text.replace('code: 404, source: RFC3261', 'code: 306, source: RFC3261'));
    try {
      const result = project.run('build', '--out', 'broken', '--lang', 'en');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(file);
      const line = project.read(file).split('\n').findIndex((l) => l.includes('code: 306')) + 1;
      expect(result.stderr).toMatch(new RegExp(`${line}:\\d+\\s+error Unknown code \`306\` of protocol \`http\` in \`seeAlso\`.*unknown-see-also`));
      expect(existsSync(project.path('broken'))).toBe(false);
    } finally {
      project.write(file, before);
    }
  });

  it('exports the knowledge base of both protocols', () => {
    const result = project.run('export', '--lang', 'en', '--jobs', '1');
    expect(result.status, result.stderr).toBe(0);
    const records = project.read('out/kb/en.jsonl').trim().split('\n').map((line) => JSON.parse(line) as { id: string; protocol: string; codes: number[] });
    for (const catalog of config.catalogs) {
      const { id } = protocolOf(catalog);
      const codes = codesOf(catalog);
      const pairs = (codes.length * (codes.length - 1)) / 2;
      const articles = new Set(records.filter((r) => r.protocol === id).map((r) => r.codes.join('-')));
      expect(articles.size).toBe(codes.length + pairs);
    }
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  }, 120_000);

  it('reads well by check --output over every page of both protocols, in both languages', () => {
    const result = project.run('check', '--output', '--jobs', '2');
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no findings/);
  }, 300_000);
});
