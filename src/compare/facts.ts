/**
 * Compare two codes fact by fact. Pure: the result says which facts differ and how, and the
 * render stage turns each difference into one translatable sentence.
 *
 * Every protocol has the built-in facts `class`, `finality` (only when some class is
 * provisional) and `lifecycle`; the others are the facts its protocol.yaml declares.
 */
import type { FactSchema, Protocol, StatusCode } from '../types.js';

/** A fact id: `class`, `finality`, `lifecycle` or a fact the protocol declares. */
export type FactId = string;

/** The built-in facts that open and close the reading order. */
export const LEADING_FACTS = ['class', 'finality'] as const;
export const TRAILING_FACTS = ['lifecycle'] as const;

/** Whether the protocol tells provisional codes from final ones (some class is provisional). */
export const hasFinality = (protocol: Protocol): boolean => protocol.classes.some((c) => c.provisional === true);

/** Every fact compared, in reading order: the built-ins around the declared ones. */
export function factOrder(protocol: Protocol): FactId[] {
  const leading = hasFinality(protocol) ? LEADING_FACTS : LEADING_FACTS.filter((f) => f !== 'finality');
  return [...leading, ...Object.keys(protocol.facts), ...TRAILING_FACTS];
}

/**
 * What kind of status a code is: `provisional` (an interim response, its class says so), `member`
 * (only ever the status of a member inside a multi-status body, the code file says so) or
 * `final`.
 */
export type Finality = 'provisional' | 'final' | 'member';
export const finalityOf = (protocol: Protocol, code: StatusCode): Finality =>
  code.finality === 'member' ? 'member' : protocol.classes.find((c) => c.id === code.classId)?.provisional === true ? 'provisional' : 'final';

/** A code is final unless its class is declared provisional or it is a member's status only. */
export const isFinal = (protocol: Protocol, code: StatusCode): boolean => finalityOf(protocol, code) === 'final';

/** Whether the code's class reports a failure (classes do unless they say `failure: false`). */
export const isFailure = (protocol: Protocol, code: StatusCode): boolean => protocol.classes.find((c) => c.id === code.classId)?.failure !== false;

/** The values of a set or list fact (a scalar as a one-item list). */
export const valuesOf = (code: StatusCode, fact: string): string[] => {
  const value = code.facts[fact];
  return Array.isArray(value) ? value : [String(value)];
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Whether two codes agree on a declared fact. */
export function sameFact(schema: FactSchema, fact: string, a: StatusCode, b: StatusCode): boolean {
  if (schema.kind === 'set' || schema.kind === 'list') return sameSet(valuesOf(a, fact), valuesOf(b, fact));
  return a.facts[fact] === b.facts[fact];
}

/** Whether two codes have some value of a set fact in common, the wildcard matching everything. */
export function overlap(schema: FactSchema | undefined, fact: string, a: StatusCode, b: StatusCode): boolean {
  const va = valuesOf(a, fact);
  const vb = valuesOf(b, fact);
  const any = schema?.any;
  return (any !== undefined && (va.includes(any) || vb.includes(any))) || va.some((v) => vb.includes(v));
}

/** Two codes out of use in the same way, by the same document: a fact they share. */
export function sameLifecycle(a: StatusCode, b: StatusCode): boolean {
  return a.lifecycle.status !== 'active' && a.lifecycle.status === b.lifecycle.status && a.lifecycle.by === b.lifecycle.by;
}

/** The facts on which two codes differ, in reading order. */
export function differingFacts(protocol: Protocol, a: StatusCode, b: StatusCode): FactId[] {
  return factOrder(protocol).filter((fact) => {
    switch (fact) {
      case 'class':
        return a.classId !== b.classId;
      case 'finality':
        return finalityOf(protocol, a) !== finalityOf(protocol, b);
      case 'lifecycle':
        // In use against not: a difference. Two codes out of use for different reasons are neither
        // a difference nor a shared fact (see sameLifecycle).
        return (a.lifecycle.status === 'active') !== (b.lifecycle.status === 'active');
      default:
        return !sameFact(protocol.facts[fact]!, fact, a, b);
    }
  });
}

/**
 * Whether a provisional and a final code may follow one another in one exchange: they overlap in
 * the protocol's `sequence` fact (for SIP, they answer some same request).
 */
export function mayFollow(protocol: Protocol, a: StatusCode, b: StatusCode): boolean {
  const kinds = [finalityOf(protocol, a), finalityOf(protocol, b)];
  if (!kinds.includes('provisional') || !kinds.includes('final') || protocol.sequence === undefined) return false;
  if (protocol.sequenceExcept?.some((code) => code === a.code || code === b.code)) return false;
  return overlap(protocol.facts[protocol.sequence], protocol.sequence, a, b);
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
