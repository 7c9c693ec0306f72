/**
 * The CLI under Node options a user may give it (`node --v8-pool-size=1 bin/codepairs.js`, see
 * "--jobs" in the README): the threads the writer starts from text (src/emit/code-thread.ts)
 * still start, though a thread refuses an option that is the whole process's.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';

describe('the CLI under process-wide Node options', () => {
  it("starts the writer's helper threads under --v8-pool-size", () => {
    const module = pathToFileURL(join(ROOT, 'dist', 'emit', 'code-thread.js')).href;
    const script = `
      const { codeThread } = await import(${JSON.stringify(module)});
      const thread = codeThread("require('node:worker_threads').parentPort.postMessage(require('node:worker_threads').workerData + 1)", 41);
      thread.on('message', (value) => { console.log(value); thread.terminate(); });
    `;
    const run = spawnSync(process.execPath, ['--v8-pool-size=1', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('42');
  });
});
