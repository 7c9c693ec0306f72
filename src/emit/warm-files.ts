/**
 * Files read into memory on a thread of its own, ahead of the thread that needs them. The pages an
 * edit renders again are read from the previous output (for their pieces) one after the other by
 * the thread that renders them (see renderJobs in src/build.ts); a file the machine has dropped
 * from memory since it was written then keeps that thread waiting for the disk. This thread reads
 * the same files in the same order meanwhile, into one buffer it reuses (nothing is kept), so
 * that the rendering thread finds them in memory.
 */
import { codeThread } from './code-thread.js';
import { closeSync, openSync, readSync } from 'node:fs';

/** Read each file at `paths` to its end, in order; a file that cannot be read is passed over. */
export function readThrough(fs: { openSync: typeof openSync; readSync: typeof readSync; closeSync: typeof closeSync }, paths: readonly string[]): void {
  const buffer = new Uint8Array(1 << 16);
  for (const path of paths) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, 'r');
      while (fs.readSync(fd, buffer, 0, buffer.length, null) === buffer.length);
    } catch {
      // Gone or unreadable: its reader will say so, or do without it.
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}

/**
 * Start reading `paths` on a thread of its own; returns a function that stops it (when what
 * needed the files is done). The thread never keeps the process alive, and its failure is
 * nobody's: the files are read again where they are needed.
 */
export function warmFiles(paths: readonly string[]): () => void {
  if (paths.length === 0) return () => undefined;
  const code = `
    const { workerData } = require('node:worker_threads');
    const readThrough = ${readThrough.toString()};
    readThrough(require('node:fs'), workerData.split('\\0'));
  `;
  const worker = codeThread(code, paths.join('\0'));
  worker.unref();
  worker.on('error', () => undefined);
  return () => void worker.terminate();
}
