/**
 * Regenerating translations: status, stamp, export, import and the English fallback of a build,
 * on small real projects with the real CLI. Exports are read back with the `xliff` package, a
 * parser other tools use, and with an XML DOM; nothing is checked by string templates.
 */
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import xliff12ToJs from 'xliff/xliff12ToJs';
import xliff2js from 'xliff/xliff2js';
import jsToXliff12 from 'xliff/jsToXliff12';
import { parseDocument } from 'yaml';
import { unitsOf, wordsChanged } from '../src/translations/units.js';
import { spawnSync } from 'node:child_process';
import { makeProject, snapshotTree, type Project } from './helpers/project.js';
import { CLI, ROOT } from './helpers/paths.js';

const LANGS = ['en', 'de', 'zh-CN'];
/** The languages other than English, in languages.json order. */
const OTHERS = ['zh-CN', 'de'];
const DESCRIPTION = 'sip:codes.183.description';

let project: Project;

beforeEach(() => {
  project = makeProject([183, 200, 486], LANGS);
});

afterEach(() => {
  project.remove();
});

interface StatusReport {
  languages: Array<{ lang: string; total: number; translated: number; stale: number; missing: number; units: Array<{ id: string; state: string; code?: number; field: string; behind?: { changed: number; total: number } }> }>;
}

function status(...args: string[]): StatusReport {
  const result = project.run('translations', 'status', '--json', ...args);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusReport;
}

/** Change one English description of a code, the way an author edits the YAML. */
function editEnglish(code: number, field: string, change: (text: string) => string) {
  const path = `data/sip/codes/${code}.yaml`;
  const doc = parseDocument(project.read(path));
  doc.setIn(['text', field], change(String(doc.getIn(['text', field]))));
  project.write(path, String(doc));
}

function editJson(path: string, change: (data: Record<string, any>) => void) {
  const data = JSON.parse(project.read(path)) as Record<string, any>;
  change(data);
  project.write(path, `${JSON.stringify(data, null, 2)}\n`);
}

const englishOf = (code: number, field: string) => String(parseDocument(project.read(`data/sip/codes/${code}.yaml`)).getIn(['text', field]));
const localeOf = (lang: string) => JSON.parse(project.read(`locales/${lang}/sip.json`)) as { codes: Record<string, Record<string, string>>; choose: Record<string, string> };

function exportFile(lang: string, ...args: string[]): string {
  const result = project.run('translations', 'export', '--lang', lang, ...args);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

function importFile(text: string, ...args: string[]) {
  project.write('import.xlf', text);
  return project.run('translations', 'import', project.path('import.xlf'), ...args);
}

const parseXml = (text: string) => new DOMParser().parseFromString(text, 'text/xml');
const unitElement = (doc: ReturnType<typeof parseXml>, id: string, tag = 'trans-unit') =>
  Array.from(doc.getElementsByTagNameNS('*', tag)).find((u) => u.getAttribute('id') === id)!;

describe('translations status', () => {
  it('finds the shipped catalog fully translated: check --strict passes', () => {
    const result = spawnSync(process.execPath, [CLI, 'check', '--strict', '--root', ROOT], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('starts with every unit translated, in every language', () => {
    for (const lang of status().languages) {
      expect(lang.total).toBeGreaterThan(100);
      expect(lang.translated).toBe(lang.total);
      expect(lang.units).toEqual([]);
    }
  });

  it('shows exactly the unit whose English changed as stale in every other language, and how far behind it is', () => {
    editEnglish(183, 'description', (t) => t.replace('the UAS wants to tell', 'the server wants to tell'));
    const report = status();
    expect(report.languages.map((l) => l.lang)).toEqual(OTHERS);
    for (const lang of report.languages) {
      expect(lang.units).toEqual([{ id: DESCRIPTION, state: 'stale', code: 183, reason: 'Session Progress', field: 'description', behind: { changed: 1, total: expect.any(Number) }, previousSource: expect.stringContaining('the UAS wants'), source: englishOf(183, 'description') }]);
      expect(lang.stale).toBe(1);
      expect(lang.missing).toBe(0);
      expect(lang.translated).toBe(lang.total - 1);
    }
    const text = project.run('translations', 'status', '--lang', 'de');
    expect(text.stdout).toMatch(/^de: \d+ units: \d+ translated, 1 stale, 0 missing\n\s+stale\s+sip:codes\.183\.description \(183 Session Progress, description\): 1 of \d+ words of the English changed\n$/);
  });

  it('lists a unit a language lacks as missing, with its code and field', () => {
    editJson('locales/de/sip.json', (d) => delete d.codes['486'].fix);
    const de = status('--lang', 'de').languages[0]!;
    expect(de.units).toEqual([{ id: 'sip:codes.486.fix', state: 'missing', code: 486, reason: 'Busy Here', field: 'fix' }]);
  });

  it('keeps translations after a typo-only English edit that is stamped', () => {
    const before = { de: JSON.parse(project.read('locales/de/sources.json')), zh: JSON.parse(project.read('locales/zh-CN/sources.json')) };
    editEnglish(183, 'description', (t) => t.replace('provisional responses', 'provisional  responses').replace('The call', 'The  call'));
    editEnglish(183, 'fix', (t) => t.replace('Nothing needs fixing', 'Nothing needs to be fixed'));
    const stamped = project.run('translations', 'stamp', '--unit', DESCRIPTION);
    expect(stamped.status, stamped.stderr).toBe(0);
    expect(stamped.stdout).toMatch(/de: stamped 1 unit: sip:codes\.183\.description/);
    for (const lang of status().languages) expect(lang.units.map((u) => u.id)).toEqual(['sip:codes.183.fix']);
    // Only the stamped record changed, and it records the new English.
    const after = JSON.parse(project.read('locales/de/sources.json'));
    expect(Object.keys(after)).toEqual(Object.keys(before.de));
    for (const id of Object.keys(after)) if (id !== DESCRIPTION) expect(after[id]).toEqual(before.de[id]);
    expect(after[DESCRIPTION].source).toBe(englishOf(183, 'description'));
    expect(JSON.parse(project.read('locales/zh-CN/sources.json'))[DESCRIPTION]).toEqual(after[DESCRIPTION]);
  });

  it('maps each plural form to an English source: the same form, or else `_other`', () => {
    const english = { sip: { index: { intro_one: 'one {{codes}}', intro_other: 'other {{codes}}' } } };
    const ru = unitsOf('ru', english, ['sip'], 'sip');
    expect(ru.map((u) => [u.id, u.sourceKey]).sort()).toEqual([
      ['sip:index.intro_few', 'index.intro_other'],
      ['sip:index.intro_many', 'index.intro_other'],
      ['sip:index.intro_one', 'index.intro_one'],
      ['sip:index.intro_other', 'index.intro_other'],
    ]);
    expect(unitsOf('ja', english, ['sip'], 'sip').map((u) => u.id)).toEqual(['sip:index.intro_other']);
    expect(wordsChanged('a b c d', 'a x c d e')).toEqual({ changed: 2, total: 5 });
  });
});

describe('translations export', () => {
  beforeEach(() => {
    editJson('locales/en/sip.json', (d) => (d.choose.sequence = d.choose.sequence.replace('not alternatives', 'never alternatives')));
    editJson('locales/de/sip.json', (d) => delete d.codes['486'].fix);
  });

  it('writes XLIFF 1.2 by default that the xliff package reads: stale and missing units only, placeholders as inline codes', async () => {
    const text = exportFile('de');
    const js = (await xliff12ToJs(text)) as any;
    expect(js.sourceLanguage).toBe('en');
    expect(js.targetLanguage).toBe('de');
    const units = { ...js.resources['sip.json'] };
    expect(Object.keys(units).sort()).toEqual(['sip:choose.sequence', 'sip:codes.486.fix']);
    const sequence = units['sip:choose.sequence'];
    const codes = sequence.source.filter((part: unknown) => typeof part !== 'string');
    expect(codes.map((c: any) => c.Standalone['equiv-text'])).toEqual(['{{provisional}}', '{{final}}', '{{provisional}}', '{{final}}']);
    expect(sequence.source.filter((part: unknown) => typeof part === 'string').join('')).not.toContain('{{');
    // The previous translation is there to revise, marked as needing review; so is the old English.
    const doc = parseXml(text);
    const unit = unitElement(doc, 'sip:choose.sequence');
    const target = unit.getElementsByTagNameNS('*', 'target')[0]!;
    expect(target.getAttribute('state')).toBe('needs-review-translation');
    expect(target.textContent).toContain('keine Alternativen');
    expect(unit.getElementsByTagNameNS('*', 'alt-trans')[0]!.getElementsByTagNameNS('*', 'source')[0]!.textContent).toContain('not alternatives');
    const notes = Array.from(unit.getElementsByTagNameNS('*', 'note')).map((n) => n.textContent);
    expect(notes.join('\n')).toMatch(/Key "choose\.sequence" of sip\.json/);
    expect(notes.join('\n')).toMatch(/1 of \d+ words/);
    // A missing unit has no target, and a note naming its code, field and where it appears.
    expect(units['sip:codes.486.fix'].target).toBeUndefined();
    expect(units['sip:codes.486.fix'].note).toMatch(/SIP 486 Busy Here, field "fix": .* on its code page .* in 2 comparison articles/);
  });

  it('writes XLIFF 2.0 with <ph> inline codes and the previous translation as an initial segment', async () => {
    const text = exportFile('de', '--format', 'xliff2');
    const js = (await xliff2js(text)) as any;
    expect(js.targetLanguage).toBe('de');
    const sequence = js.resources.sip['sip:choose.sequence'];
    expect(sequence.source.filter((p: unknown) => typeof p !== 'string').map((c: any) => c.Standalone.equiv)).toEqual(['{{provisional}}', '{{final}}', '{{provisional}}', '{{final}}']);
    const unit = unitElement(parseXml(text), 'sip:choose.sequence', 'unit');
    expect(unit.getElementsByTagNameNS('*', 'segment')[0]!.getAttribute('state')).toBe('initial');
    expect(unit.getElementsByTagNameNS('*', 'ph').length).toBeGreaterThanOrEqual(8);
  });

  it('exports every unit with --all, and JSON with --format json', () => {
    const all = parseXml(exportFile('de', '--all'));
    const total = status('--lang', 'de').languages[0]!.total;
    expect(all.getElementsByTagNameNS('*', 'trans-unit').length).toBe(total);
    const json = JSON.parse(exportFile('zh-CN', '--format', 'json')) as { targetLanguage: string; units: Array<{ id: string; state: string }> };
    expect(json.targetLanguage).toBe('zh-CN');
    expect(json.units.map((u) => [u.id, u.state])).toEqual([['sip:choose.sequence', 'stale']]);
  });
});

describe('translations import', () => {
  beforeEach(() => {
    editJson('locales/en/sip.json', (d) => (d.choose.sequence = d.choose.sequence.replace('not alternatives', 'never alternatives')));
    editJson('locales/de/sip.json', (d) => delete d.codes['486'].fix);
  });

  it('changes no byte of the locale files when an export comes back unedited, in every format', () => {
    const before = snapshotTree(project.path('locales'));
    for (const args of [[], ['--all'], ['--format', 'xliff2'], ['--format', 'xliff2', '--all'], ['--format', 'json', '--all']]) {
      const result = importFile(exportFile('de', ...args));
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/de: updated 0 units/);
      expect(snapshotTree(project.path('locales'))).toEqual(before);
    }
  });

  it('writes translated units in place, records their English, and leaves every other byte alone', () => {
    const doc = parseXml(exportFile('de'));
    const sequence = unitElement(doc, 'sip:choose.sequence');
    const target = sequence.getElementsByTagNameNS('*', 'target')[0]!;
    target.setAttribute('state', 'translated');
    // Reword the text between the placeholders, keeping every inline code where the tool put it.
    for (const node of Array.from(target.childNodes)) if (node.nodeType === 3) (node as any).data = (node as any).data.replace('sind keine Alternativen', 'sind niemals Alternativen');
    const fix = unitElement(doc, 'sip:codes.486.fix');
    const newTarget = doc.createElementNS(fix.namespaceURI, 'target');
    newTarget.appendChild(doc.createTextNode('Später erneut anrufen oder eine andere Adresse versuchen.'));
    fix.insertBefore(newTarget, fix.getElementsByTagNameNS('*', 'note')[0]!);

    const before = project.read('locales/de/sip.json');
    const result = importFile(new XMLSerializer().serializeToString(doc));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/de: updated 2 units: sip:choose\.sequence, sip:codes\.486\.fix/);
    const after = project.read('locales/de/sip.json');
    const de = localeOf('de');
    expect(de.choose.sequence).toBe('{{provisional}} und {{final}} sind niemals Alternativen: Eine vorläufige Antwort meldet nur den Fortschritt, daher kann eine Transaktion zuerst {{provisional}} zeigen und dann mit {{final}} enden.');
    // The new key sits where English has it: after `when`, before `use`.
    expect(Object.keys(de.codes['486']!)).toEqual(['gloss', 'description', 'when', 'fix', 'use'].filter((k) => k in de.codes['486']!));
    expect(Object.keys(de.codes['486']!).indexOf('fix')).toBe(Object.keys(de.codes['486']!).indexOf('when') + 1);
    // Only the two lines changed, one was added; the file keeps its layout.
    const changed = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(changed).toHaveLength(2);
    expect(after).toBe(`${JSON.stringify(JSON.parse(after), null, 2)}\n`);
    expect(status('--lang', 'de').languages[0]!.units).toEqual([]);
  });

  it('round-trips a second catalog of the project with --catalog, keeping the other catalog\'s records', () => {
    const http = ['--catalog', project.path('data/http')];
    editJson('locales/de/http.json', (d) => delete d.codes['404'].fix);
    const sipRecords = Object.entries(JSON.parse(project.read('locales/de/sources.json')) as Record<string, unknown>).filter(([id]) => id.startsWith('sip:'));
    const doc = parseXml(exportFile('de', ...http));
    const fix = unitElement(doc, 'http:codes.404.fix');
    expect(fix, 'the missing HTTP unit is exported').toBeDefined();
    const target = doc.createElementNS(fix.namespaceURI, 'target');
    target.appendChild(doc.createTextNode('Die Adresse prüfen; fehlt die Ressource weiterhin, den Link entfernen.'));
    fix.insertBefore(target, fix.getElementsByTagNameNS('*', 'note')[0]!);
    const result = importFile(new XMLSerializer().serializeToString(doc), ...http);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/de: updated 1 unit: http:codes\.404\.fix/);
    expect((JSON.parse(project.read('locales/de/http.json')) as { codes: Record<string, Record<string, string>> }).codes['404']!.fix).toBe('Die Adresse prüfen; fehlt die Ressource weiterhin, den Link entfernen.');
    const records = JSON.parse(project.read('locales/de/sources.json')) as Record<string, unknown>;
    expect(records['http:codes.404.fix']).toBeDefined();
    expect(Object.entries(records).filter(([id]) => id.startsWith('sip:'))).toEqual(sipRecords);
    expect(status('--lang', 'de', ...http).languages[0]!.units).toEqual([]);
  });

  it('reads a file shaped like Weblate or Crowdin output: other attributes, whitespace, states', () => {
    const text = exportFile('de');
    const doc = parseXml(text);
    // What a tool does: its own attributes, its own layout, segmentation marks, a finished state.
    const root = doc.documentElement!;
    root.setAttributeNS('urn:example:tool', 'tool:project', 'codepairs');
    for (const unit of Array.from(doc.getElementsByTagNameNS('*', 'trans-unit'))) {
      unit.setAttribute('approved', 'yes');
      unit.setAttribute('translate', 'yes');
      unit.setAttribute('xml:space', 'preserve');
    }
    const sequence = unitElement(doc, 'sip:choose.sequence');
    const target = sequence.getElementsByTagNameNS('*', 'target')[0]!;
    target.setAttribute('state', 'final');
    const mrk = doc.createElementNS(target.namespaceURI, 'mrk');
    mrk.setAttribute('mtype', 'seg');
    mrk.setAttribute('mid', '0');
    while (target.firstChild) mrk.appendChild(target.firstChild);
    target.appendChild(mrk);
    const reindented = new XMLSerializer()
      .serializeToString(doc)
      .split('\n')
      .map((line) => line.replace(/^( +)/, (spaces) => '\t'.repeat(spaces.length / 2)))
      .join('\r\n');
    const before = localeOf('de').choose.sequence;
    const result = importFile(reindented);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/de: confirmed 1 unchanged translation/);
    expect(localeOf('de').choose.sequence).toBe(before);
    expect(status('--lang', 'de').languages[0]!.units.map((u) => u.id)).toEqual(['sip:codes.486.fix']);
  });

  it('reads a file the xliff package wrote back, with a new translation', async () => {
    const js = (await xliff12ToJs(exportFile('de'))) as any;
    js.resources['sip.json']['sip:codes.486.fix'].target = 'Später erneut anrufen.';
    js.resources['sip.json']['sip:codes.486.fix'].additionalAttributes = { ...js.resources['sip.json']['sip:codes.486.fix'].additionalAttributes, approved: 'yes' };
    delete js.resources['sip.json']['sip:choose.sequence'];
    const result = importFile(await jsToXliff12(js, { indent: '' }));
    expect(result.status, result.stderr).toBe(0);
    expect(localeOf('de').codes['486']!.fix).toBe('Später erneut anrufen.');
  });

  it('leaves out a unit translated from an older English, unless forced', () => {
    const text = exportFile('de');
    const translated = text.replace('state="needs-review-translation"', 'state="translated"');
    editJson('locales/en/sip.json', (d) => (d.choose.sequence = d.choose.sequence.replace('only reports progress', 'only reports how far it got')));
    const before = snapshotTree(project.path('locales'));
    const result = importFile(translated);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warning Left out `sip:choose\.sequence`: it was translated from an older English text.*xliff-outdated-source/);
    expect(snapshotTree(project.path('locales'))).toEqual(before);
    const forced = importFile(translated, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/confirmed 1 unchanged/);
    // Forced, it records the English it was made from: still behind the current English.
    expect(status('--lang', 'de').languages[0]!.units.map((u) => [u.id, u.state])).toContainEqual(['sip:choose.sequence', 'stale']);
  });

  describe('bad input: exit 1, a message naming the unit and line, no change to the locale files', () => {
    function expectRefused(text: string, ...patterns: RegExp[]) {
      const before = snapshotTree(project.path('locales'));
      const result = importFile(text);
      expect(result.status).toBe(1);
      for (const pattern of patterns) expect(result.stderr).toMatch(pattern);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(snapshotTree(project.path('locales'))).toEqual(before);
    }

    /** The export with the 486 fix translated (so the file has something to write), changed by `change`. */
    function exportWith(change: (doc: ReturnType<typeof parseXml>) => void): string {
      const doc = parseXml(exportFile('de'));
      const fix = unitElement(doc, 'sip:codes.486.fix');
      const target = doc.createElementNS(fix.namespaceURI, 'target');
      target.appendChild(doc.createTextNode('Später erneut anrufen.'));
      fix.appendChild(target);
      change(doc);
      return new XMLSerializer().serializeToString(doc);
    }
    const lineOf = (text: string, id: string) => text.split('\n').findIndex((line) => line.includes(`id="${id}"`)) + 1;
    const sequenceTarget = (doc: ReturnType<typeof parseXml>) => {
      const target = unitElement(doc, 'sip:choose.sequence').getElementsByTagNameNS('*', 'target')[0]!;
      target.setAttribute('state', 'translated');
      return target;
    };

    it('refuses malformed XML, at its line', () => {
      const text = exportWith(() => {}).replace('</body>', '</bod>');
      const line = text.split('\n').findIndex((l) => l.includes('</bod>')) + 1;
      // The parser places a mismatched end tag at its line, or at the end of the line before it.
      expectRefused(text, new RegExp(`\n(${line}|${line - 1}):\\d+ error Cannot parse XLIFF: Opening and ending tag mismatch: "body" != "bod".*xliff-malformed`));
    });

    it('refuses a target language the project does not translate into', () => {
      expectRefused(exportWith((doc) => doc.getElementsByTagNameNS('*', 'file')[0]!.setAttribute('target-language', 'xx')), /\d+:\d+ error Unexpected target language `xx`, expected one of `zh-CN`, `de`.*xliff-wrong-language/);
    });

    it('refuses an unknown unit id, at its line', () => {
      const text = exportWith((doc) => unitElement(doc, 'sip:codes.486.fix').setAttribute('id', 'sip:codes.486.fixx'));
      expectRefused(text, new RegExp(`${lineOf(text, 'sip:codes.486.fixx')}:\\d+ error Unknown unit \`sip:codes\\.486\\.fixx\`: de has no such unit.*xliff-unknown-unit`));
    });

    it('refuses a target that lost a placeholder or has one the source lacks', () => {
      const lost = exportWith((doc) => {
        const target = sequenceTarget(doc);
        const codes = target.getElementsByTagNameNS('*', 'x');
        while (codes.length > 0) {
          const first = codes[0]!;
          if (first.getAttribute('id') !== '2' && first.getAttribute('id') !== '4') break;
          first.parentNode!.removeChild(first);
        }
        for (const code of Array.from(target.getElementsByTagNameNS('*', 'x'))) if (code.getAttribute('equiv-text') === '{{final}}') code.parentNode!.removeChild(code);
      });
      expectRefused(lost, new RegExp(`${lineOf(lost, 'sip:choose.sequence')}:\\d+ error Broken placeholders in the target of \`sip:choose\\.sequence\`: it uses \\{\\{provisional\\}\\}, the English uses \\{\\{final\\}\\}, \\{\\{provisional\\}\\}.*xliff-placeholder-mismatch`));
      const invented = exportWith((doc) => {
        const target = sequenceTarget(doc);
        const code = doc.createElementNS(target.namespaceURI, 'x');
        code.setAttribute('id', '9');
        target.appendChild(code);
      });
      expectRefused(invented, /error Unexpected inline code `<x id="9">` in the target of `sip:choose\.sequence`.*xliff-unknown-inline/);
    });

    it('refuses markup inside a target: HTML, a Markdown link, backticks', () => {
      for (const [markup, what] of [
        ['<b>Jetzt</b>', /angle bracket \(HTML\)/],
        ['[RFC 3261](https://example.com)', /Markdown link/],
        ['`Retry-After`', /backtick/],
      ] as const) {
        const text = exportWith((doc) => {
          const target = unitElement(doc, 'sip:codes.486.fix').getElementsByTagNameNS('*', 'target')[0]!;
          target.appendChild(doc.createTextNode(` ${markup}`));
        });
        expectRefused(text, new RegExp(`${lineOf(text, 'sip:codes.486.fix')}:\\d+ error Unexpected ${what.source}.* in the target of \`sip:codes\\.486\\.fix\`.*xliff-markup`));
      }
      const braces = exportWith((doc) => {
        const target = unitElement(doc, 'sip:codes.486.fix').getElementsByTagNameNS('*', 'target')[0]!;
        target.appendChild(doc.createTextNode(' {{code}}'));
      });
      expectRefused(braces, /error Unexpected template braces `\{\{ \}\}` .*in the target of `sip:codes\.486\.fix`.*xliff-markup/);
      const element = exportWith((doc) => {
        const target = unitElement(doc, 'sip:codes.486.fix').getElementsByTagNameNS('*', 'target')[0]!;
        const g = doc.createElementNS(target.namespaceURI, 'g');
        g.setAttribute('id', '1');
        g.appendChild(doc.createTextNode('fett'));
        target.appendChild(g);
      });
      expectRefused(element, /error Unexpected element `<g>` in the target of `sip:codes\.486\.fix`.*xliff-markup/);
    });
  });
});

describe('the translations command line', () => {
  it('refuses, as usage errors, an unknown unit to stamp, a stamp without units, options of other commands and a second language to export', () => {
    for (const args of [
      ['stamp', '--unit', 'sip:codes.999.description'],
      ['stamp'],
      ['status', '--format', 'xliff2'],
      ['export', '--lang', 'de', '--lang', 'zh-CN'],
      ['export', '--lang', 'de', '--format', 'po'],
      ['import'],
      ['publish'],
    ]) {
      const result = project.run('translations', ...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^codepairs: .*\nRun `codepairs --help` for usage\.\n$/);
    }
    const english = project.run('translations', 'export', '--lang', 'en');
    expect(english.status).toBe(1);
    expect(english.stderr).toMatch(/Unknown language `en`, expected one of `zh-CN`, `de`/);
  });
});

describe('a build with stale and missing translations', () => {
  it('shows English for those units only, with lang="en" and a localized notice; --strict fails', () => {
    editEnglish(183, 'description', (t) => t.replace('the UAS wants to tell', 'the server wants to tell'));
    editJson('locales/de/sip.json', (d) => delete d.codes['486'].fix);
    const result = project.run('build');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/locales\/de\/sip\.json\n(.*\n)*\s*\d+:\d+\s+warning Stale translation `sip:codes\.183\.description` in de: 1 of \d+ words of the English changed since it was translated; pages show the English text and say so\s+stale-translation/);
    expect(result.stderr).toMatch(/warning Missing translation `sip:codes\.486\.fix` in de: pages show the English text and say so\s+missing-translation-unit/);

    const english = englishOf(183, 'description');
    const html = project.read('out/de/sip/183-vs-200.html');
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const paragraphs = Array.from(doc.getElementsByTagName('p')) as Element[];
    const shown = paragraphs.find((p) => p.textContent === english);
    expect(shown, 'the English description is shown as its own paragraph').toBeDefined();
    expect(shown!.getAttribute('lang')).toBe('en');
    // The rest of the page stays German, without a lang override.
    const german = paragraphs.find((p) => p.textContent === localeOf('de').codes['200']!.description);
    expect(german?.getAttribute('lang') ?? null).toBeNull();
    expect(doc.getElementsByTagName('html')[0]!.getAttribute('lang')).toBe('de');
    const notice = doc.getElementsByTagName('blockquote')[0]!;
    expect(notice.textContent).toContain(JSON.parse(project.read('locales/de/common.json')).site.fallbackNotice.replace('{{language}}', 'Englisch'));
    expect(html).not.toMatch(/[\u{F0000}-\u{FFFFD}\uE001]/u);

    const markdown = project.read('out/de/sip/183-vs-486.md');
    expect(markdown).toMatch(/fallback:\n\s+lang: en\n\s+keys:\n\s+- sip:codes\.183\.description\n\s+- sip:codes\.486\.fix\n/);
    expect(markdown).toContain(english.split(' ').slice(0, 8).join(' '));
    expect(markdown).not.toMatch(/[\u{F0000}-\u{FFFFD}\uE001]/u);
    // A page that shows neither unit has no notice; English pages never do.
    expect(project.read('out/de/sip/200.md')).not.toMatch(/^fallback:/m);
    expect(project.read('out/en/sip/183-vs-486.md')).not.toMatch(/^fallback:/m);
    expect(project.read('out/zh-CN/sip/200-vs-486.md')).not.toMatch(/^fallback:/m);
    expect(project.read('out/zh-CN/sip/183-vs-486.md')).toMatch(/- sip:codes\.183\.description/);

    const before = snapshotTree(project.path('out'));
    const strict = project.run('build', '--strict');
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/error Stale translation `sip:codes\.183\.description` in de: .*with --strict this fails\s+stale-translation/);
    expect(strict.stderr).toMatch(/error Missing translation `sip:codes\.486\.fix` in de: with --strict this fails/);
    expect(snapshotTree(project.path('out'))).toEqual(before);
    const check = project.run('check', '--strict');
    expect(check.status).toBe(1);
    expect(project.run('check').status).toBe(0);
  });

  it('gives lang="en" to a phrase inside a translated sentence, on a span', () => {
    // `heading` ("{{code}} {{reason}}") is part of each "Which to use when" item in German.
    editJson('locales/en/sip.json', (d) => (d.heading = '{{code}}: {{reason}}'));
    const result = project.run('build', '--lang', 'de');
    expect(result.status, result.stderr).toBe(0);
    const html = project.read('out/de/sip/183-vs-200.html');
    // The heading is all English: the element takes the lang; in a list item, the label does.
    expect(html).toMatch(/<h2 id="code-183" data-pagefind-ignore lang="en">183: Session Progress[^<]*<\/h2>/);
    expect(html).toMatch(/<li><strong lang="en">183: Session Progress[^<]*<\/strong>: [^<]+<\/li>/);
    // In the lead, the English sentence of a stale unit sits beside a German one: a span.
    editJson('locales/en/sip.json', (d) => (d.lead.intro = d.lead.intro.replace('This article compares', 'This page compares')));
    expect(project.run('build', '--lang', 'de').status).toBe(0);
    const lead = project.read('out/de/sip/183-vs-200.html').match(/<h1[^>]*>.*<\/h1>\n<blockquote>[\s\S]*?<\/blockquote>\n<p>(.*)<\/p>/)![1]!;
    expect(lead).toMatch(/^<span lang="en">This page compares SIP 183 Session Progress with 200 OK: [^<]*<\/span> \S/);
  });
});
