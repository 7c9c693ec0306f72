/**
 * Read the curated list of confusable pairs (`data/<protocol>/confusable.yaml`): for each pair of
 * codes, why readers mix them up and how to tell them apart, in English. Every problem is a
 * message with its place: unknown codes, pairs not written lowest first, duplicates, missing or
 * unexpected fields, markup in the text. The file is optional: a catalog without one has no
 * curated pairs.
 */
import { join } from 'node:path';
import type { VFile } from 'vfile';
import { pairKey } from '../compare/relevance.js';
import { report } from '../diagnostics.js';
import { CONFUSABLE_TEXT_FIELDS, type ConfusablePair, type StatusCode } from '../types.js';
import { readVFile } from './catalog.js';
import { checkSafeText } from './safe-text.js';
import type { ParseCache } from './parse-cache.js';
import { parseYaml, type Parsed } from './source.js';

export const CONFUSABLE_FILE = 'confusable.yaml';
const FIELDS = ['pair', ...CONFUSABLE_TEXT_FIELDS] as const;
const REQUIRED = ['pair', 'why', 'guidance'] as const;

const describe = (value: unknown): string =>
  Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value === 'object' ? 'mapping' : typeof value;

export async function loadConfusable(root: string, dir: string, codes: StatusCode[], files: VFile[], cache?: ParseCache): Promise<ConfusablePair[]> {
  const file = await readVFile(root, join(dir, CONFUSABLE_FILE));
  if (!file) return [];
  files.push(file);
  const parsed = parseYaml(file, cache);
  if (!parsed) return [];
  return validateConfusable(file, parsed, new Set(codes.map((c) => c.code)));
}

/** Check the parsed file against the catalog's codes; the valid entries, in file order. */
export function validateConfusable(file: VFile, parsed: Parsed, known: ReadonlySet<number>): ConfusablePair[] {
  const list = parsed.value;
  if (!Array.isArray(list)) {
    report(file, 'wrong-type', { field: '(file)', actual: describe(list), expected: 'a list of { pair, why, guidance }' }, parsed.placeOf([]));
    return [];
  }
  const pairs: ConfusablePair[] = [];
  const firstEntry = new Map<string, number>();
  list.forEach((entry: unknown, i) => {
    if (describe(entry) !== 'mapping') {
      report(file, 'wrong-type', { field: `[${i}]`, actual: describe(entry), expected: 'a mapping with `pair`, `why` and `guidance`' }, parsed.placeOf([i]));
      return;
    }
    const data = entry as Record<string, unknown>;
    const before = file.messages.length;
    for (const key of Object.keys(data)) {
      if (!(FIELDS as readonly string[]).includes(key)) {
        report(file, 'unknown-field', { field: `[${i}].${key}`, expected: FIELDS.map((f) => `\`${f}\``).join(', ') }, parsed.placeOf([i, key], true));
      }
    }
    for (const field of REQUIRED) {
      if (data[field] === undefined) report(file, 'missing-field', { field: `[${i}].${field}` }, parsed.placeOf([i]));
    }
    const pair = data.pair;
    if (pair !== undefined) {
      if (!Array.isArray(pair) || pair.length !== 2 || pair.some((c) => typeof c !== 'number')) {
        report(file, 'wrong-type', { field: `[${i}].pair`, actual: describe(pair), expected: 'a list of two code numbers' }, parsed.placeOf([i, 'pair']));
      } else {
        pair.forEach((code: number, k) => {
          if (!known.has(code)) report(file, 'unknown-confusable-code', { code }, parsed.placeOf([i, 'pair', k]));
        });
        const [low, high] = pair as [number, number];
        if (low >= high) report(file, 'unordered-confusable-pair', { low, high }, parsed.placeOf([i, 'pair']));
        const id = pairKey(Math.min(low, high), Math.max(low, high));
        const first = firstEntry.get(id);
        // The entry's index: its line is looked up only for a duplicate (a place may cost a parse).
        if (first !== undefined) report(file, 'duplicate-confusable-pair', { pair: id, line: parsed.placeOf([first, 'pair']).line }, parsed.placeOf([i, 'pair']));
        else firstEntry.set(id, i);
      }
    }
    for (const field of CONFUSABLE_TEXT_FIELDS) {
      const text = data[field];
      if (text === undefined) continue;
      if (typeof text !== 'string' || text.trim() === '') {
        report(file, 'wrong-type', { field: `[${i}].${field}`, actual: typeof text === 'string' ? 'empty string' : describe(text), expected: 'English sentences' }, parsed.placeOf([i, field]));
      } else {
        checkSafeText(file, parsed, [i, field], text);
      }
    }
    if (file.messages.length > before) return;
    const texts = CONFUSABLE_TEXT_FIELDS.flatMap((field) => (typeof data[field] === 'string' ? [[field, data[field].trim()]] : []));
    pairs.push({ pair: pair as [number, number], ...Object.fromEntries(texts) } as ConfusablePair);
  });
  return pairs;
}
