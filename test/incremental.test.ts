/**
 * Incremental builds: a rebuild renders only the pages whose inputs changed and keeps the other
 * files as they are (same inode, same modification time), removes the pages of a deleted code,
 * and always ends with the same bytes as a full build of the same inputs.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VFile } from 'vfile';
import { reporter } from 'vfile-reporter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { PAGES_PER_THREAD, WRITE_THREAD_PAGES, build } from '../src/build.js';
import { InputError } from '../src/diagnostics.js';
import { makeProject, snapshotTree, SMALL_SET, type Project } from './helpers/project.js';

const LANGS = ['en', 'zh-CN'];
const MANIFEST = '.codepairs/manifest.json';
const PIECES = '.codepairs/pieces.json';
const PARSED = '.codepairs/parsed.json';
/** The note a build leaves in the output it replaced, for the next build (src/emit/build-manifest.ts). */
const RECYCLE_NOTE = '.codepairs/recycle.json';
/** The build's own records (manifest, piece records, parsed YAML): not pages, neither written nor kept in the counts. */
const RECORDS = 3;
const isPage = (path: string) => !path.startsWith('.codepairs/');

/** Every file of a folder with what identifies one write of it: inode, size and mtime. */
function stamps(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else {
        const stat = statSync(join(dir, rel), { bigint: true });
        files.set(rel, `${stat.ino}:${stat.size}:${stat.mtimeNs}`);
      }
    }
  };
  walk('');
  return files;
}

/** The files of `after` that are new or were written again since `before`. */
const rewritten = (before: Map<string, string>, after: Map<string, string>): string[] =>
  [...after].filter(([path, stamp]) => before.get(path) !== stamp).map(([path]) => path).sort();

const summary = (stdout: string) => {
  const match = /(\d+) rendered \((\d+) files written, (\d+) kept, (\d+) removed/.exec(stdout);
  expect(match, stdout).not.toBeNull();
  const [rendered, written, kept, removed] = match!.slice(1).map(Number) as [number, number, number, number];
  return { rendered, written, kept, removed };
};

/** The files of the pages of `code` in `langs`: its code page (with its diagram), its pair articles and their stubs. */
function pagesOf(code: number, codes: number[], langs = LANGS): string[] {
  const files: string[] = [];
  for (const lang of langs) {
    files.push(`${lang}/sip/${code}.md`, `${lang}/sip/${code}.html`, `${lang}/sip/diagrams/${code}.svg`);
    for (const other of codes.filter((c) => c !== code)) {
      const [low, high] = [Math.min(code, other), Math.max(code, other)];
      files.push(`${lang}/sip/${low}-vs-${high}.md`, `${lang}/sip/${low}-vs-${high}.html`, `${lang}/sip/${high}-vs-${low}.html`);
    }
  }
  return files.sort();
}

/** Whether a path is a pair's reversed-URL stub (`<high>-vs-<low>.html`). */
const isStub = (path: string) => {
  const pair = /(\d+)-vs-(\d+)\.html$/.exec(path);
  return pair !== null && Number(pair[1]) > Number(pair[2]);
};

let project: Project;

/** Append a sentence to the English description of `code` (in data/sip/codes/<code>.yaml). */
function editDescription(code: number, of: Project = project) {
  of.edit(`data/sip/codes/${code}.yaml`, (text) => {
    const doc = parseDocument(text);
    doc.setIn(['text', 'description'], `${String(doc.getIn(['text', 'description'])).trim()} An edited sentence.`);
    return String(doc);
  });
}

/** Build into out/, then check it equals a full build of the same inputs (a fresh folder, --force). */
function buildAndCompare() {
  const result = project.run('build');
  expect(result.status, result.stderr).toBe(0);
  rmSync(project.path('cold'), { recursive: true, force: true });
  const cold = project.run('build', '--out', 'cold', '--force');
  expect(cold.status, cold.stderr).toBe(0);
  expect(summary(cold.stdout).kept).toBe(0);
  expect(snapshotTree(project.path('out'))).toEqual(snapshotTree(project.path('cold')));
  return summary(result.stdout);
}

describe('incremental builds', () => {
  beforeAll(() => {
    project = makeProject(SMALL_SET, LANGS);
    const first = project.run('build');
    expect(first.status, first.stderr).toBe(0);
    const counts = summary(first.stdout);
    expect(counts.kept).toBe(0);
    expect(counts.written).toBeGreaterThan(0);
  });
  afterAll(() => project.remove());

  it('a no-op rebuild writes nothing: every file keeps its inode and mtime', () => {
    const before = stamps(project.path('out'));
    const folder = statSync(project.path('out')).ino;
    const result = project.run('build');
    expect(result.status, result.stderr).toBe(0);
    expect(summary(result.stdout)).toEqual({ rendered: 0, written: 0, kept: before.size - RECORDS, removed: 0 });
    expect(stamps(project.path('out'))).toEqual(before);
    // Not even swapped: the output folder is the same folder.
    expect(statSync(project.path('out')).ino).toBe(folder);
  });

  it('a full build leaves links of its files beside the output, noted as the same, for the edit after it to build in', () => {
    // As the full build of beforeAll left it (the no-op rebuild does not touch it).
    const seed = stamps(project.path('.out.previous'));
    const note = JSON.parse(readFileSync(project.path('.out.previous', RECYCLE_NOTE), 'utf8')) as { output: string; changed: string[] };
    expect(note.changed).toEqual([]);
    seed.delete(RECYCLE_NOTE);
    expect(seed).toEqual(stamps(project.path('out')));
  });

  it("editing one code's English text rewrites exactly its code page and its pairs, in every language", () => {
    const before = stamps(project.path('out'));
    editDescription(183);
    const counts = buildAndCompare();
    // The pages are rendered again, but a file whose bytes did not change with them is kept: the
    // reversed-URL stubs (they show only the title) and the call-flow diagram.
    const expected = pagesOf(183, SMALL_SET).filter((p) => !isStub(p) && !p.includes('/diagrams/'));
    expect(rewritten(before, stamps(project.path('out'))).filter(isPage)).toEqual(expected);
    // Per language: the code page and one pair article per other code.
    expect(counts).toEqual({ rendered: LANGS.length * SMALL_SET.length, written: expected.length, kept: before.size - RECORDS - expected.length, removed: 0 });
  });

  it('a page rendered again keeps each file whose bytes did not change: a new alias changes its pair articles\' Markdown only (their front matter)', () => {
    const before = stamps(project.path('out'));
    let original = '';
    project.edit('data/sip/codes/183.yaml', (text) => {
      original = text;
      const doc = parseDocument(text);
      doc.setIn(['aliases'], [...((doc.getIn(['aliases']) as { toJSON(): string[] } | undefined)?.toJSON() ?? []), 'Early Media']);
      return String(doc);
    });
    const counts = buildAndCompare();
    // The code page lists its aliases; a pair article has them as keywords of its front matter.
    const expected = pagesOf(183, SMALL_SET).filter((p) => p.endsWith('.md') || /\/183\.html$/.test(p));
    expect(rewritten(before, stamps(project.path('out'))).filter(isPage)).toEqual(expected);
    expect(counts).toEqual({ rendered: LANGS.length * SMALL_SET.length, written: expected.length, kept: before.size - RECORDS - expected.length, removed: 0 });
    // As it was, for the tests after this one.
    project.edit('data/sip/codes/183.yaml', () => original);
    expect(project.run('build').status).toBe(0);
  });

  it('changing a label of one language rewrites its pages and leaves the other language alone', () => {
    const before = stamps(project.path('out'));
    const bytes = snapshotTree(project.path('out'));
    project.edit('locales/zh-CN/common.json', (text) => text.replace(/("differences": ")([^"]+)"/, '$1$2（已改）"'));
    // Built in the output the edit before replaced (.out.previous, recycled); it keeps the one this build replaces.
    buildAndCompare();
    const previous = snapshotTree(project.path('.out.previous'));
    // With a note from this build of the files it changed there: the zh-CN pages only.
    const note = JSON.parse(previous.get(RECYCLE_NOTE)!) as { changed: string[] };
    expect(note.changed.length).toBeGreaterThan(0);
    expect(note.changed.filter((path) => !path.startsWith('zh-CN/'))).toEqual([]);
    previous.delete(RECYCLE_NOTE);
    expect(previous).toEqual(bytes);
    const changed = rewritten(before, stamps(project.path('out')));
    expect(changed.filter((p) => p.startsWith('en/'))).toEqual([]);
    // Every pair article shows the label.
    const pairs = [...before.keys()].filter((p) => /^zh-CN\/sip\/(\d+)-vs-(\d+)\.(md|html)$/.test(p) && Number(p.slice(10, 13)) < Number(p.slice(17, 20)));
    expect(pairs.length).toBeGreaterThan(0);
    for (const page of pairs) expect(changed).toContain(page);
  });

  it('changing a template rewrites the pages made with it, and no other', () => {
    const before = stamps(project.path('out'));
    project.edit('templates/code.md.hbs', (text) => `${text.trimEnd()}\n\nA paragraph added to every code page.\n`);
    buildAndCompare();
    const changed = rewritten(before, stamps(project.path('out'))).filter(isPage);
    // Their diagrams are made again too, the same bytes: kept.
    const codePages = LANGS.flatMap((lang) => SMALL_SET.flatMap((code) => [`${lang}/sip/${code}.md`, `${lang}/sip/${code}.html`])).sort();
    expect(changed).toEqual(codePages);
    expect(project.read('out/en/sip/404.md')).toContain('A paragraph added to every code page.');
  });

  it("deleting a code removes its pages and stubs, rewrites the pages that list or link to it, and keeps the others", () => {
    const kept = SMALL_SET.filter((c) => c !== 600);
    // The inputs of a catalog without 600: its file, registry line, translations, related links and curated pairs go.
    const smaller = makeProject(kept, LANGS);
    try {
      for (const folder of ['data', 'locales']) {
        rmSync(project.path(folder), { recursive: true });
        cpSync(smaller.path(folder), project.path(folder), { recursive: true });
      }
    } finally {
      smaller.remove();
    }
    // Keep the edits of the earlier tests, so only the deletion differs.
    editDescription(183);
    project.edit('locales/zh-CN/common.json', (text) => text.replace(/("differences": ")([^"]+)"/, '$1$2（已改）"'));
    const before = stamps(project.path('out'));
    const counts = buildAndCompare();
    const after = stamps(project.path('out'));
    const gone = pagesOf(600, SMALL_SET);
    for (const path of gone) expect(after.has(path), path).toBe(false);
    expect(counts.removed).toBe(gone.length);
    // 486 lists 600 under related: its pages change. A pair of two codes that do not is kept.
    const changed = rewritten(before, after);
    expect(changed).toContain('en/sip/404-vs-486.md');
    expect(changed).toContain('en/sip/180.md');
    expect(changed).toContain('en/index.md');
    expect(changed).not.toContain('en/sip/180-vs-183.md');
    expect(changed).not.toContain('zh-CN/sip/200-vs-439.html');
  });

  it('--force renders every page again, with the same bytes', () => {
    const before = snapshotTree(project.path('out'));
    const result = project.run('build', '--force');
    expect(result.status, result.stderr).toBe(0);
    expect(summary(result.stdout).kept).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(before);
  });

  it('a recycled folder whose note is gone or damaged is sorted out from its own manifest', () => {
    const note = project.path('.out.previous', RECYCLE_NOTE);
    for (const spoil of [() => rmSync(note), () => writeFileSync(note, '{"output": "')]) {
      // An edit leaves a note of 439's pages in the output it replaced; the next edit recycles that folder.
      editDescription(439);
      buildAndCompare();
      expect(existsSync(note)).toBe(true);
      spoil();
      editDescription(200);
      buildAndCompare();
    }
  });

  it('a file lost from the output while an edit is built is made again: its page is rendered, a site file written', () => {
    // 486's pages change; 180-vs-183 and the stylesheet do not, but the output lost them. (Without
    // the output the build before replaced, which could give them back as they are: see below.)
    rmSync(project.path('.out.previous'), { recursive: true, force: true });
    editDescription(486);
    rmSync(project.path('out/zh-CN/sip/180-vs-183.md'));
    rmSync(project.path('out/assets/style.css'));
    const counts = buildAndCompare();
    // Per language 486's code page and its pairs with the five other codes (600 was deleted above), and 180-vs-183 in zh-CN.
    expect(counts.rendered).toBe(LANGS.length * (1 + SMALL_SET.length - 2) + 1);
  });

  it('a missing file of a kept page is made again: taken from the output the last build replaced, or its page rendered', () => {
    // The output the build before replaced (recycled as the staging folder) has the file as it should be.
    expect(existsSync(project.path('.out.previous'))).toBe(true);
    rmSync(project.path('out/en/sip/180-vs-183.html'));
    const result = project.run('build');
    expect(result.status, result.stderr).toBe(0);
    expect(summary(result.stdout).rendered).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(snapshotTree(project.path('cold')));
    // Without it, the page is rendered again.
    rmSync(project.path('.out.previous'), { recursive: true });
    rmSync(project.path('out/en/sip/180-vs-183.html'));
    const again = project.run('build');
    expect(again.status, again.stderr).toBe(0);
    expect(summary(again.stdout).rendered).toBe(1);
    expect(snapshotTree(project.path('out'))).toEqual(snapshotTree(project.path('cold')));
  });

  it.each([
    ['is not JSON', '{"format": '],
    ['is of another version', JSON.stringify({ format: 'codepairs-build-manifest', version: 99, tool: 'x', files: {} })],
    ['names a file outside the output', JSON.stringify({ format: 'codepairs-build-manifest', version: 1, tool: 'x', files: { '../x': 'y' } })],
  ])('a manifest that %s means a full build', (_, text) => {
    writeFileSync(project.path('out', MANIFEST), text);
    const result = project.run('build');
    expect(result.status, result.stderr).toBe(0);
    expect(summary(result.stdout).kept).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(snapshotTree(project.path('cold')));
  });

  it.each([
    ['is missing', () => rmSync(project.path('out', PIECES))],
    ['is not the format', () => writeFileSync(project.path('out', PIECES), '{"pages": {}}\n')],
    ['has a line that is not a page', () => project.edit(`out/${PIECES}`, (text) => text.replace(/\n {2}"/, '\nnot a page\n  "'))],
    ['is cut short', () => project.edit(`out/${PIECES}`, (text) => text.slice(0, text.length / 2))],
  ])('piece records that %s mean a full build once anything changes', (_, spoil) => {
    spoil();
    editDescription(404);
    expect(buildAndCompare().kept).toBe(0);
  });
});

/**
 * A rebuild whose inputs are byte for byte those of the build before stops before loading them
 * (src/load/input-key.ts): nothing is planned, the files are all checked to be there, and the
 * warnings of that build are reported again, word for word. Through the API, as the stage
 * timings tell what ran (and the key includes the working folder, which a CLI run would change).
 */
describe('incremental builds on worker threads', () => {
  // 30 codes: a label change renders the 466 pages of a language, which takes two threads.
  const THIRTY = [100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417];

  it('end as a full build would, also in a recycled staging folder sorted out while the threads load', () => {
    const big = makeProject(THIRTY, LANGS);
    try {
      expect(big.run('build', '--jobs', '2').status).toBe(0);
      // The threads linked what they wrote into the seed, as the main thread did.
      const seed = stamps(big.path('.out.previous'));
      seed.delete(RECYCLE_NOTE);
      expect(seed).toEqual(stamps(big.path('out')));
      for (const lang of ['zh-CN', 'en']) {
        // The first edit builds in that seed, the second in the output the first one replaced.
        expect(existsSync(big.path('.out.previous'))).toBe(true);
        big.edit(`locales/${lang}/common.json`, (text) => text.replace(/("differences": ")([^"]+)"/, '$1$2 (2)"'));
        const result = big.run('build', '--jobs', '2');
        expect(result.status, result.stderr).toBe(0);
        expect(summary(result.stdout).rendered).toBeGreaterThan(400);
        rmSync(big.path('cold'), { recursive: true, force: true });
        expect(big.run('build', '--out', 'cold', '--force', '--jobs', '1').status).toBe(0);
        expect(snapshotTree(big.path('out'))).toEqual(snapshotTree(big.path('cold')));
      }
    } finally {
      big.remove();
    }
  });
});

describe('an edit rendered on the main thread', () => {
  it('hands its files to a thread that makes them, and ends as a full build on render threads would', () => {
    const codes = [100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417];
    const edited = makeProject(codes, LANGS);
    try {
      expect(edited.run('build', '--jobs', '2').status).toBe(0);
      for (const code of [183, 404]) {
        editDescription(code, edited);
        const result = edited.run('build');
        expect(result.status, result.stderr).toBe(0);
        // Enough pages for the thread that makes files, too few for render threads (see build.ts).
        const { rendered } = summary(result.stdout);
        expect(rendered).toBeGreaterThanOrEqual(WRITE_THREAD_PAGES);
        expect(rendered).toBeLessThan(PAGES_PER_THREAD);
        rmSync(edited.path('cold'), { recursive: true, force: true });
        expect(edited.run('build', '--out', 'cold', '--force', '--jobs', '2').status).toBe(0);
        expect(snapshotTree(edited.path('out'))).toEqual(snapshotTree(edited.path('cold')));
      }
    } finally {
      edited.remove();
    }
  });
});

describe('a rebuild with unchanged inputs', () => {
  let small: Project;
  const options = () => ({ root: small.dir, outDir: small.path('out'), jobs: 1 });
  const said = (files: VFile[]) => reporter(files, { quiet: true });

  beforeAll(() => {
    small = makeProject(SMALL_SET, LANGS);
    // A stale translation: the English of 183 changed after zh-CN was translated.
    small.edit('data/sip/codes/183.yaml', (text) => {
      const doc = parseDocument(text);
      doc.setIn(['text', 'description'], `${String(doc.getIn(['text', 'description'])).trim()} An edited sentence.`);
      return String(doc);
    });
  });
  afterAll(() => small.remove());

  it('loads nothing, writes nothing and repeats the warnings of the build before', async () => {
    const first = await build(options());
    expect(first.timings.plan).toBeGreaterThan(0);
    expect(said(first.warnings)).toMatch(/stale-translation/);
    const before = stamps(small.path('out'));
    const again = await build(options());
    expect(again.timings.plan).toBe(0);
    expect({ rendered: again.rendered, files: again.files, kept: again.kept, pages: again.pages }).toEqual({ rendered: 0, files: 0, kept: before.size - RECORDS, pages: first.pages });
    expect(again.languages).toEqual(first.languages);
    expect(said(again.warnings)).toBe(said(first.warnings));
    expect(stamps(small.path('out'))).toEqual(before);
  });

  it('looks closer when a file of the output is gone, and puts it back', async () => {
    const lost = small.path('out/zh-CN/sip/180-vs-183.md');
    const bytes = readFileSync(lost);
    rmSync(lost);
    const result = await build(options());
    expect(result.timings.plan).toBeGreaterThan(0);
    // Taken from the folder the full build left beside the output, not rendered.
    expect({ rendered: result.rendered, files: result.files }).toEqual({ rendered: 0, files: 0 });
    expect(readFileSync(lost)).toEqual(bytes);
    expect((await build(options())).timings.plan).toBe(0);
  });

  it('looks closer after any change to the inputs; one that changes no page updates only the manifest and the parsed YAML', async () => {
    const before = stamps(small.path('out'));
    small.edit('data/sip/codes/404.yaml', (text) => `${text}# A comment at the end changes the file, not the catalog.\n`);
    const result = await build(options());
    expect(result.timings.plan).toBeGreaterThan(0);
    expect({ rendered: result.rendered, files: result.files }).toEqual({ rendered: 0, files: 0 });
    expect(rewritten(before, stamps(small.path('out')))).toEqual([MANIFEST, PARSED]);
    // The manifest now records these inputs: the next rebuild stops early again.
    expect((await build(options())).timings.plan).toBe(0);
  });

  it("renders a page again from the files' unchanged pieces: an edit of 183 takes 486's section of 183-vs-486 as it is", async () => {
    await build(options());
    // Mark the files' copy of 486's description, keeping its length: the page rendered again
    // after an edit of 183 shows the mark, so that section came from the files, not from the catalog.
    const page = small.path('out/en/sip/183-vs-486');
    const mark = (text: string) => text.replace("The callee's device was reached", "THE CALLEE'S DEVICE WAS REACHED");
    for (const extension of ['md', 'html']) writeFileSync(`${page}.${extension}`, mark(readFileSync(`${page}.${extension}`, 'utf8')));
    small.edit('data/sip/codes/183.yaml', (text) => text.replace('An edited sentence.', 'An edited sentence, edited again.'));
    const result = await build(options());
    expect(result.rendered).toBe(LANGS.length * SMALL_SET.length);
    const markdown = readFileSync(`${page}.md`, 'utf8');
    expect(markdown).toContain('An edited sentence, edited again.');
    expect(markdown).toContain("THE CALLEE'S DEVICE WAS REACHED");
    expect(readFileSync(`${page}.html`, 'utf8')).toContain("THE CALLEE'S DEVICE WAS REACHED");
    // `--force` makes every page from the inputs alone.
    await build({ ...options(), force: true });
    expect(readFileSync(`${page}.md`, 'utf8')).toContain("The callee's device was reached");
  });

  it("takes the YAML the build before parsed from .codepairs/parsed.json: a value planted there for a file's text is what the next build shows", async () => {
    await build(options());
    const code = small.path('data/sip/codes/486.yaml');
    const hash = createHash('sha256').update(readFileSync(code, 'utf8')).digest('hex');
    const cache = small.path('out/.codepairs/parsed.json');
    const lines = readFileSync(cache, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${hash} `));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace("The callee's device was reached", "PLANTED: the callee's device was reached");
    writeFileSync(cache, lines.join('\n'));
    // Another file changes, so the build loads the catalog: 486.yaml's value comes from the cache.
    small.edit('data/sip/codes/404.yaml', (text) => `${text}# Changed, so the build loads.\n`);
    await build(options());
    expect(readFileSync(small.path('out/en/sip/486.md'), 'utf8')).toContain("PLANTED: the callee's device was reached");
    // `--force` parses every file again.
    await build({ ...options(), force: true });
    expect(readFileSync(small.path('out/en/sip/486.md'), 'utf8')).not.toContain('PLANTED');
    expect(readFileSync(cache, 'utf8')).not.toContain('PLANTED');
  });

  it('points at the exact place of a problem in a file whose value came from the cache', async () => {
    await build(options());
    // A copy of 486.yaml under another name: the same text, so its value is in the cache; the
    // duplicate code is reported at the value of `code:`, which only a parse of the file can tell.
    const text = readFileSync(small.path('data/sip/codes/486.yaml'), 'utf8');
    writeFileSync(small.path('data/sip/codes/999.yaml'), text);
    try {
      const error: unknown = await build(options()).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(InputError);
      const file = (error as InputError).files.find((f) => f.path.endsWith('999.yaml'));
      const line = text.split('\n').findIndex((l) => l.startsWith('code:')) + 1;
      expect(file?.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['duplicate-code', line, 'code: '.length + 1]]);
    } finally {
      rmSync(small.path('data/sip/codes/999.yaml'));
    }
  });

  it('sees a change to a template, a stylesheet, a label or a catalog outside the project', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'codepairs-catalog-'));
    try {
      cpSync(small.path('data/sip'), outside, { recursive: true });
      const withCatalog = { ...options(), catalog: outside };
      expect((await build(withCatalog)).timings.plan).toBeGreaterThan(0);
      expect((await build(withCatalog)).timings.plan).toBe(0);
      for (const change of [
        () => writeFileSync(join(outside, 'codes/486.yaml'), `# edited\n${readFileSync(join(outside, 'codes/486.yaml'), 'utf8')}`),
        () => small.edit('templates/code.md.hbs', (text) => `${text.trimEnd()}\n\nOne more paragraph.\n`),
        () => small.edit('assets/style.css', (text) => `${text}\n/* edited */\n`),
        () => small.edit('locales/zh-CN/common.json', (text) => text.replace(/("differences": ")([^"]+)"/, '$1$2（再改）"')),
      ]) {
        change();
        expect((await build(withCatalog)).timings.plan).toBeGreaterThan(0);
        expect((await build(withCatalog)).timings.plan).toBe(0);
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('incremental builds with a search index', () => {
  it("index again only the languages a page of which changed, keep the other bundles as they are, and end as a full build would", () => {
    const site = makeProject(SMALL_SET, LANGS, { search: true });
    const bundle = (stamp: Map<string, string>, lang: string) => new Map([...stamp].filter(([path]) => path.startsWith(`pagefind/${lang}/`)));
    const compare = () => {
      rmSync(site.path('cold'), { recursive: true, force: true });
      expect(site.run('build', '--out', 'cold', '--force').status).toBe(0);
      expect(snapshotTree(site.path('out'))).toEqual(snapshotTree(site.path('cold')));
    };
    try {
      expect(site.run('build').status).toBe(0);
      const first = stamps(site.path('out'));
      for (const lang of LANGS) expect(first.has(`pagefind/${lang}/pagefind-entry.json`), lang).toBe(true);
      // Each home page searches its own language's bundle.
      expect(site.read('out/zh-CN/index.html')).toContain('src="../pagefind/zh-CN/pagefind-ui.js"');

      // A Chinese label: the Chinese pages change, the English bundle is kept file for file.
      site.edit('locales/zh-CN/common.json', (text) => text.replace('"home": "全部状态码"', '"home": "所有状态码"'));
      const result = site.run('build');
      expect(result.status, result.stderr).toBe(0);
      const second = stamps(site.path('out'));
      expect(bundle(second, 'en')).toEqual(bundle(first, 'en'));
      const zh = bundle(second, 'zh-CN');
      expect(zh.size).toBeGreaterThan(0);
      expect([...zh].every(([path, stamp]) => first.get(path) !== stamp)).toBe(true);
      compare();

      // An English text is shown on the Chinese pages too (stale translation): both are indexed again.
      editDescription(183, site);
      expect(site.run('build').status).toBe(0);
      const third = stamps(site.path('out'));
      for (const lang of LANGS) expect(rewritten(second, third).some((path) => path === `pagefind/${lang}/pagefind-entry.json`), lang).toBe(true);
      compare();

      // A file of a bundle gone from the output: that bundle is made again, whole; the other is kept.
      const lost = [...third.keys()].find((path) => path.startsWith('pagefind/en/') && path.includes('/fragment/'))!;
      rmSync(site.path('out', lost));
      expect(site.run('build').status).toBe(0);
      const fourth = stamps(site.path('out'));
      expect(fourth.has(lost)).toBe(true);
      expect(bundle(fourth, 'zh-CN')).toEqual(bundle(third, 'zh-CN'));
      compare();
    } finally {
      site.remove();
    }
  });
});
