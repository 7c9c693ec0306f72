/**
 * The similarity rules' bookkeeping on many pages, against the plain way of doing it: the most
 * similar candidate of each page (mostSimilar), and the pages' shingle sets kept on disk with
 * the count of each page's own shingles (PairShingles).
 */
import { describe, expect, it } from 'vitest';
import { PairShingles } from '../src/lint/pair-shingles.js';
import { estimate, mostSimilar, type SimilarPair } from '../src/lint/similarity.js';

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

describe('PairShingles', () => {
  it('gives back each set as added, through the writes, and counts the shingles no other set has', () => {
    const next = random(5);
    const shared = Array.from({ length: 3000 }, () => Math.floor(next() * 2 ** 32));
    // ~2,000 values a set: 600 sets are ~4.8 MB, written in several parts; an empty set among them.
    const sets = Array.from({ length: 600 }, (_, k) =>
      k === 17 ? new Uint32Array(0) : Uint32Array.from(new Set([...shared.filter(() => next() < 0.6), ...Array.from({ length: Math.floor(next() * 80) }, () => Math.floor(next() * 2 ** 32))])).sort(),
    );
    const kept = new PairShingles();
    try {
      sets.forEach((set, k) => {
        kept.add(set);
        // Read back while later sets are still to come.
        if (k % 97 === 0) expect(kept.get(k)).toEqual(set);
      });
      sets.forEach((set, k) => {
        expect(kept.size(k)).toBe(set.length);
        expect(kept.get(k)).toEqual(set);
      });
      const counts = new Map<number, number>();
      for (const set of sets) for (const value of set) counts.set(value, (counts.get(value) ?? 0) + 1);
      const expected = sets.map((set) => [...set].filter((value) => counts.get(value) === 1).length);
      expect(expected.some((n) => n > 0) && expected.some((n, k) => n < sets[k]!.length)).toBe(true);
      expect([...kept.own()]).toEqual(expected);
    } finally {
      kept.remove();
    }
  });

  it("counts a shingle on exactly two pages, next to each other or not, as neither page's own", () => {
    const kept = new PairShingles();
    try {
      for (const set of [[1, 2, 3], [2, 4], [5], [4, 6], []]) kept.add(Uint32Array.from(set));
      expect([...kept.own()]).toEqual([2, 0, 1, 1, 0]);
      expect(kept.get(4)).toEqual(new Uint32Array(0));
    } finally {
      kept.remove();
    }
  });
});
