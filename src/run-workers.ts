/**
 * Worker threads that talk in messages: `startThread` starts one and hands what it posts to a
 * listener, given later if need be (a render thread starts loading the inputs before the build
 * knows its pages); `runWorkers` runs one thread per input to its end. A thread fails when it
 * throws, exits with another code than 0, or its listener throws; the caller decides what
 * happens to the other threads then.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** A thread started by startThread. */
export interface Thread<Message, Command> {
  /** Hand each message the thread posts to `handler` (those posted before are handed over at once); one that throws fails the thread's run. */
  listen(handler: (message: Message) => void): void;
  /** Post a message to the thread. */
  give(message: Command): void;
  /** Settles when the thread has exited: rejected when it failed, or was stopped. */
  readonly exited: Promise<void>;
  /** Stop the thread, whatever it is doing. */
  stop(): Promise<void>;
}

export interface ThreadOptions<Message> {
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  /** What the thread is called in the error of a non-zero exit ("render worker thread exited with code 1"). */
  name?: string;
  /**
   * The message that says the thread did all it had to: when given, a thread that exits 0
   * without having posted one fails (it ended before its work was done).
   */
  finished?: (message: Message) => boolean;
  /** The error a failure of the thread is reported as (a thread out of memory, say). */
  failure?: (error: Error & { code?: string }) => unknown;
}

/** Start a thread of the module at `url` (see Thread). */
export function startThread<Message, Command = never>(url: URL, options: ThreadOptions<Message> = {}): Thread<Message, Command> {
  const { name = 'worker', finished, failure = (error) => error } = options;
  const worker = new Worker(url, { workerData: options.workerData, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) });
  // What the thread says before it is listened to is kept for the listener.
  const early: Message[] = [];
  let handler: (message: Message) => void = (message) => void early.push(message);
  let done = finished === undefined;
  let fail!: (error: unknown) => void;
  const exited = new Promise<void>((resolvePromise, reject) => {
    fail = reject;
    worker.on('message', (message: Message) => {
      if (finished?.(message)) done = true;
      try {
        handler(message);
      } catch (error) {
        reject(error);
      }
    });
    worker.on('error', (error: Error & { code?: string }) => reject(failure(error)));
    worker.on('exit', (code) => (code !== 0 ? reject(new Error(`${name} thread exited with code ${code}`)) : done ? resolvePromise() : reject(new Error(`${name} thread ended before its work was done`))));
  });
  // Awaited by the caller where the thread's work is; a thread stopped unused is not a failure.
  exited.catch(() => undefined);
  return {
    listen: (listener) => {
      handler = listener;
      try {
        for (const message of early.splice(0)) listener(message);
      } catch (error) {
        fail(error);
      }
    },
    give: (message) => worker.postMessage(message),
    exited,
    stop: async () => void (await worker.terminate()),
  };
}

/**
 * Run one thread per input and hand every message it posts to `onMessage`. Resolves when all
 * threads exit cleanly; on the first failure (a thread error, a non-zero exit, or `onMessage`
 * throwing) stops the other threads before rejecting, so none of them keeps writing into a
 * folder the caller is about to remove.
 */
export async function runWorkers<Input, Message>(url: URL, inputs: Input[], onMessage: (message: Message, index: number) => void, name = 'worker'): Promise<void> {
  const threads = inputs.map((input) => startThread<Message>(url, { workerData: input, name }));
  threads.forEach((thread, index) => thread.listen((message) => onMessage(message, index)));
  try {
    await Promise.all(threads.map((thread) => thread.exited));
  } catch (error) {
    await Promise.all(threads.map((thread) => thread.stop()));
    throw error;
  }
}
