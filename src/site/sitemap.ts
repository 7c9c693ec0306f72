/**
 * sitemap.xml and robots.txt for the pages of a build: one <url> per HTML page with its hreflang
 * alternates (xhtml:link) and x-default, only for the languages whose pages this build writes.
 * Redirect stubs (the reversed URL of a pair) are never listed. Past the protocol's limits (50,000
 * URLs or 50 MB in one file) the entries are split into numbered sitemaps behind a sitemap index.
 * Pure: takes the planned jobs, returns file contents; no timestamps (no lastmod).
 */
import type { Job } from '../types.js';
import { isHome } from '../plan/jobs.js';

/** The protocol's limits for one sitemap file (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

export const SITEMAP_PATH = 'sitemap.xml';
export const ROBOTS_PATH = 'robots.txt';

export interface SitemapLimits {
  maxUrls: number;
  maxBytes: number;
}

interface Entry {
  loc: string;
  alternates: Array<{ hreflang: string; href: string }>;
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const absolute = (baseUrl: string, path: string) => new URL(path, baseUrl).href;

/**
 * The entries of every page in `jobs` (all shards of the build, not one) plus the root page.
 * `rootPage` is the path of the language chooser, the x-default of the per-language home pages;
 * `defaultLang` is the language whose page is the x-default of every other page.
 */
export function sitemapEntries(jobs: Iterable<Job>, baseUrl: string, rootPage: string, defaultLang = 'en'): Entry[] {
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const group = groups.get(job.translationKey) ?? [];
    group.push(job);
    groups.set(job.translationKey, group);
  }
  const entries: Entry[] = [];
  for (const group of groups.values()) {
    const alternates = group.map((j) => ({ hreflang: j.lang, href: absolute(baseUrl, `${j.path}.html`) }));
    const english = group.find((j) => j.lang === defaultLang);
    const fallback = isHome(group[0]!) ? rootPage : english && `${english.path}.html`;
    if (fallback) alternates.push({ hreflang: 'x-default', href: absolute(baseUrl, fallback) });
    for (const job of group) entries.push({ loc: absolute(baseUrl, `${job.path}.html`), alternates });
    if (isHome(group[0]!)) entries.push({ loc: absolute(baseUrl, rootPage), alternates });
  }
  return entries.sort((a, b) => (a.loc < b.loc ? -1 : a.loc > b.loc ? 1 : 0));
}

const URLSET_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n';
const URLSET_CLOSE = '</urlset>\n';

function urlXml(entry: Entry): string {
  const links = entry.alternates.map((a) => `<xhtml:link rel="alternate" hreflang="${escapeXml(a.hreflang)}" href="${escapeXml(a.href)}"/>\n`).join('');
  return `<url>\n<loc>${escapeXml(entry.loc)}</loc>\n${links}</url>\n`;
}

/**
 * The sitemap files: `sitemap.xml` alone when every entry fits in one file, otherwise
 * `sitemap.xml` as a sitemap index of `sitemap-1.xml` … `sitemap-N.xml`.
 */
export function sitemapFiles(entries: Entry[], baseUrl: string, limits: SitemapLimits = { maxUrls: SITEMAP_MAX_URLS, maxBytes: SITEMAP_MAX_BYTES }): Array<{ path: string; content: string }> {
  const fixed = Buffer.byteLength(URLSET_OPEN) + Buffer.byteLength(URLSET_CLOSE);
  const parts: string[][] = [[]];
  let bytes = fixed;
  for (const entry of entries) {
    const xml = urlXml(entry);
    const size = Buffer.byteLength(xml);
    const current = parts[parts.length - 1]!;
    if (current.length > 0 && (current.length >= limits.maxUrls || bytes + size > limits.maxBytes)) {
      parts.push([xml]);
      bytes = fixed + size;
    } else {
      current.push(xml);
      bytes += size;
    }
  }
  const urlset = (urls: string[]) => `${URLSET_OPEN}${urls.join('')}${URLSET_CLOSE}`;
  if (parts.length === 1) return [{ path: SITEMAP_PATH, content: urlset(parts[0]!) }];
  const files = parts.map((urls, i) => ({ path: `sitemap-${i + 1}.xml`, content: urlset(urls) }));
  const index = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
    ...files.map((f) => `<sitemap>\n<loc>${escapeXml(absolute(baseUrl, f.path))}</loc>\n</sitemap>\n`),
    '</sitemapindex>\n',
  ].join('');
  return [{ path: SITEMAP_PATH, content: index }, ...files];
}

/** robots.txt: everything may be crawled; the sitemap is named when the site URL is known. */
export function robotsTxt(baseUrl: string | undefined): string {
  const lines = ['User-agent: *', 'Allow: /'];
  if (baseUrl) lines.push('', `Sitemap: ${absolute(baseUrl, SITEMAP_PATH)}`);
  return `${lines.join('\n')}\n`;
}
