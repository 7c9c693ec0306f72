/**
 * The portal layouts (see ./types.ts): from the pages the renderer makes to the files a portal
 * reads. Pure: the build writes what these functions return.
 */
import { composePage, FALLBACK_LANG, type RenderContext } from '../render/article.js';
import { diagramFile } from '../render/call-flow.js';
import { codeHeading } from '../render/views.js';
import { rankCurated } from '../compare/relevance.js';
import { translator } from '../render/i18n.js';
import { stripFallbackMarks } from '../translations/fallback.js';
import { pairSlug } from '../plan/jobs.js';
import type { Job } from '../types.js';
import { docusaurus } from './docusaurus.js';
import { hugo } from './hugo.js';
import { mkdocs } from './mkdocs.js';
import { vitepress } from './vitepress.js';
import { LAYOUTS, type LayoutName, type NavGroup, type Portal, type PortalFile, type PortalName, type PortalSite, type SourcePage } from './types.js';

export { LAYOUTS, type LayoutName, type PortalFile };

export const PORTALS: Record<PortalName, Portal> = { hugo, vitepress, docusaurus, mkdocs };

export const isLayout = (name: string): name is LayoutName => (LAYOUTS as readonly string[]).includes(name);

/** The portal of a layout, or undefined for `plain`. */
export const portalOf = (layout: LayoutName | undefined): Portal | undefined => (layout === undefined || layout === 'plain' ? undefined : PORTALS[layout]);

type LayoutContext = Pick<RenderContext, 'languages'>;

/** The language a portal serves by default: English when the build has it, else its first language. */
export function defaultLangOf(ctx: LayoutContext): string {
  return ctx.languages.some((l) => l.tag === FALLBACK_LANG) ? FALLBACK_LANG : ctx.languages[0]!.tag;
}

/** The files the page of `job` writes in `portal` (its Markdown, its diagram, a redirect stub). */
export function portalPaths(portal: Portal, ctx: LayoutContext & Pick<RenderContext, 'catalog' | 'byCode'>, job: Job): string[] {
  const site = { defaultLang: defaultLangOf(ctx) };
  const paths = [portal.pagePath(job, site)];
  if (job.kind === 'code' && ctx.catalog.protocol.example && ctx.byCode.get(job.codes[0]!)?.example) paths.push(portal.filePath(job, diagramFile(job.path, job.codes[0]!), site));
  return [...paths, ...portal.extraPaths(job, site)];
}

/** The page's files in `portal`. */
export function portalPage(portal: Portal, ctx: LayoutContext, source: SourcePage): PortalFile[] {
  return portal.page(source, { defaultLang: defaultLangOf(ctx) });
}

/** The site-level files of `portal` for the pages in `jobs` (every language of the build: a plan, gone through more than once). */
export function portalSiteFiles(portal: Portal, ctx: RenderContext, jobs: PortalSite['jobs']): PortalFile[] {
  return portal.site(portalSite(ctx, jobs));
}

/** Navigation and languages of the build, as every portal needs them. */
export function portalSite(ctx: RenderContext, jobs: PortalSite['jobs']): PortalSite {
  const protocol = ctx.catalog.protocol;
  const ranked = rankCurated(ctx.catalog.protocol, ctx.byCode, ctx.catalog.confusable);
  const curatedKeys = new Set(ranked.map(({ entry }) => `${protocol.id}-${pairSlug(entry.pair[0], entry.pair[1])}`));
  // The pages the navigation names, by language and translation key: the indexes, the code pages
  // and the curated pairs; not every pair (451,510 pages for 300 codes in ten languages).
  const built = new Set<string>();
  const byKey = new Map<string, Job>();
  for (const job of jobs) {
    built.add(job.lang);
    if (job.kind !== 'pair' || curatedKeys.has(job.translationKey)) byKey.set(`${job.lang}:${job.translationKey}`, job);
  }
  const languages = ctx.languages.filter((l) => built.has(l.tag)).map((l) => ({ tag: l.tag, name: l.name }));
  const nav = new Map<string, { home: string; groups: NavGroup[] }>();
  for (const { tag: lang } of languages) {
    const proto = translator(ctx.i18n, lang, protocol.id);
    const common = translator(ctx.i18n, lang, 'common');
    const text = (value: string) => stripFallbackMarks(value);
    const groups: NavGroup[] = [];
    const curated = ranked
      .map(({ entry }) => byKey.get(`${lang}:${protocol.id}-${pairSlug(entry.pair[0], entry.pair[1])}`))
      .filter((job): job is Job => job !== undefined);
    // The most-confused pairs first, labelled with their page titles.
    if (curated.length) groups.push({ id: 'confused', label: text(common.t('sections.mostConfused')), items: curated.map((job) => ({ label: composePage(ctx, job).meta.title, job })) });
    for (const cls of protocol.classes) {
      const items = ctx.catalog.codes
        .filter((c) => c.classId === cls.id)
        .map((c) => ({ code: c, job: byKey.get(`${lang}:${protocol.id}-${c.code}`) }))
        .filter((item): item is { code: (typeof item)['code']; job: Job } => item.job !== undefined)
        .map(({ code, job }) => ({ label: text(codeHeading(ctx, lang, code)), job }));
      if (items.length) groups.push({ id: cls.id, label: text(proto.t(`classTitles.${cls.id}`)), items });
    }
    const index = byKey.get(`${lang}:index`);
    nav.set(lang, { home: index ? composePage(ctx, index).meta.title : lang, groups });
  }
  const rootTitle = stripFallbackMarks(translator(ctx.i18n, FALLBACK_LANG, protocol.id).t('title.index'));
  return { languages, defaultLang: languages.some((l) => l.tag === FALLBACK_LANG) ? FALLBACK_LANG : languages[0]!.tag, jobs, nav, rootTitle };
}
