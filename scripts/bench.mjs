/**
 * `npm run bench`: build a synthetic catalog of a chosen size and print what a build costs —
 * articles/s, time per stage, peak RSS, the cold build on one thread against two or more, the
 * ratio to a write-only floor measured in the same run, a no-op rebuild and one-code-edit
 * rebuilds (incremental; several, and their median) with their share of the cold build, Hugo rendering the same Markdown
 * when Hugo is installed, and `codepairs export` and `check --output` on the output. Figures, not a test: it asserts nothing. The output is described in the README
 * ("Benchmark").
 *
 *   npm run bench -- [--codes <n>] [--langs <n>] [--jobs <n>] [--layout <name>] [--edits <n>] [--no-hugo] [--no-tools] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { editCode, makeCatalog } from './bench-catalog.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = join(REPO, 'scripts', 'bench-child.mjs');

const USAGE = `Usage: npm run bench -- [options]
  --codes <n>   codes in the synthetic catalog, 2 to 600 (default: 75, the shipped SIP codes)
  --langs <n>   languages (default: 10, the shipped ones, as the targets are set; beyond 10, region variants)
  --jobs <n>    render threads of the builds (default: each decides as codepairs build does)
  --layout <l>  the builds' output layout: plain (default), hugo, vitepress, docusaurus or mkdocs
                (a portal layout skips the Hugo comparison, which reads the plain layout's pages)
  --no-threads  skip the second cold build with another number of threads
  --no-hugo     skip the Hugo comparison even when hugo is installed
  --no-tools    skip timing codepairs export and check --output on the output, at the end
                (skipped too with a portal --layout: check --output reads the plain layout)
  --edits <n>   one-code edits after the no-op rebuild, each of another code, 1 to 20 (default: 5; judged by their median)
  --settle <s>  wait up to s seconds for the disk to settle before the cold build and the floor (default: 330; 0: no wait)
  --keep        keep the synthetic project and its outputs (the folder is printed)`;

const { values } = parseArgs({
  options: {
    codes: { type: 'string', default: '75' },
    langs: { type: 'string', default: '10' },
    jobs: { type: 'string' },
    layout: { type: 'string', default: 'plain' },
    'no-hugo': { type: 'boolean' },
    'no-threads': { type: 'boolean' },
    'no-tools': { type: 'boolean' },
    keep: { type: 'boolean' },
    settle: { type: 'string', default: '330' },
    edits: { type: 'string', default: '5' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const wholeNumber = (name, min, max) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`bench: invalid --${name} \`${values[name]}\`: expected a whole number from ${min} to ${max}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const codeCount = wholeNumber('codes', 2, 600);
const langCount = wholeNumber('langs', 1, 500);
// Without --jobs each build decides as `codepairs build` does: one thread per core idle when it
// starts, none for fewer than 1,000 pages (an edit renders on the main thread).
const jobs = values.jobs === undefined ? undefined : wholeNumber('jobs', 1, 64);
const settleLimit = wholeNumber('settle', 0, 3600);
const LAYOUTS = ['plain', 'hugo', 'vitepress', 'docusaurus', 'mkdocs'];
const layout = values.layout;
if (!LAYOUTS.includes(layout)) {
  console.error(`bench: unknown --layout \`${layout}\`: expected one of ${LAYOUTS.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const editCount = Math.min(wholeNumber('edits', 1, 20), codeCount);

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const rate = (pages, ms) => (pages / (ms / 1000)).toFixed(1);

/**
 * Write what earlier steps left in the page cache to disk first (not timed): otherwise the
 * kernel's write-back of one step's 600 MB slows the file creation of the next, and a step
 * measures its predecessor (the write-only floor of one run took 5 s, of another 39 s).
 * For the same reason no step's files are removed before the end: for a while after many files
 * are removed, ext4 makes each new file slowly (its inode allocator passes over the inodes just
 * freed, reading their blocks; `perf` showed most of a slow floor's time in recently_deleted),
 * and the same floor took 5.7 s on a settled disk and 42.7 s right after a removal.
 */
const settleDisk = () => void spawnSync('sync');

/**
 * How fast the file system creates a file right now: 2,000 empty files in a fresh folder of the
 * temp project (then left there until the end, see settleDisk), in µs per file. Printed before the
 * cold build and before the floor, so a run can be read for what the disk was doing: after a
 * large removal it is several times the usual figure, and every step that writes pays for it.
 */
function creationProbe(dir, name) {
  settleDisk();
  const folder = join(dir, name);
  mkdirSync(folder);
  const started = performance.now();
  for (let i = 0; i < 2000; i++) writeFileSync(join(folder, `${i}`), '');
  return ((performance.now() - started) * 1000) / 2000;
}
const probe = (us) => `${us.toFixed(0)} µs a file`;

/**
 * Creating an empty file on a settled disk takes tens of µs; ext4 without a journal (the
 * development machine's) skips inodes freed in the last 60 s, or 300 s while their inode table
 * block is not yet written (`recently_deleted` in fs/ext4/ialloc.c), and looks at each of them
 * on the way: after a large removal a file takes ten to thirty times as long.
 */
const SETTLED_US = 100;

/**
 * Probe file creation until it is as fast as on a settled disk, or `limit` seconds have passed
 * (with a `sync` each time, so that the inode tables are written and the shorter window can
 * apply; waits of 31 s, 195 s and more than 326 s were seen after large removals): the last
 * probe's figure, and the seconds waited.
 */
async function settledProbe(dir, limit, name) {
  const waitStarted = performance.now();
  for (let round = 0; ; round++) {
    const us = creationProbe(dir, `probe-${name}-${round}`);
    const waited = (performance.now() - waitStarted) / 1000;
    if (us <= SETTLED_US || waited + 15 > limit) return { us, waited };
    await new Promise((done) => {
      const timer = setTimeout(done, 15_000);
      wake = () => (clearTimeout(timer), done());
    });
    if (interrupted) throw new Error('bench: interrupted');
  }
}

/**
 * One step in a process of its own: what it printed, and `processMs`, the process's whole run (as
 * a user waits for `codepairs build`: Node's start and loading the code, then the build).
 */
function child(task) {
  settleDisk();
  const spawned = performance.now();
  const run = spawnSync(process.execPath, [CHILD, JSON.stringify(task)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const processMs = performance.now() - spawned;
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    throw new Error(`bench: the ${task.mode} step failed (${run.signal ? `killed by ${run.signal}` : `exit ${run.status}`})`);
  }
  return { ...JSON.parse(run.stdout.trim().split('\n').at(-1)), processMs };
}

// Ctrl-C stops the measurement running in the child; the temp folder is then removed below.
// While waiting for the disk to settle, it ends the wait, and the bench.
let interrupted = false;
let wake = () => {};
process.on('SIGINT', () => {
  interrupted = true;
  wake();
});
const startLoad = loadavg()[0].toFixed(1);
const started = performance.now();
const catalog = makeCatalog(REPO, { codes: codeCount, langs: langCount });
const generated = performance.now() - started;
const out = join(catalog.dir, 'out');

try {
  const { us: probeBefore, waited } = await settledProbe(catalog.dir, settleLimit, 'cold');
  const cold = child({ mode: 'build', root: catalog.dir, outDir: out, jobs, layout });
  const t = cold.timings;
  console.log(`codepairs bench: ${catalog.codes.length} codes × ${catalog.langs.length} languages = ${cold.pages} pages, ${cold.files} files${layout === 'plain' ? '' : ` in the ${layout} layout`}; render threads: ${t.threads}; Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), load average ${startLoad} at the start`);
  console.log(`catalog: ${catalog.dir} (generated in ${s(generated)}; languages ${catalog.langs.join(', ')}); creating an empty file took ${probe(probeBefore)} just before the cold build${waited >= 1 ? `, after ${s(waited * 1000)} of waiting for the disk to settle` : ''}${probeBefore > SETTLED_US ? ' (it had not settled: what writes is slowed, see the README)' : ''}`);
  console.log(`cold build: ${cold.pages} pages in ${s(t.total)} = ${rate(cold.pages, t.total)} articles/s (the process ${s(cold.processMs)}), CPU time ${s(cold.cpuMs)}, peak RSS ${mb(cold.maxRssKb)}${cold.warnings ? `, ${cold.warnings} files with warnings` : ''}`);
  // With more than one, the main thread renders a share as well (see startRenderThreads in src/build.ts).
  const started = (n) => `${n - 1} worker ${n - 1 === 1 ? 'thread' : 'threads'}`;
  const thread = t.threads > 1 ? `thread time, summed over the main thread and ${started(t.threads)}` : 'main thread';
  console.log(`  load          ${s(t.load).padStart(9)}  (main thread: input key and previous manifest, then reading and validating the inputs)`);
  console.log(`  plan          ${s(t.plan).padStart(9)}  (main thread)`);
  // A cold build keeps nothing: it hashes each page as it gives the page out (or renders it), not here.
  console.log(`  keep          ${s(t.keep).padStart(9)}  (main thread: the inputs' slices hashed, the site files made, the output folder made ready; each page is hashed as it is given out)`);
  if (t.threads > 1) console.log(`  worker load   ${s(t.workerLoad).padStart(9)}  (thread time, summed over ${started(t.threads)})`);
  console.log(`  render        ${s(t.render).padStart(9)}  (${thread}: views, templates and layout)`);
  console.log(`  markdown→html ${s(t.markdown).padStart(9)}  (${thread}: unified, Markdown and HTML out)`);
  console.log(`  write         ${s(t.write).padStart(9)}  (${thread}: writing the pages, and linking them into the seed of a full build)`);
  console.log(`  commit        ${s(t.commit).padStart(9)}  (main thread: last writes, swap into place)`);
  const byThread = cold.cpuByThread;
  if (byThread) console.log(`  CPU by thread: main ${s(byThread.main)}, threads started by the build ${s(byThread.started)} (rendering, writing, linking, listing), Node's and V8's own ${s(byThread.own)} (V8 optimizing each thread's code, its collector's concurrent work)`);

  if (!values['no-threads']) {
    // The same cold build with one thread, or with two when the first used one: which is faster here.
    const other = t.threads > 1 ? 1 : 2;
    // Left in place until the end (see settleDisk): removing 85,000 files slows the next step.
    const second = child({ mode: 'build', root: catalog.dir, outDir: join(catalog.dir, 'out-threads'), jobs: other, force: true, layout });
    const byThreads = [[t.threads, t.total], [second.timings.threads, second.timings.total]].sort((a, b) => a[0] - b[0]);
    const faster = byThreads[0][1] <= byThreads[1][1] ? byThreads[0][0] : byThreads[1][0];
    console.log(`threads: cold build with --jobs ${byThreads[0][0]} ${s(byThreads[0][1])}, with --jobs ${byThreads[1][0]} ${s(byThreads[1][1])} (peak RSS ${mb(second.maxRssKb)} for --jobs ${other}); faster here: --jobs ${faster}`);
  }

  /**
   * The files of a finished build (`from`) written into a fresh folder `name` by the build's writer
   * alone, after the same wait for the disk as the cold build: the floor, and what the disk was
   * doing just before it.
   */
  const writeFloor = async (from, name) => {
    const { us, waited } = await settledProbe(catalog.dir, settleLimit, name);
    const floor = child({ mode: 'write', from, outDir: join(catalog.dir, name) });
    const disk = `an empty file took ${probe(us)} just before${waited >= 1 ? `, after ${s(waited * 1000)} of waiting for the disk to settle` : ''}${us > SETTLED_US ? ', it had not settled: the floor is the disk\'s more than the writer\'s' : ''}`;
    return { ...floor, disk, size: `${floor.files} files, ${(floor.bytes / 1e6).toFixed(1)} MB in ${s(floor.ms)}` };
  };
  // The same wait: the two builds remove nothing, but file creation was seen slow after them too
  // (598 µs a file once, and a floor as long as the build).
  const floor = await writeFloor(out, 'floor');
  console.log(`write-only floor: ${floor.size} (one thread; ${floor.disk}); cold build / floor = ${(t.total / floor.ms).toFixed(1)}×`);

  const percent = (part, whole) => `${((part / whole) * 100).toFixed(1)}%`;
  // As a user waits for them: each a process, from its start to its exit, against the cold build's.
  const share = (run) => `${s(run.processMs)} = ${percent(run.processMs, cold.processMs)} of the cold build's ${s(cold.processMs)} (processes, Node's start and loading the code included; the builds alone ${s(run.timings.total)} = ${percent(run.timings.total, t.total)}; CPU time ${s(run.cpuMs)} = ${percent(run.cpuMs, cold.cpuMs)} of its ${s(cold.cpuMs)})`;
  const counts = (run) => `${run.rendered} pages rendered; ${run.files} files written, ${run.kept} kept, ${run.removed} removed`;
  const noop = child({ mode: 'build', root: catalog.dir, outDir: out, jobs, layout });
  console.log(`no-op rebuild: ${share(noop)} (${counts(noop)}; input key ${s(noop.timings.load)}, then checking the files are there ${s(noop.timings.keep)}), peak RSS ${mb(noop.maxRssKb)}`);

  const edited = catalog.codes[0];
  editCode(catalog.dir, edited);
  const edit = child({ mode: 'build', root: catalog.dir, outDir: out, jobs, layout });
  // Where the pages were rendered (an edit's files are made on a thread of their own, see the README).
  const threadsOf = (run) => (run.timings.threads === 1 ? 'the main thread' : `the main thread and ${started(run.timings.threads)}`);
  console.log(`one-code-edit rebuild (English description of ${edited} changed): ${share(edit)} (${counts(edit)}, rendered on ${threadsOf(edit)}; keeping ${s(edit.timings.keep)}), peak RSS ${mb(edit.maxRssKb)}${edit.warnings ? `, ${edit.warnings} ${edit.warnings === 1 ? 'file' : 'files'} with warnings (its translations are now stale)` : ''}`);
  const stages = (e) => `load ${s(e.load)}, plan ${s(e.plan)}, keep ${s(e.keep)}, render ${s(e.render)}, markdown→html ${s(e.markdown)}, write ${s(e.write)}, commit ${s(e.commit)}`;
  console.log(`  its stages: ${stages(edit.timings)}`);
  // The edit after that one recycles the output the first edit replaced as its staging folder
  // (see "Incremental builds" in the README): what every edit but the first after a full build costs.
  // One edit is one sample of a noisy figure (two edits of the same kind took 2.59 s and 3.43 s
  // in one run): several are made, each of another code, and judged by their median.
  const edits = [edit];
  for (const next of catalog.codes.slice(1, editCount)) {
    editCode(catalog.dir, next);
    const again = child({ mode: 'build', root: catalog.dir, outDir: out, jobs, layout });
    edits.push(again);
    console.log(`next one-code edit (English description of ${next} changed; staging folder recycled): ${share(again)} (${counts(again)}, rendered on ${threadsOf(again)}), peak RSS ${mb(again.maxRssKb)}`);
    console.log(`  its stages: ${stages(again.timings)}`);
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const processes = edits.map((e) => e.processMs);
  console.log(`one-code edits, median of ${edits.length}: ${s(median(processes))} = ${percent(median(processes), cold.processMs)} of the cold build's process (each: ${processes.map((ms) => percent(ms, cold.processMs)).join(', ')}; the builds alone: median ${percent(median(edits.map((e) => e.timings.total)), t.total)})`);

  console.log(values['no-hugo'] ? 'hugo: skipped (--no-hugo)' : layout !== 'plain' ? `hugo: skipped (--layout ${layout}: it reads the plain layout's pages)` : hugo(catalog, out, cold));

  // The floor once more, last, so that its writes slow none of the steps above: the disk's speed
  // moves within a run (one floor took 17.8 s, longer than its cold build, although creating a
  // file took 19 µs just before it), and a floor is the least that writing the output costs, so
  // the ratio is taken against the faster of the two. The files are those of the cold build with
  // the other thread count (the same paths and bytes), or the output as the edits left it.
  const again = await writeFloor(values['no-threads'] ? out : join(catalog.dir, 'out-threads'), 'floor-again');
  const fastest = Math.min(floor.ms, again.ms);
  console.log(`write-only floor again: ${again.size} (${again.disk}); cold build / the faster floor (${s(fastest)}) = ${(t.total / fastest).toFixed(1)}×`);
  if (!values['no-tools'] && layout === 'plain') {
    // Last, so that kb/ is in none of the outputs above: the knowledge-base export, then the
    // output's check, each a process of its own on the output as the edits left it.
    const exported = child({ mode: 'export', root: catalog.dir, outDir: out, jobs });
    console.log(`export: ${exported.records} records from ${exported.pages} pages in ${s(exported.ms)} = ${rate(exported.pages, exported.ms)} pages/s, CPU time ${s(exported.cpuMs)}, peak RSS ${mb(exported.maxRssKb)}`);
    const linted = child({ mode: 'lint', root: catalog.dir, outDir: out, jobs });
    console.log(`check --output: ${linted.pages} pages in ${s(linted.ms)} = ${rate(linted.pages, linted.ms)} pages/s, ${linted.findings} files with findings, CPU time ${s(linted.cpuMs)}, peak RSS ${mb(linted.maxRssKb)}`);
  }
  console.log(`load average at the end: ${loadavg()[0].toFixed(1)} (other processes slow every figure above; CPU times less so)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  if (values.keep) console.log(`kept: ${catalog.dir}`);
  else rmSync(catalog.dir, { recursive: true, force: true });
}

/**
 * Hugo rendering the English Markdown articles of the cold build to HTML, in a minimal site
 * (one layout that outputs the content, no taxonomies, feeds or sitemap); our rate is that of
 * the cold build over all its languages, Markdown and HTML both written.
 */
function hugo(catalog, out, cold) {
  const version = spawnSync('hugo', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'hugo: not installed (skipped)';
  const site = join(catalog.dir, 'hugo');
  const content = join(site, 'content');
  mkdirSync(join(site, 'layouts/_default'), { recursive: true });
  writeFileSync(
    join(site, 'hugo.toml'),
    [
      "baseURL = 'https://example.com/'",
      "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']",
      '[markup.goldmark.renderer]',
      '  unsafe = false',
      '',
    ].join('\n'),
  );
  for (const layout of ['single', 'list']) writeFileSync(join(site, 'layouts/_default', `${layout}.html`), '{{ .Content }}\n');
  // The pages of sip/ become sip/<name>/index.html; the language index is the home page.
  cpSync(join(out, 'en/sip'), join(content, 'sip'), { recursive: true, filter: (path) => !path.endsWith('.html') });
  cpSync(join(out, 'en/index.md'), join(content, '_index.md'));
  const pages = readdirSync(join(content, 'sip')).length + 1;
  settleDisk();
  const started = performance.now();
  const run = spawnSync('hugo', ['--quiet', '--source', site], { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) return `hugo: failed (exit ${run.status}): ${run.stderr.trim().split('\n')[0]}`;
  const ours = cold.pages / (cold.timings.total / 1000);
  const theirs = pages / (ms / 1000);
  return `hugo ${version.stdout.split(' ')[1]}: ${pages} en pages Markdown→HTML in ${s(ms)} = ${theirs.toFixed(1)} articles/s; codepairs cold build / hugo = ${(ours / theirs).toFixed(2)}`;
}
