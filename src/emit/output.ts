/**
 * Atomic output: pages are written into a fresh staging folder beside the output folder, which
 * replaces the old output only when the whole build succeeded. A failed or interrupted build
 * leaves the previous output exactly as it was. A lock file beside the output folder keeps two
 * builds from writing the same output at once.
 *
 * Folders another command writes into the output (the knowledge base, `kb/`) can be named to
 * `keep`: a commit copies them from the previous output unless the new one has its own.
 */
import { closeSync, copyFileSync, existsSync, linkSync, openSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { cp, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { codeThread } from './code-thread.js';
import { RecordSpill } from './piece-records.js';
import { WriteThread, makeFile, type FileToMake } from './write-thread.js';

/** The folder of the output that `codepairs export` writes (the knowledge base). */
export const KB_DIR = 'kb';

export class OutputError extends Error {
  readonly ruleId: 'output-not-directory' | 'output-unwritable' | 'output-locked';
  readonly path: string;
  readonly detail: string;
  constructor(ruleId: OutputError['ruleId'], path: string, detail = '') {
    super(`${ruleId}: ${path} ${detail}`);
    this.ruleId = ruleId;
    this.path = path;
    this.detail = detail;
  }
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Staging folders left by builds that were killed (their process is gone), with the files beside
 * them (`.old`, `.seed`, the spills `.records` and `.files`); and folders a commit
 * put aside for removal that are still there (see removeInBackground): handed to a remover again.
 */
async function removeAbandoned(target: string): Promise<void> {
  const prefix = `.${basename(target)}.staging-`;
  const names = (await readdir(dirname(target)).catch(() => [] as string[])).sort();
  removeInBackground(names.filter((name) => name.startsWith(trashPrefix(target))).map((name) => join(dirname(target), name)));
  // A build killed between the two renames of its commit left the previous output as `.old`.
  if (!(await exists(target))) {
    const previous = names.find((name) => name.startsWith(prefix) && name.endsWith('.old') && !isRunning(Number(name.slice(prefix.length, -4))));
    if (previous) await rename(join(dirname(target), previous), target);
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length).replace(/\.(old|seed|records|files)$/, ''));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) {
      await rm(join(dirname(target), name), { recursive: true, force: true, maxRetries: 5 });
    }
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/**
 * `.<out>.previous` beside the output folder: the output a commit replaced, kept (when the build
 * carried files over from it) to become the next build's staging folder (see recyclePrevious).
 */
export const previousPath = (target: string) => join(dirname(target), `.${basename(target)}.previous`);

/** `.<out>.lock` beside the output folder, holding the pid of the build that writes it. */
export const lockPath = (target: string) => join(dirname(target), `.${basename(target)}.lock`);

/** Take the lock of `target`, or fail naming the build that holds it; a dead holder's lock is taken over. */
async function acquireLock(target: string, shown: string): Promise<string> {
  const path = lockPath(target);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError('output-unwritable', shown, (error as Error).message);
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new OutputError('output-locked', shown, `${holder}`);
    }
    await rm(path, { force: true });
  }
  throw new OutputError('output-locked', shown, 'unknown');
}

export class StagedOutput {
  readonly target: string;
  readonly staging: string;
  private lock: string | undefined;
  private readonly made = new Set<string>();
  /** Links being made by `keepFiles`. */
  private readonly linking = new Set<Promise<unknown>>();
  /** The output whose files of the same bytes are linked, not written again (see reuseUnchanged). */
  private reuseFrom: string | undefined;
  private readonly keep: readonly string[];
  /** The staging folder is the previous output taken over (recyclePrevious); whether `settle` has changed it yet. */
  private recycled: 'no' | 'untouched' | 'settled' = 'no';
  /** What the recycled folder holds, listed while the build loaded (see listRecyclable); settle walks it otherwise. */
  private listing: Listing | undefined;
  /** The folder every file written is linked into as well, when there is one (see `seed`). */
  private seedDir: string | undefined;
  written = 0;
  /** Files carried over unchanged from the previous output (see `keepFiles`). */
  kept = 0;

  private constructor(target: string, staging: string, keep: readonly string[] = []) {
    this.target = target;
    this.staging = staging;
    this.keep = keep;
  }

  static async open(outDir: string, options: { keep?: readonly string[] } = {}): Promise<StagedOutput> {
    const target = resolve(outDir);
    const existing = await stat(target).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new OutputError('output-not-directory', outDir);
    const staging = join(dirname(target), `.${basename(target)}.staging-${process.pid}`);
    await mkdir(dirname(target), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      const notFolder = error.code === 'EEXIST' || error.code === 'ENOTDIR';
      throw new OutputError('output-unwritable', outDir, notFolder ? `\`${error.path ?? dirname(target)}\` is a file, not a folder` : error.message);
    });
    const lock = await acquireLock(target, outDir);
    try {
      await removeAbandoned(target);
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
    } catch (error) {
      await rm(lock, { force: true });
      throw new OutputError('output-unwritable', outDir, (error as Error).message);
    }
    const output = new StagedOutput(target, staging, options.keep);
    output.lock = lock;
    return output;
  }

  private async release(): Promise<void> {
    if (this.lock) await rm(this.lock, { force: true });
    this.lock = undefined;
  }

  /** Write into a staging folder another thread opened (a render worker); only that thread commits. */
  static attach(staging: string, options: { reuseFrom?: string; seeded?: boolean; recycled?: boolean } = {}): StagedOutput {
    const output = new StagedOutput('', staging);
    output.reuseFrom = options.reuseFrom;
    if (options.seeded) output.seedDir = seedPath(staging);
    // A thread attaches once the opening thread has settled the recycled folder.
    if (options.recycled) output.recycled = 'settled';
    return output;
  }

  /**
   * The staging folder, when it is a recycled one that settle has sorted out: a file there may
   * already have the bytes a write brings (see write). Undefined otherwise.
   */
  get recycledStaging(): string | undefined {
    return this.recycled === 'settled' ? this.staging : undefined;
  }

  /**
   * The staging folder is a recycled one, whose stale files settle leaves (see settle): a write
   * or a link that finds one replaces it.
   */
  get replaces(): boolean {
    return this.recycled !== 'no';
  }

  /**
   * From now on, a file written with the same bytes as the current output's file at its path is
   * linked from it instead (kept: same inode and modification time), not written: an incremental
   * build renders a page whose inputs changed, but some of its files may not change with them
   * (the reversed-URL stub of a pair shows only the title). Creating a file costs far more than
   * reading one here (0.5 ms against 0.05 ms on the development machine's disk).
   */
  reuseUnchanged(): void {
    this.reuseFrom = this.target;
  }

  /*
   * Recycling. A commit keeps the output it replaces as `.<out>.previous` instead of removing it
   * (removing the 85,000 files of ten languages' SIP pages took 1.1 s, most of an edit's commit),
   * and the next build takes that folder over as its staging folder: most of its files are
   * already the right ones, so they are neither linked again nor removed after the swap. Only
   * three kinds of change are made in it: a file is unlinked, linked from the current output, or
   * created new (never opened for writing: a file there may be a link of the current output's,
   * which must not change before the swap). A build killed meanwhile leaves it as an abandoned
   * staging folder, removed by the next build; the current output is never touched.
   */

  /**
   * Take the previous output kept by the last commit as the staging folder (still empty). True
   * when there was one: its files are then what that output had, until `settle` says which stay.
   */
  recyclePrevious(listing?: Listing): boolean {
    if (this.recycled !== 'no' || this.written || this.kept || this.made.size) throw new Error('recyclePrevious: the staging folder is already in use');
    const previous = previousPath(this.target);
    if (!existsSync(previous)) return false;
    try {
      // The listing is of this folder when it is the one listed: a build since (there is none now,
      // this one holds the lock) would have replaced it, never changed it where it is.
      if (listing && folderId(statSync(previous, { bigint: true })) === listing.folder) this.listing = listing;
      rmdirSync(this.staging);
      renameSync(previous, this.staging);
    } catch {
      mkdirSync(this.staging, { recursive: true });
      return false;
    }
    this.recycled = 'untouched';
    return true;
  }

  /**
   * Of a recycled staging folder, keep the files at `paths` (those already with the bytes of this
   * build), leave those the build will have (`wanted`: written or linked again, each replacing
   * the stale file when it comes to it), and unlink every other file, and the folders left empty.
   * Returns the paths kept that were there (`paths` itself when every one was: a build tells
   * which they are without a set of 85,000 paths); they count as kept. Nothing happens to a
   * staging folder that was not recycled.
   *
   * The stale files of paths the build writes or links are not unlinked here but where the new
   * file is made (a write or a link that finds one unlinks it first): on the rendering threads and
   * on the thread that links, while pages are rendered, instead of before rendering starts. An
   * unlink that frees a file took 0.2 ms on the development machine, 0.7 s for an edit's 3,000.
   */
  settle<Paths extends Pick<ReadonlySet<string>, 'has' | 'size'>>(paths: Paths, wanted: (path: string) => boolean): Paths | ReadonlySet<string> {
    if (this.recycled !== 'untouched') return new Set();
    this.recycled = 'settled';
    const found: string[] = [];
    const keep = (path: string) => {
      if (!paths.has(path)) return wanted(path);
      found.push(path);
      return true;
    };
    if (this.listing) sweepListed(this.staging, this.listing, keep);
    else sweep(this.staging, keep);
    this.listing = undefined;
    this.kept += found.length;
    // Usually every one is there: no second set of 85,000 paths is made then.
    return found.length === paths.size ? paths : new Set(found);
  }

  /*
   * Seeding. A build that carries nothing over (a full build) leaves no previous output to
   * recycle, so the edit after it would link every file of the output into an empty staging
   * folder: 85,000 links for ten languages of SIP, 1.4 s of kernel time on the development
   * machine, on the cores that render. Instead, such a build links each file it writes into a
   * second folder as well, the seed, while it renders; the commit keeps the seed as
   * `.<out>.previous`, a folder with the new output's files, which the next build recycles. A
   * file missing from the seed (a link that failed) costs the next build a link, nothing more:
   * `settle` keeps only the files it finds there.
   */

  /** Link every file written from now on into the seed as well (this thread and the workers told `seeded`). */
  seed(): void {
    if (this.written || this.kept) throw new Error('seed: files were written before');
    this.seedDir = seedPath(this.staging);
    removeTree(this.seedDir);
    mkdirSync(this.seedDir);
  }

  get seeded(): boolean {
    return this.seedDir !== undefined;
  }

  /** Make a folder of the staging tree once (and its parents). */
  private folder(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  /*
   * Carrying files over is done by a thread of its own when there are many (an edit of one code
   * keeps 16,658 of 17,108 files): the links are made while the pages are rendered, instead of
   * before (0.2 s of a 2 s rebuild on the two-core development machine). A few are linked here.
   * Pages are written by the thread that renders them (see `write`).
   */

  /**
   * Carry files of the previous output over into the staging folder unchanged, as hard links
   * (the same inode, so the file is not rewritten; a copy where the file system cannot link).
   * Resolves to the paths the previous output does not have, which must then be written. The
   * caller may render meanwhile: the links are made on another thread when there are many.
   */
  async keepFiles(paths: readonly string[]): Promise<string[]> {
    const linking = paths.length >= StagedOutput.LINKS_ON_A_THREAD ? linkOnAThread(this.target, this.staging, paths, this.replaces) : Promise.resolve(linkFiles(LINK_FS, PATH, this.target, this.staging, paths, this.made, this.replaces));
    // Commit and abort wait for it: the thread must not link into a folder being swapped or removed.
    this.linking.add(linking.catch(() => undefined));
    const missing = await linking;
    this.kept += paths.length - missing.length;
    return missing.sort();
  }

  /** Undo `keepFiles` for these paths (a page that must be written again, all its files). */
  async unkeep(paths: readonly string[]): Promise<void> {
    for (const path of paths) unlinkSync(join(this.staging, path));
    this.kept -= paths.length;
  }

  /** From how many files on, `keepFiles` links them on a thread of its own (starting one takes ~30 ms). */
  static readonly LINKS_ON_A_THREAD = 2000;

  /**
   * From how many files in the new output on, a commit leaves the folders it no longer needs (the
   * output replaced and the previous one, after a build that kept nothing) to a process of their
   * own instead of removing them before it returns (see removeInBackground).
   */
  static readonly REMOVED_IN_BACKGROUND = 2000;

  /** Every file of the current output, as paths relative to it (`/` between folders); none when there is no output. */
  filesInTarget(): Set<string> {
    const files = new Set<string>();
    const walk = (dir: string, prefix: string) => {
      for (const entry of entriesOf(dir) ?? []) {
        if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else files.add(`${prefix}${entry.name}`);
      }
    };
    walk(this.target, '');
    return files;
  }

  /** Whether every one of these files is in the current output. */
  async allInTarget(paths: readonly string[]): Promise<boolean> {
    const files = this.filesInTarget();
    return paths.every((path) => files.has(path));
  }

  /**
   * Replace one file of the current output directly (a new file renamed over the old one, so a
   * reader sees the old bytes or the new): for a build that changes no page but its manifest.
   */
  async replaceInTarget(path: string, content: string): Promise<void> {
    const full = join(this.target, path);
    const temporary = `${full}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(temporary, content);
      await rename(temporary, full);
    } catch (error) {
      await rm(temporary, { force: true });
      throw this.unwritable(error);
    }
  }

  /**
   * Write a file, on this thread, before `write` returns (or, after writeOnAThread, hand it to the
   * thread that makes the files: it is there once `flush` returns): never over an existing file
   * (in a recycled staging folder it could be a link of the current output's): a stale file left
   * there by settle is unlinked and the file made anew (see makeFile). With a seed, the file is
   * linked into it.
   * A file of the same bytes as in the output reused is linked from there instead (`before`: its
   * text, when the caller has read it).
   *
   * In a recycled staging folder, the stale file at the path may have the bytes already: it is
   * then left as it is, neither unlinked nor made again. A pair's reversed-URL stub shows only the
   * title, so a one-code edit renders ~750 pages whose stubs are as they were two builds ago;
   * unlinking each and linking the output's took ~0.18 ms a stub on the development machine,
   * reading and comparing it ~0.03 ms (when it is in memory: `staged` is its text when the caller
   * has read it, null when there is none). A file whose current text the caller read (`before`: a
   * page's Markdown and HTML) and found changed is not looked at: it is rarely as it was two
   * builds ago, and measuring its length cost more than it saved.
   *
   * Not through Node's thread pool: there a file took three hops (open, write, close), each
   * waiting for this thread to take its turn between pages, and cost this thread ~30 µs more of
   * CPU time than making it here. Written here, a one-code edit's 1,500 files took 0.34–0.46 s
   * instead of 0.81–0.85 s, and a ten-language cold build on two render threads was 20–25% faster.
   * A thread of the writer's own (writeOnAThread) takes the file whole and is never waited for
   * between pages: see src/emit/write-thread.ts.
   */
  async write(path: string, content: string, before?: string, staged?: string | null): Promise<void> {
    const full = join(this.staging, path);
    if (before === undefined && this.recycled === 'settled' && (staged === undefined ? sameBytes(full, content) : staged === content)) {
      this.kept++;
      return;
    }
    if (this.reuseFrom !== undefined && this.sameAsBefore(path, content, before)) return;
    this.folder(dirname(full));
    const file: FileToMake = [full, content, this.replaces, this.seedDir === undefined ? undefined : this.seedFolder(path)];
    if (!this.writer) makeFile(FILE_FS, file);
    else {
      try {
        await this.writer.write(file);
      } catch (error) {
        throw this.unwritable(error);
      }
    }
    this.written++;
  }

  /**
   * Make the file at `path` of the staging folder from `chunks`, one after the other, as `write`
   * makes a file (a stale one replaced, linked into the seed), on this thread, after `flush`:
   * for the build's state files, a line per file or page, which are never made whole in memory
   * (see src/emit/chunks.ts). Always written: they change with every build that writes anything.
   */
  writeChunks(path: string, chunks: Iterable<string>): void {
    if (this.writer) throw new Error(`${path}: written in chunks while files are made on a thread (flush first)`);
    const full = join(this.staging, path);
    try {
      this.folder(dirname(full));
      makeFile(FILE_FS, [full, chunks, this.replaces, this.seedDir === undefined ? undefined : this.seedFolder(path)]);
    } catch (error) {
      throw this.unwritable(error);
    }
    this.written++;
  }

  /**
   * Whether the file at `path` of the output reused has these bytes; if so, it is linked into the
   * staging folder. `known` is its text when the caller has just read it (a page's previous
   * Markdown and HTML, read for their pieces): compared as it is, unless its decoding replaced
   * bytes that were not UTF-8.
   */
  private sameAsBefore(path: string, content: string, known?: string): boolean {
    if (known !== undefined && !known.includes('\uFFFD')) {
      if (known !== content) return false;
    } else if (!sameBytes(join(this.reuseFrom!, path), content)) return false;
    if (linkFiles(LINK_FS, PATH, this.reuseFrom!, this.staging, [path], this.made, this.replaces).length) return false;
    this.kept++;
    return true;
  }

  /**
   * The file beside the staging folder that keeps the piece records render threads send until
   * they are done (see RecordSpill), or (`files`) the manifest's lines of a full build until it
   * is written: a killed build's is removed by the next (removeAbandoned).
   */
  recordSpill(kind: 'records' | 'files' = 'records'): RecordSpill {
    try {
      return new RecordSpill(`${this.staging}.${kind}`);
    } catch (error) {
      throw this.unwritable(error);
    }
  }

  /** What failed writing into this output, as the error a build reports. */
  unwritable(error: unknown): OutputError {
    return new OutputError('output-unwritable', this.target, (error as Error).message);
  }

  /** The thread that makes the files written, when there is one (see writeOnAThread). */
  private writer: WriteThread | undefined;

  /**
   * From now on, files written are made on a thread of their own (see src/emit/write-thread.ts),
   * until `flush`: for the main thread when it renders the pages itself.
   */
  writeOnAThread(): void {
    this.writer ??= new WriteThread();
  }

  /** Wait until every file written is made (before anything reads the staging folder); a file that could not be made fails here. */
  async flush(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    try {
      await writer?.close();
    } catch (error) {
      throw this.unwritable(error);
    }
  }

  /**
   * Where the file at `path` is linked into the seed, its folder made; undefined when the folder
   * cannot be made there (the file is then left out of the seed: the next build links it from
   * the output instead).
   */
  private seedFolder(path: string): string | undefined {
    const to = join(this.seedDir!, path);
    try {
      this.folder(dirname(to));
      return to;
    } catch {
      return undefined;
    }
  }

  /**
   * Swap the staging folder in place of the target. The old output is kept as the next build's
   * staging folder when this build carried files over from it (see recyclePrevious); otherwise
   * (a full build: it shares nothing with the new one) it is removed, and the seed kept in its
   * place when there is one. Returns where the folder kept is, and whether it is the seed (its
   * files are then the new output's).
   */
  async commit(): Promise<{ kept: string; seed: boolean } | undefined> {
    await Promise.all(this.linking);
    await this.flush();
    const old = `${this.staging}.old`;
    const hadTarget = await exists(this.target);
    try {
      // Copied, not moved: a build killed here must leave the previous output whole.
      for (const name of hadTarget ? this.keep : []) {
        if ((await exists(join(this.target, name))) && !(await exists(join(this.staging, name)))) {
          await cp(join(this.target, name), join(this.staging, name), { recursive: true });
        }
      }
      // One after the other on this thread, with nothing between them: between the two the output
      // folder is missing (a build killed there leaves it as `.old`, put back by the next build,
      // see removeAbandoned). Two awaited renames left that gap open for as long as this thread
      // waited for its turn between them (a kill at 0.95 of a build in a loaded test run landed in it).
      if (hadTarget) renameSync(this.target, old);
      renameSync(this.staging, this.target);
    } catch (error) {
      if (hadTarget) await rename(old, this.target).catch(() => undefined);
      if (this.seedDir !== undefined) removeTree(this.seedDir);
      await this.release();
      throw this.unwritable(error);
    }
    const kept = this.keepAsPrevious(hadTarget ? old : undefined);
    await this.release();
    return kept;
  }

  private keepAsPrevious(old: string | undefined): { kept: string; seed: boolean } | undefined {
    const previous = previousPath(this.target);
    const keeping = this.kept > 0 && old !== undefined ? old : this.seedDir;
    // The previous one when it was not recycled (a build that kept nothing), and what is not kept.
    const unneeded = [previous, ...[old, this.seedDir].filter((folder) => folder !== undefined && folder !== keeping)] as string[];
    if (this.written + this.kept < StagedOutput.REMOVED_IN_BACKGROUND) unneeded.forEach(removeTree);
    else removeInBackground(unneeded.flatMap((folder, i) => putAside(folder, `${trashPrefix(this.target)}${process.pid}-${i}`)));
    if (keeping === undefined) return undefined;
    try {
      renameSync(keeping, previous);
      return { kept: previous, seed: keeping === this.seedDir };
    } catch {
      return void removeTree(keeping);
    }
  }

  async abort(): Promise<void> {
    await Promise.allSettled(this.linking);
    await this.writer?.stop();
    this.writer = undefined;
    if (this.seedDir !== undefined) await rm(this.seedDir, { recursive: true, force: true, maxRetries: 5 });
    if (this.recycled === 'untouched') {
      // Nothing was changed in it: it stays the previous output for the next build.
      try {
        renameSync(this.staging, previousPath(this.target));
        return await this.release();
      } catch {
        // Removed below, like any staging folder.
      }
    }
    await rm(this.staging, { recursive: true, force: true, maxRetries: 5 });
    await this.release();
  }
}

/**
 * Whether the file at `full` has the bytes of `content` (false when there is none). Most files of
 * a page rendered again have another length: a look at the size spares reading them.
 */
function sameBytes(full: string, content: string): boolean {
  if (statSync(full, { throwIfNoEntry: false })?.size !== Buffer.byteLength(content)) return false;
  try {
    return readFileSync(full).equals(Buffer.from(content));
  } catch {
    return false;
  }
}

/** `<staging>.seed`: the folder a full build links its files into for the next build (see StagedOutput.seed). */
const seedPath = (staging: string) => `${staging}.seed`;

/**
 * Link `paths` of `target` into `staging` (making folders once, `made`); a copy where the file
 * system cannot link. Returns the paths `target` does not have. With `replace`, a file already at
 * a path (a stale one of a recycled folder, see settle) is unlinked and the link made anew. The
 * file system and path functions are parameters, so the function's own text can run on another
 * thread (see linkOnAThread): it names nothing outside itself.
 */
function linkFiles(fs: LinkFs, path: Pick<typeof import('node:path'), 'dirname' | 'join'>, target: string, staging: string, paths: readonly string[], made: Set<string>, replace: boolean): string[] {
  const missing: string[] = [];
  for (const file of paths) {
    const from = path.join(target, file);
    const to = path.join(staging, file);
    const dir = path.dirname(to);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(from, to);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' && replace && attempt === 0) {
          fs.unlinkSync(to);
          continue;
        }
        if (code === 'ENOENT') missing.push(file);
        else if (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP' || code === 'EMLINK') {
          // COPYFILE_EXCL (1): never over a file, which could be a link of the current output's.
          if (replace) fs.rmSync(to, { force: true });
          fs.copyFileSync(from, to, 1);
        } else throw error;
      }
      break;
    }
  }
  return missing;
}

const FILE_FS = { writeFileSync, unlinkSync, linkSync, openSync, closeSync };

type LinkFs = { copyFileSync: typeof copyFileSync; linkSync: typeof linkSync; mkdirSync: typeof mkdirSync; unlinkSync: typeof unlinkSync; rmSync: typeof rmSync };
const LINK_FS: LinkFs = { copyFileSync, linkSync, mkdirSync, unlinkSync, rmSync };
const PATH = { dirname, join };

/**
 * `linkFiles` on a thread of its own, given its own text (CommonJS): it runs the same from the
 * compiled package and from the TypeScript sources the tests import.
 */
function linkOnAThread(target: string, staging: string, paths: readonly string[], replace: boolean): Promise<string[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const linkFiles = ${linkFiles.toString()};
    const { target, staging, paths, replace } = workerData;
    parentPort.postMessage(linkFiles(require('node:fs'), require('node:path'), target, staging, paths, new Set(), replace));
  `;
  return new Promise((resolvePromise, reject) => {
    let missing: string[] | undefined;
    const worker = codeThread(code, { target, staging, paths, replace });
    worker.on('message', (message: string[]) => (missing = message));
    worker.on('error', reject);
    worker.on('exit', (exitCode) => (missing ? resolvePromise(missing) : reject(new Error(`the thread that links kept files exited with code ${exitCode}`))));
  });
}

/**
 * Unlink every file under `dir` that `keep` does not keep (it is given the path relative to
 * `dir`, `/` between folders), and every folder below `dir` left empty; synchronously: the files
 * are mostly links of another output's, and removing them one call each on this thread took
 * half the time of `fs.rm` (which hands each to the thread pool). True when `dir` is left empty,
 * false when it keeps something or cannot be read (it is not there).
 */
function sweep(dir: string, keep: (path: string) => boolean, prefix = ''): boolean {
  const entries = entriesOf(dir);
  if (!entries) return false;
  let empty = true;
  for (const entry of entries) {
    // Not path.join: it normalizes each of 85,000 paths, and `dir` is one already.
    const full = `${dir}/${entry.name}`;
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      if (sweep(full, keep, `${path}/`)) rmdirSync(full);
      else empty = false;
    } else if (keep(path)) empty = false;
    else unlinkSync(full);
  }
  return empty;
}

/**
 * A folder's files and its folders that have nothing in them (paths relative to it, `/` between
 * folders), and its identity (device and inode) when it was listed.
 */
export interface Listing {
  folder: string;
  files: readonly string[];
  empty: readonly string[];
}

const folderId = (stats: { dev: bigint; ino: bigint }) => `${stats.dev}:${stats.ino}`;

/**
 * List `dir` as `sweep` walks it, with its device and inode (see folderId); undefined when it
 * cannot be read. Paths are joined with NUL (no file name has one), so that a thread posts two
 * strings, not 85,000.
 */
function listTree(fs: { statSync: typeof statSync; readdirSync: typeof readdirSync }, dir: string): { dev: bigint; ino: bigint; files: string; empty: string } | undefined {
  const files: string[] = [];
  const empty: string[] = [];
  const walk = (full: string, prefix: string) => {
    const entries = fs.readdirSync(full, { withFileTypes: true });
    if (entries.length === 0 && prefix) empty.push(prefix.slice(0, -1));
    for (const entry of entries) {
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(`${full}/${entry.name}`, `${path}/`);
      else files.push(path);
    }
  };
  try {
    const { dev, ino } = fs.statSync(dir, { bigint: true });
    walk(dir, '');
    return { dev, ino, files: files.join('\0'), empty: empty.join('\0') };
  } catch {
    return undefined;
  }
}

/**
 * The previous output kept for the next build to recycle (see recyclePrevious), listed on a thread
 * of its own: started while the build loads its inputs, the walk of its 85,000 files (ten
 * languages of SIP; ~0.15 s on the development machine) is not on the build's way when it
 * settles the folder. Undefined when there is none or it could not be listed; given to
 * recyclePrevious, which uses it only if it is still the folder listed.
 */
export function listRecyclable(outDir: string): Promise<Listing | undefined> {
  const dir = previousPath(resolve(outDir));
  if (!existsSync(dir)) return Promise.resolve(undefined);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const listTree = ${listTree.toString()};
    parentPort.postMessage(listTree(require('node:fs'), workerData));
  `;
  return new Promise((resolvePromise) => {
    const worker = codeThread(code, dir);
    const split = (text: string) => (text === '' ? [] : text.split('\0'));
    worker.on('message', (listed: ReturnType<typeof listTree>) => resolvePromise(listed && { folder: folderId(listed), files: split(listed.files), empty: split(listed.empty) }));
    worker.on('error', () => resolvePromise(undefined));
    worker.on('exit', () => resolvePromise(undefined));
  });
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * `sweep` over a listing of `dir` instead of a walk: unlink every file listed that `keep` does
 * not keep (a file gone since it was listed is passed over), then remove the folders left empty,
 * the deepest first: those listed empty and those a file was unlinked from, and the parent of
 * each removed. A folder with something in it is not removed (rmdir says so).
 */
function sweepListed(dir: string, listing: Listing, keep: (path: string) => boolean): void {
  const byDepth = new Map<number, Set<string>>();
  const mayBeEmpty = (folder: string) => {
    if (!folder) return;
    const depth = folder.split('/').length;
    if (!byDepth.has(depth)) byDepth.set(depth, new Set());
    byDepth.get(depth)!.add(folder);
  };
  for (const folder of listing.empty) mayBeEmpty(folder);
  for (const path of listing.files) {
    if (keep(path)) continue;
    try {
      unlinkSync(`${dir}/${path}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    mayBeEmpty(parentOf(path));
  }
  for (let depth = Math.max(0, ...byDepth.keys()); depth > 0; depth--) {
    for (const folder of byDepth.get(depth) ?? []) {
      try {
        rmdirSync(`${dir}/${folder}`);
        mayBeEmpty(parentOf(folder));
      } catch {
        // Something is left in it: it stays, and so do its parents.
      }
    }
  }
}

/** Remove a folder and everything in it (see sweep); nothing when it is not there. */
function removeTree(dir: string): void {
  if (sweep(dir, () => false)) rmdirSync(dir);
}

/** `.<out>.trash-`: the names of folders put aside for a remover (see removeInBackground). */
const trashPrefix = (target: string) => `.${basename(target)}.trash-`;

/** Rename a folder to `name` beside it, to be removed later: its new path, or none when it is not there (removed now if it cannot be renamed). */
function putAside(folder: string, name: string): string[] {
  const to = join(dirname(folder), name);
  try {
    renameSync(folder, to);
    return [to];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') removeTree(folder);
    return [];
  }
}

/**
 * Remove folders in a detached process of the lowest priority, so that the build does not wait
 * for it: after a build that kept nothing (every page changed, a new version of the tool,
 * `--force`), the output it replaced and the previous one are 170,000 files for ten languages of
 * SIP, whose removal took 10–21 s of such a build's 35–57 s on the development machine. A folder
 * still there when the next build starts (the remover was killed, or is not done) is handed to a
 * remover again; two removing the same folder only skip what the other removed. Where no process
 * can be started, the folders are removed here.
 */
function removeInBackground(folders: string[]): void {
  if (!folders.length) return;
  try {
    const remover = spawn(process.execPath, ['-e', REMOVER, ...folders], { detached: true, stdio: 'ignore' });
    remover.on('error', () => folders.forEach(removeTree));
    if (remover.pid !== undefined) {
      try {
        setPriority(remover.pid, 19);
      } catch {
        // It removes all the same.
      }
    }
    remover.unref();
  } catch {
    folders.forEach(removeTree);
  }
}

/** The remover's program: `node -e` gives it the folders from `process.argv[1]` on. */
const REMOVER = `for (const dir of process.argv.slice(1)) require('node:fs').rmSync(dir, { recursive: true, force: true, maxRetries: 5 });`;

/** The entries of a folder, or undefined when it cannot be read (it is not there). */
function entriesOf(dir: string): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
}
