/**
 * Pure helpers the portal layouts share: a page's Markdown split into its front matter and body,
 * front matter written back, the page's internal links found and rewritten.
 */
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { frontMatterYaml } from '../render/front-matter.js';
import type { Job } from '../types.js';
import type { SourcePage } from './types.js';

export interface SplitPage {
  data: Record<string, unknown>;
  body: string;
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---\n/;

/**
 * The page's YAML front matter as data, and the Markdown after it. With `known`, the front matter
 * the page's template was given, its data is taken as it is when it is the page's whole front
 * matter, instead of parsing the YAML it was written as (about a third of a portal page's time).
 */
export function splitFrontMatter(markdown: string, known?: SourcePage['frontMatter']): SplitPage {
  const match = FRONT_MATTER.exec(markdown);
  if (!match) return { data: {}, body: markdown };
  const data = known && match[1] === known.text ? { ...known.data } : ((parseYaml(match[1]!) ?? {}) as Record<string, unknown>);
  return { data, body: markdown.slice(match[0].length).replace(/^\n+/, '') };
}

/** Front matter and body back into one Markdown file; keys with an undefined value are left out. */
export function joinFrontMatter(data: Record<string, unknown>, body: string): string {
  const defined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  return `---\n${frontMatterYaml(defined)}\n---\n\n${body}`;
}

/**
 * Markdown links to other pages of the build, as remark writes them: `[label](183.md)`,
 * `[label](../index.md)`, with an optional `#fragment`. Links with a scheme or an absolute path
 * are not internal and are left alone; images (`![…](…)`) are not links to pages.
 */
const INTERNAL_LINK = /(?<!!)(\[(?:[^\]\\]|\\.)*\]\()([^()\s:#]+\.md)(#[^()\s]*)?\)/g;

/**
 * Rewrite every internal link of `body` (on the page of `job`): `to` gets the linked page's path
 * as the plain build has it, without `.md` (`en/sip/183`), and the fragment, and returns the new
 * link target.
 */
export function rewriteLinks(body: string, job: Job, to: (target: string, fragment: string) => string): string {
  return body.replace(INTERNAL_LINK, (_all, open: string, url: string, fragment: string | undefined) => {
    const target = posix.join(posix.dirname(job.path), url).replace(/\.md$/, '');
    return `${open}${to(target, fragment ?? '')})`;
  });
}

const RELATIVE_IMAGE = /(!\[(?:[^\]\\]|\\.)*\]\()([^()\s:#]+)\)/g;

/** Rewrite the relative image URLs of `body` (on the page of `job`): `to` gets the image's plain output path. */
export function rewriteImages(body: string, job: Job, to: (target: string) => string): string {
  return body.replace(RELATIVE_IMAGE, (_all, open: string, url: string) => `${open}${to(posix.join(posix.dirname(job.path), url))})`);
}

/** The page's path without its language folder: `sip/183`, `index`. */
export const pathInLanguage = (job: Job | { lang: string; path: string }): string => job.path.slice(job.lang.length + 1);

/** The reversed order of a pair's slug (`439-vs-183` for `183-vs-439`). */
export function reversedSlug(job: Job): string {
  const [low, high] = job.codes as [number, number];
  return `${high}-vs-${low}`;
}

/** A sort weight that keeps the catalog's order: the index first, codes by number, pairs by their codes. */
export function weightOf(job: Job): number {
  if (job.kind === 'index') return 1;
  if (job.kind === 'code') return job.codes[0]!;
  return job.codes[0]! * 1000 + job.codes[1]!;
}
