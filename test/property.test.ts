/**
 * Property tests (fast-check): random catalog texts, translations, language tags and catalog
 * damage. The build either succeeds with valid HTML in which no data became markup, or fails with
 * a user error (InputError) — never any other exception.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Element, Root } from 'hast';
import { HtmlValidate } from 'html-validate';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { build } from '../src/build.js';
import { InputError } from '../src/diagnostics.js';
import { makeProject, type Project } from './helpers/project.js';

const CODES = [183, 486, 600];
let project: Project;
let originals: Map<string, string>;
const FILES = ['data/sip/codes/486.yaml', 'locales/zh-CN/sip.json', 'locales/zh-CN/common.json', 'locales/languages.json'];

beforeAll(() => {
  project = makeProject(CODES);
  originals = new Map(FILES.map((f) => [f, project.read(f)]));
});
afterAll(() => project.remove());

/** Pieces that mean something to Markdown, HTML, Handlebars, i18next, YAML or the renderer. */
const PIECES = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<b>', '</p>', 'javascript:alert(1)', '[x](javascript:alert(1))',
  '[ref]: /x', '{{title}}', '{{{body}}}', '$t(site.home)', '*', '**', '_', '#', '## ', '|', '~~', '`', '\\', '&amp;', '&#x3C;',
  '\n', '\n\n', '- ', '1. ', '> ', '---', ' ', 'a', 'word', 'é', '中文', 'й', '\u0000', '\u0007', '\ue001', '\u{f0000}', '"', "'", ':', 'https://example.com/',
];
/** Pieces the loader lets through: they must render as text. */
const PLAIN = PIECES.filter((p) => !/[<>`\u0000-\u0008\ue000-\uf8ff]|\{\{|\]\(|javascript:|[\u{f0000}-\u{ffffd}]/u.test(p));
const text = (pieces: string[]) => fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const hostileText = fc.oneof({ arbitrary: text(PLAIN), weight: 4 }, { arbitrary: text(PIECES), weight: 1 });
const tag = fc.oneof({ arbitrary: fc.constant('zh-CN'), weight: 6 }, fc.constantFrom('zh-CN', 'de', 'x', '', '../zh-CN', 'zh/CN', '/abs', 'zh-CN\u0000', 'ZH-cn', 'kb', 'assets', 'en'), fc.string({ maxLength: 8 }));
const damage = fc.oneof({ arbitrary: fc.constant(() => undefined), weight: 6 }, fc.constantFrom(
  (doc: ReturnType<typeof parseDocument>) => doc.delete('facts'),
  (doc: ReturnType<typeof parseDocument>) => doc.set('code', 48),
  (doc: ReturnType<typeof parseDocument>) => doc.setIn(['facts', 'sdp'], 'sometimes'),
  (doc: ReturnType<typeof parseDocument>) => doc.setIn(['text', 'fix'], 42),
  (doc: ReturnType<typeof parseDocument>) => doc.set('related', [999]),
  (doc: ReturnType<typeof parseDocument>) => doc.set('reason', 'Busy'),
));

interface Case {
  description: string;
  translated: string;
  label: string;
  alias: string;
  zhTag: string;
  hurt: (doc: ReturnType<typeof parseDocument>) => unknown;
}

function writeCase(c: Case) {
  for (const [file, text] of originals) writeFileSync(project.path(file), text);
  const doc = parseDocument(originals.get(FILES[0]!)!);
  doc.setIn(['text', 'description'], c.description);
  doc.set('aliases', [c.alias]);
  c.hurt(doc);
  writeFileSync(project.path(FILES[0]!), String(doc));
  const sip = JSON.parse(originals.get(FILES[1]!)!) as { codes: Record<string, Record<string, string>> };
  sip.codes['486']!.description = c.translated;
  writeFileSync(project.path(FILES[1]!), JSON.stringify(sip, null, 2));
  const common = JSON.parse(originals.get(FILES[2]!)!) as { sections: Record<string, string> };
  common.sections.description = c.label;
  writeFileSync(project.path(FILES[2]!), JSON.stringify(common, null, 2));
  writeFileSync(project.path(FILES[3]!), originals.get(FILES[3]!)!.replace('"zh-CN"', JSON.stringify(c.zhTag)));
}

const textOf = (node: Root | Element): string =>
  node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '')).join('');

const htmlFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

describe('any catalog text, translation, tag or damage', () => {
  it('builds valid, inert HTML or fails with a user error', async () => {
    let built = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ description: hostileText, translated: hostileText, label: hostileText, alias: hostileText, zhTag: tag, hurt: damage }),
        async (c) => {
          writeCase(c);
          const outDir = project.path('out');
          rmSync(outDir, { recursive: true, force: true });
          try {
            await build({ root: project.dir, outDir, jobs: 1 });
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            expect(error.files.length).toBeGreaterThan(0);
            refused++;
            return;
          }
          built++;
          for (const file of htmlFiles(outDir)) {
            const html = readFileSync(file, 'utf8');
            const tree = unified().use(rehypeParse).parse(html) as Root;
            visit(tree, 'element', (element: Element) => {
              if (element.tagName === 'script') {
                // The one script a page may carry is its JSON-LD: data, never run, and no text ends it early.
                expect(element.properties.type).toBe('application/ld+json');
                const json = textOf(element);
                expect(json).not.toMatch(/[<>]/);
                expect(() => JSON.parse(json)).not.toThrow();
                return;
              }
              // The only images are the pages' own call-flow diagrams: a fixed src and an alt text.
              if (element.tagName === 'img') expect([String(element.properties.src), Object.keys(element.properties).sort()]).toEqual([expect.stringMatching(/^diagrams\/\d{3}\.svg$/), ['alt', 'src']]);
              else expect(['iframe', 'object', 'embed', 'b']).not.toContain(element.tagName);
              for (const [name, value] of Object.entries(element.properties)) {
                expect(/^on/i.test(name), `${file}: ${element.tagName} ${name}`).toBe(false);
                expect(String(value)).not.toMatch(/^\s*javascript:/i);
              }
            });
            if (file.endsWith(join('en', 'sip', '486.html'))) {
              // The English description reads on the page exactly as written (spacing aside).
              const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
              expect(squash(textOf(tree))).toContain(squash(c.description));
            }
            if (file.endsWith('486.html')) {
              const report = await validator.validateString(html, file);
              expect(report.valid, JSON.stringify(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`)))).toBe(true);
            }
          }
        },
      ),
      { numRuns: 100, seed: 20261125 },
    );
    // The generators must reach both outcomes, or the property says little.
    expect(built).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
