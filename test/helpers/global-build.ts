/**
 * Build the shipped catalog once, with the real CLI, into a temporary folder that the output
 * tests read. The folder is removed when the run ends.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT } from './paths.js';

export default function setup(project: TestProject) {
  // While working on tests, CODEPAIRS_TEST_OUT=<folder> reads an existing build instead.
  const existing = process.env.CODEPAIRS_TEST_OUT;
  if (existing) {
    project.provide('outDir', existing);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'codepairs-out-'));
  const out = join(dir, 'out');
  execFileSync(process.execPath, [join(ROOT, 'bin/codepairs.js'), 'build', '--out', out, '--quiet', '--jobs', '2', '--no-search'], { cwd: ROOT, stdio: 'inherit' });
  project.provide('outDir', out);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    outDir: string;
  }
}
