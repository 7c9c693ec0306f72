/**
 * The piece records of a build: `out/.codepairs/pieces.json` says, for every page rendered from
 * pieces (src/render/processors.ts), where each piece's Markdown and HTML are in the page's files
 * (see PageRecord). When an incremental build renders a page again, a piece whose text did not
 * change is read from the previous files instead of being parsed and written again: after an
 * edit of one code, its pair articles differ from before only in that code's sections, and
 * everything else of them (the other code's sections, the comparison, the tables, the links)
 * is taken as it was.
 *
 * Like the manifest, it lives inside the output folder and holds nothing but what the pages
 * are: a full build and an incremental build of the same inputs write the same bytes. A record
 * that does not fit the files is not used (processors.ts checks every length).
 */
import { join } from 'node:path';
import type { PageRecord } from '../types.js';
import { BUILD_MANIFEST_DIR, readJsonFile } from './build-manifest.js';

export const PIECE_RECORDS_PATH = `${BUILD_MANIFEST_DIR}/pieces.json`;
const FORMAT = 'codepairs-piece-records';
const VERSION = 1;

/** The piece records of a build: each page's, and the key its pieces were processed with per protocol and language. */
export interface PieceRecords {
  /** `<protocol>:<lang>` → the key of what its pages' pieces were processed with (see optionsKey in processors.ts). */
  keys: Record<string, string>;
  pages: Map<string, PageRecord>;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The records, sorted by page path, one page per line. */
export function serializePieceRecords({ keys, pages }: PieceRecords): string {
  const sortedKeys = Object.fromEntries(Object.entries(keys).sort(([a], [b]) => byText(a, b)));
  const lines = [...pages.keys()].sort(byText).map((path) => `  ${JSON.stringify(path)}: ${JSON.stringify(pages.get(path))}`);
  return `{"format": ${JSON.stringify(FORMAT)}, "version": ${VERSION}, "keys": ${JSON.stringify(sortedKeys)}, "pages": {\n${lines.join(',\n')}\n}}\n`;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isRecord(value: unknown): value is PageRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<PageRecord>;
  return (
    isCount(record.bodyStart) &&
    Array.isArray(record.pieces) &&
    record.pieces.every((piece) => Array.isArray(piece) && piece.length === 3 && typeof piece[0] === 'string' && isCount(piece[1]) && isCount(piece[2]))
  );
}

/** The records in `outDir`, or undefined when there are none this version can read. */
export async function readPieceRecords(outDir: string): Promise<PieceRecords | undefined> {
  const data = await readJsonFile(join(outDir, PIECE_RECORDS_PATH));
  const { format, version, keys, pages } = (data ?? {}) as { format?: unknown; version?: unknown; keys?: unknown; pages?: unknown };
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (format !== FORMAT || version !== VERSION || !isObject(keys) || !isObject(pages)) return undefined;
  if (!Object.values(keys).every((key) => typeof key === 'string')) return undefined;
  const entries = Object.entries(pages);
  if (!entries.every(([, record]) => isRecord(record))) return undefined;
  return { keys: keys as Record<string, string>, pages: new Map(entries as Array<[string, PageRecord]>) };
}
