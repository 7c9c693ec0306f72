/**
 * Compare two codes fact by fact. Pure: the result says which facts differ and how, and the
 * render stage turns each difference into one translatable sentence.
 */
import type { StatusCode } from '../types.js';

export const FACT_ORDER = ['class', 'finality', 'senders', 'requests', 'dialog', 'sdp', 'headers', 'retry', 'lifecycle'] as const;
export type FactId = (typeof FACT_ORDER)[number];

export const isFinal = (code: StatusCode): boolean => code.code >= 200;

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** The facts on which two codes differ, in reading order. */
export function differingFacts(a: StatusCode, b: StatusCode): FactId[] {
  const differs: Record<FactId, boolean> = {
    class: a.classId !== b.classId,
    finality: isFinal(a) !== isFinal(b),
    senders: !sameSet(a.facts.senders, b.facts.senders),
    requests: !sameSet(a.facts.requests, b.facts.requests),
    dialog: a.facts.dialog !== b.facts.dialog,
    sdp: a.facts.sdp !== b.facts.sdp,
    headers: !sameSet(a.facts.headers, b.facts.headers),
    retry: a.facts.retry !== b.facts.retry,
    lifecycle: a.lifecycle.status !== b.lifecycle.status,
  };
  return FACT_ORDER.filter((fact) => differs[fact]);
}

/** Whether the two codes can answer the same request, so one may follow the other. */
export function shareRequests(a: StatusCode, b: StatusCode): boolean {
  const ra = a.facts.requests;
  const rb = b.facts.requests;
  return ra.includes('any') || rb.includes('any') || ra.some((m) => rb.includes(m));
}

/** Related codes of either side, as pairs other than this one, lowest first, unique. */
export function relatedPairs(a: StatusCode, b: StatusCode): Array<[number, number]> {
  const pairs = new Map<string, [number, number]>();
  for (const [own, other] of [[a, b], [b, a]] as const) {
    for (const related of own.related) {
      if (related === other.code) continue;
      const pair: [number, number] = own.code < related ? [own.code, related] : [related, own.code];
      pairs.set(pair.join('-'), pair);
    }
  }
  return [...pairs.values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}
