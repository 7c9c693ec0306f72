/**
 * The files that make the output a site besides its pages: sitemap.xml (only with a site URL,
 * since a sitemap holds absolute URLs), robots.txt and the 404 page. Pure.
 */
import { ROOT_PAGE, indexed, type RenderContext } from '../render/article.js';
import type { Job } from '../types.js';
import { NOT_FOUND_PATH, renderNotFoundPage } from './not-found.js';
import { ROBOTS_PATH, Sitemap, robotsTxt, sitemapFiles, type SitemapFile, type SitemapLimits } from './sitemap.js';

/** A site file: its text, or (the sitemap's lists of URLs, see src/site/sitemap.ts) its hash and its text in chunks. */
export type SiteFile = SitemapFile;

/**
 * `jobs` are every page of the build's languages (all shards), so each shard writes the same
 * bytes; they are gone through more than once (a plan, not a generator). The sitemap lists a page in a language only when this build writes that language, and
 * leaves out the pages marked `noindex` (see `noindexBelow`).
 */
export function siteFiles(ctx: RenderContext, jobs: Iterable<Job>, limits?: SitemapLimits, isIndexed: (job: Job) => boolean = (job) => indexed(ctx, job)): SiteFile[] {
  const files: SiteFile[] = [];
  if (ctx.baseUrl) files.push(...sitemapFiles(new Sitemap(jobs, isIndexed, ctx.baseUrl, `${ROOT_PAGE}.html`), limits));
  files.push({ path: ROBOTS_PATH, content: robotsTxt(ctx.baseUrl) });
  files.push({ path: NOT_FOUND_PATH, content: renderNotFoundPage(ctx.i18n, ctx.languages, ctx.baseUrl) });
  return files;
}
