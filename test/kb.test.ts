/**
 * The knowledge-base export (`codepairs export`), run with the real CLI on small real projects:
 * every line valid against the shipped JSON Schema, ids unique and stable, no code text stored
 * twice, anchors that exist in the built HTML, splits on sentence boundaries, the change set
 * after editing or removing a code, bad manifests, and a build that keeps kb/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Table } from 'mdast';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { load } from '../src/build.js';
import { blockText } from '../src/export/plain-text.js';
import { typographyOf } from '../src/render/article.js';
import { typeset } from '../src/render/plugins/remark-typography.js';
import { ambiguousLabels, sectionKeyMap } from '../src/render/section-keys.js';
import { codeHeading } from '../src/render/views.js';
import { charLength, splitText } from '../src/export/split.js';
import { SMALL_SET, makeProject, snapshotTree, type Project } from './helpers/project.js';
import { ROOT } from './helpers/paths.js';

interface KbRecord {
  id: string;
  article_id: string;
  url: string;
  lang: string;
  kind: 'code' | 'pair';
  codes: number[];
  section: string;
  heading: string | null;
  hierarchy: Record<string, string | null>;
  part: number;
  parts: number;
  text: string;
  refs: string[];
  hash: string;
}

const ajv = new Ajv2020({ allErrors: true });
for (const name of ['kb-record', 'kb-change', 'kb-manifest']) ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schema', `${name}.schema.json`), 'utf8')));
const validRecord = ajv.getSchema('urn:codepairs:schema:kb-record')!;
const validChange = ajv.getSchema('urn:codepairs:schema:kb-change')!;
const validManifest = ajv.getSchema('urn:codepairs:schema:kb-manifest')!;

const lines = (text: string): unknown[] => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);

function records(project: Project, lang: string): KbRecord[] {
  return lines(project.read('out/kb', `${lang}.jsonl`)) as KbRecord[];
}

function exportOk(project: Project, ...args: string[]) {
  const result = project.run('export', ...args);
  expect(result.status, result.stderr).toBe(0);
  return result;
}

let project: Project;
let scratch: string;

beforeEach(() => {
  project = makeProject();
  scratch = mkdtempSync(join(tmpdir(), 'codepairs-kb-'));
});

afterEach(() => {
  project.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('codepairs export', () => {
  it('writes a record per section of every code page and pair article, valid against the schema, with unique ids and true hashes', () => {
    exportOk(project);
    const all = [...records(project, 'en'), ...records(project, 'zh-CN')];
    for (const record of all) {
      expect(validRecord(record), `${JSON.stringify(validRecord.errors)} in ${JSON.stringify(record)}`).toBe(true);
      const { id: _id, hash, ...content } = record;
      expect(hash).toBe(`sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`);
    }
    const ids = all.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);

    // Every code page and every pair article of both languages is there.
    const pairs = (SMALL_SET.length * (SMALL_SET.length - 1)) / 2;
    for (const lang of ['en', 'zh-CN']) {
      const articles = new Set(all.filter((r) => r.lang === lang).map((r) => r.article_id));
      expect(articles.size).toBe(SMALL_SET.length + pairs);
    }
    // Section keys do not depend on the language: the same ids, language aside.
    const shape = (lang: string) => all.filter((r) => r.lang === lang && r.part === 1).map((r) => r.id.replace(`/${lang}/`, '/*/')).sort();
    expect(shape('zh-CN')).toEqual(shape('en'));
    expect(new Set(all.filter((r) => r.kind === 'code').map((r) => r.section))).toEqual(new Set(['lead', 'facts', 'description', 'when', 'call-flow', 'example', 'fix', 'use']));

    // The manifest lists every id with its hash, and nothing else.
    const manifest = JSON.parse(project.read('out/kb/manifest.json')) as { records: Record<string, string> };
    expect(validManifest(manifest), JSON.stringify(validManifest.errors)).toBe(true);
    expect(manifest.records).toEqual(Object.fromEntries(all.map((r) => [r.id, r.hash])));
    expect(existsSync(project.path('out/kb/changes.jsonl'))).toBe(false);
  });

  it('stores no code text twice: pair records refer to the code records by id', () => {
    exportOk(project);
    const en = records(project, 'en');
    const ids = new Set(en.map((r) => r.id));
    const pairs = en.filter((r) => r.kind === 'pair');
    for (const code of SMALL_SET) {
      const text = parseDocument(project.read('data/sip/codes', `${code}.yaml`)).toJS().text as Record<string, string>;
      for (const [field, value] of Object.entries(text)) {
        const sentence = value.split('. ')[0]!;
        const holders = en.filter((r) => r.text.includes(sentence));
        expect(holders.map((r) => r.id), `${code} ${field}`).toEqual([`sip/${code}/en/${field}`]);
      }
    }
    // In every language: no paragraph of a code's own sections appears in a record of its pairs.
    for (const lang of ['en', 'zh-CN']) {
      const all = records(project, lang);
      const paragraphs = all.filter((r) => r.kind === 'code' && r.section !== 'facts').flatMap((r) => r.text.split('\n').filter((p) => p.length >= 24).map((p) => ({ code: r.codes[0], p })));
      for (const pair of all.filter((r) => r.kind === 'pair')) {
        const repeated = paragraphs.filter(({ code, p }) => pair.codes.includes(code!) && pair.text.includes(p));
        expect(repeated, pair.id).toEqual([]);
      }
    }
    const lead = en.find((r) => r.id === 'sip/183-vs-439/en/lead')!;
    expect(lead.refs).toEqual(expect.arrayContaining(['sip/183/en/description', 'sip/183/en/when', 'sip/183/en/fix', 'sip/439/en/description', 'sip/439/en/use']));
    for (const record of pairs) for (const ref of record.refs) expect(ids.has(ref), `${record.id} → ${ref}`).toBe(true);
    // A pair with a sequence sentence keeps it as its own "which to use when" record.
    const choose = en.find((r) => r.id === 'sip/183-vs-486/en/choose');
    expect(choose?.refs).toEqual(['sip/183/en/use', 'sip/486/en/use']);
    expect(choose?.text).toMatch(/183/);
  });

  it('is byte-identical across two runs, and a later build keeps out/kb/', () => {
    exportOk(project);
    const first = snapshotTree(project.path('out/kb'));
    exportOk(project);
    expect(snapshotTree(project.path('out/kb'))).toEqual(first);
    const build = project.run('build');
    expect(build.status, build.stderr).toBe(0);
    expect(snapshotTree(project.path('out/kb'))).toEqual(first);
    expect(existsSync(project.path('out/en/sip/183-vs-439.html'))).toBe(true);
  });

  it('writes the same knowledge base whatever the number of threads', () => {
    const larger = makeProject([100, 180, 181, 182, 183, 199, 200, 202, 300, 301, 302, 400, 401, 404, 486, 600]);
    try {
      expect(larger.run('export', '--jobs', '1').status).toBe(0);
      const single = snapshotTree(larger.path('out/kb'));
      const result = larger.run('export', '--jobs', '2');
      expect(result.status, result.stderr).toBe(0);
      expect(snapshotTree(larger.path('out/kb'))).toEqual(single);
    } finally {
      larger.remove();
    }
  });

  it('gives urls whose anchors exist in the built HTML pages', () => {
    expect(project.run('build').status).toBe(0);
    exportOk(project);
    const all = [...records(project, 'en'), ...records(project, 'zh-CN')];
    const pages = new Map<string, string>();
    for (const record of all) {
      const [path, anchor] = record.url.split('#') as [string, string];
      const html = pages.get(path) ?? project.read('out', path);
      pages.set(path, html);
      expect(html, record.url).toContain(` id="${anchor}"`);
      if (record.heading) expect(html, record.url).toMatch(new RegExp(`<h2 id="${anchor}">${record.heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</h2>`));
    }
  });

  it('splits long sections on sentence boundaries, never inside a word, keeping their heading', () => {
    exportOk(project);
    const whole = new Map([...records(project, 'en'), ...records(project, 'zh-CN')].map((r) => [r.id, r]));
    exportOk(project, '--max-chars', '120');
    const manifest = JSON.parse(project.read('out/kb/manifest.json')) as { maxChars: number };
    expect(manifest.maxChars).toBe(120);
    for (const lang of ['en', 'zh-CN']) {
      const parts = records(project, lang);
      const words = new Intl.Segmenter(lang, { granularity: 'word' });
      const bySection = new Map<string, KbRecord[]>();
      for (const part of parts) {
        const base = `${part.article_id}/${part.section}`;
        bySection.set(base, [...(bySection.get(base) ?? []), part]);
      }
      let split = 0;
      for (const [base, group] of bySection) {
        const original = whole.get(base)!;
        expect(group.map((r) => r.part)).toEqual(group.map((_, i) => i + 1));
        for (const part of group) {
          expect(part.parts).toBe(group.length);
          expect(part.heading).toBe(original.heading);
          expect(part.hierarchy).toEqual(original.hierarchy);
          const longWord = [...words.segment(part.text)].some((s) => charLength(s.segment) > 120);
          if (!longWord) expect(charLength(part.text), part.id).toBeLessThanOrEqual(120);
        }
        if (group.length === 1) continue;
        split++;
        // Nothing lost or reordered, and every cut falls on a word boundary of the original text.
        const squeeze = (text: string) => text.replace(/\s+/g, '');
        expect(squeeze(group.map((r) => r.text).join(''))).toBe(squeeze(original.text));
        const boundaries = new Set([...words.segment(original.text)].map((s) => s.index));
        let offset = 0;
        for (const part of group.slice(0, -1)) {
          offset = original.text.indexOf(part.text, offset) + part.text.length;
          const next = original.text.slice(offset).search(/\S/) + offset;
          expect(boundaries.has(offset) || boundaries.has(next), `${part.id} ends inside a word`).toBe(true);
        }
      }
      expect(split).toBeGreaterThan(10);
    }
  });

  it('writes only the changed code records after an edit of one English text', () => {
    exportOk(project);
    const old = join(scratch, 'manifest.json');
    writeFileSync(old, project.read('out/kb/manifest.json'));
    project.edit('data/sip/codes/486.yaml', (text) => {
      const doc = parseDocument(text);
      doc.setIn(['text', 'description'], 'The callee is busy on this device right now. Another device of the same user may still answer.');
      return String(doc);
    });
    const result = exportOk(project, '--since', old);
    // The Chinese translation is now stale: until it is redone, that page shows the new English.
    expect(result.stdout).toMatch(/2 upserts, 0 deletes/);
    const changes = lines(project.read('out/kb/changes.jsonl')) as Array<{ op: string; record?: KbRecord; id?: string }>;
    for (const change of changes) expect(validChange(change), JSON.stringify(validChange.errors)).toBe(true);
    expect(changes.map((c) => c.record?.id ?? c.id)).toEqual(['sip/486/en/description', 'sip/486/zh-CN/description']);
    for (const change of changes) expect(change.record!.text).toContain('Another device of the same user');

    // With nothing edited since, the change set is empty.
    writeFileSync(old, project.read('out/kb/manifest.json'));
    exportOk(project, '--since', old);
    expect(project.read('out/kb/changes.jsonl')).toBe('');
  });

  it('deletes the records of a code that is gone, and leaves other languages of the old manifest alone', () => {
    exportOk(project);
    const old = join(scratch, 'manifest.json');
    writeFileSync(old, project.read('out/kb/manifest.json'));
    const oldIds = Object.keys((JSON.parse(readFileSync(old, 'utf8')) as { records: Record<string, string> }).records);
    const smaller = makeProject(SMALL_SET.filter((c) => c !== 600));
    try {
      const result = smaller.run('export', '--since', old, '--lang', 'en');
      expect(result.status, result.stderr).toBe(0);
      const changes = lines(smaller.read('out/kb/changes.jsonl')) as Array<{ op: string; id?: string }>;
      const expected = oldIds.filter((id) => id.split('/')[2] === 'en' && /^sip\/(600|\d+-vs-600)\//.test(id));
      expect(expected.length).toBeGreaterThan(6);
      expect(changes).toEqual(expected.sort().map((id) => ({ op: 'delete', id })));
      expect(existsSync(smaller.path('out/kb/zh-CN.jsonl'))).toBe(false);
    } finally {
      smaller.remove();
    }
  });

  it('reports a missing, malformed or wrong manifest with file, place and rule id, and leaves out/kb/ as it was', () => {
    exportOk(project);
    const before = snapshotTree(project.path('out/kb'));
    const missing = project.run('export', '--since', 'nowhere/manifest.json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nowhere\/manifest\.json\n.*error Cannot read the manifest of the earlier export.*missing-file/);

    project.write('old.json', '{\n  "format": "codepairs-kb-manifest",\n  "records": {\n}');
    const malformed = project.run('export', '--since', 'old.json');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toMatch(/old\.json\n\s*4:2\s+error Cannot parse JSON.*invalid-json/);

    project.write('old.json', '{\n  "format": "codepairs-kb-manifest",\n  "version": 1,\n  "langs": ["en"],\n  "maxChars": 1500,\n  "records": { "sip/183/en/lead": "md5:x" }\n}\n');
    const wrong = project.run('export', '--since', 'old.json');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/old\.json\n\s*6:35\s+error Unexpected `md5:x` for `records.sip\/183\/en\/lead`.*invalid-manifest/);
    for (const result of [missing, malformed, wrong]) expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)/);
    expect(snapshotTree(project.path('out/kb'))).toEqual(before);
  });

  it('takes its size limit from codepairs.config.json, and rejects a bad limit or format as a usage error', () => {
    project.write('codepairs.config.json', JSON.stringify({ kbMaxChars: 300, langs: ['en'] }));
    exportOk(project);
    expect((JSON.parse(project.read('out/kb/manifest.json')) as { maxChars: number; langs: string[] })).toMatchObject({ maxChars: 300, langs: ['en'] });
    expect(existsSync(project.path('out/kb/zh-CN.jsonl'))).toBe(false);
    expect(project.run('export', '--max-chars', '20').status).toBe(2);
    expect(project.run('export', '--format', 'csv').status).toBe(2);
  });
});

describe('section keys', () => {
  it('tells every section heading apart in every shipped language', async () => {
    const { ctx } = await load({ root: ROOT, baseUrl: undefined });
    for (const language of ctx.languages) {
      expect(ambiguousLabels(ctx, language.tag), language.tag).toEqual([]);
      const keys = sectionKeyMap(ctx, language.tag, typographyOf(ctx, language.tag));
      const keysOfCodes = ctx.catalog.codes.map((code) => keys.get(typeset(codeHeading(ctx, language.tag, code), typographyOf(ctx, language.tag))));
      expect(keysOfCodes, language.tag).toEqual(ctx.catalog.codes.map((code) => `code-${code.code}`));
    }
  });
});

describe('plain text and splitting (pure)', () => {
  it('turns a table into labelled rows, not glued cells', () => {
    const cell = (value: string) => ({ type: 'tableCell' as const, children: [{ type: 'text' as const, value }] });
    const table: Table = {
      type: 'table',
      children: [
        { type: 'tableRow', children: [cell('Property'), cell('183'), cell('439')] },
        { type: 'tableRow', children: [cell('Class'), cell('provisional'), cell('client failure')] },
      ],
    };
    expect(blockText(table)).toBe('Property: 183 | 439\nClass: provisional | client failure');
  });

  it('cuts between sentences, then between words, and keeps a word longer than the limit whole', () => {
    const text = 'First sentence is here. Second one follows it. Third.';
    expect(splitText(text, 'en', 30)).toEqual(['First sentence is here.', 'Second one follows it. Third.']);
    expect(splitText('alpha beta gamma delta epsilon', 'en', 12)).toEqual(['alpha beta', 'gamma delta', 'epsilon']);
    expect(splitText('a supercalifragilistic word', 'en', 10)).toEqual(['a', 'supercalifragilistic', 'word']);
    const chinese = '这是第一句话。这是第二句话。这是第三句话。';
    expect(splitText(chinese, 'zh-CN', 8)).toEqual(['这是第一句话。', '这是第二句话。', '这是第三句话。']);
  });
});
