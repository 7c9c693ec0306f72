/**
 * Translation units: one translatable string of one language, named `<namespace>:<key path>`
 * (e.g. `sip:codes.183.description`, `common:sections.fix`), with the English text it is
 * translated from and a hash of that text.
 *
 * Plurals: every plural form a language needs is a unit of its own (`sip:index.intro_few`).
 * Its English source is the English form of the same name when English has it (`_one`,
 * `_other`), and the English `_other` otherwise (ru `_few` and `_many` translate `_other`).
 * Editing the English `_other` therefore makes every form translated from it stale.
 *
 * The optional `codes.<code>.gloss` keys have no English source (they gloss the registry's
 * reason phrase) and are not units. Pure: no I/O.
 */
import { sha256 } from '../hash.js';

export interface Unit {
  /** `<namespace>:<key path>` of the target language. */
  id: string;
  ns: string;
  key: string;
  /** The English key the unit is translated from (differs from `key` for plural forms). */
  sourceKey: string;
  /** The current English text. */
  source: string;
  hash: string;
  /** For per-code text: the code and the field (`description`, `when`, `fix`, `use`). */
  code?: number;
  field?: string;
}

/** What a language's sources file records for a unit: the English it was translated from. */
export interface SourceRecord {
  hash: string;
  source: string;
}

export const unitId = (ns: string, key: string) => `${ns}:${key}`;

export function splitUnitId(id: string): { ns: string; key: string } | undefined {
  const match = /^([A-Za-z][\w-]*):(.+)$/.exec(id);
  return match ? { ns: match[1]!, key: match[2]! } : undefined;
}

/** The first 16 hex digits of the SHA-256 of an English source text. */
export function hashSource(text: string): string {
  return sha256(text).slice(0, 16);
}

/** Flatten nested resources to dotted keys with their string values, in file order. */
export function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  flattenInto(value, prefix, out);
  return out;
}

/** Into one map as it goes (a map per level, copied up, cost a tenth of a build's loading). */
function flattenInto(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flattenInto(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out.set(prefix, String(value));
  }
}

export const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** The keys a language must have for a source key, given its plural categories. */
export function expectedKeys(key: string, lang: string): string[] {
  if (!PLURAL_SUFFIX.test(key)) return [key];
  const base = key.replace(PLURAL_SUFFIX, '');
  return pluralCategoriesOf(lang).map((c) => `${base}_${c}`);
}

/** A language's plural categories, once per language (making an Intl.PluralRules costs far more than asking it). */
const pluralCategories = new Map<string, readonly string[]>();
function pluralCategoriesOf(lang: string): readonly string[] {
  let categories = pluralCategories.get(lang);
  if (categories === undefined) pluralCategories.set(lang, (categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories));
  return categories;
}

/** The English key a target key is translated from. */
export function sourceKeyOf(key: string, english: Map<string, string>): string {
  if (english.has(key) || !PLURAL_SUFFIX.test(key)) return key;
  return key.replace(PLURAL_SUFFIX, '_other');
}

const CODE_KEY = /^codes\.(\d{3})\.(\w+)$/;

/**
 * The English side of every language's units: each namespace's resources flattened, and the
 * hash of each text. The same for every language, so made once (see unitsOf).
 */
export interface EnglishSources {
  flat: Map<string, Map<string, string>>;
  hashes: Map<string, string>;
}

export function englishSources(english: Record<string, unknown>, namespaces: readonly string[]): EnglishSources {
  const flat = new Map(namespaces.map((ns) => [ns, flatten(english[ns])]));
  const hashes = new Map<string, string>();
  for (const texts of flat.values()) for (const text of texts.values()) if (!hashes.has(text)) hashes.set(text, hashSource(text));
  return { flat, hashes };
}

/**
 * Every unit of `lang`, in English order: for each namespace, each English key (and each
 * plural form the language needs).
 */
export function unitsOf(lang: string, english: Record<string, unknown>, namespaces: readonly string[], protocol: string, sources = englishSources(english, namespaces)): Unit[] {
  const units: Unit[] = [];
  for (const ns of namespaces) {
    const flat = sources.flat.get(ns) ?? flatten(english[ns]);
    const seen = new Set<string>();
    for (const englishKey of flat.keys()) {
      for (const key of expectedKeys(englishKey, lang)) {
        if (seen.has(key)) continue;
        seen.add(key);
        const sourceKey = sourceKeyOf(key, flat);
        const source = flat.get(sourceKey) ?? '';
        const code = ns === protocol ? CODE_KEY.exec(key) : null;
        units.push({
          id: unitId(ns, key),
          ns,
          key,
          sourceKey,
          source,
          hash: sources.hashes.get(source) ?? hashSource(source),
          ...(code ? { code: Number(code[1]), field: code[2] } : {}),
        });
      }
    }
  }
  return units;
}

export type UnitState = 'translated' | 'stale' | 'missing';

export interface UnitStatus {
  unit: Unit;
  state: UnitState;
  /** The current translation, when there is one. */
  target?: string;
  /** What the sources file records, when it records the unit. */
  record?: SourceRecord;
  /** For stale units with a recorded source: how many words of the English changed. */
  behind?: { changed: number; total: number };
}

/**
 * Compare each unit with the translation and the recorded source. A unit with a translation
 * but no recorded source counts as stale: nothing says which English it was made from (stamp it
 * once checked, or import it).
 */
export function statusOf(units: Unit[], targets: Record<string, Map<string, string>>, records: Record<string, SourceRecord>, changes = new Map<string, { changed: number; total: number }>()): UnitStatus[] {
  // The languages stale against the same English have it recorded alike: counted once (`changes`, shared by the caller).
  const behindOf = (before: string, after: string) => {
    const id = `${before}\u0000${after}`;
    let behind = changes.get(id);
    if (behind === undefined) changes.set(id, (behind = wordsChanged(before, after)));
    return { ...behind };
  };
  return units.map((unit) => {
    const target = targets[unit.ns]?.get(unit.key);
    const record = records[unit.id];
    if (target === undefined) return { unit, state: 'missing', ...(record ? { record } : {}) };
    if (record?.hash === unit.hash) return { unit, state: 'translated', target, record };
    return { unit, state: 'stale', target, ...(record ? { record, behind: behindOf(record.source, unit.source) } : {}) };
  });
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** How many words of `after` differ from `before` (longest common subsequence of words). */
export function wordsChanged(before: string, after: string): { changed: number; total: number } {
  const a = words(before);
  const b = words(after);
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, row[j - 1]!);
    previous = row;
  }
  const common = previous[b.length]!;
  return { changed: Math.max(a.length, b.length) - common, total: b.length };
}

/** Variable names used in a text, sorted and without repeats. */
export function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.-]+)[^}]*\}\}/g)].map((m) => m[1]!))].sort();
}
