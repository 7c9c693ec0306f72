/**
 * `codepairs init DIR --protocol NAME`: a new catalog folder from the scaffold shipped with
 * codepairs (scaffold/): protocol.yaml, two example codes, English locale resources and a README
 * for catalog authors. As written it builds with `codepairs build --catalog DIR`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_ID } from '../load/validate-protocol.js';
import { UsageError } from './usage-error.js';

/** The codepairs package folder: its scaffold, templates, stylesheet and common locales. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCAFFOLD = join(PACKAGE_ROOT, 'scaffold');

/** Every file of a folder, relative to it, sorted. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name), base) : [relative(base, join(dir, entry.name))]))
    .sort();
}

/** Write the scaffold into `dir` for protocol `id`; returns the files written, relative to `dir`. */
export function initCatalog(dir: string, id: string | undefined): string[] {
  if (id === undefined) throw new UsageError('missing --protocol: expected the new protocol id, e.g. `--protocol smtp`');
  if (!PROTOCOL_ID.test(id) || id === 'common') {
    throw new UsageError(`invalid --protocol \`${id}\`: expected lowercase letters, digits and hyphens, starting with a letter, other than \`common\``);
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`\`${dir}\` exists and is not empty: init writes a new catalog folder`);
  const name = id.toUpperCase();
  const written: string[] = [];
  for (const file of filesUnder(SCAFFOLD)) {
    const target = file === join('locales', 'en', 'protocol.json') ? join('locales', 'en', `${id}.json`) : file;
    const text = readFileSync(join(SCAFFOLD, file), 'utf8').replaceAll('__ID__', id).replaceAll('__NAME__', name);
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), text);
    written.push(target);
  }
  return written;
}
