/**
 * Read templates/*.hbs (pages) and templates/partials/*.hbs, and compile them once: a syntax
 * error becomes a message with the template's line instead of a crash at render time.
 */
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import { listFolder, readVFile } from './catalog.js';

export interface TemplateSources {
  pages: Record<string, string>;
  partials: Record<string, string>;
  files: Record<string, VFile>;
}

async function readFolder(root: string, dir: string, files: VFile[], into: Record<string, string>, byName: Record<string, VFile>) {
  const names = listFolder(dir).filter((n) => n.endsWith('.hbs')).sort();
  for (const name of names) {
    const file = (await readVFile(root, join(dir, name)))!;
    files.push(file);
    const id = name.replace(/\.hbs$/, '');
    if (checkSyntax(file)) into[id] = String(file.value);
    byName[id] = file;
  }
}

export async function loadTemplates(root: string, files: VFile[]): Promise<TemplateSources> {
  const sources: TemplateSources = { pages: {}, partials: {}, files: {} };
  await readFolder(root, join(root, 'templates'), files, sources.pages, sources.files);
  await readFolder(root, join(root, 'templates', 'partials'), files, sources.partials, sources.files);
  return sources;
}

/** Parse a template; report a syntax error at its line. */
function checkSyntax(file: VFile): boolean {
  try {
    Handlebars.parse(String(file.value));
    return true;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const line = Number(/line (\d+)/.exec(text)?.[1] ?? 1);
    const detail = text.split('\n').filter((l) => l.trim() && !/^-*\^$/.test(l.trim())).pop() ?? text;
    report(file, 'template-syntax', { detail }, { line, column: 1 });
    return false;
  }
}
