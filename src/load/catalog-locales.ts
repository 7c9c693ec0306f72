/**
 * Where a catalog brought with --catalog keeps its locale resources, and the languages it has
 * them for: those are the languages built. A catalog folder with its own locales/ keeps them
 * there (<dir>/locales/<lang>/<protocol>.json and sources.json); one without, such as a second
 * catalog of the project under data/, keeps them beside SIP's, in the project's locales/.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SOURCE_LANG, type LocaleOptions } from './locales.js';

export interface CatalogLocales extends Pick<LocaleOptions, 'namespaceDirs' | 'only'> {
  /** The catalog's own locales folder, when it has one (its sources.json files live there too). */
  ownDir?: string;
}

/** `base`: the folder the catalog's files are shown relative to; `root`: the project folder. */
export async function catalogLocales(dir: string, protocol: string, base: string, root: string): Promise<CatalogLocales> {
  const own = existsSync(join(dir, 'locales'));
  const localeDir = own ? join(dir, 'locales') : join(root, 'locales');
  const tags = await readdir(localeDir).catch(() => [] as string[]);
  const only = tags.filter((tag) => existsSync(join(localeDir, tag, `${protocol}.json`)));
  // English is the source language: without it the missing file is reported.
  if (!only.includes(SOURCE_LANG)) only.push(SOURCE_LANG);
  return own ? { namespaceDirs: { [protocol]: { dir: localeDir, base } }, only, ownDir: localeDir } : { only };
}
