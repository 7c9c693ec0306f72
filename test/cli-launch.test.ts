/**
 * How the CLI starts: bin/codepairs.js runs Node with the options on its first line (see the
 * comment there), the npm scripts run it with the same, and the threads the writer starts from
 * text (src/emit/code-thread.ts) still start under them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';

const BIN = join(ROOT, 'bin', 'codepairs.js');
const firstLine = readFileSync(BIN, 'utf8').split('\n')[0]!;
const options = firstLine.replace(/^#!\/usr\/bin\/env -S node\s*/, '').split(/\s+/).filter(Boolean);

describe('starting the CLI', () => {
  it('runs Node with one V8 helper thread, through its first line', () => {
    expect(firstLine.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    expect(options).toEqual(['--v8-pool-size=1']);
    // Run as a program (as npm's link to it runs it), not through `node`: the line is what starts it.
    const run = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('is run with the same options by the npm scripts that run it', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const runs = Object.entries(scripts).filter(([, line]) => line.includes('bin/codepairs.js'));
    expect(runs.map(([name]) => name).sort()).toEqual(['check', 'generate']);
    for (const [, line] of runs) expect(line).toContain(`node ${options.join(' ')} bin/codepairs.js`);
  });

  it('starts the writer\'s helper threads under those options (a thread refuses a process-wide one)', () => {
    const module = pathToFileURL(join(ROOT, 'dist', 'emit', 'code-thread.js')).href;
    const script = `
      const { codeThread } = await import(${JSON.stringify(module)});
      const thread = codeThread("require('node:worker_threads').parentPort.postMessage(require('node:worker_threads').workerData + 1)", 41);
      thread.on('message', (value) => { console.log(value); thread.terminate(); });
    `;
    const run = spawnSync(process.execPath, [...options, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('42');
  });
});
