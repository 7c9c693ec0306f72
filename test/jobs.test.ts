/**
 * The default number of render threads: one per idle core, at most eight, at least one; small
 * builds stay on the main thread.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BatchQueue, busyCores, defaultJobs, othersBusy, PAGES_PER_THREAD, threadsFor } from '../src/build.js';

describe('the default of --jobs', () => {
  it('is the cores not busy, at least one and at most eight', () => {
    expect(defaultJobs(2, 0)).toBe(2);
    expect(defaultJobs(2, 0.4)).toBe(2);
    expect(defaultJobs(2, 0.6)).toBe(1);
    expect(defaultJobs(2, 3.7)).toBe(1);
    expect(defaultJobs(16, 1)).toBe(8);
  });

  it('counts the cores busy now, a share of the cores this process may use', async () => {
    const busy = await busyCores(50);
    expect(busy).toBeGreaterThanOrEqual(0);
    expect(busy).toBeLessThanOrEqual(availableParallelism());
  });

  it("does not count the cores this build keeps busy itself while it samples", () => {
    // Both cores busy, one of them by this process (200 ms of its CPU time in 200 ms): one other.
    expect(othersBusy(1, 2, 200, 200)).toBe(1);
    expect(othersBusy(0.5, 2, 200, 200)).toBe(0);
    expect(othersBusy(0.75, 4, 100, 200)).toBe(2.5);
    // Never below none, whatever the rounding of the two clocks.
    expect(othersBusy(0.4, 2, 210, 200)).toBe(0);
  });

  it(`by default renders an edit's few hundred pages on the main thread, and starts no thread for fewer than ${PAGES_PER_THREAD} pages`, async () => {
    expect(await threadsFor(750, undefined)).toBe(1);
    expect(await threadsFor(PAGES_PER_THREAD, undefined)).toBe(1);
    const threads = await threadsFor(3 * PAGES_PER_THREAD, undefined);
    expect(threads).toBeGreaterThanOrEqual(1);
    expect(threads).toBeLessThanOrEqual(Math.min(3, availableParallelism()));
  });

  it('takes the number of threads asked for, no more than one per page', async () => {
    expect(await threadsFor(200, 4)).toBe(4);
    expect(await threadsFor(5000, 2)).toBe(2);
    expect(await threadsFor(3, 8)).toBe(3);
    expect(await threadsFor(0, 2)).toBe(1);
  });
});

describe('the batches of the render threads', () => {
  it('gives each thread its own share in order, then the last batches of the share with the most left, each batch once', () => {
    const queue = new BatchQueue([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11, 12]], 2);
    expect(queue.next(0)).toEqual([1, 2]);
    expect(queue.next(1)).toEqual([6, 7]);
    expect(queue.next(0)).toEqual([3, 4]);
    expect(queue.next(0)).toEqual([5]);
    // Thread 0's share is done: it takes from the end of thread 1's.
    expect(queue.next(0)).toEqual([12]);
    expect(queue.next(1)).toEqual([8, 9]);
    expect(queue.next(0)).toEqual([10, 11]);
    expect(queue.next(1)).toBeUndefined();
    expect(queue.next(0)).toBeUndefined();
  });

  it('takes from the share with the most batches left', () => {
    const queue = new BatchQueue([[1], [2, 3], [4, 5, 6, 7]], 1);
    expect(queue.next(0)).toEqual([1]);
    expect(queue.next(0)).toEqual([7]);
    expect(queue.next(0)).toEqual([6]);
    // Now both other shares have two left: the first of them.
    expect(queue.next(0)).toEqual([3]);
  });

  it('takes from another share only when it may', () => {
    const queue = new BatchQueue([[1], [2, 3]], 1);
    expect(queue.next(0, false)).toEqual([1]);
    expect(queue.next(0, false)).toBeUndefined();
    expect(queue.next(1, false)).toEqual([2]);
    expect(queue.next(0)).toEqual([3]);
  });
});
