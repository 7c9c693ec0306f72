/**
 * Near-duplicate pages: MinHash signatures of each page's 5-word shingles estimate the Jaccard
 * similarity of any two pages without comparing their text. Pure and deterministic (fixed seeds).
 */
import { SectionCache } from '../render/section-cache.js';

const SHINGLE = 5;
const HASHES = 64;
/** Bands of rows for locality-sensitive hashing: pages that agree on a whole band become candidates. */
const BANDS = 16;
const ROWS = HASHES / BANDS;

/** One fixed seed per hash function. */
const SEEDS = Uint32Array.from({ length: HASHES }, (_, i) => fmix32(Math.imul(i + 1, 0x9e3779b1)));

/** MurmurHash3's finalizer: every input bit affects every output bit. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const segmenters = new Map<string, Intl.Segmenter>();
/** Languages written without spaces between words. */
const SEGMENTED = /^(zh|ja|th|lo|km|my)\b/;
/** Words of a text: split at spaces, or by Intl.Segmenter for languages written without them. */
export function wordsOf(lang: string, text: string): string[] {
  if (SEGMENTED.test(lang)) {
    let segmenter = segmenters.get(lang);
    if (!segmenter) segmenters.set(lang, (segmenter = new Intl.Segmenter(lang, { granularity: 'word' })));
    return [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());
  }
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * The words of a page's blocks: those of their texts joined by line breaks, at which a word always
 * ends (UAX #29), found a block at a time. For a language segmented by Intl.Segmenter (~5 ms a
 * Japanese page, two thirds of reading it) each block's words are kept while it recurs: a code's
 * sections are on all its pairs.
 */
export function wordsOfBlocks(lang: string, texts: readonly string[]): string[] {
  if (!SEGMENTED.test(lang)) return wordsOf(lang, texts.join('\n'));
  const options = { lang, typography: BLOCKS };
  return texts.flatMap((text) => blockWords.get(text, options, () => wordsOf(lang, text)));
}

/**
 * A block's words, kept from the first time within a budget, for the languages read last (see
 * SectionCache). Kept by count, the 50,000 blocks held ~17 MB of a thread's heap after English
 * and part of one more language (a heap snapshot), whatever their length.
 */
const blockWords = new SectionCache<string[]>(() => true, 3);
const BLOCKS = {};

/** The distinct 5-word shingles of a text, as sorted 32-bit hashes. */
export function shingles(words: string[]): Uint32Array {
  const hashes = words.map(fnv1a);
  const count = Math.max(hashes.length - SHINGLE + 1, 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    // The shingle's hash from its words' hashes, order-sensitive.
    let base = 0x811c9dc5;
    for (let k = i; k < Math.min(i + SHINGLE, hashes.length); k++) base = Math.imul(base ^ hashes[k]!, 0x01000193);
    out[i] = base >>> 0;
  }
  out.sort();
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[n++] = out[i]!;
  return out.slice(0, n);
}

export function signature(set: Uint32Array): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const shingle of set) {
    for (let h = 0; h < HASHES; h++) {
      const value = fmix32(shingle ^ SEEDS[h]!);
      if (value < sig[h]!) sig[h] = value;
    }
  }
  return sig;
}

/** The exact Jaccard similarity of two sorted shingle sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) both++, i++, j++;
    else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return both / (a.length + b.length - both);
}

export function estimate(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let h = 0; h < HASHES; h++) if (a[h] === b[h]) same++;
  return same / HASHES;
}

export interface SimilarPair {
  a: number;
  b: number;
  similarity: number;
}

/**
 * The most similar page of each page, among candidates: pages that share a band of the signature
 * and pages the caller says are related (pair pages that share a code). Returns, for each page
 * index, its most similar candidate (the lowest index among equals), or undefined.
 *
 * Each page's candidates are gathered from its buckets and groups as it is compared, not
 * collected for all pages first: a pair page of a 300-code catalog is related to ~600 others,
 * and sets of them for its 44,850 pages took ~920 MB.
 */
export function mostSimilar(signatures: Uint32Array[], related: number[][] = []): Array<SimilarPair | undefined> {
  // For each band, the bucket of each page: the pages that agree with it on the whole band.
  const bucketsOf: number[][][] = [];
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<string, number[]>();
    bucketsOf.push(
      signatures.map((sig, i) => {
        const key = sig.subarray(band * ROWS, (band + 1) * ROWS).join(',');
        const bucket = buckets.get(key) ?? buckets.set(key, []).get(key)!;
        bucket.push(i);
        return bucket;
      }),
    );
  }
  const groupsOf = signatures.map((): number[][] => []);
  for (const group of related) for (const i of group) groupsOf[i]!.push(group);
  // The page whose candidates each page was last met among, so each candidate is compared once.
  const metFor = new Int32Array(signatures.length).fill(-1);
  return signatures.map((sig, i) => {
    let best: SimilarPair | undefined;
    metFor[i] = i;
    const compare = (group: readonly number[]) => {
      for (const j of group) {
        if (metFor[j] === i) continue;
        metFor[j] = i;
        const similarity = estimate(sig, signatures[j]!);
        if (!best || similarity > best.similarity || (similarity === best.similarity && j < best.b)) best = { a: i, b: j, similarity };
      }
    };
    for (const bucketOf of bucketsOf) compare(bucketOf[i]!);
    for (const group of groupsOf[i]!) compare(group);
    return best;
  });
}
