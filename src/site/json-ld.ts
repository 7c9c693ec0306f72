/**
 * Structured data for an article page: a schema.org TechArticle as JSON-LD, safe to place
 * inside <script type="application/ld+json"> whatever the text holds.
 */
import type { Job } from '../types.js';

export interface ArticleData {
  job: Job;
  headline: string;
  description: string;
  /** Absolute URL of the page, when the site URL is known. */
  url: string | undefined;
  /** The names of the codes the page is about, e.g. "SIP 183 Session Progress". */
  about: string[];
}

/**
 * JSON with `<`, `>` and `&` written as \u escapes (so `</script>` or `<!--` in a text cannot end
 * or change the script element) and U+2028/U+2029 escaped for old JavaScript parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The TechArticle of a code or pair page; index pages are lists, not articles, and get none. */
export function articleJsonLd(data: ArticleData): string | undefined {
  if (data.job.kind === 'index') return undefined;
  return scriptSafeJson({
    '@context': 'https://schema.org',
    '@type': 'TechArticle',
    headline: data.headline,
    description: data.description,
    inLanguage: data.job.lang,
    ...(data.url ? { url: data.url, mainEntityOfPage: data.url } : {}),
    about: data.about.map((name) => ({ '@type': 'Thing', name })),
  });
}
