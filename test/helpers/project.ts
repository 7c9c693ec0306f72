/**
 * A real project on disk for tests that need to change inputs: a copy of the shipped data,
 * locales, templates and stylesheet, cut down to a few codes so a build takes a moment.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, stringify as stringifyYaml } from 'yaml';
import { CLI, ROOT } from './paths.js';

export interface Project {
  dir: string;
  path(...parts: string[]): string;
  read(...parts: string[]): string;
  write(path: string, text: string): void;
  edit(path: string, change: (text: string) => string): void;
  run(...args: string[]): { status: number; stdout: string; stderr: string };
  remove(): void;
}

export const SMALL_SET = [180, 183, 200, 404, 439, 486, 600];

export const SMALL_LANGS = ['en', 'zh-CN'];

/** Every fourth shipped SIP code: 382 pages in two languages, enough to be shared among threads or shards. */
export const EVERY_FOURTH_CODE = readdirSync(join(ROOT, 'data/sip/codes'))
  .map((name) => Number(name.slice(0, 3)))
  .sort((a, b) => a - b)
  .filter((_, i) => i % 4 === 0);

/**
 * `search: false` (the default here) writes a codepairs.config.json that turns the Pagefind
 * stage off: most tests do not read the index, and it costs about a second per build.
 */
export function makeProject(codes: number[] = SMALL_SET, langs: string[] = SMALL_LANGS, { search = false } = {}): Project {
  const dir = mkdtempSync(join(tmpdir(), 'codepairs-project-'));
  for (const folder of ['data', 'locales', 'templates', 'assets']) cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
  if (!search) writeFileSync(join(dir, 'codepairs.config.json'), `${JSON.stringify({ search: false })}\n`);
  const codesDir = join(dir, 'data/sip/codes');
  for (const name of readdirSync(codesDir)) {
    const code = Number(name.slice(0, 3));
    const path = join(codesDir, name);
    if (!codes.includes(code)) {
      rmSync(path);
      continue;
    }
    const doc = parseDocument(readFileSync(path, 'utf8'));
    const related = (doc.toJS().related as number[]).filter((r) => codes.includes(r));
    doc.set('related', related);
    writeFileSync(path, String(doc));
  }
  // Curated confusable pairs: only those whose two codes are both in the set.
  const confusablePath = join(dir, 'data/sip/confusable.yaml');
  const confusable = parseDocument(readFileSync(confusablePath, 'utf8'));
  const entries = confusable.toJS() as Array<{ pair: [number, number] }>;
  const keptPairs = new Set(entries.filter((e) => e.pair.every((c) => codes.includes(c))).map((e) => e.pair.join('-')));
  writeFileSync(confusablePath, stringifyYaml(entries.filter((e) => keptPairs.has(e.pair.join('-'))), { lineWidth: 0 }));
  const registry = join(dir, 'data/sip/iana-registry.tsv');
  const lines = readFileSync(registry, 'utf8').split('\n');
  writeFileSync(registry, lines.filter((line, i) => i === 0 || codes.includes(Number(line.slice(0, 3)))).join('\n') + '\n');
  const languagesPath = join(dir, 'locales/languages.json');
  const languages = JSON.parse(readFileSync(languagesPath, 'utf8')) as Array<{ tag: string }>;
  const kept = languages.filter((l) => langs.includes(l.tag)).map((l) => `  ${JSON.stringify(l)}`);
  writeFileSync(languagesPath, `[\n${kept.join(',\n')}\n]\n`);
  for (const lang of readdirSync(join(dir, 'locales'))) {
    const path = join(dir, 'locales', lang, 'sip.json');
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as { codes?: Record<string, unknown>; confusable?: Record<string, unknown> };
      if (data.codes) for (const key of Object.keys(data.codes)) if (!codes.includes(Number(key))) delete data.codes[key];
      if (data.confusable) for (const key of Object.keys(data.confusable)) if (!keptPairs.has(key)) delete data.confusable[key];
      writeFileSync(path, JSON.stringify(data, null, 2) + '\n');
    } catch {
      // not a language folder
    }
  }
  const project: Project = {
    dir,
    path: (...parts) => join(dir, ...parts),
    read: (...parts) => readFileSync(join(dir, ...parts), 'utf8'),
    write: (path, text) => writeFileSync(join(dir, path), text),
    edit: (path, change) => project.write(path, change(project.read(path))),
    run: (...args) => {
      const result = spawnSync(process.execPath, [CLI, ...args, '--root', dir], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return project;
}

/** Every file under `dir` with its content, for byte-for-byte comparisons. */
export function snapshotTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, readFileSync(join(dir, rel), 'utf8'));
    }
  };
  walk('');
  return files;
}
