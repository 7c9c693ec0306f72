/**
 * `locales/<lang>/sources.json`: for each translated unit, the English text it was translated
 * from and its hash, so a change to the English shows which translations it made stale.
 * A language without the file has no recorded sources (every translation of it is stale).
 */
import { join } from 'node:path';
import type { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import type { SourceRecord } from '../translations/units.js';
import { readVFile } from './catalog.js';
import { parseJson } from './source.js';

export const SOURCES_FILE = 'sources.json';

export const sourcesPath = (lang: string) => `locales/${lang}/${SOURCES_FILE}`;

export async function readSourceRecords(root: string, lang: string, files: VFile[]): Promise<Record<string, SourceRecord>> {
  return readSourceFile(root, join(root, sourcesPath(lang)), files);
}

/** A sources file at `path` (shown relative to `base`); none there: no recorded sources. */
export async function readSourceFile(base: string, path: string, files: VFile[]): Promise<Record<string, SourceRecord>> {
  const file = await readVFile(base, path);
  if (!file) return {};
  files.push(file);
  const parsed = parseJson(file);
  if (!parsed) return {};
  const value = parsed.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    report(file, 'wrong-type', { field: '(file)', actual: Array.isArray(value) ? 'a list' : typeof value, expected: 'an object of unit ids' }, parsed.placeOf([]));
    return {};
  }
  const records: Record<string, SourceRecord> = {};
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    const { hash, source } = (entry ?? {}) as Record<string, unknown>;
    if (typeof hash !== 'string' || typeof source !== 'string') {
      report(file, 'wrong-type', { field: id, actual: typeof entry, expected: '{ "hash", "source" } strings' }, parsed.placeOf([id]));
      continue;
    }
    records[id] = { hash, source };
  }
  return records;
}

/** The file's text: units sorted by id, two-space JSON, one unit per four lines. */
export function formatSourceRecords(records: Record<string, SourceRecord>): string {
  const sorted = Object.fromEntries(
    Object.keys(records)
      .sort()
      .map((id) => [id, { hash: records[id]!.hash, source: records[id]!.source }]),
  );
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
