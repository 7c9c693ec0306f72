/**
 * Build the shipped SIP catalog once, with the real CLI, into a temporary folder that the output
 * tests read. The build runs in the background: the tests on small projects of their own start
 * at once, and only the tests that read this output wait for it (see built-output.ts). The
 * folder is removed when the run ends.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT } from './paths.js';

export default function setup(project: TestProject) {
  // While working on tests, CODEPAIRS_TEST_OUT=<folder> reads an existing build instead.
  const existing = process.env.CODEPAIRS_TEST_OUT;
  if (existing) {
    project.provide('outDir', existing);
    project.provide('outStatus', '');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'codepairs-out-'));
  const out = join(dir, 'out');
  const status = join(dir, 'status');
  // SIP alone, in every language: the HTTP catalog and the site of both are built by site-catalogs.test.ts.
  const child = spawn(process.execPath, [join(ROOT, 'bin/codepairs.js'), 'build', '--catalog', join(ROOT, 'data/sip'), '--root', ROOT, '--out', out, '--quiet', '--jobs', '2', '--no-search'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => writeFileSync(status, String(code ?? signal)));
  project.provide('outDir', out);
  project.provide('outStatus', status);
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    // Not rmSync: removing the ~140,000 files took seconds, and while it held vitest's thread the
    // timer that warns of a test process slow to stop fired before that process's exit was seen
    // ("[vitest-pool]: Timeout terminating forks worker", after the summary of a green run).
    await rm(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    outDir: string;
    /** A file the background build writes its exit code to ('' when the output already exists). */
    outStatus: string;
  }
}
