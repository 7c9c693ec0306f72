/**
 * `codepairs check --output` reads generated pages as a careful reader would: a clean build has
 * no findings, and each kind of defect put into the pages is found where it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type Project } from './helpers/project.js';

let project: Project;

beforeAll(() => {
  project = makeProject();
  const result = project.run('build');
  expect(result.status, result.stderr).toBe(0);
});

afterAll(() => project.remove());

/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('codepairs check --output', () => {
  it('finds nothing in a fresh build and says how similar the closest pair pages are', () => {
    const result = project.run('check', '--output');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/en: 29 pages; most similar pair pages en\/sip\/\S+ and en\/sip\/\S+: 0\.\d\d \(limit 0\.7\); fewest words of its own \d+ \(\d+%\) in en\/sip\/\S+ \(limit 0\)/);
    expect(result.stdout).toMatch(/codepairs check --output: 58 pages in out: no findings/);
  });

  it('reports each kind of defect at its place, and exits 1', () => {
    const read = (path: string) => project.read('out', path);
    const write = (path: string, text: string) => project.write(`out/${path}`, text);
    // The paragraph under a heading (its text also stands in the front matter, so go by line).
    const paragraphAfter = (text: string, heading: string) => text.split('\n')[lineOf(text, heading) + 1]!;
    const replaceParagraphAfter = (text: string, heading: string, by: string | undefined) => {
      const lines = text.split('\n');
      lines.splice(lineOf(text, heading) + 1, by === undefined ? 2 : 1, ...(by === undefined ? [] : [by]));
      return lines.join('\n');
    };

    // A doubled word in the lead of a pair article.
    const pair = read('en/sip/183-vs-439.md');
    write('en/sip/183-vs-439.md', pair.replace('\n\nThis article compares', '\n\nThis article compares compares'));
    // A code page section with no text: the paragraph under "When it occurs" goes.
    const code = read('en/sip/486.md');
    write('en/sip/486.md', replaceParagraphAfter(code, '## When it occurs', undefined));
    // A sentence said twice, and a key difference that repeats a description.
    const other = read('en/sip/180-vs-486.md');
    const description = paragraphAfter(other, '### Description');
    const firstSentence = description.split('. ')[0]!;
    write('en/sip/180-vs-486.md', other.replace('## Key differences\n', `## Key differences\n\n${description}\n`));
    // English left in a Chinese page.
    const zh = read('zh-CN/sip/600.md');
    write('zh-CN/sip/600.md', replaceParagraphAfter(zh, '## 描述', paragraphAfter(read('en/sip/600.md'), '## Description')));
    // A link to a page that does not exist.
    const linked = read('en/sip/200.md');
    // Links out of the language's folder: to files there (checked against each folder's files),
    // and to two that are not.
    const outside = ['../../index.html', '../../assets/style.css', '../../zh-CN/sip/600.md', '../../assets/gone.css', '../../zh-CN/sip/299.md'];
    write('en/sip/200.md', `${linked.replace('(183-vs-200.md)', '(183-vs-299.md)')}\n${outside.map((url, i) => `[link ${i}](${url})`).join(' ')}\n`);
    // Two pair pages with the same text.
    write('en/sip/404-vs-600.md', read('en/sip/404-vs-486.md').replace(/codes:\n  - 404\n  - 486/, 'codes:\n  - 404\n  - 600'));

    const result = project.run('check', '--output');
    expect(result.status).toBe(1);
    const report = result.stderr;
    const at = (file: string, line: number, rule: string) => new RegExp(`out/en/sip/${file}\\n(?:.*\\n)*?${line}:\\d+\\s+error .*\\s${rule}\\s`);
    expect(report).toMatch(at('183-vs-439.md', lineOf(read('en/sip/183-vs-439.md'), 'compares compares'), 'repeated-word'));
    expect(report).toMatch(/Repeated word `compares`/);
    expect(report).toMatch(at('486.md', lineOf(read('en/sip/486.md'), '## When it occurs'), 'empty-section'));
    expect(report).toMatch(at('180-vs-486.md', lineOf(read('en/sip/180-vs-486.md'), '## Key differences') + 2, 'repeated-sentence'));
    expect(report).toContain(`Sentence said twice on the page: ${firstSentence}.`);
    expect(report).toMatch(at('180-vs-486.md', lineOf(read('en/sip/180-vs-486.md'), '## Key differences') + 2, 'differences-repeat-text'));
    expect(report).toMatch(new RegExp(`out/zh-CN/sip/600\\.md\\n\\s*${lineOf(read('zh-CN/sip/600.md'), '## 描述') + 2}:1\\s+error Untranslated text in zh-CN`));
    expect(report).toMatch(/error Broken link `183-vs-299\.md`: no file `en\/sip\/183-vs-299\.md` in the output\s+broken-link/);
    expect(report).toMatch(/error Broken link `\.\.\/\.\.\/assets\/gone\.css`: no file `assets\/gone\.css` in the output\s+broken-link/);
    expect(report).toMatch(/error Broken link `\.\.\/\.\.\/zh-CN\/sip\/299\.md`: no file `zh-CN\/sip\/299\.md` in the output\s+broken-link/);
    expect(report.match(/Broken link/g)).toHaveLength(3);
    expect(report).toMatch(/out\/en\/sip\/404-vs-486\.md\n\s*1:1\s+error Near-duplicate page: similarity (0\.9\d|1\.00) with `en\/sip\/404-vs-600\.md` is above 0\.7\s+near-duplicate/);
    expect(result.stdout).toMatch(/codepairs check --output: 58 pages in out: \d+ findings/);
  });

  it('takes its similarity limit from the config file', () => {
    project.write('codepairs.config.json', JSON.stringify({ lint: { maxSimilarity: 1.5 } }));
    const bad = project.run('check', '--output');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/`lint\.maxSimilarity` must be a number above 0 and at most 1/);
    project.write('codepairs.config.json', JSON.stringify({ lint: { maxSimilarity: 0.05 } }));
    const strict = project.run('check', '--output', '--lang', 'zh-CN');
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/zh-CN\/sip\/\S+\.md\n\s*1:1\s+error Near-duplicate page: similarity 0\.\d\d with `zh-CN\/sip\/\S+` is above 0\.05/);
    expect(strict.stderr).not.toMatch(/out\/en\//);

    project.write('codepairs.config.json', JSON.stringify({ lint: { minOwnWords: 100000 } }));
    const thin = project.run('check', '--output', '--lang', 'en');
    expect(thin.status).toBe(1);
    expect(thin.stderr).toMatch(/en\/sip\/183-vs-439\.md\n\s*1:1\s+error Thin page: \d+ words of its own \(\d+% of its text\) are fewer than 100000\s+thin-page/);
    project.write('codepairs.config.json', '{}');
  });
});
