/**
 * Read locales/languages.json and every locales/<lang>/<namespace>.json, add the catalog's
 * English text as the English `codes` resources (and the curated pairs' text as `confusable`),
 * and check each language against English:
 * extra keys and interpolation variables that differ (errors), and units that are missing or
 * stale against the English source recorded in `locales/<lang>/sources.json` (warnings: pages
 * show those units in English; errors with --strict).
 */
import { join, relative } from 'node:path';
import { VFile } from 'vfile';
import { pairKey } from '../compare/relevance.js';
import { report } from '../diagnostics.js';
import type { Catalog, Language, Resources } from '../types.js';
import { confusableTexts, TEXT_FIELDS } from '../types.js';
import { englishSources, expectedKeys, flatten, PLURAL_SUFFIX, statusOf, unitsOf, variablesOf, type SourceRecord, type UnitStatus } from '../translations/units.js';
import { readVFile } from './catalog.js';
import { parseJson, type Parsed } from './source.js';
import { checkLocaleText } from './safe-text.js';
import { readSourceFile, readSourceRecords, SOURCES_FILE } from './translation-sources.js';

export { flatten, variablesOf };

export const SOURCE_LANG = 'en';
/** Keys a language may leave out: a gloss of the reason phrase helps only some languages. */
const OPTIONAL_KEY = /^codes\.\d{3}\.gloss$/;
/** Per-language typography switches a languages.json entry may set. */
const TYPOGRAPHY_OPTIONS = ['cjkLatinSpacing', 'frenchSpacing'];
/** The word that joins a list of two in running text, where the language wants one ("と"). */
const PAIR_CONJUNCTION = 'pairConjunction';
const TAG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;

/** Top-level output folders that are not languages: a language folder of that name would mix with them. */
export const RESERVED_OUTPUT_FOLDERS = ['assets', 'kb', 'pagefind'];

export function isSafeLanguageTag(tag: string): boolean {
  if (!TAG.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag)[0] === tag;
  } catch {
    return false;
  }
}

export interface LoadedLocales {
  languages: Language[];
  /** i18next resources as the files have them, with the catalog's English code texts added. */
  resources: Resources;
  /** Per language other than English: its units, their state, and its sources file. */
  translations: Map<string, LanguageTranslations>;
  /** Every parsed locale file, by `<lang>/<namespace>`. */
  parsedFiles: Map<string, { file: VFile; parsed: Parsed }>;
}

export interface LanguageTranslations {
  statuses: UnitStatus[];
  records: Record<string, SourceRecord>;
}

export interface LocaleOptions {
  /** Stale and missing translations are errors instead of warnings. */
  strict?: boolean;
  /**
   * Namespaces whose files live in another folder than <root>/locales (a catalog brought with
   * --catalog): `dir/<lang>/<ns>.json` and `dir/<lang>/sources.json`, shown relative to `base`.
   */
  namespaceDirs?: Record<string, { dir: string; base: string }>;
  /** Load only these languages of languages.json (default: all of them). */
  only?: readonly string[];
}

export async function loadLocales(
  root: string,
  catalog: Catalog,
  files: VFile[],
  required: Record<string, string[]>,
  options: LocaleOptions = {},
): Promise<LoadedLocales | undefined> {
  const dir = join(root, 'locales');
  const listFile = await readVFile(root, join(dir, 'languages.json'));
  if (!listFile) {
    const file = new VFile({ path: 'locales/languages.json' });
    report(file, 'missing-file', { what: 'the language list', path: file.path });
    files.push(file);
    return undefined;
  }
  files.push(listFile);
  const parsedList = parseJson(listFile);
  if (!parsedList) return undefined;
  const listed = checkLanguages(listFile, parsedList);
  const languages = options.only ? listed.filter((l) => options.only!.includes(l.tag)) : listed;
  if (!languages.some((l) => l.tag === SOURCE_LANG)) {
    report(listFile, 'missing-field', { field: `language "${SOURCE_LANG}" (the source language)` }, { line: 1, column: 1 });
  }

  const resources: Resources = {};
  const parsedFiles = new Map<string, { file: VFile; parsed: Parsed }>();
  for (const { tag } of languages) {
    resources[tag] = {};
    for (const ns of Object.keys(required)) {
      const at = options.namespaceDirs?.[ns] ?? { dir, base: root };
      const path = join(at.dir, tag, `${ns}.json`);
      const file = await readVFile(at.base, path);
      if (!file) {
        const missing = new VFile({ path: relative(at.base, path) });
        report(missing, 'missing-file', { what: `the ${ns} resources of ${tag}`, path: missing.path });
        files.push(missing);
        continue;
      }
      files.push(file);
      const parsed = parseJson(file);
      if (!parsed) continue;
      checkLocaleText(file, parsed);
      resources[tag]![ns] = parsed.value;
      parsedFiles.set(`${tag}/${ns}`, { file, parsed });
    }
  }
  const en = resources[SOURCE_LANG];
  for (const [ns, keys] of Object.entries(required)) {
    const source = parsedFiles.get(`${SOURCE_LANG}/${ns}`);
    if (!source) continue;
    const have = flatten(source.parsed.value);
    for (const key of keys) {
      // A key may be given in plural forms instead (`lead.differences_sameClass_one`, `_other`): the views pass a count where a form can depend on one.
      if (!have.has(key) && !have.has(`${key}_other`)) {
        report(source.file, 'missing-locale-key', { key, lang: SOURCE_LANG, source: 'the keys codepairs renders' }, source.parsed.placeOf(key.split('.')));
      }
    }
  }
  const protocolResources = en?.[catalog.protocol.id];
  if (protocolResources && typeof protocolResources === 'object') {
    (protocolResources as Record<string, unknown>).codes = Object.fromEntries(
      catalog.codes.map((code) => [String(code.code), Object.fromEntries(TEXT_FIELDS.map((f) => [f, code.text[f]]))]),
    );
    // The curated confusable pairs' English text comes from confusable.yaml the same way.
    if (catalog.confusable.length) {
      (protocolResources as Record<string, unknown>).confusable = Object.fromEntries(
        catalog.confusable.map((entry) => [pairKey(entry.pair[0], entry.pair[1]), confusableTexts(entry)]),
      );
    }
  }
  const translations = new Map<string, LanguageTranslations>();
  const namespaces = Object.keys(required);
  // What every language is compared with, made once: the English flattened and hashed, the
  // variables of its texts, the words changed between two English texts.
  const sources = en ? englishSources(en, namespaces) : undefined;
  const variables = new Map<string, string[]>();
  const changes = new Map<string, { changed: number; total: number }>();
  for (const { tag } of languages) {
    if (tag === SOURCE_LANG || !en || !sources) continue;
    const targets: Record<string, Map<string, string>> = {};
    for (const ns of namespaces) {
      const target = parsedFiles.get(`${tag}/${ns}`);
      if (!target || !en[ns]) continue;
      targets[ns] = flatten(target.parsed.value);
      compareResources(tag, sources.flat.get(ns)!, targets[ns], target.file, target.parsed, variables);
    }
    const records = await readSourceRecords(root, tag, files);
    for (const at of Object.values(options.namespaceDirs ?? {})) Object.assign(records, await readSourceFile(at.base, join(at.dir, tag, SOURCES_FILE), files));
    const statuses = statusOf(unitsOf(tag, en, namespaces, catalog.protocol.id, sources), targets, records, changes);
    reportUntranslated(tag, statuses, parsedFiles, options.strict === true);
    translations.set(tag, { statuses, records });
  }
  return { languages, resources, translations, parsedFiles };
}

/** Stale and missing units: warnings (pages show English and say so), or errors with --strict. */
function reportUntranslated(lang: string, statuses: UnitStatus[], parsedFiles: LoadedLocales['parsedFiles'], strict: boolean) {
  const severity = strict ? 'error' : 'warn';
  const effect = strict ? 'with --strict this fails' : 'pages show the English text and say so';
  for (const { unit, state, record, behind } of statuses) {
    const target = parsedFiles.get(`${lang}/${unit.ns}`);
    if (!target || state === 'translated') continue;
    const place = target.parsed.placeOf(unit.key.split('.'));
    if (state === 'missing') report(target.file, 'missing-translation-unit', { id: unit.id, lang, effect }, place, severity);
    else {
      const why = record && behind ? `${behind.changed} of ${behind.total} words of the English changed since it was translated` : `${SOURCES_FILE} records no English source for it`;
      report(target.file, 'stale-translation', { id: unit.id, lang, why, effect }, place, severity);
    }
  }
}

function checkLanguages(file: VFile, parsed: Parsed): Language[] {
  const list = parsed.value;
  if (!Array.isArray(list)) {
    report(file, 'wrong-type', { field: '(file)', actual: typeof list, expected: 'a list of { "tag", "name" }' }, parsed.placeOf([]));
    return [];
  }
  const languages: Language[] = [];
  list.forEach((entry: unknown, i) => {
    const { tag, name, ...options } = (entry ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(options)) {
      if (key === PAIR_CONJUNCTION) {
        if (typeof value !== 'string' || !/^[^\\`*_[\]<>|~&#\r\n]{1,12}$/.test(value)) {
          report(file, 'wrong-type', { field: `[${i}].${key}`, actual: typeof value === 'string' ? 'text with markup or line breaks, or empty' : typeof value, expected: 'a short word such as "と"' }, parsed.placeOf([i, key]));
        }
      } else if (!TYPOGRAPHY_OPTIONS.includes(key)) {
        report(file, 'unknown-field', { field: `[${i}].${key}`, expected: ['tag', 'name', ...TYPOGRAPHY_OPTIONS, PAIR_CONJUNCTION].map((k) => `\`${k}\``).join(', ') }, parsed.placeOf([i, key], true));
      } else if (typeof value !== 'boolean') {
        report(file, 'wrong-type', { field: `[${i}].${key}`, actual: typeof value, expected: 'a boolean' }, parsed.placeOf([i, key]));
      }
    }
    if (typeof tag !== 'string' || !isSafeLanguageTag(tag)) {
      report(file, 'invalid-language-tag', { tag: String(tag) }, parsed.placeOf([i, 'tag']));
      return;
    }
    if (RESERVED_OUTPUT_FOLDERS.includes(tag.toLowerCase())) {
      report(file, 'output-path-conflict', { tag, folder: tag.toLowerCase() }, parsed.placeOf([i, 'tag']));
      return;
    }
    if (typeof name !== 'string' || name.trim() === '') {
      report(file, 'missing-field', { field: `[${i}].name` }, parsed.placeOf([i]));
      return;
    }
    if (languages.some((l) => l.tag === tag)) {
      report(file, 'duplicate-language', { tag }, parsed.placeOf([i, 'tag']));
      return;
    }
    const flags = Object.fromEntries(Object.entries(options).filter(([key, value]) => TYPOGRAPHY_OPTIONS.includes(key) && value === true));
    const pair = typeof options[PAIR_CONJUNCTION] === 'string' ? { [PAIR_CONJUNCTION]: options[PAIR_CONJUNCTION] as string } : {};
    languages.push({ tag, name, ...flags, ...pair });
  });
  return languages;
}

/**
 * Compare a language's resources with English: extra keys, interpolation variables, unsafe
 * text. Missing keys are untranslated units, reported with the stale ones.
 */
function compareResources(lang: string, sourceKeys: Map<string, string>, targetKeys: Map<string, string>, file: VFile, parsed: Parsed, englishVariables: Map<string, string[]>): void {
  const pathOf = (key: string) => key.split('.');
  const expected = new Set<string>();
  for (const key of sourceKeys.keys()) for (const k of expectedKeys(key, lang)) expected.add(k);
  const sourceText = (key: string) => sourceKeys.get(key) ?? sourceKeys.get(key.replace(PLURAL_SUFFIX, '_other')) ?? '';

  for (const [key, text] of targetKeys) {
    if (!expected.has(key) && !OPTIONAL_KEY.test(key)) {
      report(file, 'extra-locale-key', { key, lang, source: SOURCE_LANG }, parsed.placeOf(pathOf(key), true));
      continue;
    }
    const english = OPTIONAL_KEY.test(key) ? '' : sourceText(key);
    let want = englishVariables.get(english);
    if (want === undefined) englishVariables.set(english, (want = variablesOf(english)));
    const have = variablesOf(text);
    if (want.join() !== have.join()) {
      const show = (vars: string[]) => (vars.length ? vars.map((v) => `{{${v}}}`).join(', ') : 'none');
      report(file, 'interpolation-mismatch', { key, lang, source: SOURCE_LANG, actual: show(have), expected: show(want) }, parsed.placeOf(pathOf(key)));
    }
  }
}
