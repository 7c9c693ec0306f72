/**
 * How likely readers are to confuse two codes, as a number from 0 to 1 (two decimals). Pure and
 * deterministic: it depends only on the two codes' facts and on the curated list.
 *
 *   base = 0.35 · counterpart  (either code lists the other under `related`)
 *        + 0.15 · same class
 *        + the protocol's relevance rules, in order (protocol.yaml `relevance:`; for SIP
 *          0.15 · shared requests, both can answer some same method, and 0.10 · same senders)
 *        + 0.25 · (1 − differing facts / compared facts)
 *   relevance = curated ? 0.5 + 0.5 · base : 0.5 · base
 *
 * A curated pair therefore always ranks above every pair that is not curated, and within each
 * group the facts decide.
 */
import type { ConfusablePair, Protocol, StatusCode } from '../types.js';
import { differingFacts, factOrder, overlap, sameFact } from './facts.js';

/** The built-in shares; a protocol's rules add theirs (at most 0.25 together, so the score stays within 0..1). */
export const WEIGHTS = { counterpart: 0.35, sameClass: 0.15, similarity: 0.25 } as const;
/** The share of the score a curated pair starts with. */
export const CURATED_BOOST = 0.5;

/** `486-600`: the key of a pair, lowest code first (locale keys `confusable.486-600.why`). */
export const pairKey = (a: number, b: number): string => `${Math.min(a, b)}-${Math.max(a, b)}`;

/** The curated pairs by key, for lookups. */
export function curatedIndex(curated: readonly ConfusablePair[]): ReadonlyMap<string, ConfusablePair> {
  return new Map(curated.map((entry) => [pairKey(entry.pair[0], entry.pair[1]), entry]));
}

/** Relevance of the pair a–b (symmetric), 0..1 rounded to two decimals. */
export function relevance(protocol: Protocol, a: StatusCode, b: StatusCode, curated: ReadonlyMap<string, ConfusablePair>): number {
  const counterpart = a.related.includes(b.code) || b.related.includes(a.code);
  const similarity = 1 - differingFacts(protocol, a, b).length / factOrder(protocol).length;
  let base = (counterpart ? WEIGHTS.counterpart : 0) + (a.classId === b.classId ? WEIGHTS.sameClass : 0);
  for (const rule of protocol.relevance) {
    const schema = protocol.facts[rule.fact]!;
    const holds = rule.when === 'overlap' ? overlap(schema, rule.fact, a, b) : sameFact(schema, rule.fact, a, b);
    base += holds ? rule.weight : 0;
  }
  base += WEIGHTS.similarity * similarity;
  const score = curated.has(pairKey(a.code, b.code)) ? CURATED_BOOST + (1 - CURATED_BOOST) * base : (1 - CURATED_BOOST) * base;
  return Math.round(score * 100) / 100;
}

/** `others` ordered for a "compare with" list of `code`: most relevant first, ties by code. */
export function byRelevance(protocol: Protocol, code: StatusCode, others: readonly StatusCode[], curated: ReadonlyMap<string, ConfusablePair>): StatusCode[] {
  const scored = others.map((other) => ({ other, score: relevance(protocol, code, other, curated) }));
  return scored.sort((x, y) => y.score - x.score || x.other.code - y.other.code).map((s) => s.other);
}

/** The curated pairs, most confused (most relevant) first, ties by the lower then the higher code. */
export function rankCurated(protocol: Protocol, byCode: ReadonlyMap<number, StatusCode>, curated: readonly ConfusablePair[]): Array<{ entry: ConfusablePair; score: number }> {
  const index = curatedIndex(curated);
  return curated
    .map((entry) => ({ entry, score: relevance(protocol, byCode.get(entry.pair[0])!, byCode.get(entry.pair[1])!, index) }))
    .sort((x, y) => y.score - x.score || x.entry.pair[0] - y.entry.pair[0] || x.entry.pair[1] - y.entry.pair[1]);
}
