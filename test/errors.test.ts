/**
 * Bad input stops the build with file:line:column, a rule id and a non-zero exit, and leaves
 * the previous output untouched. Each test builds a small real project on disk.
 */
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { InputError } from '../src/diagnostics.js';
// The compiled build (`npm test` compiles first), for a test of its render threads: they run the compiled worker next to it.
import { build as compiledBuild } from '../dist/build.js';
import { InputError as CompiledInputError } from '../dist/diagnostics.js';
import { makeProject, snapshotTree, type Project } from './helpers/project.js';

let project: Project;
const THIRTY_CODES = [100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417];

beforeEach(() => {
  project = makeProject(undefined, undefined, { search: true });
});

afterEach(() => {
  project.remove();
});

/** Build once successfully, break something, build again: the error and an unchanged out/. */
function expectFailure(breakIt: () => void, ...expected: RegExp[]) {
  const first = project.run('build');
  expect(first.status, first.stderr).toBe(0);
  const before = snapshotTree(project.path('out'));
  breakIt();
  const result = project.run('build');
  expect(result.status).toBe(1);
  for (const pattern of expected) expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  expect(snapshotTree(project.path('out'))).toEqual(before);
  // Nor a staging folder or a lock beside it: the output was made ready while the inputs loaded, and let go.
  expect(readdirSync(project.dir).filter((name) => name.startsWith('.out') && name !== '.out.previous')).toEqual([]);
  return result;
}

describe('bad input', () => {
  it('reports malformed YAML at its line and column', () => {
    expectFailure(() => project.edit('data/sip/codes/486.yaml', (t) => t.replace('reason: Busy Here', 'reason: [Busy Here')), /data\/sip\/codes\/486\.yaml\n\s*\d+:\d+\s+error .*invalid-yaml/);
  });

  it('reports a reason phrase that differs from the registry', () => {
    expectFailure(
      () => project.edit('data/sip/codes/486.yaml', (t) => t.replace('reason: Busy Here', 'reason: Busy')),
      /486\.yaml\n\s*2:1\s+error Unexpected reason phrase `Busy` for 486, the registry says `Busy Here`\s+unregistered-reason/,
    );
  });

  it('reports an unknown fact value and an unknown field where they are', () => {
    const result = expectFailure(() =>
      project.edit('data/sip/codes/486.yaml', (t) => t.replace(/retry: \S+/, 'retry: sometimes').replace('code: 486', 'code: 486\ncolour: red')),
    );
    expect(result.stderr).toMatch(/\d+:\d+\s+error Unexpected value `sometimes` for `facts.retry`.*unknown-value/);
    expect(result.stderr).toMatch(/2:1\s+error Unexpected field `colour`.*unknown-field/);
  });

  it('reports a duplicate code and a code outside 100–699', () => {
    const result = expectFailure(() => {
      project.write('data/sip/codes/999.yaml', project.read('data/sip/codes/486.yaml').replace('code: 486', 'code: 999'));
      project.write('data/sip/codes/487.yaml', project.read('data/sip/codes/486.yaml'));
    });
    expect(result.stderr).toMatch(/Unexpected code `999`, expected a number from 100 to 699\s+code-out-of-range/);
    expect(result.stderr).toMatch(/Duplicate code `486`, first defined in `data\/sip\/codes\/486\.yaml`\s+duplicate-code/);
  });

  it('reports a value of the wrong type and a missing text field', () => {
    const result = expectFailure(() =>
      project.edit('data/sip/codes/486.yaml', (t) => t.replace(/sdp: \w+/, 'sdp: maybe').replace(/\n  fix: >-\n(    .*\n)+/, '\n')),
    );
    expect(result.stderr).toMatch(/486\.yaml\n(.*\n)*\s*\d+:\d+\s+error Unexpected string for `facts\.sdp`, expected a boolean\s+wrong-type/);
    expect(result.stderr).toMatch(/error Missing required field `text\.fix`\s+missing-field/);
  });

  it('reports an extra key and mismatched interpolation variables in a locale, and a missing key as a warning', () => {
    const result = expectFailure(() =>
      project.edit('locales/zh-CN/sip.json', (t) => t.replace(/"use": "[^"]*"\n/, '"usage": "x"\n').replace('{{provisional}} 与 {{final}}', '{{provisional}} 与 {{finale}}')),
    );
    expect(result.stderr).toMatch(/locales\/zh-CN\/sip\.json\n(.*\n)*\s*\d+:\d+\s+warning Missing translation `sip:codes\.\d{3}\.use` in zh-CN: pages show the English text and say so\s+missing-translation-unit/);
    expect(result.stderr).toMatch(/error\s+Unexpected key `codes\.\d{3}\.usage` in zh-CN.*extra-locale-key/);
    expect(result.stderr).toMatch(/error\s+Unexpected interpolation variables in `choose.sequence`: zh-CN uses \{\{final\}\}.*interpolation-mismatch/s);
  });

  it('reports malformed JSON in a locale at its line', () => {
    expectFailure(() => project.edit('locales/en/common.json', (t) => t.replace('"Description",', '"Description"')), /locales\/en\/common\.json\n\s*\d+:\d+\s+error Cannot parse JSON/);
  });

  it('reports a Handlebars syntax error with the template line', () => {
    expectFailure(() => project.edit('templates/pair.md.hbs', (t) => t.replace('{{#each differences}}', '{{#each differences}')), /templates\/pair\.md\.hbs\n\s*\d+:1\s+error Cannot compile template.*template-syntax/);
  });

  it('reports a misspelt template variable with the template, line and column, from any render thread', () => {
    expectFailure(
      () => project.edit('templates/pair.md.hbs', (t) => t.replace('{{lead}}', '{{leed}}')),
      /templates\/pair\.md\.hbs\n\s*\d+:\d+\s+error Cannot render template `pair\.md`: "leed" not defined.*template-runtime/,
    );
    // Enough pages (30 codes: 435 pairs a language) that --jobs 2 really starts two threads.
    const bigger = makeProject(THIRTY_CODES);
    try {
      bigger.edit('templates/pair.md.hbs', (t) => t.replace('{{lead}}', '{{leed}}'));
      const threads = bigger.run('build', '--jobs', '2');
      expect(threads.status).toBe(1);
      expect(threads.stderr).toMatch(/templates\/pair\.md\.hbs\n\s*\d+:\d+\s+error Cannot render template `pair\.md`: "leed" not defined.*template-runtime/);
      expect(threads.stderr).not.toMatch(/\n\s+at /);
    } finally {
      bigger.remove();
    }
  });

  it('reports a render thread that runs out of its heap limit, and leaves the output as it was', async () => {
    const first = project.run('build');
    expect(first.status, first.stderr).toBe(0);
    const before = snapshotTree(project.path('out'));
    // A limit far below what a thread needs to load the inputs: the thread started (--jobs 2: one, beside the main thread) runs out.
    const error: unknown = await compiledBuild({ root: project.dir, outDir: project.path('out'), jobs: 2, force: true, threadHeapMb: 4 }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(CompiledInputError);
    const messages = (error as CompiledInputError).files.flatMap((file) => file.messages);
    expect(messages.map((message) => [message.file, message.ruleId])).toEqual([[project.path('out'), 'render-thread-memory']]);
    expect(messages[0]!.reason).toMatch(/^A render thread \(\d+ pages\) ran out of its heap limit of 4 MB; the previous output is unchanged \(build with --jobs 1/);
    expect(snapshotTree(project.path('out'))).toEqual(before);
  });

  it('reports an unknown partial and an unknown helper with the template line', () => {
    const result = expectFailure(() =>
      project.edit('templates/code.md.hbs', (t) => t.replace('# {{title}}', '# {{title}}\n\n{{> missing-partial}}\n\n{{shout title}}')),
    );
    // The helper is found as the template is compiled, before anything renders: named as the
    // template's author wrote it, with the helpers there are, at its line.
    expect(result.stderr).toMatch(/templates\/code\.md\.hbs\n\s*9:1\s+error Cannot render template `code\.md`: "shout" is not a helper \(templates have if, unless, each, with, lookup, log\)\s+template-runtime/);
    expect(result.stderr).not.toContain('knownHelpersOnly');
    project.edit('templates/code.md.hbs', (t) => t.replace('{{shout title}}', ''));
    const partial = project.run('build');
    expect(partial.status).toBe(1);
    expect(partial.stderr).toMatch(/templates\/code\.md\.hbs\n\s*\d+:\d+\s+error Cannot render template `code\.md`: The partial missing-partial could not be found\s+template-runtime/);
  });

  it('refuses a language tag with a NUL byte', () => {
    const result = expectFailure(() => project.edit('locales/languages.json', (t) => t.replace('"zh-CN"', '"zh\\u0000"')));
    expect(result.stderr).toMatch(/error Invalid language tag `zh\u0000`.*invalid-language-tag/);
  });

  it('refuses a language tag that would mix with an output folder of other files', () => {
    const result = expectFailure(() => project.edit('locales/languages.json', (t) => t.replace('"zh-CN"', '"kb"')));
    expect(result.stderr).toMatch(/3:\d+\s+error Unexpected language tag `kb`: its pages would be written into the `kb\/` output folder.*output-path-conflict/);
  });

  it('refuses markup in a translation, where it is written', () => {
    const result = expectFailure(() =>
      project.edit('locales/zh-CN/common.json', (t) => t.replace(/"description": "([^"]*)"/, '"description": "$1 [更多](javascript:alert(1))"')),
    );
    expect(result.stderr).toMatch(/locales\/zh-CN\/common\.json\n\s*\d+:\d+\s+error Unexpected Markdown link in text, write plain sentences without markup\s+unsafe-text/);
  });

  it('refuses markup in catalog text and a path-like language tag', () => {
    const result = expectFailure(() => {
      project.edit('data/sip/codes/486.yaml', (t) => t.replace(/description: >-\n/, 'description: >-\n    <script>alert(1)</script>\n'));
      project.edit('locales/languages.json', (t) => t.replace('"zh-CN"', '"../zh-CN"'));
    });
    expect(result.stderr).toMatch(/486\.yaml\n\s*\d+:\d+\s+error Unexpected angle bracket \(HTML\) in text.*unsafe-text/);
    expect(result.stderr).toMatch(/languages\.json\n\s*3:\d+\s+error Invalid language tag `\.\.\/zh-CN`.*invalid-language-tag/);
  });

  it('reports an output folder that is a file, and an unknown language, without a stack trace', () => {
    project.write('out', 'not a folder');
    const fileOut = project.run('build');
    expect(fileOut.status).toBe(1);
    expect(fileOut.stderr).toMatch(/exists and is not a directory\s+output-not-directory/);
    expect(project.read('out')).toBe('not a folder');
    const below = project.run('build', '--out', 'out/inside');
    expect(below.status).toBe(1);
    expect(below.stderr).toMatch(/error Cannot write output to `.*out\/inside`: `.*out` is a file, not a folder\s+output-unwritable/);
    const unknown = project.run('build', '--lang', 'xx', '--out', 'elsewhere');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown language `xx`, expected one of `en`, `zh-CN`/);
  });
});

describe('languages.json', () => {
  it('no longer takes a fallback language: English is the source of every unit', () => {
    project.edit('locales/languages.json', (t) => t.replace('"cjkLatinSpacing":true', '"cjkLatinSpacing":true,"fallback":"en"'));
    const result = project.run('check');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/3:\d+\s+error Unexpected field `\[1\]\.fallback`, expected one of `tag`, `name`, `cjkLatinSpacing`, `frenchSpacing`, `pairConjunction`\s+unknown-field/);
  });
});

describe('the staged output', () => {
  it('clears staging folders that killed builds left behind, and only those', () => {
    project.write('.out.staging-999999999', '');
    // The piece records a killed build's render threads had sent (see RecordSpill).
    project.write('.out.staging-999999998.records', '"en/sip/100-vs-180"\t{}\n');
    // And the files of a killed full build, listed for its manifest.
    project.write('.out.staging-999999998.files', '"en/sip/100-vs-180.md"\tabc\n');
    project.write('unrelated.txt', 'keep');
    const own = `.out.staging-${process.pid}`;
    project.write(own, 'a running build');
    project.write(`${own}.records`, 'a running build');
    expect(project.run('build').status).toBe(0);
    expect(() => project.read('.out.staging-999999999')).toThrow();
    expect(() => project.read('.out.staging-999999998.records')).toThrow();
    expect(() => project.read('.out.staging-999999998.files')).toThrow();
    expect(project.read(own)).toBe('a running build');
    expect(project.read(`${own}.records`)).toBe('a running build');
    expect(project.read('unrelated.txt')).toBe('keep');
  });
});

describe('the command line', () => {
  it('exits 2 with usage help on an unknown command or option', () => {
    const command = project.run('publish');
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/unknown command `publish`/);
    const option = project.run('build', '--colour');
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/Unknown option '--colour'/);
  });

  it('check validates without writing anything', () => {
    const result = project.run('check');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/7 SIP codes, 2 languages \(en, zh-CN\): no problems/);
    expect(() => project.read('out/en/index.md')).toThrow();
  });

  it('builds byte-identical output twice, and only the chosen languages with --lang', () => {
    expect(project.run('build').status).toBe(0);
    const first = snapshotTree(project.path('out'));
    // --force: every page rendered again (without it, nothing changed and nothing would be).
    expect(project.run('build', '--force').status).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(first);
    // Per language: index, 7 code pages and 21 pairs in two formats, 21 reversed-URL stubs and 7
    // diagrams; then the root page, the stylesheet, 404.html, robots.txt, the build manifest,
    // the piece records and the parsed YAML, and the search index.
    const pages = [...first.keys()].filter((path) => !path.startsWith('pagefind/'));
    expect(pages.length).toBe(2 * (2 * (1 + 7 + 21) + 21 + 7) + 7);
    for (const lang of ['en', 'zh-CN']) expect(first.has(`pagefind/${lang}/pagefind-entry.json`), lang).toBe(true);
    expect(first.has('.codepairs/manifest.json')).toBe(true);
    expect(first.has('.codepairs/pieces.json')).toBe(true);
    expect(first.has('.codepairs/parsed.json')).toBe(true);
    const stub = first.get('en/sip/439-vs-183.html')!;
    expect(stub).toContain('<link rel="canonical" href="183-vs-439.html">');
    expect(stub).toContain('<meta http-equiv="refresh" content="0; url=183-vs-439.html">');
    expect(stub).toContain('<meta name="robots" content="noindex">');
    expect(first.has('en/sip/439-vs-183.md')).toBe(false);
    // No page but the stubs themselves names a reversed URL (the build manifest lists every file).
    const reversed = (text: string) => [...text.matchAll(/(\d{3})-vs-(\d{3})\.(?:md|html)/g)].filter((m) => Number(m[1]) > Number(m[2]));
    const stubs = [...first.keys()].filter((path) => reversed(path).length > 0);
    expect(stubs).toHaveLength(2 * 21);
    for (const [path, text] of first) if (!stubs.includes(path) && !path.startsWith('.codepairs/')) expect(reversed(text).map((m) => m[0]), path).toEqual([]);

    expect(project.run('build', '--lang', 'zh-CN', '--out', 'zh-only').status).toBe(0);
    const zhOnly = snapshotTree(project.path('zh-only'));
    const site = ['index.html', '404.html', 'robots.txt'];
    expect([...zhOnly.keys()].every((f) => f.startsWith('zh-CN/') || site.includes(f) || f.startsWith('assets/') || f.startsWith('pagefind/') || f.startsWith('.codepairs/'))).toBe(true);
  });

  it('makes canonical and hreflang URLs absolute under --base-url', () => {
    expect(project.run('build', '--base-url', 'https://docs.example.com/sip').status).toBe(0);
    const html = project.read('out/zh-CN/sip/183-vs-439.html');
    expect(html).toContain('<link rel="canonical" href="https://docs.example.com/sip/zh-CN/sip/183-vs-439.html">');
    expect(html).toContain('<link rel="alternate" hreflang="en" href="https://docs.example.com/sip/en/sip/183-vs-439.html">');
  });
});
