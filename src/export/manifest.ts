/**
 * The manifest of an export (every record id with its content hash) and the change set between
 * two exports: upserts for records that are new or whose hash differs, deletes for ids that are
 * gone. Pure: the reading and writing happen in src/load and src/emit. Neither is ever made whole
 * in memory: the ids and hashes, and the upserts' lines, come sorted from spills on disk (see
 * src/kb-export.ts), and the files are written from them in chunks.
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

/**
 * The manifest's text, as `JSON.stringify(manifest, null, 2)` and a line break write it, in
 * chunks, from its records' ids and hashes sorted by id (a manifest of every record of 300 codes
 * in ten languages would be ~150 MB of text). An id given twice is an error.
 */
export function* manifestChunks(records: Iterable<readonly [string, string]>, langs: string[], maxChars: number): Generator<string> {
  const head: Omit<Manifest, 'records'> = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, langs, maxChars };
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "records": {`;
  let last: string | undefined;
  let lines: string[] = [];
  for (const [id, hash] of records) {
    if (id === last) throw new Error(`Two knowledge-base records have the id ${id}`);
    lines.push(`${last === undefined ? '' : ','}\n    ${JSON.stringify(id)}: ${JSON.stringify(hash)}`);
    last = id;
    if (lines.length === CHUNK_LINES) {
      yield lines.join('');
      lines = [];
    }
  }
  yield `${lines.join('')}${last === undefined ? '}' : '\n  }'}\n}\n`;
}

/** Lines of a manifest or change set joined into one chunk. */
const CHUNK_LINES = 4096;

/** The language of a record id (`sip/183/en/description` → `en`). */
export const langOfId = (id: string): string | undefined => id.split('/')[2];

/** A change's line of changes.jsonl (without its line break). */
export const changeLine = (change: Change): string => JSON.stringify(change);

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

  /** The line of a record of the new export when it is an upsert (new, or changed), else undefined. */
  upsert(record: KbRecord): string | undefined {
    return this.old.records[record.id] === record.hash ? undefined : changeLine({ op: 'upsert', record });
  }

  /** Note an id of the new export: it is not deleted. */
  keep(id: string): void {
    this.gone.delete(id);
  }

  /**
   * The change set's text, deletes included, sorted by id, a line each, in chunks: from the
   * upserts' lines sorted by id, once every id of the new export was given to `keep`.
   */
  *lines(upserts: Iterable<readonly [string, string]>): Generator<string> {
    const deletes = [...this.gone].sort(byId);
    let next = 0;
    let lines: string[] = [];
    const flush = () => {
      const chunk = lines.join('');
      lines = [];
      return chunk;
    };
    for (const [id, line] of upserts) {
      for (; next < deletes.length && byId(deletes[next]!, id) < 0; next++) lines.push(this.deleteLine(deletes[next]!));
      lines.push(`${line}\n`);
      this.upserts++;
      if (lines.length >= CHUNK_LINES) yield flush();
    }
    for (; next < deletes.length; next++) lines.push(this.deleteLine(deletes[next]!));
    if (lines.length) yield flush();
  }

  private deleteLine(id: string): string {
    this.deletes++;
    return `${changeLine({ op: 'delete', id })}\n`;
  }
}
