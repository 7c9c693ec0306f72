/**
 * Files made on a thread of their own: the main thread, when it renders an edit's pages, hands
 * each file it writes to this one (eight files a message, which copies their text) and goes on
 * to the next page instead of waiting for the file system (an edit's 1,500 files took it ~0.25 s: creating
 * each file, encoding its text to UTF-8, unlinking the stale file it replaces). Unlike Node's
 * thread pool, nothing comes back per file but a count now and then: the files are made in the
 * order given, and the first that could not be made fails the next write or the close.
 *
 * On the two-core development machine a one-code edit of ten languages (750 pages, 1,500 files)
 * took 1.96–1.97 s instead of 1.98–2.06 s (medians of 12 edits each, interleaved, in two runs;
 * the main thread's write time fell from ~0.27 s to ~0.07 s, its render time rose by ~0.05 s:
 * the other core is busier).
 * Render threads (a large build) write their own files: every core is busy there.
 */
import type { Worker } from 'node:worker_threads';
import { codeThread } from './code-thread.js';

/** A file to make: its full path, its text, whether an existing file there is replaced, and the path to link it to as well. */
export type FileToMake = [full: string, content: string, replaces: boolean, linkTo: string | undefined];

/** What the thread reports: how many files it has dealt with so far, and the first it could not make. */
interface Report {
  made: number;
  failure?: { path: string; message: string };
}

/**
 * Files handed over and not yet made, at most: past this, `write` waits for the thread (a slow
 * disk must not fill memory with pages: a build of 28,510 pages on the main thread hands over
 * 85,524 files). Reports come every REPORT_EVERY files.
 */
export const IN_FLIGHT = 256;
const REPORT_EVERY = 32;
/** Files sent to the thread in one message. */
const BATCH = 8;

/**
 * Make one file as StagedOutput.write does: never over an existing file (it may be a link of
 * the current output's): when one is there and may be replaced, it is unlinked and the file made
 * anew. Then linked to `linkTo` when given (a failure there only leaves the link out).
 */
export function makeFile(
  fs: Pick<typeof import('node:fs'), 'writeFileSync' | 'unlinkSync' | 'linkSync' | 'openSync' | 'closeSync'>,
  [full, content, replaces, linkTo]: [full: string, content: string | Iterable<string>, replaces: boolean, linkTo: string | undefined],
): void {
  // Chunks (see src/emit/chunks.ts) are written one after the other: the file is opened first,
  // so a chunk is made only once the file can be.
  const make = () => {
    if (typeof content === 'string') return fs.writeFileSync(full, content, { flag: 'wx' });
    const fd = fs.openSync(full, 'wx');
    try {
      for (const chunk of content) fs.writeFileSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
  };
  try {
    make();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !replaces) throw error;
    fs.unlinkSync(full);
    make();
  }
  if (linkTo === undefined) return;
  try {
    fs.linkSync(full, linkTo);
  } catch {
    // The next build links it from the output instead.
  }
}

export class WriteThread {
  private readonly worker: Worker;
  private failure: Report['failure'];
  private readonly ended: Promise<void>;
  private exited = false;
  private handed = 0;
  /** Files handed over, not yet sent to the thread. */
  private batch: FileToMake[] = [];
  private made = 0;
  private most = 0;
  /** Resolves the wait of a `write` that found too many files in flight. */
  private waiting: (() => void) | undefined;

  constructor() {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const fs = require('node:fs');
      const makeFile = ${makeFile.toString()};
      let made = 0;
      let failure;
      parentPort.on('message', (files) => {
        if (files === null) {
          parentPort.postMessage({ made, failure });
          // Nothing more comes: the thread ends once the report is sent.
          return parentPort.close();
        }
        for (const file of files) {
          // After a failure the build fails: the files after it are counted, not made.
          if (failure === undefined) {
            try {
              makeFile(fs, file);
            } catch (error) {
              failure = { path: file[0], message: error.message };
            }
          }
          if (++made % ${REPORT_EVERY} === 0) parentPort.postMessage({ made, failure });
        }
      });
    `;
    this.worker = codeThread(code, undefined);
    this.worker.on('message', (report: Report) => {
      this.made = report.made;
      this.failure ??= report.failure;
      this.wake();
    });
    this.ended = new Promise((resolvePromise) => {
      this.worker.on('error', (error: Error) => (this.failure ??= { path: '', message: error.message }));
      this.worker.on('exit', () => {
        this.exited = true;
        this.wake();
        resolvePromise();
      });
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /**
   * Hand over a file to make (see makeFile); waits first while IN_FLIGHT files are still to be
   * made. Throws when the thread failed (the files are then not made).
   */
  async write(file: FileToMake): Promise<void> {
    while (this.handed - this.made >= IN_FLIGHT && !this.exited && this.failure === undefined) {
      this.send();
      await new Promise<void>((resolvePromise) => (this.waiting = resolvePromise));
    }
    if (this.failure !== undefined || this.exited) throw this.error();
    this.batch.push(file);
    this.handed++;
    this.most = Math.max(this.most, this.handed - this.made);
    if (this.batch.length >= BATCH) this.send();
  }

  /** Hand the files gathered over in one message. */
  private send(): void {
    if (this.batch.length === 0) return;
    this.worker.postMessage(this.batch);
    this.batch = [];
  }

  /** The most files handed over and not yet reported made, at any time (at most IN_FLIGHT). */
  get mostInFlight(): number {
    return this.most;
  }

  /** Wait until every file handed over is made; throws the first that could not be. */
  async close(): Promise<void> {
    this.send();
    this.worker.postMessage(null);
    await this.ended;
    if (this.failure !== undefined || this.made < this.handed) throw this.error();
  }

  private error(): Error {
    return Object.assign(new Error(this.failure?.message ?? `the thread that makes the files stopped with ${this.handed - this.made} of them not made`), { path: this.failure?.path });
  }

  /** Stop at once (the build failed): what was not made yet is not. */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
