/**
 * A page in a portal layout: the page's Markdown as the plain build makes it (without the HTML
 * stage), then re-shaped for the portal. Pure.
 */
import { composePage, type RenderContext } from '../render/article.js';
import { processMarkdownOnly } from '../render/processors.js';
import { hasFallbackMarks } from '../translations/fallback.js';
import type { Job, RenderTimings } from '../types.js';
import { portalPage } from './index.js';
import type { Portal, PortalFile } from './types.js';

export function renderPortalPage(ctx: RenderContext, portal: Portal, job: Job, timings?: Pick<RenderTimings, 'render' | 'markdown'>): PortalFile[] {
  const t0 = timings ? performance.now() : 0;
  const page = composePage(ctx, job);
  const t1 = timings ? performance.now() : 0;
  const markdown = processMarkdownOnly(page.source, page.options);
  const t2 = timings ? performance.now() : 0;
  if (hasFallbackMarks(markdown)) throw new Error(`A fallback mark was left in ${job.path}`);
  const files = portalPage(portal, ctx, { job, markdown, files: page.files, frontMatter: page.frontMatter });
  if (timings) {
    timings.render += t1 - t0 + (performance.now() - t2);
    timings.markdown += t2 - t1;
  }
  return files;
}
