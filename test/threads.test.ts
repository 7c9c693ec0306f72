/**
 * Worker threads that talk in messages (src/run-workers.ts): real threads, each running a small
 * module given as a data: URL.
 */
import { describe, expect, it } from 'vitest';
import { runWorkers, startThread } from '../src/run-workers.js';

/** A thread module of `code` (an ES module; `parentPort` and `workerData` are in scope). */
const module = (code: string) => new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort, workerData } from 'node:worker_threads';\n${code}`)}`);

type Message = { type: string; value?: unknown };

describe('startThread', () => {
  it('keeps what the thread posts before it is listened to, and hands it over in order when it is', async () => {
    const thread = startThread<Message>(module(`parentPort.postMessage({ type: 'loaded' }); parentPort.postMessage({ type: 'done' });`), { finished: (m) => m.type === 'done' });
    // The thread has long posted both messages and exited by now.
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 300));
    const heard: string[] = [];
    thread.listen((message) => heard.push(message.type));
    await thread.exited;
    expect(heard).toEqual(['loaded', 'done']);
  });

  it('takes the messages it is given and answers them', async () => {
    const thread = startThread<Message, Message>(module(`parentPort.on('message', (m) => { parentPort.postMessage({ type: 'done', value: m.value * 2 }); parentPort.close(); });`), { finished: (m) => m.type === 'done' });
    const heard: unknown[] = [];
    thread.listen((message) => heard.push(message.value));
    thread.give({ type: 'work', value: 21 });
    await thread.exited;
    expect(heard).toEqual([42]);
  });

  it('fails when the thread exits without saying it finished, exits with another code, throws, or its listener throws', async () => {
    const quiet = startThread<Message>(module(`parentPort.postMessage({ type: 'progress' });`), { name: 'test', finished: (m) => m.type === 'done' });
    quiet.listen(() => undefined);
    await expect(quiet.exited).rejects.toThrow('test thread ended before its work was done');

    const exiting = startThread<Message>(module(`process.exit(3);`), { name: 'test' });
    await expect(exiting.exited).rejects.toThrow('test thread exited with code 3');

    const throwing = startThread<Message>(module(`throw Object.assign(new Error('broken'), { code: 'E_TEST' });`), { failure: (error) => new Error(`reported: ${error.message}`) });
    await expect(throwing.exited).rejects.toThrow('reported: broken');

    // A listener that throws over a message kept from before it listened fails the run too.
    const early = startThread<Message>(module(`parentPort.postMessage({ type: 'bad' }); setTimeout(() => {}, 200);`));
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    early.listen(() => {
      throw new Error('listener refused it');
    });
    await expect(early.exited).rejects.toThrow('listener refused it');
    await early.stop();
  });

  it('without a finishing message, a clean exit is the end of the work', async () => {
    const thread = startThread<Message>(module(`parentPort.postMessage({ type: 'any' });`));
    thread.listen(() => undefined);
    await expect(thread.exited).resolves.toBeUndefined();
  });
});

describe('runWorkers', () => {
  it('runs a thread per input and hands each message over with its index', async () => {
    const heard: Array<[unknown, number]> = [];
    await runWorkers<number, Message>(module(`parentPort.postMessage({ type: 'square', value: workerData * workerData });`), [2, 3, 4], (message, index) => heard.push([message.value, index]));
    expect(heard.sort((a, b) => a[1] - b[1])).toEqual([
      [4, 0],
      [9, 1],
      [16, 2],
    ]);
  });

  it('stops the other threads when one fails, and rejects with its failure', async () => {
    // Input 0 fails once the others are running; they would say they are alive forever.
    let alive = 0;
    const run = runWorkers<number, Message>(
      module(`if (workerData === 0) setTimeout(() => process.exit(2), 200); else setInterval(() => parentPort.postMessage({ type: 'alive' }), 20);`),
      [0, 1, 2],
      () => void alive++,
      'lint',
    );
    await expect(run).rejects.toThrow('lint thread exited with code 2');
    expect(alive).toBeGreaterThan(0);
    const before = alive;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
    expect(alive).toBe(before);
  });
});
