/**
 * One measurement of the benchmark, in a process of its own so its peak RSS is its own:
 * `build` runs the real build (the CLI's bundle, dist/bundle/build.js; incremental unless `force`); `write` writes the files of a finished build into
 * a fresh folder with the build's writer (StagedOutput) and nothing else: the write-only floor;
 * `export` and `lint` run `codepairs export` and `codepairs check --output` on a build's output.
 * Prints one line of JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * CPU time by thread, where Linux shows it (/proc): the threads this process has before the build
 * is loaded are Node's and V8's own (V8's helpers: its optimizing compiler and its collector's
 * concurrent work, for every thread's JavaScript); the main thread; and the threads started since
 * (the build's render threads and the threads that write, link or list files, Node's file-system
 * pool). A thread of its own reads each thread's CPU time every 100 ms (the main thread may be
 * busy rendering), so a thread that ends loses up to 100 ms of its last readings.
 */
function cpuByThread() {
  if (!existsSync('/proc/self/task')) return undefined;
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
  const before = new Set(readdirSync('/proc/self/task'));
  const sampler = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const fs = require('node:fs');
     const own = fs.readlinkSync('/proc/thread-self').split('/').pop();
     const last = new Map();
     const read = () => {
       for (const tid of fs.readdirSync('/proc/self/task')) {
         if (tid === own) continue;
         try {
           const stat = fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
           const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
           last.set(tid, Number(fields[11]) + Number(fields[12]));
         } catch {}
       }
     };
     const every = setInterval(read, 100);
     parentPort.once('message', () => { clearInterval(every); read(); parentPort.postMessage([...last]); });`,
    { eval: true },
  );
  return async () => {
    const last = await new Promise((resolve) => {
      sampler.once('message', resolve);
      sampler.postMessage('stop');
    });
    await sampler.terminate();
    const ms = { main: 0, own: 0, started: 0 };
    for (const [tid, ticks] of last) ms[tid === String(process.pid) ? 'main' : before.has(tid) ? 'own' : 'started'] += (ticks * 1000) / hz;
    return ms;
  };
}

const task = JSON.parse(process.argv[2]);
const threadsCpu = task.mode === 'build' ? cpuByThread() : undefined;
const { build } = await import('../dist/bundle/build.js');

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
  const built = await build({ root: task.root, outDir: task.outDir, jobs: task.jobs, force: task.force, layout: task.layout });
  result = { pages: built.pages, rendered: built.rendered, files: built.files, kept: built.kept, removed: built.removed, timings: built.timings, warnings: built.warnings.length, cpuByThread: await threadsCpu?.() };
} else if (task.mode === 'export') {
  // `codepairs export` of the project into the output folder's kb/ (as the CLI runs it).
  const { exportKb, DEFAULT_MAX_CHARS } = await import('../dist/kb-export.js');
  const started = performance.now();
  const exported = await exportKb({ root: task.root, outDir: task.outDir, maxChars: DEFAULT_MAX_CHARS, jobs: task.jobs });
  result = { ms: performance.now() - started, pages: exported.pages, records: exported.records };
} else if (task.mode === 'lint') {
  // `codepairs check --output` of the output folder, with the default limits.
  const { load, threadsFor } = await import('../dist/build.js');
  const { lintOutput } = await import('../dist/lint/lint-output.js');
  const { DEFAULT_MAX_SIMILARITY, DEFAULT_MIN_OWN_WORDS } = await import('../dist/cli/config.js');
  const started = performance.now();
  const { ctx } = await load({ root: task.root, baseUrl: undefined });
  const linted = await lintOutput(ctx, { root: task.root, outDir: task.outDir, cwd: process.cwd(), maxSimilarity: DEFAULT_MAX_SIMILARITY, minOwnWords: DEFAULT_MIN_OWN_WORDS, jobs: task.jobs ?? (await threadsFor(Infinity, undefined)) });
  result = { ms: performance.now() - started, pages: linted.pages, findings: linted.files.length };
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
