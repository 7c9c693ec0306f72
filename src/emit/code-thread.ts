/**
 * Threads that run a few lines of CommonJS given as text (`eval`): the small helpers of the
 * writer (linking kept files, listing the folder to recycle, reading files ahead). Given as text,
 * they run the same from the compiled package, the bundle and the TypeScript sources the tests
 * import. Such a thread inherits the process's options, and `--input-type=module` (a script run
 * with `node --input-type=module -e`) would make its text a module, without `require`: that
 * option is left out, and so is `--v8-pool-size` (see `--jobs` in the README), which is the
 * process's and which a thread refuses.
 */
import { Worker } from 'node:worker_threads';

const PROCESS_ONLY = ['--input-type', '--v8-pool-size'];

export function codeThread(code: string, workerData: unknown): Worker {
  return new Worker(code, { eval: true, workerData, execArgv: process.execArgv.filter((arg) => !PROCESS_ONLY.some((option) => arg.startsWith(option))) });
}
