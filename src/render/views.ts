/**
 * Build the data each Markdown template renders: every sentence comes from a locale resource
 * with interpolation (never glued from fragments here), every value escaped for Markdown.
 */
import { differingFacts, sameLifecycle, factOrder, finalityOf, hasFinality, isFailure, isFinal, mayFollow, relatedPairs, valuesOf, type FactId } from '../compare/facts.js';
import { byRelevance, curatedIndex, pairKey, rankCurated, relevance } from '../compare/relevance.js';
import { pairSlug } from '../plan/jobs.js';
import type { Catalog, ConfusablePair, FactSchema, Job, Language, Protocol, StatusCode } from '../types.js';
import { callFlow, diagramFile, pairSteps, type CallFlow } from './call-flow.js';
import { translator, type I18nContext, type Translator } from './i18n.js';
import { escapeMarkdown, formatList, formatNumber, listStyleOf, type ListStyle } from './markdown-text.js';
import { cached, type ViewCache } from './view-cache.js';

/** Values interpolated as they are: the result is raw text, escaped where it is used. */
const raw = { interpolation: { escapeValue: false } };

export interface ViewContext {
  catalog: Catalog;
  /** The languages of the build (how each joins lists, among others). */
  languages: Language[];
  byCode: Map<number, StatusCode>;
  i18n: I18nContext;
  /**
   * The build holds several catalogs: the protocol's index is `<lang>/<protocol>/index` and the
   * language's home page (`<lang>/index`, see homeView) lists the protocols.
   */
  nested?: boolean;
  /** The other protocols of the build, for the codes a code file's `seeAlso` names. */
  peers?: Map<string, Peer>;
  /** Per-language, per-code values that every page showing the code reuses (a few languages at a time). */
  cache?: ViewCache;
}

/** Another protocol of the build, as a code page that links one of its codes sees it. */
export interface Peer {
  name: string;
  byCode: ReadonlyMap<number, StatusCode>;
  /** The languages it is built in. */
  languages: ReadonlySet<string>;
}

/** The curated confusable pairs by key (see src/compare/relevance.ts). */
function curated(ctx: ViewContext): ReadonlyMap<string, ConfusablePair> {
  return cached(ctx, undefined, 'curated', () => curatedIndex(ctx.catalog.confusable));
}

/** The relevance score of a pair of codes (front matter of pair pages). */
export function pairRelevance(ctx: ViewContext, a: number, b: number): number {
  return relevance(ctx.catalog.protocol, ctx.byCode.get(a)!, ctx.byCode.get(b)!, curated(ctx));
}

export interface PageMeta {
  title: string;
  description: string;
}

interface Tr {
  ctx: ViewContext;
  language: ListStyle;
  common: Translator;
  proto: Translator;
}

const tr = (ctx: ViewContext, lang: string): Tr =>
  cached(ctx, lang, 'tr', () => ({
    ctx,
    language: listStyleOf(ctx.languages, lang),
    common: translator(ctx.i18n, lang, 'common'),
    proto: translator(ctx.i18n, lang, ctx.catalog.protocol.id),
  }));

/**
 * The document a code is defined in: the first of a registry reference that names several
 * ("RFC2774; status-change-http-experiments-to-historic": the second moved it to Historic).
 */
const definingDocument = (reference: string): string => reference.split(/;\s*/)[0]!;
const rfcName = (reference: string): string => definingDocument(reference).replace(/^RFC(\d+)$/, 'RFC $1');
/** The section of an RFC on rfc-editor.org; undefined for a reference that is not an RFC (no link is guessed). */
const rfcUrl = (reference: string, section?: string): string | undefined => {
  const number = /^RFC(\d+)$/.exec(definingDocument(reference))?.[1];
  if (!number) return undefined;
  const base = `https://www.rfc-editor.org/rfc/rfc${number}`;
  return section ? `${base}#section-${section}` : base;
};

/** The link to where a code is defined, when its reference has a known address. */
function referenceLinks(t: Tr, code: StatusCode): Array<{ label: string; href: string }> {
  return cached(t.ctx, t.proto.lang, `referenceLinks:${code.code}`, () => {
    const href = rfcUrl(code.reference, code.section);
    return href ? [{ label: escapeMarkdown(t.proto.t('learnMore.rfc', { rfc: rfcName(code.reference), section: code.section, code: code.code, ...raw })), href }] : [];
  });
}

/** "183 Session Progress", or with a localized gloss where the language has one. */
function heading(t: Tr, code: StatusCode): string {
  return cached(t.ctx, t.proto.lang, `heading:${code.code}`, () => t.proto.t('heading', { code: code.code, reason: reasonOf(t, code), interpolation: { escapeValue: false } }));
}

/** The heading a code's section has on every page of `lang` (unescaped). */
export function codeHeading(ctx: ViewContext, lang: string, code: StatusCode): string {
  return heading(tr(ctx, lang), code);
}

/** A section label (`sections.<key>` of the common namespace) in `lang`, unescaped. */
export function sectionLabel(ctx: ViewContext, lang: string, key: string): string {
  return tr(ctx, lang).common.t(`sections.${key}`);
}

/** The reason phrase, followed by its gloss where the language has one: for link labels. */
function reasonOf(t: Tr, code: StatusCode): string {
  const gloss = `codes.${code.code}.gloss`;
  return t.proto.exists(gloss)
    ? t.proto.t('reason', { context: 'gloss', reason: code.reason, gloss: t.proto.t(gloss), interpolation: { escapeValue: false } })
    : code.reason;
}

const codeText = (t: Tr, code: StatusCode, field: string): string => escapeMarkdown(t.proto.t(`codes.${code.code}.${field}`));

const fixLabel = (t: Tr, code: StatusCode): string =>
  t.common.t('sections.fix', { context: isFailure(t.ctx.catalog.protocol, code) ? undefined : 'noFailure' });

function codeSections(t: Tr, code: StatusCode) {
  return cached(t.ctx, t.proto.lang, `sections:${code.code}`, () => ({
    code: code.code,
    heading: escapeMarkdown(heading(t, code)),
    description: codeText(t, code, 'description'),
    when: codeText(t, code, 'when'),
    fix: codeText(t, code, 'fix'),
    use: codeText(t, code, 'use'),
    fixLabel: escapeMarkdown(fixLabel(t, code)),
  }));
}

function labels(t: Tr) {
  const keys = ['description', 'when', 'use', 'differences', 'choose', 'learnMore', 'facts', 'compareWith', 'related', 'otherComparisons', 'fact', 'confused', 'callFlow', 'callFlows', 'example'];
  return cached(t.ctx, t.common.lang, 'labels', () => Object.fromEntries(keys.map((k) => [k, escapeMarkdown(t.common.t(`sections.${k}`))])));
}

/** One table cell per fact, in the reader's language. */
function factValues(t: Tr, code: StatusCode): Record<string, string> {
  return cached(t.ctx, t.proto.lang, `facts:${code.code}`, () => computeFactValues(t, code));
}

/** The table cell of a declared fact, phrased as its schema says (see FactSchema in src/types.ts). */
function declaredValue(t: Tr, fact: string, schema: FactSchema, code: StatusCode): string {
  const value = code.facts[fact];
  const join = schema.join === 'or' ? 'disjunction' : 'conjunction';
  switch (schema.kind) {
    case 'enum':
      return t.proto.t(`facts.${fact}.values.${String(value)}`);
    case 'boolean':
      return t.proto.t(`facts.${fact}.${value === true ? 'yes' : 'no'}`);
    case 'list': {
      const items = valuesOf(code, fact);
      return items.length ? formatList(t.language, items, join) : t.proto.t(`facts.${fact}.none`);
    }
    case 'set': {
      const items = valuesOf(code, fact);
      if (schema.any !== undefined && items.includes(schema.any)) return t.proto.t(`facts.${fact}.any`);
      const listed = formatList(t.language, schema.labels ? items.map((v) => t.proto.t(`facts.${fact}.values.${v}`)) : items, join);
      return schema.wrap ? t.proto.t(`facts.${fact}.${schema.wrap}`, { [schema.wrap]: listed, ...raw }) : listed;
    }
  }
}

function computeFactValues(t: Tr, code: StatusCode): Record<string, string> {
  const { protocol } = t.ctx.catalog;
  const values: Record<string, string> = { class: t.proto.t(`classes.${code.classId}`) };
  if (hasFinality(protocol)) values.finality = t.proto.t(`facts.finality.${finalityOf(protocol, code)}`);
  for (const [fact, schema] of Object.entries(protocol.facts)) values[fact] = declaredValue(t, fact, schema, code);
  values.lifecycle = t.proto.t(`facts.lifecycle.${code.lifecycle.status}`, { by: rfcName(code.lifecycle.by ?? ''), ...raw });
  values.reference = t.proto.t('facts.reference.value', { rfc: rfcName(code.reference), section: code.section, ...raw });
  return values;
}

/** The rows of a fact table: every fact compared, then where the code is defined. */
const tableRows = (t: Tr): string[] => [...factOrder(t.ctx.catalog.protocol), 'reference'];

/**
 * The values above are raw (unescaped) text for interpolation; the i18next instance escapes them
 * when they go into a sentence, and escapeMarkdown does it for table cells.
 */
function factTable(t: Tr, codes: StatusCode[]) {
  const labels = cached(t.ctx, t.proto.lang, 'factLabels', () => tableRows(t).map((fact) => escapeMarkdown(t.proto.t(`facts.${fact}.label`))));
  const cells = codes.map((c) => cached(t.ctx, t.proto.lang, `factCells:${c.code}`, () => tableRows(t).map((fact) => escapeMarkdown(factValues(t, c)[fact]!))));
  return labels.map((label, row) => ({ label, cells: cells.map((column) => column[row]!) }));
}

/** Whole sentences one after another, spaced the way the language spaces them. */
function joinSentences(t: Tr, sentences: string[]): string {
  return sentences.reduce((first, second) => t.common.t('sentencePair', { first, second, interpolation: { escapeValue: false } }));
}

/** The sentence that says how two codes differ on a declared fact, as its schema phrases it. */
function declaredDifference(t: Tr, fact: string, schema: FactSchema, a: StatusCode, b: StatusCode): string {
  const va = factValues(t, a);
  const vb = factValues(t, b);
  switch (schema.sentence) {
    case 'each': {
      const of = (code: StatusCode) => t.proto.t(`facts.${fact}.sentences.${String(code.facts[fact])}`, { code: code.code });
      return joinSentences(t, [of(a), of(b)]);
    }
    case 'yesNo': {
      const [yes, no] = a.facts[fact] === true ? [a, b] : [b, a];
      return t.proto.t(`compare.${fact}`, { yes: yes.code, no: no.code });
    }
    case 'pair': {
      const emptyA = valuesOf(a, fact).length === 0;
      const emptyB = valuesOf(b, fact).length === 0;
      if (schema.kind === 'list' && emptyA !== emptyB) {
        const [withIt, without] = emptyB ? [a, b] : [b, a];
        return t.proto.t(`compare.${fact}`, { context: 'onlyOne', with: withIt.code, without: without.code, [fact]: factValues(t, withIt)[fact] });
      }
      return t.proto.t(`compare.${fact}`, { a: a.code, b: b.code, [`${fact}A`]: va[fact], [`${fact}B`]: vb[fact] });
    }
  }
}

/** One comparison sentence for each fact on which the two codes differ. */
function differenceSentences(t: Tr, a: StatusCode, b: StatusCode, facts: FactId[]): string[] {
  const { protocol } = t.ctx.catalog;
  // When finality differs, its sentence names the final code's class: a provisional code's class is
  // always another, and a member's status (HTTP 208) is not the status of a response at all.
  const shown = facts.includes('finality') ? facts.filter((f) => f !== 'class') : facts;
  const sentence = (fact: FactId): string => {
    switch (fact) {
      case 'class':
        // One sentence per pair of classes: what each class means differs too much to share one.
        return t.proto.t('compare.class', { a: a.code, b: b.code, context: `${a.classId}_${b.classId}` });
      case 'finality': {
        // A member's status against a response's: what the member's status is, then what the other is.
        const member = [a, b].find((c) => finalityOf(protocol, c) === 'member');
        if (member) {
          const other = member === a ? b : a;
          const interim = finalityOf(protocol, other) === 'provisional';
          return t.proto.t('compare.finality', { context: interim ? 'memberInterim' : 'member', member: member.code, other: other.code, otherClass: factValues(t, other).class });
        }
        const [provisional, final] = isFinal(protocol, a) ? [b, a] : [a, b];
        return t.proto.t('compare.finality', { provisional: provisional.code, final: final.code, finalClass: factValues(t, final).class });
      }
      case 'lifecycle': {
        const [deprecated, active] = a.lifecycle.status !== 'active' ? [a, b] : [b, a];
        return t.proto.t('compare.lifecycle', { context: deprecated.lifecycle.status === 'obsoleted' ? 'obsoleted' : undefined, deprecated: deprecated.code, active: active.code, by: rfcName(deprecated.lifecycle.by ?? '') });
      }
      default:
        return declaredDifference(t, fact, protocol.facts[fact]!, a, b);
    }
  };
  return shown.map(sentence);
}

/**
 * What the client that receives each code does (the protocol's `receiver` fact): where they
 * differ, its sentence for each code; where they agree, one sentence for both
 * (`facts.<fact>.both.<value>`). Undefined when the protocol declares no such fact.
 */
function receiverSentence(t: Tr, a: StatusCode, b: StatusCode, differing: FactId[]): string | undefined {
  const { protocol } = t.ctx.catalog;
  const fact = protocol.receiver;
  if (fact === undefined) return undefined;
  if (differing.includes(fact)) return declaredDifference(t, fact, protocol.facts[fact]!, a, b);
  return t.proto.t(`facts.${fact}.both.${String(a.facts[fact])}`, { a: a.code, b: b.code });
}

/**
 * What the two codes have in common, as one sentence: each shared fact (beyond the class, which
 * the lead names) as an item "aspect (value)", listed the way the language lists things.
 * Undefined when they share nothing worth saying.
 */
function sharedSentence(t: Tr, a: StatusCode, b: StatusCode, differing: FactId[]): string | undefined {
  const { protocol } = t.ctx.catalog;
  const values = factValues(t, a);
  // The i18next instance escapes interpolated values for Markdown; the items are escaped already.
  const item = (fact: FactId) => t.proto.t('shared.item', { aspect: t.proto.t(`facts.${fact}.aspect`), value: values[fact] });
  const items: string[] = [];
  for (const fact of factOrder(protocol)) {
    if (differing.includes(fact)) continue;
    if (fact === 'class' || fact === 'finality') continue;
    if (fact === 'lifecycle') {
      if (sameLifecycle(a, b)) items.push(item(fact));
      continue;
    }
    const schema = protocol.facts[fact]!;
    if (schema.shared === false) continue;
    if (schema.kind === 'list' && valuesOf(a, fact).length === 0) continue;
    items.push(schema.kind === 'boolean' ? t.proto.t(`shared.${fact}`, { context: a.facts[fact] === true ? 'yes' : 'no' }) : item(fact));
  }
  if (!items.length) return undefined;
  return t.proto.t('shared.sentence', { items: formatList(t.language, items, 'conjunction'), interpolation: { escapeValue: false } });
}

function pageLinks(t: Tr, a: StatusCode, b: StatusCode) {
  const codePage = (code: StatusCode) =>
    cached(t.ctx, t.proto.lang, `codePageLink:${code.code}`, () => ({
      label: escapeMarkdown(t.proto.t('learnMore.codePage', { code: code.code, reason: reasonOf(t, code), interpolation: { escapeValue: false } })),
      href: `${code.code}.md`,
    }));
  return [...referenceLinks(t, a), ...referenceLinks(t, b), codePage(a), codePage(b)];
}

/**
 * Whether the lead may say "both are <class> responses": same class, and both are the status of
 * a response (a member's status, HTTP 208, never is: "both are successful responses" would be
 * wrong of 207 and 208).
 */
const sameKindOfResponse = (protocol: Protocol, a: StatusCode, b: StatusCode): boolean =>
  a.classId === b.classId && finalityOf(protocol, a) !== 'member' && finalityOf(protocol, b) !== 'member';

export function pairView(ctx: ViewContext, job: Job) {
  const t = tr(ctx, job.lang);
  const [a, b] = job.codes.map((c) => ctx.byCode.get(c)!) as [StatusCode, StatusCode];
  const facts = differingFacts(ctx.catalog.protocol, a, b);
  const aspectList = formatList(t.language, facts.map((f) => t.proto.t(`facts.${f}.aspect`)));
  const intro = t.proto.t('lead.intro', { a: a.code, reasonA: a.reason, b: b.code, reasonB: b.reason });
  const contrast = facts.length === 0
    ? t.proto.t('lead.differences', { context: 'none', class: factValues(t, a).class })
    : // The count picks a plural form where the language has them: "in einem Punkt: Klasse" for one aspect.
      t.proto.t('lead.differences', { context: sameKindOfResponse(ctx.catalog.protocol, a, b) ? 'sameClass' : 'differentClass', class: factValues(t, a).class, aspects: aspectList, count: facts.length });
  const title = t.proto.t('title.pair', { a: a.code, reasonA: a.reason, b: b.code, reasonB: b.reason, interpolation: { escapeValue: false } });

  const { protocol } = ctx.catalog;
  const sequence = mayFollow(protocol, a, b)
    ? t.proto.t('choose.sequence', { provisional: (isFinal(protocol, a) ? b : a).code, final: (isFinal(protocol, a) ? a : b).code })
    : undefined;

  const related = relatedPairs(a, b).slice(0, 6).map(([low, high]) => pairLink(t, ctx.byCode.get(low)!, ctx.byCode.get(high)!, ''));
  const learnMore = [...pageLinks(t, a, b), ...related, { label: escapeMarkdown(t.proto.t('learnMore.index')), href: indexHref(ctx) }];

  // A curated pair: why readers mix the two up and how to tell them apart.
  const key = pairKey(a.code, b.code);
  const entry = curated(ctx).get(key);
  const confused = entry
    ? {
        why: escapeMarkdown(t.proto.t(`confusable.${key}.why`)),
        guidance: escapeMarkdown(t.proto.t(`confusable.${key}.guidance`)),
        ...(entry.practice ? { practice: escapeMarkdown(t.proto.t(`confusable.${key}.practice`)) } : {}),
      }
    : undefined;

  const meta: PageMeta = { title, description: stripEscapes(joinSentences(t, [intro, contrast])) };
  const view = {
    confused,
    title: escapeMarkdown(title),
    lead: joinSentences(t, [intro, contrast]),
    labels: labels(t),
    codes: [codeSections(t, a), codeSections(t, b)],
    table: { head: [escapeMarkdown(t.common.t('sections.fact')), escapeMarkdown(String(a.code)), escapeMarkdown(String(b.code))], rows: factTable(t, [a, b]) },
    // What a receiver does differently is said under Which to use when, not here.
    differences: differenceSentences(t, a, b, facts.filter((f) => f !== protocol.receiver)),
    shared: sharedSentence(t, a, b, facts) ?? '',
    choices: [a, b].map((c) => cached(ctx, job.lang, `choice:${c.code}`, () => t.common.t('labelled', { label: heading(t, c), text: t.proto.t(`codes.${c.code}.use`) }))),
    sequence: sequence ?? '',
    receiver: receiverSentence(t, a, b, facts) ?? '',
    // Both diagrams side by side, then each one's steps; none when the codes carry no examples.
    callFlows: [a, b].map((c) => callFlow(ctx, job.lang, c)?.view).filter((v) => v !== undefined),
    // With both examples, their steps in one table, side by side; otherwise the one there is.
    steps: pairSteps(ctx, job.lang, [a, b], [codeSections(t, a).heading, codeSections(t, b).heading]) ?? false,
    learnMore,
  };
  // A function, asked only by a build that shows Mermaid, so that nothing walking a view draws it.
  return { view, meta, mermaid: () => mermaidOf([a, b].map((c) => callFlow(ctx, job.lang, c))) };
}

/** Diagram image source → its Mermaid text, for Markdown that shows Mermaid instead of the image. */
function mermaidOf(flows: Array<CallFlow | undefined>): Record<string, string> {
  return Object.fromEntries(flows.filter((f) => f !== undefined).map((f) => [f.view.src, f.mermaid]));
}

export function codeView(ctx: ViewContext, job: Job) {
  const t = tr(ctx, job.lang);
  const code = ctx.byCode.get(job.codes[0]!)!;
  const values = factValues(t, code);
  const flow = callFlow(ctx, job.lang, code);
  const title = t.proto.t('title.code', { code: code.code, reason: code.reason, interpolation: { escapeValue: false } });
  const leadSentences = [
    // The class as context: English says "an informational response" (code.lead_informational).
    t.proto.t('code.lead', { context: code.classId, code: code.code, reason: code.reason, class: values.class, rfc: rfcName(code.reference), section: code.section }),
    code.aliases.length ? t.proto.t('code.aliases', { aliases: formatList(t.language, code.aliases.map((a) => t.common.t('quote', { text: a, interpolation: { escapeValue: false } })), 'disjunction') }) : '',
    code.lifecycle.status !== 'active' ? t.proto.t(`code.${code.lifecycle.status}`, { code: code.code, by: rfcName(code.lifecycle.by ?? '') }) : '',
  ].filter(Boolean);

  const others = ctx.catalog.codes.filter((c) => c.code !== code.code);
  // The list says "compare 404 with:", so each entry names only the other code.
  const compareLink = (other: StatusCode) => ({
    label: escapeMarkdown(heading(t, other)),
    href: `${pairSlug(Math.min(code.code, other.code), Math.max(code.code, other.code))}.md`,
  });
  // Both lists lead with the pairs readers most often confuse (see src/compare/relevance.ts).
  const index = curated(ctx);
  const related = byRelevance(ctx.catalog.protocol, code, code.related.map((c) => ctx.byCode.get(c)!), index).map(compareLink);
  const learnMore = [
    ...referenceLinks(t, code),
    { label: escapeMarkdown(t.proto.t('learnMore.index')), href: indexHref(ctx) },
  ];
  const meta: PageMeta = { title, description: stripEscapes(t.proto.t(`codes.${code.code}.description`)) };
  const view = {
    title: escapeMarkdown(title),
    seeAlso: counterparts(ctx, t, code),
    lead: joinSentences(t, leadSentences),
    labels: labels(t),
    code: codeSections(t, code),
    table: { head: [escapeMarkdown(t.common.t('sections.fact')), escapeMarkdown(String(code.code))], rows: factTable(t, [code]) },
    related,
    compareIntro: t.proto.t('code.comparisons', { code: code.code }),
    comparisons: byRelevance(ctx.catalog.protocol, code, others.filter((c) => !code.related.includes(c.code)), index).map(compareLink),
    learnMore,
    callFlow: flow?.view ?? false,
    example: flow?.message ?? '',
  };
  // The code page owns its diagram: written once per language, shown by every page of the code.
  const files = flow ? [{ path: diagramFile(job.path, code.code), content: flow.svg }] : [];
  return { view, meta, files, mermaid: () => mermaidOf([flow]) };
}

export function indexView(ctx: ViewContext, job: Job) {
  const t = tr(ctx, job.lang);
  const { codes, protocol } = ctx.catalog;
  const title = t.proto.t('title.index', { interpolation: { escapeValue: false } });
  const pairs = (codes.length * (codes.length - 1)) / 2;
  const intro = t.proto.t('index.intro', { count: codes.length, codes: formatNumber(job.lang, codes.length), pairs: formatNumber(job.lang, pairs) });
  // Links from the index: it sits beside the protocol's pages when nested, one folder up otherwise.
  const folder = ctx.nested ? '' : `${protocol.id}/`;
  const classes = protocol.classes
    .map((cls) => ({
      heading: escapeMarkdown(t.proto.t(`classTitles.${cls.id}`)),
      codes: codes.filter((c) => c.classId === cls.id).map((c) => ({ label: escapeMarkdown(heading(t, c)), href: `${folder}${c.code}.md` })),
    }))
    .filter((cls) => cls.codes.length > 0);
  // The curated pairs, most confused first, lead the page.
  const confused = confusedLinks(ctx, t, folder);
  // Registered codes without an article (a temporary registration): named, not linked.
  const reserved = ctx.catalog.reserved.map(({ code, reason }) => escapeMarkdown(t.proto.t('index.reserved', { code, reason, interpolation: { escapeValue: false } })));
  const meta: PageMeta = { title, description: stripEscapes(intro) };
  const view = { title: escapeMarkdown(title), intro, confused, confusedLabel: escapeMarkdown(t.common.t('sections.mostConfused')), classes, reserved, reservedLabel: reserved.length ? escapeMarkdown(t.common.t('sections.reserved')) : '' };
  return { view, meta };
}

/** The curated pairs of a protocol, most confused first, as links from `folder` (relative to the page). */
function confusedLinks(ctx: ViewContext, t: Tr, folder: string) {
  return rankCurated(ctx.catalog.protocol, ctx.byCode, ctx.catalog.confusable).map(({ entry }) => {
    const [l, h] = entry.pair.map((c) => ctx.byCode.get(c)!) as [StatusCode, StatusCode];
    return pairLink(t, l, h, folder);
  });
}

/** A link to the page of a pair (`low` first) from `folder` (relative to the page), titled as the pair is. */
function pairLink(t: Tr, low: StatusCode, high: StatusCode, folder: string): { label: string; href: string } {
  // The pairs a page links recur on the pages of their codes.
  return cached(t.ctx, t.proto.lang, `pairLink:${folder}:${low.code}:${high.code}`, () => ({
    label: escapeMarkdown(t.proto.t('learnMore.pair', { a: low.code, reasonA: reasonOf(t, low), b: high.code, reasonB: reasonOf(t, high), interpolation: { escapeValue: false } })),
    href: `${folder}${pairSlug(low.code, high.code)}.md`,
  }));
}

/**
 * The codes of other protocols of the build that the code file's `seeAlso` names, as list items
 * of Learn more: the link and the document that relates the two (`counterpart`).
 */
function counterparts(ctx: ViewContext, t: Tr, code: StatusCode): string[] {
  return (code.seeAlso ?? []).flatMap((entry) => {
    const peer = ctx.peers?.get(entry.protocol);
    const target = peer?.byCode.get(entry.code);
    if (!peer || !target || !peer.languages.has(t.proto.lang)) return [];
    const link = `[${escapeMarkdown(`${peer.name} ${target.code} ${target.reason}`)}](../${entry.protocol}/${target.code}.md)`;
    const source = t.proto.t('facts.reference.value', { rfc: rfcName(entry.source), section: entry.section, ...raw });
    return [t.common.t('counterpart', { link, protocol: peer.name, source, interpolation: { escapeValue: false } })];
  });
}

/** The protocol's index as seen from one of its pages: beside them when nested, else the language's home. */
const indexHref = (ctx: ViewContext) => (ctx.nested ? 'index.md' : '../index.md');

/** How many of a protocol's most confused pairs the home page shows. */
export const HOME_PAIRS = 5;

/**
 * The home page of a language in a build of several catalogs: each protocol built in the
 * language, with a link to its index and its most confused pairs. `ctxs`: one per protocol.
 */
export function homeView(ctxs: ViewContext[], lang: string) {
  // The protocols built in this language (the caller's choice), in the order of the build.
  const here = ctxs;
  const { common, language } = tr(here[0]!, lang);
  const names = here.map((ctx) => ctx.catalog.protocol.name);
  const title = common.t('home.title');
  const intro = escapeMarkdown(common.t('home.intro', { protocols: formatList(language, names, 'conjunction'), interpolation: { escapeValue: false } }));
  const protocols = here.map((ctx) => {
    const t = tr(ctx, lang);
    const id = ctx.catalog.protocol.id;
    return {
      heading: escapeMarkdown(t.proto.t('title.index', { interpolation: { escapeValue: false } })),
      index: [{ label: escapeMarkdown(t.proto.t('learnMore.index', { interpolation: { escapeValue: false } })), href: `${id}/index.md` }],
      confused: confusedLinks(ctx, t, `${id}/`).slice(0, HOME_PAIRS),
    };
  });
  const meta: PageMeta = { title, description: stripEscapes(intro) };
  return { view: { title: escapeMarkdown(title), intro, protocols, confusedLabel: escapeMarkdown(common.t('sections.mostConfused')) }, meta };
}

/** Undo Markdown escapes for plain-text uses such as meta descriptions. */
export function stripEscapes(text: string): string {
  return text.replace(/\\([\\`*_[\]<>|~&#])/g, '$1');
}
