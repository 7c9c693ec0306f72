/**
 * One hash of everything a build reads, taken before anything is parsed: the bytes and paths of
 * every file in the folders the loaders read from (the project's data/, locales/, templates/ and
 * assets/, and each catalog folder given from elsewhere), the options that change the output and
 * the tool's own fingerprint. When it equals the one the previous build recorded, and that build's
 * files are all there, the build has nothing to do (see `build`): a no-op rebuild then costs the
 * reading of the input files and of the manifest, not the parsing and validating of them.
 *
 * Deliberately coarse: any change in those folders (a file the build does not even use, a new
 * file beside the catalog) only means the full incremental check runs, which decides per page.
 */
import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';

/** The project's settings file, beside those folders: read by the CLI (src/cli/config.ts), named in the build's reports. */
export const CONFIG_FILE = 'codepairs.config.json';

/** The project folders the loaders read (src/load): every catalog under data/, the locales, templates and stylesheet. */
export const INPUT_FOLDERS = ['data', 'locales', 'templates', 'assets'] as const;

export interface InputKeyOptions {
  root: string;
  /** Catalog folders outside the project (absolute); those inside it are read with data/. */
  catalogs: readonly string[];
  /** Folders never read as inputs: the output folder and its staging folders, wherever they are. */
  skip: (path: string) => boolean;
  /** Everything else that decides the output: options, the tool's fingerprint, the working folder. */
  settings: unknown;
}

/** Hash a folder's files (sorted by name, recursively, following links); a missing folder hashes as missing. */
function hashFolder(hash: Hash, dir: string, shown: string, skip: (path: string) => boolean, depth = 0): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    hash.update(`\0missing ${shown}\n`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = `${shown}/${entry.name}`;
    if (skip(path)) continue;
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) isDirectory = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
    if (isDirectory) {
      // A link loop would never end; no catalog nests this deep.
      if (depth < 32) hashFolder(hash, path, name, skip, depth + 1);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      hash.update(`\0unreadable ${name}\n`);
      continue;
    }
    hash.update(`\0${name} ${bytes.length}\n`);
    hash.update(bytes);
  }
}

/** The input key of a build (a hex SHA-256). */
export function inputKey(options: InputKeyOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(options.settings));
  const root = resolve(options.root);
  for (const folder of INPUT_FOLDERS) hashFolder(hash, join(root, folder), folder, options.skip);
  const inside = (dir: string) => {
    const rel = relative(join(root, 'data'), dir);
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
  };
  for (const dir of [...new Set(options.catalogs.map((d) => resolve(d)))].sort()) {
    if (!inside(dir)) hashFolder(hash, dir, `catalog:${dir}`, options.skip);
  }
  return hash.digest('hex');
}
