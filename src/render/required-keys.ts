/**
 * The locale keys the views ask for, derived from the protocol's schema, so a key that English
 * lacks is reported when the inputs load rather than discovered halfway through a build.
 */
import { factOrder, hasFinality } from '../compare/facts.js';
import type { FactSchema, Protocol, StatusCode } from '../types.js';

export const COMMON_KEYS = [
  'site.home',
  'site.languages',
  'site.fallbackNotice',
  'site.search',
  'site.notFound.title',
  'site.notFound.text',
  'site.notFound.home',
  'sections.description',
  'sections.when',
  'sections.fix',
  'sections.fix_noFailure',
  'sections.use',
  'sections.differences',
  'sections.choose',
  'sections.learnMore',
  'sections.facts',
  'sections.compareWith',
  'sections.related',
  'sections.otherComparisons',
  'sections.fact',
  'sections.confused',
  'sections.mostConfused',
  'sections.reserved',
  'sections.callFlow',
  'sections.callFlows',
  'sections.example',
  'sentencePair',
  'quote',
  'labelled',
  'home.title',
  'home.intro',
  'counterpart',
];

const FIXED_PROTOCOL_KEYS = [
  'heading',
  'reason',
  'reason_gloss',
  'title.pair',
  'title.code',
  'title.index',
  'facts.lifecycle.active',
  'facts.lifecycle.deprecated',
  'facts.reference.label',
  'facts.reference.value',
  'compare.lifecycle',
  'lead.intro',
  'lead.differences_sameClass',
  'lead.differences_differentClass',
  'lead.differences_none',
  'shared.sentence',
  'shared.item',
  'learnMore.rfc',
  'learnMore.codePage',
  'learnMore.pair',
  'learnMore.index',
  'code.lead',
  'code.aliases',
  'code.deprecated',
  'code.comparisons',
  'index.intro_other',
];

/** The keys a declared fact's cells and sentences use (see FactSchema in src/types.ts). */
function declaredFactKeys(id: string, schema: FactSchema): string[] {
  const keys: string[] = [];
  const values = (schema.values ?? []).filter((v) => v !== schema.any);
  if (schema.kind === 'enum') keys.push(...values.map((v) => `facts.${id}.values.${v}`));
  if (schema.kind === 'set') {
    if (schema.labels) keys.push(...values.map((v) => `facts.${id}.values.${v}`));
    if (schema.any !== undefined) keys.push(`facts.${id}.any`);
    if (schema.wrap !== undefined) keys.push(`facts.${id}.${schema.wrap}`);
  }
  if (schema.kind === 'boolean') {
    keys.push(`facts.${id}.yes`, `facts.${id}.no`);
    if (schema.shared !== false) keys.push(`shared.${id}_yes`, `shared.${id}_no`);
  }
  if (schema.kind === 'list') keys.push(`facts.${id}.none`);
  if (schema.sentence === 'each') keys.push(...values.map((v) => `facts.${id}.sentences.${v}`));
  if (schema.sentence === 'yesNo' || schema.sentence === 'pair') keys.push(`compare.${id}`);
  if (schema.sentence === 'pair' && schema.kind === 'list') keys.push(`compare.${id}_onlyOne`);
  return keys;
}

/** `codes`: the catalog's codes, when known; an obsoleted one needs the sentences that say so. */
export function protocolKeys(protocol: Protocol, codes: readonly StatusCode[] = []): string[] {
  const keys = [...FIXED_PROTOCOL_KEYS];
  if (codes.some((c) => c.lifecycle.status === 'obsoleted')) keys.push('facts.lifecycle.obsoleted', 'code.obsoleted', 'compare.lifecycle_obsoleted');
  if (hasFinality(protocol)) keys.push('facts.finality.provisional', 'facts.finality.final', 'compare.finality');
  if (hasFinality(protocol) && codes.some((c) => c.finality === 'member')) keys.push('facts.finality.member', 'compare.finality_member', 'compare.finality_memberInterim');
  if (protocol.sequence !== undefined) keys.push('choose.sequence');
  if (protocol.reserved?.length) keys.push('index.reserved');
  const receiver = protocol.receiver === undefined ? undefined : protocol.facts[protocol.receiver];
  if (receiver) keys.push(...(receiver.values ?? []).map((v) => `facts.${protocol.receiver}.both.${v}`));
  for (const fact of factOrder(protocol)) keys.push(`facts.${fact}.label`, `facts.${fact}.aspect`);
  for (const cls of protocol.classes) keys.push(`classes.${cls.id}`, `classTitles.${cls.id}`);
  // A class sentence for every pair of classes of final responses (provisional pairs are covered by
  // the finality sentence); classes are ordered by digit, and so are the two codes of a pair.
  const finalClasses = protocol.classes.filter((c) => c.provisional !== true).sort((x, y) => x.digit - y.digit);
  finalClasses.forEach((low, i) => {
    for (const high of finalClasses.slice(i + 1)) keys.push(`compare.class_${low.id}_${high.id}`);
  });
  for (const [id, schema] of Object.entries(protocol.facts)) keys.push(...declaredFactKeys(id, schema));
  if (protocol.example) {
    keys.push('ladder.title', 'ladder.desc', 'ladder.steps', 'ladder.stepsPair', 'ladder.step', 'ladder.step_repeat', 'ladder.message_repeat', ...['step', 'from', 'to', 'message'].map((c) => `ladder.columns.${c}`));
    for (const party of protocol.example.parties) keys.push(`ladder.parties.${party}`);
  }
  return keys;
}
