/**
 * `codepairs translations status|stamp|export|import`: the loop that keeps translations in step
 * with the English. Reads and writes the locale files; the decisions live in src/translations/.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VFile } from 'vfile';
import { reporter } from 'vfile-reporter';
import { DEFAULT_CATALOG } from '../build.js';
import { InputError, hasErrors, report } from '../diagnostics.js';
import { writeFileAtomic } from '../emit/atomic.js';
import { loadCatalog } from '../load/catalog.js';
import { loadLocales, SOURCE_LANG, type LoadedLocales } from '../load/locales.js';
import { SOURCES_FILE, formatSourceRecords, sourcesPath } from '../load/translation-sources.js';
import { catalogLocales } from '../load/catalog-locales.js';
import { COMMON_KEYS, protocolKeys } from '../render/required-keys.js';
import { planImport } from '../translations/import.js';
import { editLocaleText, type LocaleEdit } from '../translations/locale-edit.js';
import { contextNote } from '../translations/notes.js';
import { expectedKeys, type SourceRecord, type UnitStatus } from '../translations/units.js';
import { EXPORT_FORMATS, readImport, writeExport, type ExportFormat } from '../translations/xliff.js';
import type { Catalog } from '../types.js';
import { UsageError } from './usage-error.js';

export interface TranslationsOptions {
  root: string;
  /** A catalog folder brought with --catalog (absolute), instead of data/sip. */
  catalog?: string;
  langs?: string[];
  json?: boolean;
  format?: string;
  all?: boolean;
  force?: boolean;
  units?: string[];
  quiet?: boolean;
  args: string[];
  write: (text: string) => void;
  writeError: (text: string) => void;
}

export const TRANSLATION_COMMANDS = ['status', 'stamp', 'export', 'import'] as const;

interface State {
  catalog: Catalog;
  /** With --catalog: the catalog's own locales folder, where its sources.json files are written. */
  ownLocales?: string;
  locales: LoadedLocales;
  /** Units of every language other than English. */
  statuses: Map<string, UnitStatus[]>;
}

/** The namespace a catalog with its own locales keeps its units in; undefined when --root's locales hold them. */
const ownNamespace = (state: State): string | undefined => (state.ownLocales ? state.catalog.protocol.id : undefined);

/**
 * The source records of a language that this run writes back: all of them, or, for a catalog with
 * its own locales, only those of its own units (its sources.json holds nothing else).
 */
function ownRecords(state: State, lang: string): Record<string, SourceRecord> {
  const records = state.locales.translations.get(lang)!.records;
  const ns = ownNamespace(state);
  return ns ? Object.fromEntries(Object.entries(records).filter(([id]) => id.startsWith(`${ns}:`))) : records;
}

async function loadState(root: string, catalogDir?: string): Promise<State> {
  const files: VFile[] = [];
  const base = catalogDir ? process.cwd() : root;
  const catalog = await loadCatalog(base, catalogDir ?? join(root, DEFAULT_CATALOG), files);
  const at = catalog && catalogDir ? await catalogLocales(catalogDir, catalog.protocol.id, base, root) : undefined;
  const localeOptions = at ? { namespaceDirs: at.namespaceDirs, only: at.only } : {};
  const locales = catalog ? await loadLocales(root, catalog, files, { common: COMMON_KEYS, [catalog.protocol.id]: protocolKeys(catalog.protocol, catalog.codes) }, localeOptions) : undefined;
  if (!catalog || !locales || hasErrors(files)) {
    // Stale and missing units are what these commands are for: show only the errors.
    for (const file of files) file.messages = file.messages.filter((m) => m.fatal);
    throw new InputError(files.filter((f) => f.messages.length > 0));
  }
  const statuses = new Map([...locales.translations].map(([lang, t]) => [lang, t.statuses]));
  return { catalog, locales, statuses, ...(at?.ownDir ? { ownLocales: at.ownDir } : {}) };
}

/**
 * The units export and import deal in: all of them, or, for a catalog with its own locales, only
 * the catalog's namespace (as stamp records only those): the shared labels belong to the project
 * in --root, which translates them there.
 */
function exchangedStatuses(state: State): Map<string, UnitStatus[]> {
  if (!state.ownLocales) return state.statuses;
  const ns = state.catalog.protocol.id;
  return new Map([...state.statuses].map(([lang, statuses]) => [lang, statuses.filter((s) => s.unit.ns === ns)]));
}

function chooseLanguages(state: State, langs: string[] | undefined): string[] {
  const known = [...state.statuses.keys()];
  if (!langs?.length) return known;
  const file = new VFile({ path: 'locales/languages.json' });
  for (const tag of langs) {
    if (!known.includes(tag)) report(file, 'unknown-language', { tag, expected: known.map((l) => `\`${l}\``).join(', ') });
  }
  if (file.messages.length) throw new InputError([file]);
  return known.filter((l) => langs.includes(l));
}

export async function translations(command: string, options: TranslationsOptions): Promise<number> {
  if (command === 'status') return status(options);
  if (command === 'stamp') return stamp(options);
  if (command === 'export') return exportUnits(options);
  if (command === 'import') return importFile(options);
  throw new UsageError(`unknown command \`translations ${command}\`: expected ${TRANSLATION_COMMANDS.map((c) => `\`${c}\``).join(', ')}`);
}

function where(status: UnitStatus, catalog: Catalog): { code?: number; reason?: string; field: string } {
  const { unit } = status;
  if (unit.code !== undefined && unit.field) return { code: unit.code, reason: catalog.codes.find((c) => c.code === unit.code)?.reason, field: unit.field };
  return { field: unit.key };
}

async function status(options: TranslationsOptions): Promise<number> {
  if (options.args.length) throw new UsageError(`unexpected argument \`${options.args[0]}\``);
  const state = await loadState(options.root, options.catalog);
  const langs = chooseLanguages(state, options.langs);
  const report = langs.map((lang) => {
    const statuses = state.statuses.get(lang)!;
    const count = (s: UnitStatus['state']) => statuses.filter((u) => u.state === s).length;
    return {
      lang,
      total: statuses.length,
      translated: count('translated'),
      stale: count('stale'),
      missing: count('missing'),
      units: statuses
        .filter((s) => s.state !== 'translated')
        .map((s) => ({
          id: s.unit.id,
          state: s.state,
          ...where(s, state.catalog),
          ...(s.state === 'stale' ? { behind: s.behind ?? null, previousSource: s.record?.source ?? null, source: s.unit.source } : {}),
        })),
    };
  });
  if (options.json) {
    options.write(`${JSON.stringify({ languages: report }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const lang of report) {
    lines.push(`${lang.lang}: ${lang.total} units: ${lang.translated} translated, ${lang.stale} stale, ${lang.missing} missing`);
    for (const unit of lang.units) {
      const belongs = unit.code !== undefined ? `${unit.code} ${unit.reason}, ${unit.field}` : unit.field;
      const behind = unit.state === 'stale' ? (unit.behind ? `: ${unit.behind.changed} of ${unit.behind.total} words of the English changed` : ': no recorded English source') : '';
      lines.push(`  ${unit.state.padEnd(7)} ${unit.id} (${belongs})${behind}`);
    }
  }
  options.write(`${lines.join('\n')}\n`);
  return 0;
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

async function stamp(options: TranslationsOptions): Promise<number> {
  if (options.args.length) throw new UsageError(`unexpected argument \`${options.args[0]}\``);
  if (!options.all && !options.units?.length) throw new UsageError('`translations stamp` needs `--unit <id>` (repeatable) or `--all`');
  if (options.all && options.units?.length) throw new UsageError('`--unit` and `--all` exclude each other');
  const state = await loadState(options.root, options.catalog);
  const langs = chooseLanguages(state, options.langs);
  // A catalog with its own locales records its own units, in its own sources.json; the rest belongs to --root.
  const ownNs = ownNamespace(state);
  for (const id of options.units ?? []) {
    if (!langs.some((lang) => state.statuses.get(lang)!.some((s) => s.unit.id === id))) throw new UsageError(`unknown unit \`${id}\``);
  }
  const writes: Array<{ path: string; text: string }> = [];
  const messages: string[] = [];
  for (const lang of langs) {
    const statuses = state.statuses.get(lang)!;
    const old = state.locales.translations.get(lang)!.records;
    const kept = ownRecords(state, lang);
    // --all restamps the namespaces this run loaded; the records of another catalog that shares
    // the file (SIP's, when --catalog data/http keeps its locales beside them) stay as they are.
    const loaded = new Set(statuses.map((s) => s.unit.ns));
    const others = Object.fromEntries(Object.entries(kept).filter(([id]) => !loaded.has(id.slice(0, id.indexOf(':')))));
    const records: Record<string, SourceRecord> = options.all ? others : { ...kept };
    const stamped: string[] = [];
    const untranslated: string[] = [];
    for (const s of statuses) {
      if (ownNs && s.unit.ns !== ownNs) continue;
      if (!options.all && !options.units!.includes(s.unit.id)) continue;
      if (s.target === undefined) {
        untranslated.push(s.unit.id);
        continue;
      }
      records[s.unit.id] = { hash: s.unit.hash, source: s.unit.source };
      if (old[s.unit.id]?.hash !== s.unit.hash || old[s.unit.id]?.source !== s.unit.source) stamped.push(s.unit.id);
    }
    const path = state.ownLocales ? join(state.ownLocales, lang, SOURCES_FILE) : join(options.root, sourcesPath(lang));
    const text = formatSourceRecords(records);
    if (text !== (await readText(path))) writes.push({ path, text });
    messages.push(`${lang}: stamped ${stamped.length} unit${stamped.length === 1 ? '' : 's'}${stamped.length && stamped.length <= 10 ? `: ${stamped.join(', ')}` : ''}`);
    if (untranslated.length && !options.all) messages.push(`${lang}: not translated, nothing to stamp: ${untranslated.join(', ')}`);
  }
  for (const { path, text } of writes) await writeFileAtomic(path, text);
  if (!options.quiet) options.write(`${messages.join('\n')}\n`);
  return 0;
}

async function exportUnits(options: TranslationsOptions): Promise<number> {
  if (options.args.length) throw new UsageError(`unexpected argument \`${options.args[0]}\``);
  if (options.langs?.length !== 1) throw new UsageError('`translations export` needs exactly one `--lang <tag>`');
  const format = (options.format ?? 'xliff12') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`invalid --format \`${options.format}\`: expected ${EXPORT_FORMATS.map((f) => `\`${f}\``).join(', ')}`);
  const state = await loadState(options.root, options.catalog);
  const [lang] = chooseLanguages(state, options.langs) as [string];
  const units = exchangedStatuses(state)
    .get(lang)!
    .filter((s) => options.all || s.state !== 'translated')
    .map((status) => ({ status, note: contextNote(status.unit, state.catalog) }));
  options.write(writeExport({ sourceLanguage: SOURCE_LANG, targetLanguage: lang, units }, format));
  return 0;
}

async function importFile(options: TranslationsOptions): Promise<number> {
  const [path, ...rest] = options.args;
  if (!path) throw new UsageError('`translations import` needs the file to import');
  if (rest.length) throw new UsageError(`unexpected argument \`${rest[0]}\``);
  const text = await readText(resolve(path));
  const file = new VFile({ path, value: text ?? '' });
  if (text === undefined) {
    report(file, 'missing-file', { what: 'the file to import', path });
    throw new InputError([file]);
  }
  const state = await loadState(options.root, options.catalog);
  const parsed = readImport(text);
  if ('rule' in parsed) {
    report(file, parsed.rule, parsed.params, parsed.place);
    throw new InputError([file]);
  }
  const plan = planImport(parsed, exchangedStatuses(state), options.force === true);
  for (const p of plan.problems) report(file, p.rule, p.params, p.place, p.severity);
  if (hasErrors([file])) throw new InputError([file]);
  if (file.messages.length) options.writeError(reporter([file], { quiet: true }));

  // Every new file text first; then each file is replaced in one step.
  const { lang } = plan;
  const english = state.locales.resources[SOURCE_LANG]!;
  const byNs = new Map<string, LocaleEdit[]>();
  for (const change of plan.changes.filter((c) => c.textChanged)) {
    const { ns, key } = change.status.unit;
    byNs.set(ns, [...(byNs.get(ns) ?? []), { key, value: change.target }]);
  }
  const englishOrder = (ns: string) => (path: string[]) => {
    let node: unknown = english[ns];
    for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    return [...new Set(keys.flatMap((k) => expectedKeys(k, lang)))];
  };
  // A catalog with its own locales (only its own units are exchanged) keeps its namespace and its
  // records there; otherwise everything is --root's.
  const localesDir = state.ownLocales ?? join(options.root, 'locales');
  const writes: Array<{ path: string; text: string }> = [];
  for (const [ns, edits] of byNs) {
    const locale = state.locales.parsedFiles.get(`${lang}/${ns}`);
    const path = locale ? resolve(locale.file.cwd, locale.file.path) : join(localesDir, lang, `${ns}.json`);
    writes.push({ path, text: editLocaleText(locale ? String(locale.file.value) : '{}\n', edits, englishOrder(ns)) });
  }
  if (plan.changes.length) {
    const records = { ...ownRecords(state, lang) };
    for (const change of plan.changes) records[change.status.unit.id] = change.record;
    writes.push({ path: state.ownLocales ? join(state.ownLocales, lang, SOURCES_FILE) : join(options.root, sourcesPath(lang)), text: formatSourceRecords(records) });
  }
  for (const { path: target, text: content } of writes) await writeFileAtomic(target, content);

  if (!options.quiet) {
    const updated = plan.changes.filter((c) => c.textChanged).map((c) => c.status.unit.id);
    const confirmed = plan.changes.filter((c) => !c.textChanged).map((c) => c.status.unit.id);
    const lines = [`${lang}: updated ${updated.length} unit${updated.length === 1 ? '' : 's'}${updated.length ? `: ${updated.join(', ')}` : ''}`];
    if (confirmed.length) lines.push(`${lang}: confirmed ${confirmed.length} unchanged translation${confirmed.length === 1 ? '' : 's'} against the current English: ${confirmed.join(', ')}`);
    if (plan.notDone.length) lines.push(`${lang}: ${plan.notDone.length} unit${plan.notDone.length === 1 ? '' : 's'} in the file not marked translated, left as they are`);
    options.write(`${lines.join('\n')}\n`);
  }
  return 0;
}
