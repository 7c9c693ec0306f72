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
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageRecord } from '../types.js';
import { BUILD_MANIFEST_DIR } from './build-manifest.js';

export const PIECE_RECORDS_PATH = `${BUILD_MANIFEST_DIR}/pieces.json`;
const FORMAT = 'codepairs-piece-records';
const VERSION = 1;

/**
 * The piece records of a build: each page's record as the JSON text of its line (a page kept is
 * written back as it was read, and only the records of the pages rendered again are parsed:
 * the whole shipped site has 47,000 of them), and the key its pieces were processed with per
 * protocol and language.
 */
export interface PieceRecords {
  /** `<protocol>:<lang>` → the key of what its pages' pieces were processed with (see optionsKey in processors.ts). */
  keys: Record<string, string>;
  /** Page path → its record as JSON text (see recordOf). */
  pages: Map<string, string>;
  /** The file's text, when the records were read from one (the next are written over it without reading it again, see StagedOutput.write). */
  text?: string;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const header = (keys: Record<string, string>) => `{"format": ${JSON.stringify(FORMAT)}, "version": ${VERSION}, "keys": ${JSON.stringify(keys)}, "pages": {`;
const FOOTER = '}}';

/** The records, sorted by page path, one page per line. */
export function serializePieceRecords({ keys, pages }: PieceRecords): string {
  const sortedKeys = Object.fromEntries(Object.entries(keys).sort(([a], [b]) => byText(a, b)));
  const lines = [...pages.keys()].sort(byText).map((path) => `  ${JSON.stringify(path)}: ${pages.get(path)}`);
  return `${header(sortedKeys)}\n${lines.join(',\n')}\n${FOOTER}\n`;
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

/** The record of the page at `path`, or undefined when there is none or it is not one. */
export function recordOf(records: PieceRecords, path: string): PageRecord | undefined {
  const text = records.pages.get(path);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A page's line: its path as a JSON string, then its record (and the comma before the next). */
const PAGE_LINE = /^ {2}("(?:[^"\\]|\\.)*"): (\{.*\}),?$/;

/** The records in `outDir`, or undefined when there are none this version can read. */
export async function readPieceRecords(outDir: string): Promise<PieceRecords | undefined> {
  const text = await readFile(join(outDir, PIECE_RECORDS_PATH), 'utf8').catch(() => undefined);
  const lines = text?.split('\n');
  if (!lines || lines.length < 4 || lines.at(-1) !== '' || lines.at(-2) !== FOOTER) return undefined;
  let head: { format?: unknown; version?: unknown; keys?: unknown };
  try {
    head = JSON.parse(`${lines[0]}${FOOTER}`) as typeof head;
  } catch {
    return undefined;
  }
  const { format, version, keys } = head;
  if (format !== FORMAT || version !== VERSION || typeof keys !== 'object' || keys === null || Array.isArray(keys)) return undefined;
  if (!Object.values(keys).every((key) => typeof key === 'string') || lines[0] !== header(keys as Record<string, string>)) return undefined;
  const pages = new Map<string, string>();
  for (const line of lines.slice(1, -2)) {
    if (line === '') continue;
    const match = PAGE_LINE.exec(line);
    if (!match) return undefined;
    pages.set(JSON.parse(match[1]!) as string, match[2]!);
  }
  return { keys: keys as Record<string, string>, pages, text: text! };
}
