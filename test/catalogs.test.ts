/**
 * Catalogs users bring themselves (issue 10, point 4): `codepairs init` scaffolds one that builds
 * as is, and a small third catalog (test/fixtures/smtp: five SMTP reply codes, English and German)
 * builds end to end with `--catalog`, its difference sentences coming from the facts its
 * protocol.yaml declares. Every expectation is read from the fixture's own files.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, ROOT } from './helpers/paths.js';

const FIXTURE = join(ROOT, 'test/fixtures/smtp');
type Json = Record<string, unknown>;
const get = (obj: unknown, path: string): string => path.split('.').reduce<unknown>((o, k) => (o as Json)?.[k], obj) as string;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

let work: string;
/** The real CLI, run from the work folder (catalog paths and --out are relative to it). */
const run = (...args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const read = (...parts: string[]) => readFileSync(join(work, ...parts), 'utf8');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'codepairs-catalogs-'));
  cpSync(FIXTURE, join(work, 'smtp'), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a third catalog built with --catalog (SMTP fixture)', () => {
  const codes = [220, 250, 354, 421, 550];
  const facts = (code: number) => (parseYaml(readFileSync(join(FIXTURE, 'codes', `${code}.yaml`), 'utf8')) as { facts: Json }).facts;
  const locale = (lang: string) => JSON.parse(readFileSync(join(FIXTURE, 'locales', lang, 'smtp.json'), 'utf8')) as Json;

  beforeAll(() => {
    const result = run('build', '--catalog', 'smtp', '--out', 'out', '--no-search', '--strict', '--jobs', '1');
    expect(result.status, result.stderr).toBe(0);
  }, 60_000);

  it('passes check --strict', () => {
    const result = run('check', '--catalog', 'smtp', '--strict');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('5 SMTP codes, 2 languages (en, de)');
  });

  it('reads well by check --output, on two lint threads', () => {
    const result = run('check', '--catalog', 'smtp', '--output', '--out', 'out', '--jobs', '2');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('32 pages in out: no findings');
  }, 30_000);

  it('writes a page for every code and every pair, in the languages the catalog has locales for', () => {
    for (const lang of ['en', 'de']) {
      expect(existsSync(join(work, 'out', lang, 'index.md'))).toBe(true);
      for (const [i, low] of codes.entries()) {
        expect(existsSync(join(work, 'out', lang, 'smtp', `${low}.md`))).toBe(true);
        for (const high of codes.slice(i + 1)) expect(existsSync(join(work, 'out', lang, 'smtp', `${low}-vs-${high}.html`))).toBe(true);
      }
    }
    // languages.json lists more languages; the catalog has no locales for them.
    expect(existsSync(join(work, 'out', 'fr'))).toBe(false);
  });

  for (const lang of ['en', 'de']) {
    it(`states each declared difference as the catalog phrases it (${lang})`, () => {
      const smtp = locale(lang);
      const page = read('out', lang, 'smtp', '354-vs-421.md');
      const [a, b] = [facts(354), facts(421)];
      // next: one sentence per code (sentence: each).
      for (const [code, f] of [[354, a], [421, b]] as const) expect(page).toContain(fill(get(smtp, `facts.next.sentences.${String(f.next)}`), { code }));
      // closes: a yes/no sentence (421 closes the connection, 354 does not).
      expect(page).toContain(fill(get(smtp, 'compare.closes'), { yes: 421, no: 354 }));
      // commands: an a/b sentence with the cells; 421 answers the wildcard.
      expect(page).toContain(fill(get(smtp, 'compare.commands'), { a: 354, b: 421, commandsA: 'DATA', commandsB: get(smtp, 'facts.commands.any') }));
      // The table has the declared rows between the built-ins, and no "Kind" row: no class is provisional.
      const labels = [...page.matchAll(/^\| ([^|]+?) +\|/gm)].map((m) => m[1]!.trim()).slice(1).filter((l) => !/^-+$/.test(l));
      const rows = ['class', 'commands', 'next', 'closes', 'lifecycle', 'reference'].map((f) => get(smtp, `facts.${f}.label`));
      expect(labels).toEqual(rows);
    });
  }

  it('names the facts two codes share in one sentence', () => {
    const smtp = locale('en');
    const page = read('out', 'en', 'smtp', '220-vs-250.md');
    // Both let the session go on and lead to the next command.
    expect(page).toContain(get(smtp, 'shared.closes_no'));
    expect(page).toContain(fill(get(smtp, 'shared.item'), { aspect: get(smtp, 'facts.next.aspect'), value: get(smtp, 'facts.next.values.continue') }));
  });

  it('records a German translation against the new English in the catalog\'s own sources.json (translations stamp --catalog)', () => {
    const packageSources = readFileSync(join(ROOT, 'locales/de/sources.json'), 'utf8');
    writeFileSync(join(work, 'smtp/codes/550.yaml'), read('smtp/codes/550.yaml').replace('Check the address with its owner;', 'Check the address with the person who owns it;'));
    try {
      const stale = run('check', '--catalog', 'smtp', '--strict');
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain('stale-translation');
      const status = run('translations', 'status', '--catalog', 'smtp', '--lang', 'de');
      expect(status.stdout).toMatch(/stale\s+smtp:codes\.550\.fix/);
      const stamp = run('translations', 'stamp', '--catalog', 'smtp', '--lang', 'de', '--unit', 'smtp:codes.550.fix');
      expect(stamp.status, stamp.stderr).toBe(0);
      expect(run('check', '--catalog', 'smtp', '--strict').status).toBe(0);
      const records = JSON.parse(read('smtp/locales/de/sources.json')) as Record<string, { source: string }>;
      expect(records['smtp:codes.550.fix']!.source).toContain('the person who owns it');
      // Only the catalog's units are recorded there; the package's own file is untouched.
      expect(Object.keys(records).every((id) => id.startsWith('smtp:'))).toBe(true);
      expect(readFileSync(join(ROOT, 'locales/de/sources.json'), 'utf8')).toBe(packageSources);
    } finally {
      for (const file of ['codes/550.yaml', 'locales/de/sources.json']) cpSync(join(FIXTURE, file), join(work, 'smtp', file));
    }
  }, 30_000);

  it('imports a German translation into the catalog\'s own locale and sources.json (translations export/import --catalog)', () => {
    const packageSources = readFileSync(join(ROOT, 'locales/de/sources.json'), 'utf8');
    const localePath = join(work, 'smtp/locales/de/smtp.json');
    const de = JSON.parse(readFileSync(localePath, 'utf8')) as { codes: Record<string, Record<string, string>> };
    const german = de.codes['550']!.fix!;
    delete de.codes['550']!.fix;
    writeFileSync(localePath, `${JSON.stringify(de, null, 2)}\n`);
    try {
      const exported = run('translations', 'export', '--catalog', 'smtp', '--lang', 'de', '--format', 'json');
      expect(exported.status, exported.stderr).toBe(0);
      const file = JSON.parse(exported.stdout) as { units: Array<{ id: string; target?: string; state?: string }> };
      // Only the catalog's own units: the shared labels belong to the project that owns them.
      expect(file.units.every((u) => u.id.startsWith('smtp:'))).toBe(true);
      const unit = file.units.find((u) => u.id === 'smtp:codes.550.fix');
      expect(unit, 'the missing unit is exported').toBeDefined();
      Object.assign(unit!, { target: german, state: 'translated' });
      writeFileSync(join(work, 'de.json'), JSON.stringify(file));
      const imported = run('translations', 'import', 'de.json', '--catalog', 'smtp');
      expect(imported.status, imported.stderr).toBe(0);
      expect((JSON.parse(read('smtp/locales/de/smtp.json')) as typeof de).codes['550']!.fix).toBe(german);
      const records = JSON.parse(read('smtp/locales/de/sources.json')) as Record<string, unknown>;
      expect(records['smtp:codes.550.fix']).toBeDefined();
      expect(Object.keys(records).every((id) => id.startsWith('smtp:'))).toBe(true);
      expect(run('check', '--catalog', 'smtp', '--strict').status).toBe(0);
      expect(readFileSync(join(ROOT, 'locales/de/sources.json'), 'utf8')).toBe(packageSources);
    } finally {
      for (const file of ['locales/de/smtp.json', 'locales/de/sources.json']) cpSync(join(FIXTURE, file), join(work, 'smtp', file));
    }
  }, 30_000);

  it('reports a fact value outside the declared vocabulary with its place and rule id, and writes nothing', () => {
    writeFileSync(join(work, 'smtp/codes/550.yaml'), read('smtp/codes/550.yaml').replace('next: give-up', 'next: despair'));
    try {
      const result = run('build', '--catalog', 'smtp', '--out', 'broken', '--no-search');
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(join('smtp', 'codes', '550.yaml'));
      expect(result.stderr).toMatch(/\d+:9\s+error Unexpected value `despair` for `facts\.next`.*unknown-value/);
      expect(existsSync(join(work, 'broken'))).toBe(false);
    } finally {
      cpSync(join(FIXTURE, 'codes/550.yaml'), join(work, 'smtp/codes/550.yaml'));
    }
  });
});

describe('a second catalog of the project (data/<id>, its locales beside SIP\'s)', () => {
  it('builds with --catalog data/<id> --root, in the languages the project has its resources for', () => {
    const project = join(work, 'project');
    for (const folder of ['locales', 'templates', 'assets']) cpSync(join(ROOT, folder), join(project, folder), { recursive: true });
    for (const part of ['protocol.yaml', 'codes']) cpSync(join(FIXTURE, part), join(project, 'data/smtp', part), { recursive: true });
    for (const lang of ['en', 'de']) cpSync(join(FIXTURE, 'locales', lang, 'smtp.json'), join(project, 'locales', lang, 'smtp.json'));
    const sources = join(project, 'locales/de/sources.json');
    const merged = { ...(JSON.parse(readFileSync(sources, 'utf8')) as Json), ...(JSON.parse(readFileSync(join(FIXTURE, 'locales/de/sources.json'), 'utf8')) as Json) };
    writeFileSync(sources, JSON.stringify(merged));
    const result = run('build', '--catalog', 'project/data/smtp', '--root', 'project', '--out', 'out', '--no-search', '--strict');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('2 languages: en, de');
    expect(existsSync(join(project, 'out', 'de', 'smtp', '250-vs-550.html'))).toBe(true);
  }, 30_000);

  it('stamps --all of that catalog into the shared sources.json without dropping SIP\'s records', () => {
    const project = join(work, 'project');
    const sources = join(project, 'locales/de/sources.json');
    const before = JSON.parse(readFileSync(sources, 'utf8')) as Json;
    const stamp = run('translations', 'stamp', '--catalog', 'project/data/smtp', '--root', 'project', '--lang', 'de', '--all');
    expect(stamp.status, stamp.stderr).toBe(0);
    const after = JSON.parse(readFileSync(sources, 'utf8')) as Json;
    const sip = Object.keys(before).filter((id) => id.startsWith('sip:'));
    expect(sip.length).toBeGreaterThan(100);
    for (const id of sip) expect(after[id]).toEqual(before[id]);
    expect(Object.keys(after).some((id) => id.startsWith('smtp:'))).toBe(true);
    const check = run('check', '--catalog', 'project/data/smtp', '--root', 'project', '--strict');
    expect(check.status, check.stderr).toBe(0);
  }, 30_000);
});

describe('the shipped HTTP catalog (data/http)', () => {
  it('passes check --strict against its registry copy, with 104 reserved and 306/418 unused, in the languages it has text for', () => {
    const result = run('check', '--catalog', join(ROOT, 'data/http'), '--root', ROOT, '--strict');
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const langs = (JSON.parse(readFileSync(join(ROOT, 'locales/languages.json'), 'utf8')) as Array<{ tag: string }>).map((l) => l.tag).filter((tag) => existsSync(join(ROOT, 'locales', tag, 'http.json')));
    expect(result.stdout).toContain(`61 HTTP codes, ${langs.length} language${langs.length === 1 ? '' : 's'} (${langs.join(', ')}): no problems`);
    // Every registry row is a code file, except the rows the catalog declares without one.
    const registry = readFileSync(join(ROOT, 'data/http/iana-registry.tsv'), 'utf8').split('\n').filter((l) => /^\d{3}\t/.test(l)).map((l) => Number(l.slice(0, 3)));
    const files = readdirSync(join(ROOT, 'data/http/codes')).map((n) => Number(n.slice(0, 3)));
    expect(registry.filter((c) => !files.includes(c)).sort()).toEqual([104, 306, 418]);
  });
});

describe('codepairs init', () => {
  it('scaffolds a catalog that builds as is', () => {
    const init = run('init', 'acme', '--protocol', 'acme');
    expect(init.status, init.stderr).toBe(0);
    for (const file of ['protocol.yaml', 'README.md', 'locales/en/acme.json']) expect(existsSync(join(work, 'acme', file))).toBe(true);
    const protocol = parseYaml(read('acme', 'protocol.yaml')) as { id: string };
    expect(protocol.id).toBe('acme');
    const build = run('build', '--catalog', 'acme', '--out', 'acme-out', '--no-search', '--strict');
    expect(build.status, build.stderr).toBe(0);
    const pairs = read('acme-out', 'en', 'acme', '200-vs-500.md');
    expect(pairs).toContain('# ACME 200 OK vs 500 Internal Error');
  }, 30_000);

  it('refuses a folder that is not empty and a protocol id that cannot name a folder (usage errors)', () => {
    expect(run('init', 'smtp', '--protocol', 'smtp').status).toBe(2);
    expect(run('init', 'fresh', '--protocol', 'Bad Name').status).toBe(2);
    expect(run('init', 'fresh').status).toBe(2);
  });
});
