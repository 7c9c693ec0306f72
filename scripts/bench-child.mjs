/**
 * One measurement of the benchmark, in a process of its own so its peak RSS is its own:
 * `build` runs the real build (the CLI's bundle, dist/bundle/build.js; incremental unless `force`); `write` writes the files of a finished build into
 * a fresh folder with the build's writer (StagedOutput) and nothing else: the write-only floor.
 * Prints one line of JSON.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../dist/bundle/build.js';

const task = JSON.parse(process.argv[2]);

function filesOf(dir) {
  const files = [];
  const walk = (sub) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.push([rel, readFileSync(join(dir, rel), 'utf8')]);
    }
  };
  walk('');
  return files;
}

let result;
if (task.mode === 'build') {
  const built = await build({ root: task.root, outDir: task.outDir, jobs: task.jobs, force: task.force });
  result = { pages: built.pages, rendered: built.rendered, files: built.files, kept: built.kept, removed: built.removed, timings: built.timings, warnings: built.warnings.length };
} else {
  // Read into memory first (not timed): the same paths and bytes as the build wrote.
  const files = filesOf(task.from);
  const { StagedOutput } = await import('../dist/emit/output.js');
  const started = performance.now();
  const output = await StagedOutput.open(task.outDir);
  for (const [path, text] of files) await output.write(path, text);
  await output.commit();
  const ms = performance.now() - started;
  result = { files: files.length, bytes: files.reduce((n, [, text]) => n + Buffer.byteLength(text), 0), ms };
}
// maxRSS is in kilobytes; it covers the worker threads too (they share the process).
// CPU time of the whole process (every thread), user and system, in ms: less sensitive than wall
// time to what else runs on the machine.
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ...result, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
