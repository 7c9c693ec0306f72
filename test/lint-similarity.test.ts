/**
 * The similarity rules' arithmetic on many pages, against the plain way of doing it: the
 * most similar candidate of each page (mostSimilar) and the values a set alone holds
 * (ownShingles).
 */
import { describe, expect, it } from 'vitest';
import { estimate, mostSimilar, ownShingles, type SimilarPair } from '../src/lint/similarity.js';

/** A deterministic pseudo-random generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A sorted set of distinct 32-bit values, as shingles() gives. */
const sorted = (values: Iterable<number>) => Uint32Array.from(new Set(values)).sort();

/** The values no other set holds, counted with a map. */
function ownByMap(sets: Uint32Array[]): number[] {
  const seen = new Map<number, number>();
  for (const set of sets) for (const value of set) seen.set(value, (seen.get(value) ?? 0) + 1);
  return sets.map((set) => [...set].filter((value) => seen.get(value) === 1).length);
}

/** Candidates collected in sets first, then the best of each in index order. */
function mostSimilarBySets(signatures: Uint32Array[], related: number[][]): Array<SimilarPair | undefined> {
  const candidates = signatures.map(() => new Set<number>());
  for (let band = 0; band < 16; band++) {
    const buckets = new Map<string, number[]>();
    signatures.forEach((sig, i) => {
      const key = sig.subarray(band * 4, band * 4 + 4).join(',');
      buckets.set(key, [...(buckets.get(key) ?? []), i]);
    });
    for (const bucket of buckets.values()) for (const i of bucket) for (const j of bucket) if (i !== j) candidates[i]!.add(j);
  }
  for (const group of related) for (const i of group) for (const j of group) if (i !== j) candidates[i]!.add(j);
  return signatures.map((sig, i) => {
    let best: SimilarPair | undefined;
    for (const j of [...candidates[i]!].sort((x, y) => x - y)) {
      const similarity = estimate(sig, signatures[j]!);
      if (!best || similarity > best.similarity) best = { a: i, b: j, similarity };
    }
    return best;
  });
}

describe('ownShingles', () => {
  it('counts the values of each set that no other set holds, across the whole 32-bit range', () => {
    const next = random(7);
    // Shared values (a code's sections on all its pairs) and values of a set's own.
    const shared = Array.from({ length: 400 }, () => Math.floor(next() * 2 ** 32));
    const sets = Array.from({ length: 300 }, () =>
      sorted([...shared.filter(() => next() < 0.3), ...Array.from({ length: Math.floor(next() * 60) }, () => Math.floor(next() * 2 ** 32))]),
    );
    const expected = ownByMap(sets);
    expect(expected.some((n) => n > 0) && expected.some((n, i) => n < sets[i]!.length)).toBe(true);
    expect([...ownShingles(sets)]).toEqual(expected);
  });

  it('counts the extremes of the range, empty sets and a value every set holds', () => {
    const sets = [sorted([0, 5, 0xffffffff]), sorted([]), sorted([5, 0x20000000, 0x1fffffff]), sorted([5, 0xe0000000]), sorted([0xffffffff, 5])];
    expect([...ownShingles(sets)]).toEqual([1, 0, 2, 1, 0]);
    expect([...ownShingles([])]).toEqual([]);
    expect([...ownShingles([sorted([1, 2, 3])])]).toEqual([3]);
  });
});

describe('mostSimilar', () => {
  it('finds for each page the candidate the collected candidates give, the lowest index among equals', () => {
    const next = random(11);
    const base = Array.from({ length: 12 }, () => Uint32Array.from({ length: 64 }, () => Math.floor(next() * 2 ** 32)));
    // Pages made from a few bases with some hashes changed: bands and ties shared by many.
    const signatures = Array.from({ length: 240 }, () => {
      const sig = base[Math.floor(next() * base.length)]!.slice();
      for (let h = 0; h < 64; h++) if (next() < 0.35) sig[h] = Math.floor(next() * 4);
      return sig;
    });
    const related = Array.from({ length: 20 }, (_, c) => signatures.map((_, i) => i).filter((i) => i % 20 === c || Math.floor(i / 12) === c));
    const expected = mostSimilarBySets(signatures, related);
    expect(expected.filter(Boolean).length).toBeGreaterThan(200);
    expect(mostSimilar(signatures, related)).toEqual(expected);
    expect(mostSimilar(signatures)).toEqual(mostSimilarBySets(signatures, []));
  });

  it('gives no candidate to a page that shares no band and no group', () => {
    const a = Uint32Array.from({ length: 64 }, (_, h) => h);
    const b = Uint32Array.from({ length: 64 }, (_, h) => h + 1000);
    expect(mostSimilar([a, b])).toEqual([undefined, undefined]);
    expect(mostSimilar([a, b], [[0, 1]])).toEqual([
      { a: 0, b: 1, similarity: 0 },
      { a: 1, b: 0, similarity: 0 },
    ]);
  });
});
