/**
 * Atomic output: pages are written into a fresh staging folder beside the output folder, which
 * replaces the old output only when the whole build succeeded. A failed or interrupted build
 * leaves the previous output exactly as it was. A lock file beside the output folder keeps two
 * builds from writing the same output at once.
 *
 * Folders another command writes into the output (the knowledge base, `kb/`) can be named to
 * `keep`: a commit copies them from the previous output unless the new one has its own.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { cp, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

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

/** Staging folders left by builds that were killed (their process is gone). */
async function removeAbandoned(target: string): Promise<void> {
  const prefix = `.${basename(target)}.staging-`;
  const names = (await readdir(dirname(target)).catch(() => [] as string[])).sort();
  // A build killed between the two renames of its commit left the previous output as `.old`.
  if (!(await exists(target))) {
    const previous = names.find((name) => name.startsWith(prefix) && name.endsWith('.old') && !isRunning(Number(name.slice(prefix.length, -4))));
    if (previous) await rename(join(dirname(target), previous), target);
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length).replace(/\.old$/, ''));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) {
      await rm(join(dirname(target), name), { recursive: true, force: true, maxRetries: 5 });
    }
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

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
  /** Writes in flight; each removes itself when done. */
  private readonly pending = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private readonly keep: readonly string[];
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
  static attach(staging: string): StagedOutput {
    return new StagedOutput('', staging);
  }

  /** Make a folder of the staging tree once (and its parents). */
  private folder(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  /*
   * Carrying files over and checking that they exist are synchronous: on this two-core virtual
   * machine, handing each of 17,000 links or stats to a pool thread and back cost more than the
   * system calls, and the build has nothing to do meanwhile. Page writes stay asynchronous: a
   * write may wait on the disk's write-back, and rendering goes on meanwhile (written in turn
   * on the rendering thread, the English SIP build took 1.5 s longer).
   */

  /**
   * Carry files of the previous output over into the staging folder unchanged, as hard links
   * (the same inode, so the file is not rewritten; a copy where the file system cannot link).
   * Returns the paths the previous output does not have, which must then be written.
   */
  async keepFiles(paths: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const path of paths) {
      const from = join(this.target, path);
      const to = join(this.staging, path);
      this.folder(dirname(to));
      try {
        linkSync(from, to);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          missing.push(path);
          continue;
        }
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
        copyFileSync(from, to);
      }
      this.kept++;
    }
    return missing.sort();
  }

  /** Undo `keepFiles` for these paths (a page that must be written again, all its files). */
  async unkeep(paths: readonly string[]): Promise<void> {
    for (const path of paths) rmSync(join(this.staging, path), { force: true });
    this.kept -= paths.length;
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
      throw new OutputError('output-unwritable', this.target, (error as Error).message);
    }
  }

  /** Whether every one of these files is in the current output. */
  async allInTarget(paths: readonly string[]): Promise<boolean> {
    return paths.every((path) => existsSync(join(this.target, path)));
  }

  /**
   * Queue a file; at most `limit` writes are in flight at once. The caller goes on as soon as
   * one of them is done (a sliding window, not batches), so rendering overlaps writing. A
   * write that failed is thrown by the next `write` or `flush`.
   */
  async write(path: string, content: string, limit = 32): Promise<void> {
    const full = join(this.staging, path);
    const task: Promise<void> = (async () => {
      this.folder(dirname(full));
      await writeFile(full, content);
      this.written++;
    })().then(
      () => void this.pending.delete(task),
      (error: unknown) => {
        this.pending.delete(task);
        this.failure ??= { error };
      },
    );
    this.pending.add(task);
    if (this.pending.size >= limit) await Promise.race(this.pending);
    if (this.failure) throw this.failure.error;
  }

  /** Wait for every queued write; throw the first that failed. */
  async flush(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure.error;
  }

  /** Swap the staging folder in place of the target; the old output is removed afterwards. */
  async commit(): Promise<void> {
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
      if (hadTarget) await rename(this.target, old);
      await rename(this.staging, this.target);
    } catch (error) {
      if (hadTarget) await rename(old, this.target).catch(() => undefined);
      await this.release();
      throw new OutputError('output-unwritable', this.target, (error as Error).message);
    }
    if (hadTarget) await rm(old, { recursive: true, force: true });
    await this.release();
  }

  async abort(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await rm(this.staging, { recursive: true, force: true, maxRetries: 5 });
    await this.release();
  }
}
