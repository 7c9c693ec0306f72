/**
 * Output layouts: `plain` is codepairs' own site (Markdown, HTML pages, sitemap, search); a portal
 * layout writes only the Markdown articles, re-pathed and with the front matter one documentation
 * portal reads, plus that portal's navigation data, i18n config snippet and redirect entries.
 */
import type { Job } from '../types.js';

export const LAYOUTS = ['plain', 'hugo', 'vitepress', 'docusaurus', 'mkdocs'] as const;
export type LayoutName = (typeof LAYOUTS)[number];
export type PortalName = Exclude<LayoutName, 'plain'>;

export interface PortalFile {
  path: string;
  content: string;
}

/** A page as the plain build makes it: its final Markdown and the files it owns (a diagram). */
export interface SourcePage {
  job: Job;
  /** The normalized Markdown with its YAML front matter. */
  markdown: string;
  /** Files beside the page, by their plain output path (`en/sip/diagrams/183.svg`). */
  files: PortalFile[];
  /** The front matter the page's template was given, and its data: read from there, not parsed again, when it is the page's whole front matter. */
  frontMatter?: { text: string; data: Readonly<Record<string, unknown>> };
}

/** One language of the build as a portal sees it. */
export interface PortalLanguage {
  tag: string;
  /** The language's name in that language. */
  name: string;
}

/** A group of the navigation: a code class, or the most-confused pairs. */
export interface NavGroup {
  /** Stable id (the class id, or `confused`). */
  id: string;
  label: string;
  items: Array<{ label: string; job: Job }>;
}

/** What the site-level files of a portal are made from. */
export interface PortalSite {
  languages: PortalLanguage[];
  /** The language a portal serves by default: English when built, else the first built language. */
  defaultLang: string;
  /** Every page of the build (all languages): a plan (or a list), gone through more than once, never made into a list of every page. */
  jobs: Iterable<Job> & { filter(test: (job: Job) => boolean): Job[] };
  /** The navigation of each language, grouped by code class, with the most-confused pairs. */
  nav: Map<string, { home: string; groups: NavGroup[] }>;
  /** Title of the page at the site root (a language chooser where the portal needs one). */
  rootTitle: string;
}

export interface Portal {
  name: PortalName;
  /** Where the page's Markdown goes, from its job. */
  pagePath(job: Job, site: Pick<PortalSite, 'defaultLang'>): string;
  /** Where a file the page owns goes, from its plain output path. */
  filePath(job: Job, plainPath: string, site: Pick<PortalSite, 'defaultLang'>): string;
  /** Extra files of a page besides its Markdown and owned files (a redirect stub). */
  extraPaths(job: Job, site: Pick<PortalSite, 'defaultLang'>): string[];
  /** The page's files: its Markdown in the portal's shape, its owned files, its extras. */
  page(source: SourcePage, site: Pick<PortalSite, 'defaultLang'>): PortalFile[];
  /** Site-level files: navigation, i18n config snippet, redirect entries. */
  site(site: PortalSite): PortalFile[];
}
