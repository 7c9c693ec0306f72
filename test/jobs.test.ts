/**
 * The default number of render threads: one per idle core, at most eight, at least one; small
 * builds stay on the main thread.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { busyCores, defaultJobs, threadsFor } from '../src/build.js';

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

  it('renders a build of a few hundred pages on the main thread, and gives no thread fewer than 200 pages', async () => {
    expect(await threadsFor(200, undefined)).toBe(1);
    expect(await threadsFor(200, 4)).toBe(1);
    expect(await threadsFor(1000, 8)).toBe(5);
    expect(await threadsFor(1000, 2)).toBe(2);
    expect(await threadsFor(5000, undefined)).toBeGreaterThanOrEqual(1);
  });
});
