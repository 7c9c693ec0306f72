/**
 * sitemap.xml and robots.txt for the pages of a build: one <url> per HTML page with its hreflang
 * alternates (xhtml:link) and x-default, only for the languages whose pages this build writes.
 * Redirect stubs (the reversed URL of a pair) are never listed. Past the protocol's limits (50,000
 * URLs or 50 MB in one file) the entries are split into numbered sitemaps behind a sitemap index.
 * Pure: takes the planned jobs, gives file contents; no timestamps (no lastmod).
 *
 * Made as it is read, never whole: 300 codes in ten languages list 451,510 pages in ~450 MB of
 * XML, which made in memory (with its entries, sorted) took a build of two languages from 268 MB
 * to 477 MB. The <url> elements come in the order of the pages (the root page first), each made
 * when asked for: once to measure and hash the files (sitemapFiles), again for a file written.
 */
import { createHash } from 'node:crypto';
import { isHome, protocolOfPath } from '../plan/jobs.js';
import type { Job } from '../types.js';

/** The protocol's limits for one sitemap file (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

export const SITEMAP_PATH = 'sitemap.xml';
export const ROBOTS_PATH = 'robots.txt';

export interface SitemapLimits {
  maxUrls: number;
  maxBytes: number;
}

/** A file of the sitemap: its text, or (a list of URLs) its hash and its text in chunks, made each time they are asked for. */
export type SitemapFile = { path: string; content: string } | { path: string; hash: string; chunks: () => Iterable<string> };

const escapeXml = (text: string) =>
  /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!) : text;

/** A path the URL of which is the base's folder followed by the path as it is: no empty, `.` or `..` segment, nothing a URL escapes or reads apart. */
const PLAIN_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** The URL of the folder a relative path is read from: the base up to its last `/`. */
const folderOf = (baseUrl: string): string => new URL('x', baseUrl).href.slice(0, -1);

/** The absolute URL of a path of the site; the base's folder joined to a plain path (one URL parsed for them all, not one each). */
function absoluteUrls(baseUrl: string): (path: string) => string {
  const folder = folderOf(baseUrl);
  return (path) => (PLAIN_PATH.test(path) ? `${folder}${path}` : new URL(path, baseUrl).href);
}

/**
 * The pages a sitemap lists: every page of `jobs` (all shards of the build, not one; gone
 * through once here and again for each time the URLs are made) that is `listed`, and the root
 * page. `rootPage` is the path of the language chooser, the x-default of the per-language home
 * pages; `defaultLang` is the language whose page is the x-default of every other page.
 *
 * A page's alternates are its pages in the other languages of its catalog (the home pages: of
 * the home pages). A catalog has the same pages in each of its languages, and whether a page is
 * listed does not depend on its language (see `indexed`), so these are the languages the listed
 * pages of its catalog are in, found in one pass over the pages.
 */
export class Sitemap {
  /** The absolute URL of a path of the site. */
  readonly url: (path: string) => string;
  /** The languages of each catalog's listed pages (by protocol; '' for the home pages), in the order of the pages. */
  private readonly languages = new Map<string, string[]>();
  /**
   * What each alternate of a family's page begins with, up to the page's path without its
   * language (`<xhtml:link … href="https://…/de`), when every language tag is a plain path:
   * a page whose path is plain as well has its elements joined from these (see urls).
   */
  private readonly heads = new Map<string, string[]>();
  /** The base's folder, as XML text. */
  private readonly folder: string;

  constructor(
    private readonly jobs: Iterable<Job>,
    private readonly listed: (job: Job) => boolean,
    baseUrl: string,
    private readonly rootPage: string,
    private readonly defaultLang = 'en',
  ) {
    this.url = absoluteUrls(baseUrl);
    this.folder = escapeXml(folderOf(baseUrl));
    for (const job of jobs) {
      if (!listed(job)) continue;
      const family = familyOf(job);
      const langs = this.languages.get(family) ?? [];
      if (!langs.includes(job.lang)) langs.push(job.lang);
      this.languages.set(family, langs);
    }
    for (const [family, langs] of this.languages) {
      if (langs.every((lang) => PLAIN_PATH.test(lang))) this.heads.set(family, langs.map((lang) => `${LINK_START}${lang}${LINK_HREF}${this.folder}${lang}`));
    }
  }

  /** The <url> elements from the `from`-th to before the `to`-th (the root page's first), each made as it is taken. */
  *urls(from = 0, to = Infinity): Generator<string> {
    let at = 0;
    const homes = this.languages.get('');
    if (homes) {
      if (at >= from && at < to) yield this.element(this.rootPage, this.links(homes, '/index', this.rootPage));
      at++;
    }
    if (at >= to) return;
    for (const job of this.jobs) {
      if (!this.listed(job)) continue;
      if (at >= from) {
        const family = familyOf(job);
        const langs = this.languages.get(family)!;
        const rest = job.path.slice(job.lang.length);
        const home = isHome(job);
        const fallback = home ? this.rootPage : langs.includes(this.defaultLang) ? `${this.defaultLang}${rest}.html` : undefined;
        const heads = this.heads.get(family);
        if (heads && PLAIN_PATH.test(job.path)) {
          // The same text as below, joined from parts made once: no URL to make or text to escape.
          let links = '';
          for (const head of heads) links += `${head}${rest}${LINK_END}`;
          if (fallback !== undefined) links += home ? link('x-default', this.url(fallback)) : `${LINK_START}x-default${LINK_HREF}${this.folder}${fallback}${LINK_CLOSE}`;
          yield `<url>\n<loc>${this.folder}${job.path}.html</loc>\n${links}</url>\n`;
        } else yield this.element(`${job.path}.html`, this.links(langs, rest, fallback));
      }
      if (++at >= to) return;
    }
  }

  /** The alternates of a page whose path in each language is `<lang><rest>`, and its x-default when it has one. */
  private links(langs: readonly string[], rest: string, fallback: string | undefined): string {
    let links = '';
    for (const lang of langs) links += link(lang, this.url(`${lang}${rest}.html`));
    return fallback === undefined ? links : links + link('x-default', this.url(fallback));
  }

  private element(path: string, links: string): string {
    return `<url>\n<loc>${escapeXml(this.url(path))}</loc>\n${links}</url>\n`;
  }
}

const LINK_START = '<xhtml:link rel="alternate" hreflang="';
const LINK_HREF = '" href="';
const LINK_CLOSE = '"/>\n';
const LINK_END = `.html${LINK_CLOSE}`;
const link = (hreflang: string, href: string) => `${LINK_START}${escapeXml(hreflang)}${LINK_HREF}${escapeXml(href)}${LINK_CLOSE}`;

/** The pages whose alternates are one another's: a catalog's (by its protocol), or the home pages (''). */
const familyOf = (job: Job): string => (isHome(job) ? '' : (protocolOfPath(job.path) ?? ''));

const URLSET_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n';
const URLSET_CLOSE = '</urlset>\n';
/** Characters of a sitemap's text handed to its hash at once. */
const HASHED_AT_ONCE = 1 << 16;

/**
 * The sitemap files: `sitemap.xml` alone when every entry fits in one file, otherwise
 * `sitemap.xml` as a sitemap index of `sitemap-1.xml` … `sitemap-N.xml`. The URLs are made once
 * here, to cut them into files and hash each; a file's chunks make its URLs again.
 */
export function sitemapFiles(sitemap: Sitemap, limits: SitemapLimits = { maxUrls: SITEMAP_MAX_URLS, maxBytes: SITEMAP_MAX_BYTES }): SitemapFile[] {
  const fixed = Buffer.byteLength(URLSET_OPEN) + Buffer.byteLength(URLSET_CLOSE);
  const parts: Array<{ from: number; to: number; hash: string }> = [];
  let from = 0;
  let at = 0;
  let bytes = fixed;
  let hash = createHash('sha256');
  // The text hashed, a few dozen URLs at a time (an update a URL cost more than the hashing).
  let pending = URLSET_OPEN;
  const close = () => parts.push({ from, to: at, hash: hash.update(pending + URLSET_CLOSE).digest('hex') });
  for (const xml of sitemap.urls()) {
    const size = Buffer.byteLength(xml);
    if (at > from && (at - from >= limits.maxUrls || bytes + size > limits.maxBytes)) {
      close();
      from = at;
      bytes = fixed;
      hash = createHash('sha256');
      pending = URLSET_OPEN;
    }
    pending += xml;
    if (pending.length >= HASHED_AT_ONCE) {
      hash.update(pending);
      pending = '';
    }
    bytes += size;
    at++;
  }
  close();
  const file = (path: string, part: (typeof parts)[number]): SitemapFile => ({
    path,
    hash: part.hash,
    chunks: function* () {
      yield URLSET_OPEN;
      yield* sitemap.urls(part.from, part.to);
      yield URLSET_CLOSE;
    },
  });
  if (parts.length === 1) return [file(SITEMAP_PATH, parts[0]!)];
  const files = parts.map((part, i) => file(`sitemap-${i + 1}.xml`, part));
  const index = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
    ...files.map((f) => `<sitemap>\n<loc>${escapeXml(sitemap.url(f.path))}</loc>\n</sitemap>\n`),
    '</sitemapindex>\n',
  ].join('');
  return [{ path: SITEMAP_PATH, content: index }, ...files];
}

/** robots.txt: everything may be crawled; the sitemap is named when the site URL is known. */
export function robotsTxt(baseUrl: string | undefined): string {
  const lines = ['User-agent: *', 'Allow: /'];
  if (baseUrl) lines.push('', `Sitemap: ${absoluteUrls(baseUrl)(SITEMAP_PATH)}`);
  return `${lines.join('\n')}\n`;
}
