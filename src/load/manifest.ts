/**
 * Read the manifest of an earlier knowledge-base export (`export --since`): a missing file,
 * malformed JSON or a manifest of the wrong shape is reported with its place and rule id.
 */
import { resolve } from 'node:path';
import { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, type Manifest } from '../export/manifest.js';
import { readVFile } from './catalog.js';
import { parseJson } from './source.js';

const HASH = /^sha256:[0-9a-f]{64}$/;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `\`${String(value)}\``;

/** The manifest at `path` (relative to `root`), or undefined with the problems in `files`. */
export async function loadManifest(root: string, path: string, files: VFile[]): Promise<Manifest | undefined> {
  const file = await readVFile(root, resolve(root, path));
  if (!file) {
    const missing = new VFile({ path });
    report(missing, 'missing-file', { what: 'the manifest of the earlier export', path });
    files.push(missing);
    return undefined;
  }
  files.push(file);
  const parsed = parseJson(file);
  if (!parsed) return undefined;
  const data = parsed.value as Record<string, unknown>;
  const problem = (field: Array<string | number>, actual: unknown, expected: string) =>
    report(file, 'invalid-manifest', { field: field.join('.') || '(the file)', actual: describe(actual), expected }, parsed.placeOf(field));
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problem([], data, 'an object');
    return undefined;
  }
  if (data.format !== MANIFEST_FORMAT) problem(['format'], data.format, `\`${MANIFEST_FORMAT}\``);
  if (data.version !== MANIFEST_VERSION) problem(['version'], data.version, `\`${MANIFEST_VERSION}\``);
  if (!Array.isArray(data.langs) || !data.langs.every((l) => typeof l === 'string')) problem(['langs'], data.langs, 'a list of language tags');
  if (typeof data.records !== 'object' || data.records === null || Array.isArray(data.records)) {
    problem(['records'], data.records, 'an object of record ids and hashes');
  } else {
    for (const [id, hash] of Object.entries(data.records)) {
      if (typeof hash !== 'string' || !HASH.test(hash)) {
        problem(['records', id], hash, 'a hash like `sha256:` and 64 hex digits');
        break;
      }
    }
  }
  return file.messages.length ? undefined : (data as unknown as Manifest);
}
