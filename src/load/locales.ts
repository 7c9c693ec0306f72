/**
 * Read locales/languages.json and every locales/<lang>/<namespace>.json, add the catalog's
 * English text as the English `codes` resources, and check each language against English:
 * missing keys, extra keys, and interpolation variables that differ.
 */
import { join } from 'node:path';
import { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import type { Catalog, FallbackKeys, Language, Resources } from '../types.js';
import { TEXT_FIELDS } from '../types.js';
import { readVFile } from './catalog.js';
import { parseJson, type Parsed } from './source.js';
import { checkLocaleText } from './safe-text.js';

export const SOURCE_LANG = 'en';
/** Keys a language may leave out: a gloss of the reason phrase helps only some languages. */
const OPTIONAL_KEY = /^codes\.\d{3}\.gloss$/;
/** Per-language typography switches a languages.json entry may set. */
const TYPOGRAPHY_OPTIONS = ['cjkLatinSpacing', 'frenchSpacing'];
const TAG = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;

/** Top-level output folders that are not languages: a language folder of that name would mix with them. */
export const RESERVED_OUTPUT_FOLDERS = ['assets', 'kb'];

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
  resources: Resources;
  /** Per language with a fallback, the keys it shows from there. */
  fallbackKeys: Map<string, FallbackKeys>;
}

function groupFallbackKeys(keys: string[]): FallbackKeys {
  const codes = new Map<number, string[]>();
  const shared: string[] = [];
  for (const key of keys) {
    const code = /^[^:]+:codes\.(\d{3})\./.exec(key)?.[1];
    if (code) codes.set(Number(code), [...(codes.get(Number(code)) ?? []), key]);
    else shared.push(key);
  }
  return { codes, shared };
}

export async function loadLocales(
  root: string,
  catalog: Catalog,
  files: VFile[],
  required: Record<string, string[]>,
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
  const languages = checkLanguages(listFile, parsedList);
  if (!languages.some((l) => l.tag === SOURCE_LANG)) {
    report(listFile, 'missing-field', { field: `language "${SOURCE_LANG}" (the source language)` }, { line: 1, column: 1 });
  }

  const resources: Resources = {};
  const parsedFiles = new Map<string, { file: VFile; parsed: Parsed }>();
  for (const { tag } of languages) {
    resources[tag] = {};
    for (const ns of Object.keys(required)) {
      const path = join(dir, tag, `${ns}.json`);
      const file = await readVFile(root, path);
      if (!file) {
        const missing = new VFile({ path: `locales/${tag}/${ns}.json` });
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
      if (!have.has(key)) {
        report(source.file, 'missing-locale-key', { key, lang: SOURCE_LANG, source: 'the keys codepairs renders' }, source.parsed.placeOf(key.split('.')));
      }
    }
  }
  const protocolResources = en?.[catalog.protocol.id];
  if (protocolResources && typeof protocolResources === 'object') {
    (protocolResources as Record<string, unknown>).codes = Object.fromEntries(
      catalog.codes.map((code) => [String(code.code), Object.fromEntries(TEXT_FIELDS.map((f) => [f, code.text[f]]))]),
    );
  }
  const fallbackKeys = new Map<string, FallbackKeys>();
  for (const { tag, fallback } of languages) {
    if (tag === SOURCE_LANG) continue;
    const missing: string[] = [];
    for (const ns of Object.keys(required)) {
      const target = parsedFiles.get(`${tag}/${ns}`);
      const source = en?.[ns];
      if (target && source) missing.push(...compareResources(tag, ns, source, target.file, target.parsed, fallback));
    }
    if (fallback && missing.length) fallbackKeys.set(tag, groupFallbackKeys(missing));
  }
  return { languages, resources, fallbackKeys };
}

function checkLanguages(file: VFile, parsed: Parsed): Language[] {
  const list = parsed.value;
  if (!Array.isArray(list)) {
    report(file, 'wrong-type', { field: '(file)', actual: typeof list, expected: 'a list of { "tag", "name" }' }, parsed.placeOf([]));
    return [];
  }
  const languages: Language[] = [];
  list.forEach((entry: unknown, i) => {
    const { tag, name, fallback, ...options } = (entry ?? {}) as Record<string, unknown>;
    if (fallback !== undefined && typeof fallback !== 'string') {
      report(file, 'wrong-type', { field: `[${i}].fallback`, actual: typeof fallback, expected: 'a language tag' }, parsed.placeOf([i, 'fallback']));
    }
    for (const [key, value] of Object.entries(options)) {
      if (!TYPOGRAPHY_OPTIONS.includes(key)) {
        report(file, 'unknown-field', { field: `[${i}].${key}`, expected: ['tag', 'name', 'fallback', ...TYPOGRAPHY_OPTIONS].map((k) => `\`${k}\``).join(', ') }, parsed.placeOf([i, key], true));
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
    languages.push({ tag, name, ...flags, ...(typeof fallback === 'string' ? { fallback } : {}) });
  });
  for (const language of languages) {
    if (language.fallback !== undefined && (language.fallback === language.tag || !languages.some((l) => l.tag === language.fallback))) {
      report(file, 'unknown-fallback', { lang: language.tag, fallback: language.fallback }, parsed.placeOf([list.findIndex((e: { tag?: unknown }) => e?.tag === language.tag), 'fallback']));
    }
  }
  return languages;
}

/** Flatten nested resources to dotted keys with their string values. */
export function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
  } else if (prefix) {
    out.set(prefix, String(value));
  }
  return out;
}

export function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.-]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** The keys a language must have for a source key, given its plural categories. */
function expectedKeys(key: string, lang: string): string[] {
  if (!PLURAL_SUFFIX.test(key)) return [key];
  const base = key.replace(PLURAL_SUFFIX, '');
  return new Intl.PluralRules(lang).resolvedOptions().pluralCategories.map((c) => `${base}_${c}`);
}

/** Compare a language's resources with English; returns the missing keys (as `ns:key`). */
function compareResources(lang: string, ns: string, source: unknown, file: VFile, parsed: Parsed, fallback: string | undefined): string[] {
  const missing: string[] = [];
  const sourceKeys = flatten(source);
  const targetKeys = flatten(parsed.value);
  const pathOf = (key: string) => key.split('.');
  const expected = new Set<string>();
  for (const key of sourceKeys.keys()) for (const k of expectedKeys(key, lang)) expected.add(k);
  const sourceText = (key: string) => sourceKeys.get(key) ?? sourceKeys.get(key.replace(PLURAL_SUFFIX, '_other')) ?? '';

  for (const key of expected) {
    if (targetKeys.has(key)) continue;
    missing.push(`${ns}:${key}`);
    if (fallback) report(file, 'fallback-locale-key', { key, lang, fallback }, parsed.placeOf(pathOf(key)), 'warn');
    else report(file, 'missing-locale-key', { key, lang, source: `locales/${SOURCE_LANG}/${ns}.json` }, parsed.placeOf(pathOf(key)));
  }
  for (const [key, text] of targetKeys) {
    if (!expected.has(key) && !OPTIONAL_KEY.test(key)) {
      report(file, 'extra-locale-key', { key, lang, source: SOURCE_LANG }, parsed.placeOf(pathOf(key), true));
      continue;
    }
    const want = OPTIONAL_KEY.test(key) ? [] : variablesOf(sourceText(key));
    const have = variablesOf(text);
    if (want.join() !== have.join()) {
      const show = (vars: string[]) => (vars.length ? vars.map((v) => `{{${v}}}`).join(', ') : 'none');
      report(file, 'interpolation-mismatch', { key, lang, source: SOURCE_LANG, actual: show(have), expected: show(want) }, parsed.placeOf(pathOf(key)));
    }
  }
  return missing;
}
