/**
 * Decide what an imported file changes, before anything is written: every unit must exist in
 * the file's target language, its placeholders must match the English, its target must be plain
 * text, and it must have been translated from the current English (else it is left out, unless
 * forced). Pure: no I/O.
 */
import { hashSource, variablesOf, type SourceRecord, type UnitStatus } from './units.js';
import type { ParsedFile, Place } from './xliff.js';

export interface ImportChange {
  status: UnitStatus;
  target: string;
  record: SourceRecord;
  /** The translation text changes (otherwise only the recorded source does). */
  textChanged: boolean;
}

export interface ImportProblem {
  rule: 'xliff-wrong-language' | 'xliff-unknown-unit' | 'xliff-duplicate-unit' | 'xliff-unknown-inline' | 'xliff-placeholder-mismatch' | 'xliff-markup' | 'xliff-outdated-source';
  params: Record<string, string>;
  place: Place;
  severity: 'error' | 'warn';
}

export interface ImportPlan {
  lang: string;
  changes: ImportChange[];
  /** Units the file has no finished translation for (no target, empty, or marked as needing work). */
  notDone: string[];
  problems: ImportProblem[];
}

const MARKUP: Array<[RegExp, string]> = [
  [/[<>]/, 'angle bracket (HTML)'],
  [/`/, 'backtick (Markdown code)'],
  [/\[[^\]]*\]\([^)]*\)/, 'Markdown link'],
  [/\{\{|\}\}/, 'template braces `{{ }}` (the English has no placeholder)'],
  [/[\u0000-\u0008\u000b-\u001f\u007f]/, 'control character'],
];

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const show = (vars: string[]) => (vars.length ? vars.map((v) => `{{${v}}}`).join(', ') : 'none');

export function planImport(file: ParsedFile, statuses: Map<string, UnitStatus[]>, force: boolean): ImportPlan {
  const problems: ImportProblem[] = [];
  const problem = (rule: ImportProblem['rule'], params: Record<string, string>, place: Place, severity: 'error' | 'warn' = 'error') =>
    problems.push({ rule, params, place, severity });
  const lang = file.targetLanguage ?? '';
  const expected = [...statuses.keys()].map((l) => `\`${l}\``).join(', ');
  const plan: ImportPlan = { lang, changes: [], notDone: [], problems };
  if (file.sourceLanguage !== undefined && !/^en(-|$)/i.test(file.sourceLanguage)) {
    problem('xliff-wrong-language', { which: 'source', actual: file.sourceLanguage, expected: '`en`' }, file.languagePlace);
  }
  const units = statuses.get(lang);
  if (!units) {
    problem('xliff-wrong-language', { which: 'target', actual: lang || '(none)', expected: `one of ${expected}` }, file.languagePlace);
    return plan;
  }
  const byId = new Map(units.map((s) => [s.unit.id, s]));
  const seen = new Set<string>();
  for (const entry of file.units) {
    const status = byId.get(entry.id);
    if (seen.has(entry.id)) {
      problem('xliff-duplicate-unit', { id: entry.id }, entry.place);
      continue;
    }
    seen.add(entry.id);
    if (!status) {
      problem('xliff-unknown-unit', { id: entry.id, lang }, entry.place);
      continue;
    }
    const { unit } = status;
    if (entry.target === undefined || entry.target.trim() === '' || !entry.done) {
      plan.notDone.push(entry.id);
      continue;
    }
    const target = entry.target;
    let broken = false;
    for (const code of entry.unknownInline) {
      problem('xliff-unknown-inline', { id: entry.id, code: `\`${code}\`` }, entry.place);
      broken = true;
    }
    for (const element of entry.foreignMarkup) {
      problem('xliff-markup', { id: entry.id, what: `element \`${element}\`` }, entry.place);
      broken = true;
    }
    for (const [pattern, what] of MARKUP) {
      if (pattern.test(target) && !pattern.test(unit.source)) {
        problem('xliff-markup', { id: entry.id, what }, entry.place);
        broken = true;
      }
    }
    const want = variablesOf(unit.source);
    const have = variablesOf(target);
    if (!broken && want.join() !== have.join()) {
      problem('xliff-placeholder-mismatch', { id: entry.id, actual: show(have), expected: show(want) }, entry.place);
      broken = true;
    }
    if (broken) continue;
    const current = entry.sourceHash !== undefined
      ? entry.sourceHash === unit.hash
      : entry.source !== undefined && (hashSource(entry.source) === unit.hash || collapse(entry.source) === collapse(unit.source));
    if (!current && !force) {
      problem('xliff-outdated-source', { id: entry.id }, entry.place, 'warn');
      continue;
    }
    // Forced: record the English the translation was made from, so the unit still shows as behind.
    const record: SourceRecord = current || entry.source === undefined ? { hash: unit.hash, source: unit.source } : { hash: hashSource(entry.source), source: entry.source };
    const textChanged = status.target !== target;
    if (textChanged || status.record?.hash !== record.hash || status.record?.source !== record.source) {
      plan.changes.push({ status, target, record, textChanged });
    }
  }
  return plan;
}
