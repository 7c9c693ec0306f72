/**
 * The manifest of an export (every record id with its content hash) and the change set between
 * two exports: upserts for records that are new or whose hash differs, deletes for ids that are
 * gone. Pure: the reading and writing happen in src/load and src/emit.
 */
import type { KbRecord } from './records.js';

export const MANIFEST_FORMAT = 'codepairs-kb-manifest';
export const MANIFEST_VERSION = 1;

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** The languages of the export, in the order of locales/languages.json. */
  langs: string[];
  maxChars: number;
  /** Record id → content hash, sorted by id. */
  records: Record<string, string>;
}

export type Change = { op: 'upsert'; record: KbRecord } | { op: 'delete'; id: string };

/** Ids sort by code unit, the same everywhere, so manifests and change sets are byte-stable. */
export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function makeManifest(hashes: ReadonlyMap<string, string>, langs: string[], maxChars: number): Manifest {
  const records: Record<string, string> = {};
  for (const id of [...hashes.keys()].sort(byId)) records[id] = hashes.get(id)!;
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, langs, maxChars, records };
}

/** The language of a record id (`sip/183/en/description` → `en`). */
export const langOfId = (id: string): string | undefined => id.split('/')[2];

/**
 * What changed since `old`, for the languages of this export; records of other languages in the
 * old manifest are left alone, neither upserted nor deleted. Sorted by id.
 */
export class ChangeSet {
  private readonly changes: Change[] = [];
  private readonly seen = new Set<string>();
  constructor(
    private readonly old: Manifest,
    private readonly langs: readonly string[],
  ) {}

  /** Note a record of the new export. */
  add(record: KbRecord): void {
    this.seen.add(record.id);
    if (this.old.records[record.id] !== record.hash) this.changes.push({ op: 'upsert', record });
  }

  /** The changes, deletes included, sorted by id. */
  finish(): Change[] {
    for (const id of Object.keys(this.old.records)) {
      const lang = langOfId(id);
      if (lang !== undefined && this.langs.includes(lang) && !this.seen.has(id)) this.changes.push({ op: 'delete', id });
    }
    const idOf = (change: Change) => (change.op === 'upsert' ? change.record.id : change.id);
    return this.changes.sort((a, b) => byId(idOf(a), idOf(b)));
  }
}
