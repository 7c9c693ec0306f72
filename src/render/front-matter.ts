/**
 * YAML front matter, written directly: the same bytes as `yaml`'s stringify (`lineWidth: 0`,
 * without its final newline) for the values pages carry (strings, numbers, booleans, lists of
 * them, mappings of them), as long as every string is on one line and every number one yaml
 * writes as JSON does; for anything else the whole value is left to yaml. yaml's stringify
 * took 50–100 µs a page here in a warm loop (0.2 ms in an edit, before the code warms up); this
 * takes about 9 µs.
 * test/front-matter.test.ts holds it to yaml's bytes, on real pages and on strings made to trip it.
 */
import { Document, stringify as toYaml } from 'yaml';

type Data = Readonly<Record<string, unknown>>;

/** Written as yaml would (`lineWidth: 0`), without the final newline. */
export function frontMatterYaml(data: Data): string {
  return writtenDirectly(data) ?? toYaml(data, { lineWidth: 0 }).replace(/\n$/, '');
}

/** The same, when it can be written without yaml; undefined otherwise. */
export function writtenDirectly(data: Data): string | undefined {
  const lines: string[] = [];
  return mapping(data, '', lines) ? lines.join('\n') : undefined;
}

/** The lines of a block mapping at `indent`; false when yaml must write it. */
function mapping(data: Data, indent: string, lines: string[]): boolean {
  const keys = Object.keys(data);
  if (keys.length === 0) return false;
  for (const key of keys) {
    const value = data[key];
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || resolvesToOther(key)) return false;
    if (Array.isArray(value)) {
      if (value.length === 0) return false;
      lines.push(`${indent}${key}:`);
      for (const item of value) {
        const text = scalar(item);
        if (text === undefined) return false;
        lines.push(`${indent}  - ${text}`);
      }
    } else if (typeof value === 'object' && value !== null) {
      lines.push(`${indent}${key}:`);
      if (!mapping(value as Data, `${indent}  `, lines)) return false;
    } else {
      const text = scalar(value);
      if (text === undefined) return false;
      lines.push(`${indent}${key}: ${text}`);
    }
  }
  return true;
}

/** A scalar as yaml writes it in block context, when it is one of those handled here; undefined otherwise. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? JSON.stringify(value) : undefined;
  if (typeof value !== 'string') return undefined;
  return oneLineString(value);
}

/**
 * A one-line string as yaml (2.x, stringifyString and plainString) writes it: plain unless an
 * indicator, a `: ` or ` #`, an edge space or a look of another type (`42`, `true`, `~`) forbids
 * it; then in single quotes when it has a `"` and no `'`, else as JSON writes it (which is yaml's
 * double-quoted form when there is nothing for yaml to escape its own way). Undefined for the
 * strings whose form depends on where they are (several lines, a document marker at the start)
 * or that yaml escapes itself (control characters, lone surrogates).
 */
function oneLineString(value: string): string | undefined {
  if (value.includes('\n') || /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(value)) return undefined;
  if (!/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
    if (/^(%|---|\.\.\.)/.test(value)) return undefined;
    if (!resolvesToOther(value)) return value;
  }
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/** The core schema's tags other than strings: a plain scalar they match is not read as a string. */
const OTHER_TAGS = new Document().schema.tags.filter((tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test);

const resolvesToOther = (text: string): boolean => OTHER_TAGS.some((tag) => tag.test!.test(text));
