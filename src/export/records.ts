/**
 * Knowledge-base records from a page's Markdown trees: one record per section (more when a
 * section is longer than the size limit), pure functions, no disk.
 *
 * No text is stored twice. A code's own sections (description, when it occurs, how to fix it,
 * when to send it …) are records of its code page. A pair article contributes only its own
 * sections (lead, key differences, which to use when); the code sections it shows, and any
 * paragraph or list item of its own sections that repeats the text of a code section, are not
 * copied but named by record id in `refs`.
 */
import { sha256 } from '../hash.js';
import type { Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { pairSlug } from '../plan/jobs.js';
import { TITLE_ID, codeOfKey, keyOf, type SectionKeys } from '../render/section-keys.js';
import { BLOCK_SEPARATOR, blockText } from './plain-text.js';
import { charLength, splitText } from './split.js';

/** The key of the text between a page's title and its first section. */
export const LEAD_KEY = 'lead';

/** Sections that only lead elsewhere (lists of links): not knowledge, not exported. */
export const NAVIGATION_KEYS: ReadonlySet<string> = new Set(['compare-with', 'learn-more']);

/**
 * Sections of a pair article that show its codes' own content (the two call flows, whose
 * diagrams and steps are the code pages' `call-flow` sections): referred to, never copied.
 */
export const SHOWN_CODE_SECTIONS: Readonly<Record<string, string>> = { 'call-flows': 'call-flow' };
/** Paragraphs shorter than this are too common to count as repeating a code's text. */
const MIN_SHARED_TEXT = 24;

/** DocSearch's heading hierarchy: lvl0 a category, lvl1 the page, lvl2 the section. */
export interface Hierarchy {
  lvl0: string;
  lvl1: string;
  lvl2: string | null;
  lvl3: string | null;
  lvl4: null;
  lvl5: null;
  lvl6: null;
}

export interface KbRecord {
  id: string;
  article_id: string;
  url: string;
  title: string;
  lang: string;
  protocol: string;
  kind: 'code' | 'pair';
  codes: number[];
  section: string;
  heading: string | null;
  hierarchy: Hierarchy;
  part: number;
  parts: number;
  text: string;
  refs: string[];
  hash: string;
}

/** A level-2 section of a page: its key, localized heading and blocks (sub-headings included). */
export interface PageSection {
  key: string;
  heading: string | null;
  blocks: RootContent[];
  /** Keys of the level-3 headings in it, in order. */
  subsections: string[];
}

/** One page to export: what the records say about where they come from. */
export interface KbPage {
  kind: 'code' | 'pair';
  protocol: string;
  lang: string;
  codes: number[];
  /** Page path relative to the output root, without extension: "en/sip/183". */
  path: string;
  title: string;
  /** hierarchy.lvl0: the category of every page (the localized title of the protocol's index). */
  category: string;
  sections: PageSection[];
}

/** The text units (paragraphs, list items) of each code-page record, by record id: what pairs must not repeat. */
export type CodeTexts = Map<string, string[]>;

export function articleId(protocol: string, codes: readonly number[], lang: string): string {
  const [a, b] = [...codes].sort((x, y) => x - y) as [number, number | undefined];
  return `${protocol}/${b === undefined ? a : pairSlug(a, b)}/${lang}`;
}

/** `sip/183/en/description`; the parts after the first of a split section end in `#2`, `#3` … */
export function recordId(article: string, section: string, part = 1): string {
  return part === 1 ? `${article}/${section}` : `${article}/${section}#${part}`;
}

/** Split a page's trees (see markdownSections) into its lead and level-2 sections. */
export function pageSections(trees: readonly Root[], keys: SectionKeys): PageSection[] {
  const sections: PageSection[] = [{ key: LEAD_KEY, heading: null, blocks: [], subsections: [] }];
  for (const tree of trees) {
    for (const node of tree.children) {
      if (node.type === 'heading' && node.depth === 1) continue; // the page title
      if (node.type === 'heading' && node.depth === 2) {
        const heading = toString(node).trim();
        sections.push({ key: keyOf(keys, heading), heading, blocks: [], subsections: [] });
        continue;
      }
      const section = sections.at(-1)!;
      if (node.type === 'heading' && node.depth === 3) section.subsections.push(keyOf(keys, toString(node)));
      section.blocks.push(node);
    }
  }
  return sections;
}

/** The hash of a record's content: every field but the id and the hash itself. */
export function recordHash(record: Omit<KbRecord, 'hash'>): string {
  const { id: _id, ...content } = record;
  return `sha256:${sha256(JSON.stringify(content))}`;
}

function sectionRecords(page: KbPage, section: PageSection, text: string, refs: string[], maxChars: number): KbRecord[] {
  const article = articleId(page.protocol, page.codes, page.lang);
  const pieces = splitText(text, page.lang, maxChars);
  return pieces.map((piece, i) => {
    const record: Omit<KbRecord, 'hash'> = {
      id: recordId(article, section.key, i + 1),
      article_id: article,
      url: `${page.path}.html#${section.key === LEAD_KEY ? TITLE_ID : section.key}`,
      title: page.title,
      lang: page.lang,
      protocol: page.protocol,
      kind: page.kind,
      codes: [...page.codes].sort((x, y) => x - y),
      section: section.key,
      heading: section.heading,
      hierarchy: { lvl0: page.category, lvl1: page.title, lvl2: section.heading, lvl3: null, lvl4: null, lvl5: null, lvl6: null },
      part: i + 1,
      parts: pieces.length,
      text: piece,
      refs,
    };
    return { ...record, hash: recordHash(record) };
  });
}

/** The blocks of a section that hold its text: the lead leaves out a notice (a quotation). */
function contentBlocks(section: PageSection): RootContent[] {
  return section.key === LEAD_KEY ? section.blocks.filter((b) => b.type !== 'blockquote') : section.blocks;
}

/** Paragraphs and list items: the units in which pair articles may repeat a code's text. */
function textUnits(blocks: RootContent[]): string[] {
  return blocks.flatMap((block) => (block.type === 'list' ? block.children.map(blockText) : block.type === 'paragraph' ? [blockText(block)] : []));
}

const exported = (section: PageSection) => !NAVIGATION_KEYS.has(section.key);

/** Records of a code page, and the text units of each of them for the pairs of its language. */
export function codeRecords(page: KbPage, maxChars: number): { records: KbRecord[]; texts: CodeTexts } {
  const records: KbRecord[] = [];
  const texts: CodeTexts = new Map();
  const article = articleId(page.protocol, page.codes, page.lang);
  for (const section of page.sections.filter(exported)) {
    const blocks = contentBlocks(section);
    const text = blocks.map(blockText).filter(Boolean).join(BLOCK_SEPARATOR);
    if (!text) continue;
    texts.set(recordId(article, section.key), textUnits(blocks).filter((unit) => charLength(unit) >= MIN_SHARED_TEXT));
    records.push(...sectionRecords(page, section, text, [], maxChars));
  }
  return { records, texts };
}

/** The code record whose text `unit` repeats, if any. */
function repeated(unit: string, candidates: Array<[string, string[]]>): string | undefined {
  return candidates.find(([, units]) => units.some((shared) => unit.includes(shared)))?.[0];
}

/**
 * Records of a pair article. `codeTexts` holds the code records of the page's language (from
 * codeRecords); the lead refers to every code record the article shows, each other section to
 * those whose text it would otherwise repeat.
 */
export function pairRecords(page: KbPage, codeTexts: CodeTexts, maxChars: number): KbRecord[] {
  const codeArticles = page.codes.map((code) => articleId(page.protocol, [code], page.lang));
  const candidates = [...codeTexts].filter(([id]) => codeArticles.some((article) => id.startsWith(`${article}/`)));
  const shown: string[] = [];
  const own: Array<{ section: PageSection; text: string; refs: string[] }> = [];
  for (const section of page.sections.filter(exported)) {
    const code = codeOfKey(section.key);
    if (code !== undefined) {
      // A code's section in the article: its sub-sections are the code page's records.
      const article = articleId(page.protocol, [code], page.lang);
      shown.push(...section.subsections.map((key) => recordId(article, key)).filter((id) => codeTexts.has(id)));
      continue;
    }
    const codeSection = SHOWN_CODE_SECTIONS[section.key];
    if (codeSection !== undefined) {
      shown.push(...page.codes.map((code) => recordId(articleId(page.protocol, [code], page.lang), codeSection)).filter((id) => codeTexts.has(id)));
      continue;
    }
    const refs: string[] = [];
    const keep = (unit: string): boolean => {
      const ref = repeated(unit, candidates);
      if (ref && !refs.includes(ref)) refs.push(ref);
      return ref === undefined;
    };
    const parts = contentBlocks(section).map((block) => {
      if (block.type === 'list') return block.children.map(blockText).filter((item) => item && keep(item)).join('\n');
      const text = blockText(block);
      return block.type === 'paragraph' && !keep(text) ? '' : text;
    });
    shown.push(...refs);
    own.push({ section, text: parts.filter(Boolean).join(BLOCK_SEPARATOR), refs });
  }
  const leadRefs = [...new Set(shown)];
  return own
    .filter(({ text }) => text)
    .flatMap(({ section, text, refs }) => sectionRecords(page, section, text, section.key === LEAD_KEY ? leadRefs : refs, maxChars));
}
