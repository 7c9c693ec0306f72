/**
 * `--shard K/N`: a deterministic part of a build's pages, so a CI matrix can split a big build.
 * The planned jobs (in plan order: language by language, the index, the code pages, then the pair
 * articles) are cut into N contiguous ranges of nearly equal size, and shard K gets the K-th.
 * Contiguous ranges keep each shard's pages together in plan order (long runs of one language's
 * pairs), so its section cache stays warm. A page's bytes depend only on the inputs and the page, never on which pages are
 * built beside it, so the union of the N shards is the full build.
 */
import type { Shard } from '../types.js';

/** Parse `K/N` (whole numbers, 1 ≤ K ≤ N); undefined when the text is not one. */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

/** Jobs (a plan, a list) that can be cut: Array#slice's positions. */
interface Sliceable<L> {
  readonly length: number;
  slice(start: number, end: number): L;
}

/** The jobs of shard `index` of `count`: the index-th of `count` contiguous, near-equal ranges. */
export function planShard<L extends Sliceable<L>>(jobs: L, shard: Shard | undefined): L {
  if (!shard || shard.count === 1) return jobs;
  const start = Math.floor(((shard.index - 1) * jobs.length) / shard.count);
  const end = Math.floor((shard.index * jobs.length) / shard.count);
  return jobs.slice(start, end);
}
