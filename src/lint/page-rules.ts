/**
 * Rules that read one page (and, for untranslated prose, its English original): each returns
 * findings with the place they point at. Pure.
 */
import retextLatin from 'retext-latin';
import retextRepeatedWords from 'retext-repeated-words';
import { unified } from 'unified';
import { VFile } from 'vfile';
import type { Place } from '../diagnostics.js';
import type { Block, Page } from './page.js';
import { SectionCache } from '../render/section-cache.js';
import { sha256 } from '../hash.js';

export type LintRuleId = 'empty-section' | 'repeated-word' | 'repeated-sentence' | 'differences-repeat-text' | 'untranslated-text' | 'broken-link' | 'near-duplicate' | 'thin-page';

export interface Finding {
  ruleId: LintRuleId;
  params: Record<string, string | number>;
  place: Place;
}

/** Headings of a pair article's own sections in one language, from its `sections.*` labels. */
export interface SectionLabels {
  differences: string;
  choose: string;
  /** Why the two codes are confused (curated pairs only). */
  confused: string;
  learnMore: string;
}

/** Sentences shorter than this are labels or fragments, not prose worth comparing. */
const MIN_SENTENCE = 20;

const segmenters = new Map<string, Intl.Segmenter>();
export function sentencesOf(lang: string, text: string): string[] {
  let segmenter = segmenters.get(lang);
  if (!segmenter) segmenters.set(lang, (segmenter = new Intl.Segmenter(lang, { granularity: 'sentence' })));
  return [...segmenter.segment(text)].map((s) => s.segment.replace(/\s+/g, ' ').trim()).filter((s) => s.length >= MIN_SENTENCE);
}

export function emptySections(page: Page): Finding[] {
  return page.emptyHeadings.map(({ text, place }) => ({ ruleId: 'empty-section', params: { heading: text }, place }));
}

const retext = unified().use(retextLatin).use(retextRepeatedWords).freeze();

/** A word said twice in a block's text: the word, and where in the text. */
interface RepeatedWord {
  word: string;
  line: number;
  column: number;
}

/**
 * What retext-repeated-words found in a block's text, kept from the first time (pages repeat most
 * of their text), as the build's section caches keep pieces: within a budget, for the languages
 * read last. A set of every text found clean grew with the pages read (20 MB after English and
 * part of one more language of SIP, and on through the languages).
 */
const repeats = new SectionCache<RepeatedWord[]>(() => true, 1);
/** Blocks are kept by language (the texts of one language are read one after the other), with no typography. */
const BLOCKS = {};

function repeatsIn(lang: string, text: string): RepeatedWord[] {
  return repeats.get(text, { lang, typography: BLOCKS }, () => {
    const file = new VFile(text);
    retext.runSync(retext.parse(file), file);
    return file.messages.map((message) => ({ word: String(message.actual ?? '').split(/\s+/)[0] ?? '', line: message.line ?? 1, column: message.column ?? 1 }));
  });
}

/** "the the": retext-repeated-words over every heading, paragraph and cell. */
export function repeatedWords(page: Page): Finding[] {
  const findings: Finding[] = [];
  for (const block of page.blocks) {
    for (const { word, line, column } of repeatsIn(page.lang, block.text)) {
      // Place the finding in the page: blocks are one line, except in rare wrapped paragraphs.
      const place = line === 1 ? { line: block.place.line, column: block.place.column + column - 1 } : block.place;
      findings.push({ ruleId: 'repeated-word', params: { word }, place });
    }
  }
  return findings;
}

const prose = (page: Page) => page.blocks.filter((b) => b.kind === 'paragraph');

/** A sentence said twice on one page. */
export function repeatedSentences(page: Page): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const block of prose(page)) {
    for (const sentence of sentencesOf(page.lang, block.text)) {
      if (seen.has(sentence)) findings.push({ ruleId: 'repeated-sentence', params: { sentence }, place: block.place });
      seen.add(sentence);
    }
  }
  return findings;
}

/**
 * A pair article's own text (lead, why the two are confused, key differences, which to use when)
 * must not repeat what the two code sections already say.
 */
export function differencesRepeatText(page: Page, labels: SectionLabels): Finding[] {
  if (page.codes.length !== 2) return [];
  const own = (b: Block) => b.section === '' || b.section === labels.confused || b.section === labels.differences || b.section === labels.choose;
  const codeText = new Set(prose(page).filter((b) => !own(b) && b.section !== labels.learnMore).flatMap((b) => sentencesOf(page.lang, b.text)));
  const findings: Finding[] = [];
  for (const block of prose(page).filter(own)) {
    for (const sentence of sentencesOf(page.lang, block.text)) {
      if (codeText.has(sentence)) findings.push({ ruleId: 'differences-repeat-text', params: { section: block.section || block.subsection, sentence }, place: block.place });
    }
  }
  return findings;
}

/**
 * What untranslatedText looks for in a page's translations: its paragraphs of six words or more,
 * each as its length and its proseKey, one after the other. Prose, not names: references such as
 * "RFC 3261, section 21.6.3 (604)" read the same in many languages.
 */
export function proseToTranslate(page: Page): number[] {
  return prose(page)
    .map((b) => b.text)
    .filter((t) => (t.match(/\p{L}{2,}/gu)?.length ?? 0) >= 6)
    .flatMap((t) => [t.length, proseKey(t)]);
}

/**
 * A paragraph as untranslatedText compares it: 52 bits of its SHA-256, as a number. The English
 * texts need not be kept then: each thread that checked translations kept the English pages'
 * paragraphs, 166 million characters (46 million distinct) for the 44,850 English pair pages of a
 * 300-code catalog. Two different texts share a key once in 2^52 comparisons: a finding made by
 * chance is not to be expected.
 */
const proseKey = (text: string): number => Number.parseInt(sha256(text).slice(0, 13), 16);

/**
 * Prose of a translated page that is word for word its English original's: `english` is what
 * proseToTranslate found in the original (none for an English page). Only a paragraph as long as
 * one of the original's is hashed.
 */
export function untranslatedText(page: Page, english: readonly number[] | undefined): Finding[] {
  if (!english?.length) return [];
  const keys = new Map<number, number[]>();
  for (let i = 0; i < english.length; i += 2) (keys.get(english[i]!) ?? keys.set(english[i]!, []).get(english[i]!)!).push(english[i + 1]!);
  return prose(page)
    .filter((b) => keys.get(b.text.length)?.includes(proseKey(b.text)))
    .map((b) => ({ ruleId: 'untranslated-text' as const, params: { lang: page.lang, text: b.text.length > 60 ? `${b.text.slice(0, 57)}...` : b.text }, place: b.place }));
}

/** Relative links must reach a file of the output; a Markdown link also needs its HTML page. */
export function brokenLinks(page: Page, exists: (path: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  const dir = page.path.split('/').slice(0, -1);
  for (const { url, place } of page.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('/')) continue;
    const target = resolvePath(dir, url.split('#')[0]!);
    const needed = target && target.endsWith('.md') ? [target, `${target.slice(0, -3)}.html`] : [target];
    const missing = needed.find((p) => !p || !exists(p));
    if (missing !== undefined) findings.push({ ruleId: 'broken-link', params: { url, target: missing || url }, place });
  }
  return findings;
}

function resolvePath(dir: string[], relative: string): string | undefined {
  const parts = [...dir];
  for (const part of relative.split('/')) {
    if (part === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(decodeURIComponent(part));
  }
  return parts.join('/');
}
