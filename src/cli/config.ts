/** Optional project settings from codepairs.config.json; the command line overrides them. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE } from '../load/input-key.js';

export interface Config {
  out?: string;
  baseUrl?: string;
  langs?: string[];
  /** Thresholds of `codepairs check --output`. */
  lint?: { maxSimilarity?: number; minOwnWords?: number };
  /** Size limit of knowledge-base records, in characters. */
  kbMaxChars?: number;
  /** Write the Pagefind search index (default true; --no-search turns it off). */
  search?: boolean;
  /** Pair pages with a relevance below this get noindex and stay out of the sitemap (default: none). */
  noindexBelow?: number;
  /** Output layout of `build` (plain or a portal's; the command line's --layout wins). */
  layout?: string;
  /**
   * The catalog folders the project builds, relative to it (default: ["data/sip"]). Several
   * make one site: each protocol under `<lang>/<protocol>/` and a home page per language.
   * `--catalog` builds one folder instead.
   */
  catalogs?: string[];
}

export const DEFAULT_MAX_SIMILARITY = 0.7;
/** Off by default: the figure is printed, and a project sets its own floor. */
export const DEFAULT_MIN_OWN_WORDS = 0;

export { CONFIG_FILE };

/** A settings file the user must fix; reported like a usage error. */
export class ConfigError extends Error {}

export function readConfig(root: string): Config {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${CONFIG_FILE}: ${(error as Error).message}`);
  }
  const config = (data ?? {}) as Record<string, unknown>;
  const allowed = ['out', 'baseUrl', 'langs', 'lint', 'kbMaxChars', 'search', 'noindexBelow', 'layout', 'catalogs'];
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) throw new ConfigError(`${CONFIG_FILE}: unexpected setting \`${key}\`, expected one of ${allowed.join(', ')}`);
  }
  if (config.out !== undefined && typeof config.out !== 'string') throw new ConfigError(`${CONFIG_FILE}: \`out\` must be a string`);
  if (config.catalogs !== undefined && !(Array.isArray(config.catalogs) && config.catalogs.length > 0 && config.catalogs.every((c) => typeof c === 'string' && c.length > 0))) {
    throw new ConfigError(`${CONFIG_FILE}: \`catalogs\` must be a list of catalog folders such as ["data/sip", "data/http"]`);
  }
  if (config.layout !== undefined && typeof config.layout !== 'string') throw new ConfigError(`${CONFIG_FILE}: \`layout\` must be a string such as "hugo"`);
  if (config.baseUrl !== undefined && typeof config.baseUrl !== 'string') throw new ConfigError(`${CONFIG_FILE}: \`baseUrl\` must be a string`);
  if (config.langs !== undefined && !(Array.isArray(config.langs) && config.langs.every((l) => typeof l === 'string'))) {
    throw new ConfigError(`${CONFIG_FILE}: \`langs\` must be a list of language tags`);
  }
  if (config.lint !== undefined) {
    const lint = config.lint as Record<string, unknown>;
    if (typeof lint !== 'object' || lint === null || Array.isArray(lint)) throw new ConfigError(`${CONFIG_FILE}: \`lint\` must be an object such as { "maxSimilarity": 0.7 }`);
    for (const key of Object.keys(lint)) {
      if (key !== 'maxSimilarity' && key !== 'minOwnWords') throw new ConfigError(`${CONFIG_FILE}: unexpected setting \`lint.${key}\`, expected maxSimilarity or minOwnWords`);
    }
    const own = lint.minOwnWords;
    if (own !== undefined && !(Number.isInteger(own) && (own as number) >= 0)) throw new ConfigError(`${CONFIG_FILE}: \`lint.minOwnWords\` must be a whole number from 0`);
    const max = lint.maxSimilarity;
    if (max !== undefined && !(typeof max === 'number' && max > 0 && max <= 1)) throw new ConfigError(`${CONFIG_FILE}: \`lint.maxSimilarity\` must be a number above 0 and at most 1`);
  }
  const below = config.noindexBelow;
  if (below !== undefined && !(typeof below === 'number' && below >= 0 && below <= 1)) throw new ConfigError(`${CONFIG_FILE}: \`noindexBelow\` must be a relevance from 0 to 1`);
  if (config.search !== undefined && typeof config.search !== 'boolean') throw new ConfigError(`${CONFIG_FILE}: \`search\` must be true or false`);
  if (config.kbMaxChars !== undefined && !Number.isInteger(config.kbMaxChars)) throw new ConfigError(`${CONFIG_FILE}: \`kbMaxChars\` must be a whole number`);
  return config as Config;
}
