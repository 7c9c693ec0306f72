/**
 * Run one worker thread per input and hand every message it posts to `onMessage`. Resolves when
 * all threads exit cleanly; on the first failure (a thread error, a non-zero exit, or
 * `onMessage` throwing) stops the other threads before rejecting, so none of them keeps writing
 * into a folder the caller is about to remove.
 */
import { Worker } from 'node:worker_threads';

export async function runWorkers<Input, Message>(
  url: URL,
  inputs: Input[],
  onMessage: (message: Message, index: number) => void,
  name = 'worker',
): Promise<void> {
  const workers: Worker[] = [];
  const runs = inputs.map(
    (input, index) =>
      new Promise<void>((resolvePromise, reject) => {
        const worker = new Worker(url, { workerData: input });
        workers.push(worker);
        worker.on('message', (message: Message) => {
          try {
            onMessage(message, index);
          } catch (error) {
            reject(error);
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${name} thread exited with code ${code}`))));
      }),
  );
  try {
    await Promise.all(runs);
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
}
