/**
 * The locale keys the views ask for, derived from the protocol's schema, so a key that English
 * lacks is reported when the inputs load rather than discovered halfway through a build.
 */
import type { Protocol } from '../types.js';

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
  'sections.callFlow',
  'sections.callFlows',
  'sections.example',
  'sentencePair',
  'quote',
  'labelled',
];

const FIXED_PROTOCOL_KEYS = [
  'heading',
  'reason',
  'reason_gloss',
  'title.pair',
  'title.code',
  'title.index',
  'facts.finality.provisional',
  'facts.finality.final',
  'facts.requests.any',
  'facts.requests.methods',
  'facts.sdp.yes',
  'facts.sdp.no',
  'facts.headers.none',
  'facts.lifecycle.active',
  'facts.lifecycle.deprecated',
  'facts.reference.label',
  'facts.reference.value',
  'compare.finality',
  'compare.senders',
  'compare.requests',
  'compare.sdp',
  'compare.headers',
  'compare.headers_onlyOne',
  'compare.lifecycle',
  'lead.intro',
  'lead.differences_sameClass',
  'lead.differences_differentClass',
  'lead.differences_none',
  'shared.sentence',
  'shared.item',
  'shared.sdp_yes',
  'shared.sdp_no',
  'choose.sequence',
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

const FACTS = ['class', 'finality', 'senders', 'requests', 'dialog', 'sdp', 'headers', 'retry', 'lifecycle'];

export function protocolKeys(protocol: Protocol): string[] {
  const keys = [...FIXED_PROTOCOL_KEYS];
  for (const fact of FACTS) keys.push(`facts.${fact}.label`, `facts.${fact}.aspect`);
  for (const cls of protocol.classes) keys.push(`classes.${cls.id}`, `classTitles.${cls.id}`);
  // A class sentence for every pair of classes of final responses (provisional pairs are covered by
  // the finality sentence); classes are ordered by digit, and so are the two codes of a pair.
  const finalClasses = protocol.classes.filter((c) => c.digit >= 2).sort((x, y) => x.digit - y.digit);
  finalClasses.forEach((low, i) => {
    for (const high of finalClasses.slice(i + 1)) keys.push(`compare.class_${low.id}_${high.id}`);
  });
  for (const value of protocol.facts.senders?.values ?? []) keys.push(`facts.senders.values.${value}`);
  for (const fact of ['dialog', 'retry']) {
    for (const value of protocol.facts[fact]?.values ?? []) keys.push(`facts.${fact}.values.${value}`, `facts.${fact}.sentences.${value}`);
  }
  if (protocol.example) {
    keys.push('ladder.title', 'ladder.desc', 'ladder.steps', 'ladder.stepsPair', 'ladder.step', 'ladder.step_repeat', ...['step', 'from', 'to', 'message'].map((c) => `ladder.columns.${c}`));
    for (const party of protocol.example.parties) keys.push(`ladder.parties.${party}`);
  }
  return keys;
}
