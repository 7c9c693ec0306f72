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
import { closeSync, fstatSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PageRecord } from '../types.js';
import { BUILD_MANIFEST_DIR, stampOf } from './build-manifest.js';
import { CHUNK_CHARS, joinedChunks } from './chunks.js';
import { byText, sortedEntries } from './sorted.js';

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
  pages: Pick<ReadonlyMap<string, string>, 'get' | 'has'>;
}

/** Records read from a file: its lines, looked up by path (they are sorted), and what changed can be written back into it (see updatedRecordsChunks). */
export interface ReadPieceRecords extends PieceRecords {
  pages: RecordLines;
}

const header = (keys: Record<string, string>) => `{"format": ${JSON.stringify(FORMAT)}, "version": ${VERSION}, "keys": ${JSON.stringify(keys)}, "pages": {`;
const FOOTER = '}}';

const sortedKeys = (keys: Record<string, string>) => Object.fromEntries(Object.entries(keys).sort(([a], [b]) => byText(a, b)));

/** The records, sorted by page path, one page per line. */
export function serializePieceRecords({ keys, pages }: { keys: Record<string, string>; pages: ReadonlyMap<string, string> }): string {
  return [...sortedRecordsChunks(keys, sortedEntries(pages))].join('');
}

/** The text of serializePieceRecords in chunks, never whole (see src/emit/chunks.ts), from records sorted by path (as RecordSpill.sorted and sortedEntries give them), taken one at a time. */
export function* sortedRecordsChunks(keys: Record<string, string>, records: Iterable<readonly [string, string]>): Generator<string> {
  function* lines(): Generator<string> {
    for (const [path, record] of records) yield `  ${JSON.stringify(path)}: ${record}`;
  }
  yield `${header(sortedKeys(keys))}\n`;
  yield* joinedChunks(lines(), ',\n');
  yield `\n${FOOTER}\n`;
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

/**
 * The page lines of a records file, found by path without a map: the file lists them sorted, so a
 * path is looked for by halves. Reading 28,510 lines into a map (a regular expression and a JSON
 * string parsed a line) took ~60 ms of an edit that looks up 750 of them.
 *
 * Only where each line is stays in memory, not the text: a record asked for, and the lines
 * written back unchanged (linesWith), are read from the file then. Held as one string through the
 * build, the file was 54 MB of the main thread's heap for a 300-code catalog of two languages and
 * 270 MB for ten languages, from the start of a build with a previous output to its end. The
 * file is the current output's, which no other build replaces while this one holds the lock (and
 * this one only at its commit, after the records are written); a file found changed all the same
 * is an error, never read as if it were the one indexed. `close` closes it (read again after
 * that, it is opened again).
 */
export class RecordLines {
  private fd: number | undefined;

  /** Each line's page path, and in bytes of the file: where the line starts, and where its record starts and ends (without the comma). */
  private constructor(
    private readonly file: string,
    private readonly identity: string,
    readonly paths: readonly string[],
    private readonly lines: Float64Array,
    private readonly starts: Float64Array,
    private readonly ends: Float64Array,
  ) {}

  /**
   * The page lines of the records file `file`, open as `fd`, from byte `from` (the first page
   * line) to byte `to` (the line break before the footer), or undefined when one is not a page
   * line or they are not sorted by path.
   */
  static read(file: string, fd: number, from: number, to: number): RecordLines | undefined {
    const paths: string[] = [];
    const lines: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (const [at, line] of linesOf(fd, from, to)) {
      // `line`: the line's bytes without its line break; the last one has no comma.
      const last = at + line.length === to;
      const close = last ? line.length : line.length - 1;
      if (close < 1 || line.compare(LINE_START, 0, LINE_START.length, 0, LINE_START.length) !== 0 || line[close - 1] !== CLOSE || (!last && line[close] !== COMMA)) return undefined;
      const separator = line.indexOf(SEPARATOR, LINE_START.length);
      if (separator < 0 || separator >= close) return undefined;
      let path = line.toString('utf8', LINE_START.length, separator);
      let start = separator + 3;
      if (path.includes('\\') || path.includes('"')) {
        // An escaped path: taken apart as JSON (a quote in it may stand before ": ").
        const match = PAGE_LINE.exec(line.toString('utf8'));
        if (!match) return undefined;
        path = JSON.parse(match[1]!) as string;
        start = Buffer.byteLength(match[1]!) + 4;
      }
      if (paths.length && byText(paths.at(-1)!, path) >= 0) return undefined;
      paths.push(path);
      lines.push(at);
      starts.push(at + start);
      ends.push(at + close);
    }
    return new RecordLines(file, identityOf(fd), paths, Float64Array.from(lines), Float64Array.from(starts), Float64Array.from(ends));
  }

  /** The line of `path`, or where it would go (-1 - that index). */
  private find(path: string): number {
    let low = 0;
    let high = this.paths.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = byText(this.paths[middle]!, path);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1 - low;
  }

  get(path: string): string | undefined {
    const line = this.find(path);
    return line < 0 ? undefined : this.text(this.starts[line]!, this.ends[line]!);
  }

  has(path: string): boolean {
    return this.find(path) >= 0;
  }

  /** Close the file, if it is open. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Bytes [start, end) of the file, as text. */
  private text(start: number, end: number): string {
    if (this.fd === undefined) {
      const fd = openSync(this.file, 'r');
      if (identityOf(fd) !== this.identity) {
        closeSync(fd);
        throw new Error(`${this.file} changed while the build used it`);
      }
      this.fd = fd;
    }
    return readRange(this.fd, start, end).toString('utf8');
  }

  /**
   * Page lines as serializePieceRecords writes them (in chunks), with the records of `changed`
   * (path → record text, or undefined for none; sorted by path, each path once) in place of
   * these lines: the lines between two changes are read from the file as they are, up to about
   * CHUNK_CHARS bytes at a time, and `changed` is read one at a time (a build of 451,510 pages
   * changes them all).
   */
  linesWith(changed: Iterable<readonly [string, string | undefined]>): Generator<string> {
    const { lines, ends, paths } = this;
    const find = (path: string) => this.find(path);
    const text = (start: number, end: number) => this.text(start, end);
    // Lines first..last-1, whole (their inner commas and breaks as they are), in pieces of whole lines.
    function* unchanged(first: number, last: number): Generator<string> {
      for (let from = first; from < last; ) {
        let to = from + 1;
        while (to < last && ends[to]! - lines[from]! < CHUNK_CHARS) to++;
        yield text(lines[from]!, ends[to - 1]!);
        from = to;
      }
    }
    function* parts(): Generator<string> {
      let line = 0;
      for (const [path, record] of changed) {
        const found = find(path);
        const at = found < 0 ? -1 - found : found;
        if (at > line) yield* unchanged(line, at);
        line = Math.max(line, at);
        if (record !== undefined) yield `  ${JSON.stringify(path)}: ${record}`;
        if (found >= 0) line = found + 1;
      }
      if (paths.length > line) yield* unchanged(line, paths.length);
    }
    return joinedChunks(parts(), ',\n');
  }
}

const LINE_START = Buffer.from('  "');
const SEPARATOR = Buffer.from('": {');
const CLOSE = '}'.charCodeAt(0);
const COMMA = ','.charCodeAt(0);
/** How the records file ends: the line break after the last page line, the footer, a line break. */
const ENDING = Buffer.from(`\n${FOOTER}\n`);

/** What identifies one write of the file open as `fd` (see stampOf). */
const identityOf = (fd: number): string => stampOf(fstatSync(fd, { bigint: true }));

/** Bytes [start, end) of the file open as `fd`. */
function readRange(fd: number, start: number, end: number): Buffer {
  const buffer = Buffer.allocUnsafe(end - start);
  for (let done = 0; done < buffer.length; ) {
    const read = readSync(fd, buffer, done, buffer.length - done, start + done);
    if (read === 0) throw new Error(`the file ended at byte ${start + done}, before byte ${end}`);
    done += read;
  }
  return buffer;
}

/**
 * The lines of bytes [from, to) of the file open as `fd`, each with where it starts, without its
 * line break (the last one may have none), read `readBytes` at a time; a line is only valid until
 * the next is taken. A line break is never inside a character's UTF-8 bytes: each line can be
 * decoded alone.
 */
function* linesOf(fd: number, from: number, to: number, readBytes = READ_BYTES): Generator<[number, Buffer]> {
  let rest = Buffer.alloc(0);
  let restAt = from;
  for (let position = from; position < to; ) {
    const chunk = readRange(fd, position, Math.min(position + readBytes, to));
    position += chunk.length;
    const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let at = data.indexOf(LINE_BREAK); at >= 0; at = data.indexOf(LINE_BREAK, start)) {
      yield [restAt + start, data.subarray(start, at)];
      start = at + 1;
    }
    restAt += start;
    rest = Buffer.from(data.subarray(start));
  }
  if (rest.length) yield [restAt, rest];
}

const READ_BYTES = 1 << 20;

/** The records in `outDir`, or undefined when there are none this version can read. */
export async function readPieceRecords(outDir: string): Promise<ReadPieceRecords | undefined> {
  const file = join(outDir, PIECE_RECORDS_PATH);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = Number(fstatSync(fd).size);
    if (size < ENDING.length || !readRange(fd, size - ENDING.length, size).equals(ENDING)) return undefined;
    // The first line: the format, the version and the keys.
    const first = readRange(fd, 0, Math.min(size, HEAD_BYTES));
    const headEnd = first.indexOf(LINE_BREAK);
    if (headEnd < 0 || size - ENDING.length <= headEnd) return undefined;
    const headText = first.toString('utf8', 0, headEnd);
    let head: { format?: unknown; version?: unknown; keys?: unknown };
    try {
      head = JSON.parse(`${headText}${FOOTER}`) as typeof head;
    } catch {
      return undefined;
    }
    const { format, version, keys } = head;
    if (format !== FORMAT || version !== VERSION || typeof keys !== 'object' || keys === null || Array.isArray(keys)) return undefined;
    if (!Object.values(keys).every((key) => typeof key === 'string') || headText !== header(keys as Record<string, string>)) return undefined;
    const pages = RecordLines.read(file, fd, headEnd + 1, size - ENDING.length);
    return pages ? { keys: keys as Record<string, string>, pages } : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The most bytes the records file's first line (the format, the version and the keys) may take. */
const HEAD_BYTES = 1 << 20;

/**
 * The records of a build of the same pages as the one `previous` was read from, those of
 * `changed` (path → record text, or undefined for none; sorted by path, each path once, taken one
 * at a time) made anew: the same text as serializePieceRecords of every page's record, made from
 * the previous lines, in chunks.
 */
export function* updatedRecordsChunks(previous: ReadPieceRecords, keys: Record<string, string>, changed: Iterable<readonly [string, string | undefined]>): Generator<string> {
  yield `${header(sortedKeys(keys))}\n`;
  yield* previous.pages.linesWith(changed);
  yield `\n${FOOTER}\n`;
}

/**
 * Each path of `paths` (sorted, each once) with its record from `records` (sorted by path, a
 * subset of `paths`: RecordSpill.sorted), or undefined for a path without one.
 */
export function* withRecords(paths: readonly string[], records: Iterable<readonly [string, string]>): Generator<[string, string | undefined]> {
  const iterator = records[Symbol.iterator]();
  try {
    let next = iterator.next();
    for (const path of paths) {
      if (!next.done && next.value[0] === path) {
        yield [path, next.value[1]];
        next = iterator.next();
      } else yield [path, undefined];
    }
    if (!next.done) throw new Error(`a piece record for ${next.value[0]}, which is not among the pages rendered (or not in their order)`);
  } finally {
    // Ends the records' reading too (RecordSpill.sorted closes and removes its file).
    iterator.return?.();
  }
}

/**
 * The piece records that render threads send while they render, kept in a file until the
 * threads are done instead of in the main thread's memory: ~560 bytes of text a page, 51 MB for
 * a 300-code catalog of two languages and 270 MB for ten languages, which the main thread
 * otherwise held through the whole rendering, when the threads' heaps are at their largest.
 *
 * They are written as sorted runs (RUN_CHARS characters of records at a time, sorted by page
 * path) and read back merged, a line at a time (`sorted`): the records file, which lists them
 * sorted, is made from them without their text ever being in memory whole (read back whole, the
 * 270 MB took the main thread's heap from ~530 MB to ~980 MB, the peak of the whole build).
 * A line a record: its path (see spilledPath), a tab, its record's JSON text (in which neither a
 * line break nor a tab can be).
 *
 * A full build spills the manifest's lines the same way (a file's path and its hash, see
 * StagedOutput.recordSpill): it then holds no map of every file while it renders.
 */
export class RecordSpill {
  private fd: number | undefined;
  private pending: Array<readonly [string, string]> = [];
  private pendingChars = 0;
  /** Where each run is in the file, in bytes: [start, end). */
  private readonly runs: Array<[number, number]> = [];
  private size = 0;

  /** A spill file at `path`, made anew, empty; `runChars`: how many characters of records make a run. */
  constructor(
    readonly path: string,
    private readonly runChars = RUN_CHARS,
  ) {
    this.fd = openSync(path, 'w');
  }

  add(records: ReadonlyArray<readonly [string, string]>): void {
    if (this.fd === undefined) throw new Error(`the records spilled to ${this.path} were already read`);
    for (const record of records) {
      this.pending.push(record);
      this.pendingChars += record[0].length + record[1].length;
    }
    if (this.pendingChars >= this.runChars) this.writeRun();
  }

  /** One record (the spill is where the main thread renders the pages found missing late, see RecordSink). */
  set(path: string, record: string): void {
    this.add([[path, record]]);
  }

  /** The records added since the last run, sorted, at the file's end. */
  private writeRun(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.sort(([a], [b]) => byText(a, b)).map(([path, record]) => `${spilledPath(path)}\t${record}\n`).join(''));
    // Written whole (writeFileSync on a descriptor writes until all is written).
    writeFileSync(this.fd!, bytes);
    this.runs.push([this.size, this.size + bytes.length]);
    this.size += bytes.length;
    this.pending = [];
    this.pendingChars = 0;
  }

  /**
   * Every record added, sorted by page path, read back from the runs a piece at a time and
   * merged; the file is removed once all are read (or the reading stops), unless `again`: it can
   * then be read once more. Nothing can be added once it is read.
   */
  *sorted(again = false): Generator<[string, string]> {
    if (this.fd !== undefined) {
      this.writeRun();
      this.close();
    } else if (this.removed) throw new Error(`the records spilled to ${this.path} were already read`);
    const fd = openSync(this.path, 'r');
    try {
      const runs = this.runs.map(([start, end]) => runLines(fd, start, end));
      // The runs by their next record's path, the first on top (a binary heap).
      const heads: Array<{ run: number; record: [string, string] }> = [];
      const before = (i: number, j: number) => byText(heads[i]!.record[0], heads[j]!.record[0]) < 0;
      const swap = (i: number, j: number) => ([heads[i], heads[j]] = [heads[j]!, heads[i]!]);
      const up = (i: number) => {
        for (let parent = (i - 1) >> 1; i > 0 && before(i, parent); i = parent, parent = (i - 1) >> 1) swap(i, parent);
      };
      const down = (i: number) => {
        for (;;) {
          const [left, right] = [2 * i + 1, 2 * i + 2];
          let first = i;
          if (left < heads.length && before(left, first)) first = left;
          if (right < heads.length && before(right, first)) first = right;
          if (first === i) return;
          swap(i, first);
          i = first;
        }
      };
      runs.forEach((run, i) => {
        const next = run.next();
        if (!next.done) up(heads.push({ run: i, record: next.value }) - 1);
      });
      while (heads.length) {
        const top = heads[0]!;
        yield top.record;
        const next = runs[top.run]!.next();
        if (next.done) {
          heads[0] = heads.at(-1)!;
          heads.pop();
        } else top.record = next.value;
        down(0);
      }
    } finally {
      closeSync(fd);
      if (!again) this.remove();
    }
  }

  private removed = false;

  /** Close and remove the file (again: nothing). */
  remove(): void {
    this.close();
    this.removed = true;
    rmSync(this.path, { force: true });
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * How many characters of records a run holds: what the main thread keeps of them at most while
 * the threads render (~2 MB; a 300-code catalog of ten languages spills ~135 runs, read back
 * RUN_READ_BYTES of each at a time).
 */
const RUN_CHARS = 2 << 20;

/**
 * A path as a spill's line has it: as it is, or as a JSON string when it has a tab or a line
 * break (which end its part of the line), or begins with a quote (which says it is JSON).
 * Most paths need neither, and quoting them cost a JSON.stringify and a JSON.parse a line
 * (85,524 lines of a full build's manifest for ten languages of SIP).
 */
const spilledPath = (path: string): string => (/[\t\n]/.test(path) || path.startsWith('"') ? JSON.stringify(path) : path);

/** The records of the run at bytes [start, end) of the spill file open as `fd`, a line at a time. */
function* runLines(fd: number, start: number, end: number): Generator<[string, string]> {
  for (const [at, bytes] of linesOf(fd, start, end, RUN_READ_BYTES)) {
    // Every line of a run ends in a line break: one that reaches the run's end is cut short.
    if (at + bytes.length === end) throw new Error('a records spill ends inside a line');
    const line = bytes.toString('utf8');
    const tab = line.indexOf('\t');
    const path = line.slice(0, tab);
    yield [path.startsWith('"') ? (JSON.parse(path) as string) : path, line.slice(tab + 1)];
  }
}

const RUN_READ_BYTES = 64 << 10;
const LINE_BREAK = 0x0a;
