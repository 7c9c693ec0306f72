/**
 * Parsed YAML remembered between builds, by the SHA-256 of each file's text. Parsing the
 * catalog's YAML was most of loading it (0.13 s of 0.25 s for the 75 SIP code files in a fresh
 * process on the development machine), and between two builds most files do not change. A value
 * taken from here is the JSON of what `yaml` made of the very same text; a place in the file
 * (for a diagnostic) is found by parsing the file then (see parseYaml).
 *
 * A build reads the values its previous build wrote (`.codepairs/parsed.json` in the output
 * folder, like the manifest) and writes those it used: the file holds what the inputs of one
 * build parse to, no more, sorted by hash (the same inputs give the same bytes). Values JSON
 * cannot carry exactly (an infinite number, `-0`, a `__proto__` key) are not remembered. A file of
 * another format or written by another version of the tool is not used.
 */
import { sha256 } from '../hash.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PARSE_CACHE_PATH = '.codepairs/parsed.json';
const FORMAT = 'codepairs-parsed-inputs';
const VERSION = 1;

const hashOf = (text: string) => sha256(text);

/** Whether JSON gives this value back exactly (plain data: no -0, no non-finite number, no `__proto__` key). */
function carriedByJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(carriedByJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.entries(value).every(([key, item]) => key !== '__proto__' && carriedByJson(item));
}

export class ParseCache {
  /** Values by text hash, as JSON: each taken value is a fresh object. */
  private readonly before: ReadonlyMap<string, string>;
  private readonly used = new Map<string, string>();

  constructor(before: ReadonlyMap<string, string> = new Map()) {
    this.before = before;
  }

  /** The value a YAML text parsed to before, or undefined. */
  get(text: string): unknown {
    const hash = hashOf(text);
    const json = this.used.get(hash) ?? this.before.get(hash);
    if (json === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      // A line damaged by hand: the text is parsed again (and the value remembered anew).
      return undefined;
    }
    this.used.set(hash, json);
    return value;
  }

  /** Remember what a YAML text parsed to (without errors). */
  set(text: string, value: unknown): void {
    if (carriedByJson(value)) this.used.set(hashOf(text), JSON.stringify(value));
  }

  /** The values used since this cache was made (hash, JSON), for another thread's cache. */
  entries(): Array<[string, string]> {
    return [...this.used];
  }

  /** The values used since this cache was made, as the file holds them. */
  serialize(tool: string): string {
    const lines = [...this.used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([hash, json]) => `${hash} ${json}`);
    return `${JSON.stringify({ format: FORMAT, version: VERSION, tool })}\n${lines.map((line) => `${line}\n`).join('')}`;
  }

  /** The cache a file holds, or an empty one when the file is of another format or tool, or damaged. */
  static parse(text: string | undefined, tool: string): ParseCache {
    const [header, ...lines] = (text ?? '').split('\n');
    let head: unknown;
    try {
      head = JSON.parse(header ?? '');
    } catch {
      return new ParseCache();
    }
    const { format, version, tool: writer } = (head ?? {}) as Record<string, unknown>;
    if (format !== FORMAT || version !== VERSION || writer !== tool) return new ParseCache();
    const entries = new Map<string, string>();
    for (const line of lines) {
      const space = line.indexOf(' ');
      // A line cut short or damaged: its JSON is checked when used (see get).
      if (space === 64 && /^[0-9a-f]{64}$/.test(line.slice(0, 64))) entries.set(line.slice(0, 64), line.slice(65));
    }
    return new ParseCache(entries);
  }
}

/** The cache the build of the output folder `target` wrote (an empty one when there is none). */
export function readParseCache(target: string, tool: string): ParseCache {
  let text: string | undefined;
  try {
    text = readFileSync(join(target, PARSE_CACHE_PATH), 'utf8');
  } catch {
    text = undefined;
  }
  return ParseCache.parse(text, tool);
}
