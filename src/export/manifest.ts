/**
 * The manifest of an export (every record id with its content hash) and the change set between
 * two exports: upserts for records that are new or whose hash differs, deletes for ids that are
 * gone. Pure: the reading and writing happen in src/load and src/emit. Neither is ever made whole
 * in memory: the ids and hashes, and the upserts' lines, come sorted from spills on disk (see
 * src/kb-export.ts), and the files are written from them in chunks.
 */
import { inChunks } from '../emit/chunks.js';
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

/**
 * The manifest's text, as `JSON.stringify(manifest, null, 2)` and a line break write it, in
 * chunks of about `size` characters (see inChunks), from its records' ids and hashes sorted by id
 * (a manifest of every record of 300 codes in ten languages would be ~150 MB of text). An id
 * given twice is an error.
 */
export function manifestChunks(records: Iterable<readonly [string, string]>, langs: string[], maxChars: number, size?: number): Generator<string> {
  return inChunks(manifestPieces(records, langs, maxChars), size);
}

function* manifestPieces(records: Iterable<readonly [string, string]>, langs: string[], maxChars: number): Generator<string> {
  const head: Omit<Manifest, 'records'> = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, langs, maxChars };
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "records": {`;
  let last: string | undefined;
  for (const [id, hash] of records) {
    if (id === last) throw new Error(`Two knowledge-base records have the id ${id}`);
    yield `${last === undefined ? '' : ','}\n    ${JSON.stringify(id)}: ${JSON.stringify(hash)}`;
    last = id;
  }
  yield `${last === undefined ? '}' : '\n  }'}\n}\n`;
}

/** The language of a record id (`sip/183/en/description` → `en`). */
export const langOfId = (id: string): string | undefined => id.split('/')[2];

/**
 * What changed since `old`, for the languages of this export; records of other languages in the
 * old manifest are left alone, neither upserted nor deleted. The caller keeps the upserts' lines
 * (`upsert`) and gives them back sorted by id to `lines`, with the ids of the new export, sorted
 * too (`keep`), in between.
 */
export class ChangeSet {
  /** The ids of the old manifest in this export's languages not (yet) among the new export's. */
  private readonly gone = new Set<string>();
  upserts = 0;
  deletes = 0;

  constructor(
    private readonly old: Manifest,
    langs: readonly string[],
  ) {
    for (const id of Object.keys(old.records)) {
      const lang = langOfId(id);
      if (lang !== undefined && langs.includes(lang)) this.gone.add(id);
    }
  }

  /**
   * The line of a record of the new export when it is an upsert (new, or changed), else
   * undefined; `json` is the record's JSON text, which the line holds as
   * `JSON.stringify({ op: 'upsert', record })` would write it.
   */
  upsert(record: KbRecord, json: string): string | undefined {
    return this.old.records[record.id] === record.hash ? undefined : `{"op":"upsert","record":${json}}`;
  }

  /** Note an id of the new export: it is not deleted. */
  keep(id: string): void {
    this.gone.delete(id);
  }

  /**
   * The change set's text, deletes included, sorted by id, a line each, in chunks (see
   * inChunks): from the upserts' lines sorted by id, once every id of the new export was given
   * to `keep`.
   */
  lines(upserts: Iterable<readonly [string, string]>): Generator<string> {
    return inChunks(this.changeLines(upserts));
  }

  private *changeLines(upserts: Iterable<readonly [string, string]>): Generator<string> {
    const deletes = [...this.gone].sort(byId);
    let next = 0;
    for (const [id, line] of upserts) {
      for (; next < deletes.length && byId(deletes[next]!, id) < 0; next++) yield this.deleteLine(deletes[next]!);
      this.upserts++;
      yield `${line}\n`;
    }
    for (; next < deletes.length; next++) yield this.deleteLine(deletes[next]!);
  }

  private deleteLine(id: string): string {
    this.deletes++;
    return `${JSON.stringify({ op: 'delete', id } satisfies Change)}\n`;
  }
}
