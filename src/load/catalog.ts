/**
 * Read one protocol catalog folder (protocol.yaml, codes/*.yaml, iana-registry.tsv) into a
 * Catalog, checking every code against the schema and against the registry copy.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import type { Catalog, StatusCode } from '../types.js';
import { loadConfusable } from './confusable.js';
import type { ParseCache } from './parse-cache.js';
import { parseYaml } from './source.js';
import { validateCode } from './validate-code.js';
import { validateProtocol } from './validate-protocol.js';

export interface RegistryRow {
  code: number;
  reason: string;
  reference: string;
  line: number;
}

/**
 * An input file as a VFile (its path relative to `root`), or undefined when it cannot be read.
 * Read synchronously: a catalog is a few hundred small files, and on the development machine
 * reading them one after the other through the thread pool left the build idle for half its
 * loading time (0.18 s of 0.35 s on the benchmark's catalog).
 */
export async function readVFile(root: string, path: string): Promise<VFile | undefined> {
  try {
    return new VFile({ path: relative(root, path) || path, value: readFileSync(path, 'utf8'), cwd: root });
  } catch {
    return undefined;
  }
}

/** The names in a folder, or none when it cannot be read. */
export function listFolder(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function parseRegistry(text: string): RegistryRow[] {
  return text
    .split('\n')
    .map((line, i) => ({ cells: line.split('\t'), line: i + 1 }))
    .filter(({ cells }) => /^\d{3}$/.test(cells[0] ?? ''))
    .map(({ cells, line }) => ({ code: Number(cells[0]), reason: cells[1] ?? '', reference: cells[3] ?? '', line }));
}

/** `cache`: YAML parsed by an earlier build (src/load/parse-cache.ts). */
export async function loadCatalog(root: string, dir: string, files: VFile[], cache?: ParseCache): Promise<Catalog | undefined> {
  const protocolPath = join(dir, 'protocol.yaml');
  const protocolFile = await readVFile(root, protocolPath);
  if (!protocolFile) {
    const file = new VFile({ path: relative(root, protocolPath) || protocolPath });
    report(file, 'missing-file', { what: 'the protocol description', path: file.path });
    files.push(file);
    return undefined;
  }
  files.push(protocolFile);
  const parsedProtocol = parseYaml(protocolFile, cache);
  const protocol = parsedProtocol ? validateProtocol(protocolFile, parsedProtocol) : undefined;
  if (!protocol) return undefined;

  // The registry's reason phrases are what example messages must say (read before the codes).
  const registryFile = await readVFile(root, join(dir, 'iana-registry.tsv'));
  const registryRows = registryFile ? parseRegistry(String(registryFile.value)) : [];
  const registered = new Map(registryRows.map((row) => [row.code, row.reason]));

  const codesDir = join(dir, 'codes');
  const names = listFolder(codesDir).filter((n) => n.endsWith('.yaml')).sort();
  const codes: StatusCode[] = [];
  const seen = new Map<number, string>();
  for (const name of names) {
    const file = (await readVFile(root, join(codesDir, name)))!;
    files.push(file);
    const parsed = parseYaml(file, cache);
    if (!parsed) continue;
    const code = validateCode(file, parsed, protocol, registered);
    if (!code) continue;
    const first = seen.get(code.code);
    if (first) {
      report(file, 'duplicate-code', { code: code.code, first }, parsed.placeOf(['code']));
      continue;
    }
    if (name !== `${code.code}.yaml`) {
      report(file, 'file-name-mismatch', { code: code.code, file: name, expected: `${code.code}.yaml` }, parsed.placeOf(['code']));
    }
    seen.set(code.code, file.path);
    codes.push(code);
  }
  codes.sort((a, b) => a.code - b.code);

  if (registryFile) {
    files.push(registryFile);
    checkAgainstRegistry(codes, registryRows, registryFile, files, new Set([...(protocol?.reserved ?? []), ...(protocol?.unused ?? [])]));
  }
  checkRelated(codes, files);
  const confusable = await loadConfusable(root, dir, codes, files, cache);
  // A reserved code's name as the registry gives it, without its remarks ("(TEMPORARY - …)").
  const reserved = (protocol.reserved ?? []).map((code) => ({ code, reason: (registered.get(code) ?? '').replace(/\s*\(.*\)\s*$/, '') }));
  return { protocol, codes, confusable, reserved };
}

function fileOf(files: VFile[], code: StatusCode): VFile {
  return files.find((f) => f.path === code.file)!;
}

/** Every code has a file that matches its registry row; every row has a code, unless `withoutFile` names it. */
function checkAgainstRegistry(codes: StatusCode[], rows: RegistryRow[], registry: VFile, files: VFile[], withoutFile: ReadonlySet<number>): void {
  const byCode = new Map(rows.map((row) => [row.code, row]));
  for (const code of codes) {
    const file = fileOf(files, code);
    const row = byCode.get(code.code);
    if (!row) {
      report(file, 'unregistered-code', { code: code.code, registry: registry.path }, { line: 1, column: 1 });
      continue;
    }
    if (row.reason !== code.reason) {
      report(file, 'unregistered-reason', { code: code.code, actual: code.reason, expected: row.reason }, findLine(file, 'reason'));
    }
    if (row.reference !== code.reference) {
      report(file, 'unregistered-reference', { code: code.code, actual: code.reference, expected: row.reference }, findLine(file, 'reference'));
    }
  }
  const present = new Set(codes.map((c) => c.code));
  for (const row of rows) {
    if (!present.has(row.code) && !withoutFile.has(row.code)) report(registry, 'missing-code', { code: row.code, reason: row.reason }, { line: row.line, column: 1 });
  }
}

function checkRelated(codes: StatusCode[], files: VFile[]): void {
  const present = new Set(codes.map((c) => c.code));
  for (const code of codes) {
    code.related.forEach((related) => {
      if (!present.has(related) || related === code.code) {
        report(fileOf(files, code), 'unknown-related-code', { code: code.code, related }, findLine(fileOf(files, code), 'related'));
      }
    });
  }
}

/** The place of a top-level `key:` line, for checks that run after parsing. */
function findLine(file: VFile, key: string): { line: number; column: number } {
  const lines = String(file.value).split('\n');
  const index = lines.findIndex((line) => line.startsWith(`${key}:`));
  return { line: index + 1 || 1, column: 1 };
}
