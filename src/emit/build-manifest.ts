/**
 * The build manifest: `out/.codepairs/manifest.json` lists every file a build wrote with the
 * hash of what it was made from (a page's input hash, src/plan/incremental.ts, or the content
 * hash of a file such as the stylesheet), and a fingerprint of the tool that wrote them. The next
 * build keeps a file whose hash is unchanged instead of rendering it again.
 *
 * It lives inside the output folder, so it is swapped in with the pages it describes and can
 * never describe another output. It holds no timestamps: the same inputs give the same manifest.
 * A manifest that is missing, unreadable, of another format or written by another version of the
 * tool (other code, package version or Node.js) is ignored: the build is then a full build.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../hash.js';
import { joinedChunks } from './chunks.js';
import { sortedEntries } from './sorted.js';
import { fileURLToPath } from 'node:url';

/** The manifest's path inside the output folder (a hidden folder: not a page of the site). */
export const BUILD_MANIFEST_DIR = '.codepairs';
export const BUILD_MANIFEST_PATH = `${BUILD_MANIFEST_DIR}/manifest.json`;
export const BUILD_MANIFEST_FORMAT = 'codepairs-build-manifest';
export const BUILD_MANIFEST_VERSION = 1;

export interface BuildManifest {
  format: typeof BUILD_MANIFEST_FORMAT;
  version: typeof BUILD_MANIFEST_VERSION;
  /** Fingerprint of the tool that wrote the output (see toolFingerprint). */
  tool: string;
  /** Every file of the output (but kb/ and the manifest), by path, with the hash it was made from. */
  files: Record<string, string>;
  /** What the build read and reported, for a rebuild with the same inputs (see InputsRecord). */
  inputs?: InputsRecord;
}

/** A warning of the build, as the CLI prints it again when a rebuild finds nothing changed. */
export interface RecordedMessage {
  reason: string;
  /** A point (`line`, `column`) or a position (`start`, `end`), as the message had it. */
  place?: { line: number; column: number } | { start: { line: number; column: number }; end: { line: number; column: number } };
  ruleId?: string;
  source?: string;
  fatal?: boolean;
}

/**
 * The input key of the build that wrote the output (src/load/input-key.ts) and what it said:
 * a rebuild whose inputs have the same key reports the same without loading them.
 */
export interface InputsRecord {
  key: string;
  pages: number;
  languages: string[];
  sitemap: boolean;
  warnings: Array<{ path: string; messages: RecordedMessage[] }>;
  /**
   * What the pages were hashed from (src/plan/incremental.ts): a hash of the list of pages, and
   * each slice's hash by protocol and key. The next build of the same pages hashes only the pages
   * that read a slice that changed; the others have the hashes recorded for their files.
   */
  slices?: SlicesRecord;
}

export interface SlicesRecord {
  /** The pages, as the hash of the lines of Plan.describe: the same hash, the same pages. */
  pages: string;
  hashes: Record<string, Record<string, string>>;
}

/** The slices record of a manifest's inputs, when it has the shape this version writes (else none: every page is hashed). */
export function slicesRecord(inputs: InputsRecord | undefined): SlicesRecord | undefined {
  const slices = inputs?.slices as unknown;
  if (typeof slices !== 'object' || slices === null) return undefined;
  const { pages, hashes } = slices as Partial<SlicesRecord>;
  if (!isString(pages) || typeof hashes !== 'object' || hashes === null) return undefined;
  const valid = Object.values(hashes).every((byKey) => typeof byKey === 'object' && byKey !== null && Object.values(byKey).every(isString));
  return valid ? { pages, hashes } : undefined;
}

/** The manifest as read: the files and their hashes, and the inputs record when it has a valid one. */
export interface PreviousBuild {
  files: Map<string, string>;
  inputs?: InputsRecord;
  /**
   * The files' lines as read, when they are as serializeBuildManifest writes them (sorted, nothing
   * escaped): a manifest of the same files is then written by changing the lines whose hash changed.
   */
  lines?: string;
}

export const contentHash = (text: string): string => sha256(text);

/**
 * The manifest as written: files sorted by path, one per line; the text of
 * `JSON.stringify(manifest, null, 1)`, written a line per file without making the 85,000-key
 * object first (that took three times as long).
 */
export function serializeBuildManifest(...args: Parameters<typeof buildManifestChunks>): string {
  return [...buildManifestChunks(...args)].join('');
}

/** Files already sorted by path, each once, with their hashes (as a full build spills them, see RecordSpill). */
export interface SortedFiles {
  sorted: Iterable<readonly [string, string]>;
}

/**
 * The text of serializeBuildManifest in chunks, never whole (see src/emit/chunks.ts), of the
 * files of a map or of files already sorted.
 */
export function* buildManifestChunks(tool: string, files: ReadonlyMap<string, string> | SortedFiles, inputs?: InputsRecord, previous?: PreviousBuild, mayDiffer?: Iterable<string>): Generator<string> {
  yield manifestHead(tool);
  const changed = previous && !isSorted(files) ? changedLines(files, previous, mayDiffer) : undefined;
  if (changed !== undefined) yield `{\n${changed}\n }`;
  else {
    let none = true;
    for (const chunk of fileLines(isSorted(files) ? files.sorted : sortedEntries(files))) {
      yield none ? `{\n${chunk}` : chunk;
      none = false;
    }
    yield none ? '{}' : '\n }';
  }
  if (inputs) yield `,\n "inputs": ${JSON.stringify(inputs, null, 1).replace(/\n/g, '\n ')}`;
  yield '\n}\n';
}

/** How serializeBuildManifest begins a manifest of `tool`: its format, version and tool, up to its files. */
const manifestHead = (tool: string) => `${WRITTEN_START}${JSON.stringify(BUILD_MANIFEST_FORMAT)},\n "version": ${JSON.stringify(BUILD_MANIFEST_VERSION)},\n "tool": ${JSON.stringify(tool)},\n "files": `;
const WRITTEN_START = '{\n "format": ';

/**
 * Whether the manifest at `path` was written by serializeBuildManifest for another tool, format
 * or version (after an upgrade of codepairs, say), as its first bytes tell: it is then not read
 * at all. A build of 300 codes in ten languages lists 1.35 million files in a 130 MB manifest,
 * which read and parsed held ~400 MB for nothing. A manifest that does not begin as written is
 * read and checked whole (see readBuildManifest).
 */
function ofAnotherTool(path: string, tool: string): boolean {
  const head = Buffer.from(manifestHead(tool));
  const start = Buffer.alloc(head.length);
  let read = 0;
  // At once, not through Node's thread pool (see readJsonFile): a few hundred bytes.
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, start, 0, start.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  const written = Buffer.from(WRITTEN_START);
  return read >= written.length && start.subarray(0, written.length).equals(written) && !(read === head.length && start.equals(head));
}

const isSorted = (files: ReadonlyMap<string, string> | SortedFiles): files is SortedFiles => 'sorted' in files;

/** The lines of files sorted by path, joined, in chunks. */
function fileLines(sorted: Iterable<readonly [string, string]>): Generator<string> {
  function* lines(): Generator<string> {
    for (const [path, hash] of sorted) yield `  ${jsonString(path)}: ${jsonString(hash)}`;
  }
  return joinedChunks(lines(), ',\n');
}

/**
 * The lines of `files` made from the previous manifest's lines, when it listed the same paths:
 * the lines of the paths whose hash changed are written again, the others are the text they
 * were (an edit changes 1,500 of 85,000: 27-45 ms instead of 76-130 on the development machine).
 * Undefined otherwise. `mayDiffer`, when the caller knows it: the paths of `files` that may be
 * new or have another hash; every other path of `files` has the hash the previous manifest
 * lists for it. Only those are compared then (a build knows which pages it rendered), instead
 * of all 85,000 (~50 ms of an edit).
 */
function changedLines(files: ReadonlyMap<string, string>, previous: PreviousBuild, mayDiffer: Iterable<string> = files.keys()): string | undefined {
  const { lines } = previous;
  if (lines === undefined || files.size !== previous.files.size || files.size === 0) return undefined;
  const changed: string[] = [];
  for (const path of mayDiffer) {
    const before = previous.files.get(path);
    if (before === undefined) return undefined;
    if (before !== files.get(path)) changed.push(path);
  }
  // Each path's line, in the order of the lines; from the line break before it (none before the first).
  const text = `\n${lines}`;
  const parts: string[] = [];
  let at = 0;
  for (const path of changed.sort()) {
    const start = `\n  ${jsonString(path)}: `;
    const line = text.indexOf(start, at);
    if (line < 0) return undefined;
    const value = line + start.length;
    const next = text.indexOf('\n', value);
    const end = next < 0 ? text.length : next - 1;
    parts.push(text.slice(at, value), jsonString(files.get(path)!));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('').slice(1);
}

/** A string as JSON writes it: quoted as it is when it has nothing JSON escapes (most paths, every hash). */
const jsonString = (text: string): string => (/["\\\u0000-\u001f\ud800-\udfff]/.test(text) ? JSON.stringify(text) : `"${text}"`);

/** The value of a JSON text, or undefined when it is not JSON. */
function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The value of a small JSON file of the build's own, or undefined when it is missing or not JSON.
 * Read at once: awaited through Node's thread pool, the recycle note's read kept an edit waiting
 * 1-21 ms for its turn.
 */
function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseJsonText(text);
}

/**
 * The files and hashes of the manifest in `outDir`, or undefined when there is none that this
 * tool can trust (missing, malformed, another format or version, another tool fingerprint).
 */
export async function readBuildManifest(outDir: string, tool: string): Promise<PreviousBuild | undefined> {
  const path = join(outDir, BUILD_MANIFEST_PATH);
  if (ofAnotherTool(path, tool)) return undefined;
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let manifest: Partial<BuildManifest>;
  let files: Map<string, unknown>;
  let lines: string | undefined;
  const quick = quickRead(text);
  if (quick) [manifest, files, lines] = quick;
  else {
    const data = parseJsonText(text);
    if (typeof data !== 'object' || data === null) return undefined;
    manifest = data as Partial<BuildManifest>;
    const listed = manifest.files;
    if (typeof listed !== 'object' || listed === null || Array.isArray(listed)) return undefined;
    files = new Map(Object.entries(listed));
  }
  if (manifest.format !== BUILD_MANIFEST_FORMAT || manifest.version !== BUILD_MANIFEST_VERSION || manifest.tool !== tool) return undefined;
  for (const [path, hash] of files) if (typeof hash !== 'string' || !isSafeRelativePath(path)) return undefined;
  return { files: files as Map<string, string>, ...(isInputsRecord(manifest.inputs) ? { inputs: manifest.inputs } : {}), ...(lines !== undefined ? { lines } : {}) };
}

/**
 * A manifest as serializeBuildManifest writes it, read a line per file: its files and the rest
 * parsed as JSON. JSON.parse of the whole text builds an object of 85,000 keys for ten languages,
 * which took four times as long. Undefined for any other text (a line with an escape or a control
 * character, a hand-edited file): JSON.parse reads that, with the same result for a valid one.
 */
function quickRead(text: string): [Partial<BuildManifest>, Map<string, string>, string | undefined] | undefined {
  const open = text.indexOf('\n "files": {\n');
  if (open < 0) return undefined;
  const start = open + '\n "files": {\n'.length;
  const end = text.indexOf('\n }', start);
  if (end < 0) return undefined;
  const block = text.slice(start, end);
  if (ESCAPED.test(block)) return undefined;
  // Each line `  "<path>": "<hash>",` (no comma on the last), taken apart without a regular
  // expression: one a line took a third of the time of reading an edit's manifest.
  const files = new Map<string, string>();
  let sorted = true;
  let previous = '';
  for (let from = 0; from < block.length; ) {
    const next = block.indexOf('\n', from);
    const last = next < 0;
    const to = last ? block.length : next;
    const close = last ? to - 1 : to - 2;
    if (!block.startsWith('  "', from) || block.charCodeAt(close) !== QUOTE || (!last && block.charCodeAt(to - 1) !== COMMA)) return undefined;
    const separator = block.indexOf('": "', from + 3);
    if (separator < 0 || separator + 4 > close) return undefined;
    const path = block.slice(from + 3, separator);
    const hash = block.slice(separator + 4, close);
    if (path.includes('"') || hash.includes('"')) return undefined;
    if (sorted && !(previous < path)) sorted = false;
    previous = path;
    files.set(path, hash);
    from = to + 1;
  }
  // The text without the files' lines (`{` to the line ` }`).
  const rest = parseJsonText(`${text.slice(0, open)}\n "files": {}${text.slice(end + '\n }'.length)}`);
  return typeof rest === 'object' && rest !== null ? [rest as Partial<BuildManifest>, files, sorted ? block : undefined] : undefined;
}

/** What JSON escapes, or must (a backslash, a control character but the line breaks between the files). */
const ESCAPED = /[\\\u0000-\u0009\u000b-\u001f]/;
const QUOTE = 0x22;
const COMMA = 0x2c;

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptional = (value: unknown, type: 'string' | 'number' | 'boolean') => value === undefined || typeof value === type;

const isPoint = (value: unknown) => typeof value === 'object' && value !== null && typeof (value as { line?: unknown }).line === 'number' && typeof (value as { column?: unknown }).column === 'number';
const isPlace = (value: unknown) =>
  value === undefined || isPoint(value) || (typeof value === 'object' && value !== null && isPoint((value as { start?: unknown }).start) && isPoint((value as { end?: unknown }).end));

/** Whether a manifest's inputs record has the shape this version writes (anything else is ignored). */
function isInputsRecord(value: unknown): value is InputsRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<InputsRecord>;
  if (!isString(record.key) || typeof record.pages !== 'number' || typeof record.sitemap !== 'boolean') return false;
  if (!Array.isArray(record.languages) || !record.languages.every(isString) || !Array.isArray(record.warnings)) return false;
  return record.warnings.every(
    (file) =>
      typeof file === 'object' &&
      file !== null &&
      isString(file.path) &&
      Array.isArray(file.messages) &&
      file.messages.every(
        (m) => typeof m === 'object' && m !== null && isString(m.reason) && isPlace(m.place) && isOptional(m.ruleId, 'string') && isOptional(m.source, 'string') && isOptional(m.fatal, 'boolean'),
      ),
  );
}

/**
 * What identifies one write of the manifest (inode, size, modification time), or undefined when
 * there is none: a manifest read before taking the output's lock is used again after it only
 * when its stamp did not change meanwhile.
 */
export function manifestStamp(outDir: string): string | undefined {
  try {
    return stampOf(statSync(join(outDir, BUILD_MANIFEST_PATH), { bigint: true }));
  } catch {
    // None, or the output folder is not a folder (the build says so when it opens it).
    return undefined;
  }
}

/** What identifies one write of a file, from its stat: its inode, size and modification time. */
export const stampOf = (stat: BigIntStats): string => `${stat.ino}:${stat.size}:${stat.mtimeNs}`;

/** A path inside the output folder: relative, no `..`, not the manifest's folder. */
function isSafeRelativePath(path: string): boolean {
  return !UNSAFE_PATH.test(path) && path !== BUILD_MANIFEST_DIR && !path.startsWith(`${BUILD_MANIFEST_DIR}/`);
}

/** A backslash, a NUL, or a segment that is empty (a leading, trailing or doubled `/`, or no path at all), `.` or `..`. */
const UNSAFE_PATH = /[\\\0]|(?:^|\/)\.{0,2}(?:\/|$)/;

let fingerprint: Promise<string> | undefined;

/**
 * What besides the inputs decides the bytes of a page: the tool's code (every compiled module
 * of this package), its package.json (version and dependency ranges) and the Node.js version
 * (Intl formats lists and numbers). A change to any of them rebuilds every page. Dependencies
 * upgraded within their ranges without a change to package.json are not seen: build with
 * `--force` after such an upgrade.
 */
export function toolFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const hash = createHash('sha256');
    hash.update(`node ${process.version} icu ${process.versions.icu ?? ''} unicode ${process.versions.unicode ?? ''}\n`);
    const pkg = await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8').catch(() => '');
    hash.update(pkg);
    const codeDir = fileURLToPath(new URL('..', import.meta.url));
    const entries = await readdir(codeDir, { recursive: true, withFileTypes: true });
    const modules = entries
      .filter((entry) => entry.isFile() && /\.(?:js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      .map((entry) => join((entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path?: string }).path ?? codeDir, entry.name))
      .sort();
    // Read one after the other synchronously: a hundred small modules, each awaited through the
    // thread pool, kept the build waiting (see readVFile in src/load/catalog.ts).
    for (const path of modules) {
      hash.update(`\n${path.slice(codeDir.length)}\n`);
      hash.update(readFileSync(path));
    }
    return hash.digest('hex');
  })();
  return fingerprint;
}

/**
 * A note in the output a build replaced, once it is kept as `.<out>.previous` for the next build
 * to recycle (see StagedOutput.recyclePrevious): which files of the new output have a hash that
 * differs from that output's, and the stamp of the new output's manifest. While the output is
 * still that one (same stamp), every other file of the recycled folder is as it is in the
 * output, and the next build need not read the folder's own manifest (8 MB for ten languages of
 * SIP). It lives beside the pages it describes, outside the output, so the output's bytes stay
 * those of its inputs. A note missing, damaged or for another output is not used.
 */
const RECYCLE_NOTE_PATH = `${BUILD_MANIFEST_DIR}/recycle.json`;

export function writeRecycleNote(previousDir: string, outputStamp: string, changed: readonly string[]): void {
  try {
    writeFileSync(join(previousDir, RECYCLE_NOTE_PATH), JSON.stringify({ output: outputStamp, changed }));
  } catch {
    // Without a note the next build reads the folder's manifest instead.
  }
}

/** The files the note in `dir` says changed since, when it is a note for the output with this manifest stamp. */
export function readRecycleNote(dir: string, outputStamp: string | undefined): Set<string> | undefined {
  const { output, changed } = (readJsonFile(join(dir, RECYCLE_NOTE_PATH)) ?? {}) as { output?: unknown; changed?: unknown };
  if (outputStamp === undefined || output !== outputStamp || !Array.isArray(changed) || !changed.every(isString)) return undefined;
  return new Set(changed);
}
