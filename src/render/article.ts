/**
 * Job → Article: fill the page template, parse the Markdown once with unified, and wrap the
 * HTML fragment in the layout with canonical, hreflang alternates and a language switcher.
 * No disk I/O here.
 */
import { posix } from 'node:path';
import type { Article, Job, Language, PageRecord, RenderTimings, StatusCode } from '../types.js';
import { fallbackUnitsOf, hasFallbackMarks, stripFallbackMarks } from '../translations/fallback.js';
import { frontMatterYaml } from './front-matter.js';
import { translator } from './i18n.js';
import { optionsKey, processMarkdown, processMarkdownWhole, type PreviousPage, type ProcessOptions } from './processors.js';
import { keyOf, sectionKeyMap, type SectionKeys } from './section-keys.js';
import { typeset, type Typography } from './plugins/remark-typography.js';
import { templateErrorMessage, type CompiledTemplates } from './templates.js';
import { articleJsonLd } from '../site/json-ld.js';
import { searchBundle } from '../site/search-bundle.js';
import { codeHeading, codeView, homeView, indexView, pairRelevance, pairView, type PageMeta, type ViewContext } from './views.js';
import { cached } from './view-cache.js';
import { homeJob, isHome } from '../plan/jobs.js';
import type { InputHashes } from '../plan/incremental.js';
import type { LayoutName } from '../layouts/types.js';

export interface RenderContext extends ViewContext {
  templates: CompiledTemplates;
  languages: Language[];
  /** Site base URL ending in "/", or undefined for relative links that work from disk. */
  baseUrl: string | undefined;
  /** How the Markdown output shows call-flow diagrams: the SVG image (default) or Mermaid. */
  diagrams?: DiagramFormat;
  /** The hash of each page's inputs (front matter `sourceHash`; incremental builds compare it). */
  hashes: InputHashes;
  /** Unit id of each fallback start mark (see src/translations/fallback.ts). */
  fallbackIds: string[];
  /** The build writes a Pagefind search index: the home pages of the languages show a search box. */
  search?: boolean;
  /** Pair pages with a relevance below this are not for search engines (see `indexed`). */
  noindexBelow?: number;
  /** The output layout (src/layouts): `plain` (the default) or a portal's. */
  layout?: LayoutName;
}

/** The language of the English text shown for stale and missing translations. */
export const FALLBACK_LANG = 'en';

export const DIAGRAM_FORMATS = ['svg', 'mermaid'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export const STYLESHEET_PATH = 'assets/style.css';
export const ROOT_PAGE = 'index';

/** A URL for `target` (a path under out/ with extension) as seen from the page at `from`. */
export function urlFor(ctx: Pick<RenderContext, 'baseUrl'>, from: string, target: string): string {
  if (ctx.baseUrl) return new URL(target, ctx.baseUrl).href;
  const fromDir = posix.dirname(from);
  const cut = target.lastIndexOf('/');
  // Inside the target's own path (never for a file): as path.relative says it.
  if (cut === -1 || fromDir === target || fromDir.startsWith(`${target}/`)) return posix.relative(fromDir, target) || posix.basename(target);
  // The way from folder to folder is the same for every page of a folder (ten languages: 20 links a page).
  const up = folderTo(fromDir, target.slice(0, cut));
  const name = target.slice(cut + 1);
  return up ? `${up}/${name}` : name;
}

/** path.relative between two folders, remembered. */
const folderWays = new Map<string, string>();
function folderTo(from: string, to: string): string {
  const id = `${from}\u0000${to}`;
  let way = folderWays.get(id);
  if (way === undefined) {
    if (folderWays.size >= 10_000) folderWays.clear();
    folderWays.set(id, (way = posix.relative(from, to)));
  }
  return way;
}

/**
 * Whether search engines may index the page: every page, unless the project sets
 * `noindexBelow` and the page is a pair less relevant than that.
 */
export function indexed(ctx: Pick<RenderContext, 'noindexBelow'> & Parameters<typeof pairRelevance>[0], job: Job): boolean {
  if (ctx.noindexBelow === undefined || job.kind !== 'pair') return true;
  return pairRelevance(ctx, job.codes[0]!, job.codes[1]!) >= ctx.noindexBelow;
}

const otherLanguagePath = (job: Job, lang: string) => `${lang}${job.path.slice(job.lang.length)}`;

/** A page's front matter: its YAML and the data it was written from. */
export interface FrontMatter {
  text: string;
  data: Readonly<Record<string, unknown>>;
}

function frontMatter(job: Job, meta: PageMeta, ctx: RenderContext, protocol: string, untranslated: string[]): FrontMatter {
  const hash = ctx.hashes.page(job);
  const data: Record<string, unknown> = {
    title: meta.title,
    description: meta.description,
    lang: job.lang,
    protocol,
    ...(job.codes.length ? { codes: job.codes } : {}),
    slug: posix.basename(job.path),
    translationKey: job.translationKey,
    ...(job.kind === 'pair' ? { relevance: pairRelevance(ctx, job.codes[0]!, job.codes[1]!) } : {}),
    ...(indexed(ctx, job) ? {} : { noindex: true }),
    sourceHash: `sha256:${hash}`,
    ...(untranslated.length ? { fallback: { lang: FALLBACK_LANG, keys: untranslated } } : {}),
  };
  if (job.codes.length) {
    const keywords = job.codes.flatMap((c) => ctx.byCode.get(c)!.aliases);
    if (keywords.length) data.keywords = keywords;
  }
  return { text: frontMatterYaml(data), data };
}

/** A label of the layout, without fallback marks, and the language to declare if it is English. */
function layoutLabel(text: string): { label: string; lang?: string } {
  return hasFallbackMarks(text) ? { label: stripFallbackMarks(text), lang: FALLBACK_LANG } : { label: text };
}

function layoutLabels(ctx: RenderContext, lang: string) {
  const common = translator(ctx.i18n, lang, 'common');
  return { home: common.t('site.home'), languages: common.t('site.languages'), search: common.t('site.search') };
}

function layout(ctx: RenderContext, job: Job, meta: PageMeta, body: string): string {
  const from = `${job.path}.html`;
  const labels = layoutLabels(ctx, job.lang);
  const home = layoutLabel(labels.home);
  const languages = layoutLabel(labels.languages);
  const hrefs = ctx.languages.map((l) => urlFor(ctx, from, `${otherLanguagePath(job, l.tag)}.html`));
  const alternates = ctx.languages.map((l, i) => ({ hreflang: l.tag, href: hrefs[i]! }));
  const xDefault = isHome(job) ? `${ROOT_PAGE}.html` : `${otherLanguagePath(job, 'en')}.html`;
  // Like the sitemap: no x-default to an English page the build does not write.
  if (isHome(job) || ctx.languages.some((l) => l.tag === 'en')) alternates.push({ hreflang: 'x-default', href: urlFor(ctx, from, xDefault) });
  return fill('layout.html', ctx.templates.layout, {
    lang: job.lang,
    title: meta.title,
    description: meta.description,
    canonical: urlFor(ctx, from, from),
    alternates,
    stylesheet: urlFor({ baseUrl: undefined }, from, STYLESHEET_PATH),
    home: { href: urlFor(ctx, from, `${job.lang}/index.html`), label: home.label, lang: home.lang ?? '' },
    languagesLabel: languages.label,
    languagesLang: languages.lang ?? '',
    switcher: ctx.languages.map((l, i) => ({
      name: l.name,
      hreflang: l.tag,
      href: hrefs[i]!,
      current: l.tag === job.lang,
    })),
    body,
    indexable: true,
    robots: indexed(ctx, job) ? '' : 'noindex',
    jsonLd:
      articleJsonLd({
        job,
        headline: meta.title,
        description: meta.description,
        url: ctx.baseUrl ? urlFor(ctx, from, from) : undefined,
        about: job.codes.map((c) => `${ctx.catalog.protocol.name} ${c} ${ctx.byCode.get(c)!.reason}`),
      }) ?? '',
    search: job.kind === 'index' && ctx.search ? searchBox(from, job.lang, labels.search) : '',
  });
}

/** The Pagefind search box of a language's home page, searching the language's bundle (the files are written by the search stage). */
function searchBox(from: string, lang: string, text: string) {
  const label = layoutLabel(text);
  const local = (target: string) => urlFor({ baseUrl: undefined }, from, target);
  // The site root as seen from the page, so result links work wherever the site is served.
  return { label: label.label, lang: label.lang ?? '', css: local(`${searchBundle(lang)}/pagefind-ui.css`), js: local(`${searchBundle(lang)}/pagefind-ui.js`), root: local('index.html').replace(/index\.html$/, '') || './' };
}

/** A page's Markdown before unified sees it, with what processing it needs. */
export interface ComposedPage {
  job: Job;
  /** Files the page owns besides itself (a code page's diagram). */
  files: NonNullable<Article['files']>;
  meta: PageMeta;
  source: string;
  /** The front matter the template was given (the template may write more around it). */
  frontMatter: FrontMatter;
  options: ProcessOptions;
}

/** Job → the filled Markdown template and its title and description, typeset. */
export function composePage(ctx: RenderContext, job: Job): ComposedPage {
  const protocol = ctx.catalog.protocol.id;
  const typography = typographyOf(ctx, job.lang);
  const built = job.kind === 'pair' ? pairView(ctx, job) : job.kind === 'code' ? codeView(ctx, job) : indexView(ctx, job);
  const meta = shownMeta(built.meta, typography);
  const { untranslated, notice } = shownInEnglish(ctx, job.lang, built);
  const front = frontMatter(job, meta, ctx, protocol, untranslated);
  const source = fill(`${job.kind}.md`, ctx.templates[job.kind], { ...built.view, notice, frontMatter: front.text });
  const files = 'files' in built ? built.files : [];
  const diagrams = ctx.diagrams === 'mermaid' && 'mermaid' in built ? built.mermaid() : {};
  const mermaid = Object.keys(diagrams).length ? { mermaid: diagrams } : {};
  return { job, meta, source, frontMatter: front, files, options: { lang: job.lang, typography, sectionKeys: sectionKeysOf(ctx, job.lang, typography), ...mermaid } };
}

/** A page's title and description as shown: without fallback marks, typeset. */
function shownMeta(meta: PageMeta, typography: Typography): PageMeta {
  return { title: typeset(stripFallbackMarks(meta.title), typography), description: typeset(stripFallbackMarks(meta.description), typography) };
}

/**
 * The units a page shows in English (those whose fallback marks are in its view or its layout),
 * and the notice that says so (empty when there are none).
 */
function shownInEnglish(ctx: RenderContext, lang: string, view: unknown): { untranslated: string[]; notice: string } {
  const untranslated = ctx.fallbackIds.length ? fallbackUnitsOf([view, layoutLabels(ctx, lang)], ctx.fallbackIds) : [];
  return { untranslated, notice: untranslated.length ? fallbackNotice(ctx, lang) : '' };
}

/** A language's typography, one object per language entry (caches key on it). */
const typographies = new WeakMap<object, Typography>();

export function typographyOf(ctx: Pick<RenderContext, 'languages'>, lang: string): Typography {
  const language = ctx.languages.find((l) => l.tag === lang);
  let typography = language && typographies.get(language);
  if (!typography) {
    typography = { cjkLatinSpacing: language?.cjkLatinSpacing === true, frenchSpacing: language?.frenchSpacing === true };
    if (language) typographies.set(language, typography);
  }
  return typography;
}

function sectionKeysOf(ctx: RenderContext, lang: string, typography: Typography): SectionKeys {
  return cached(ctx, lang, 'sectionKeys', () => sectionKeyMap(ctx, lang, typography));
}

/** A page's files from the previous build with its record, and the key its language's pieces were processed with there. */
export interface PreviousFiles extends PreviousPage {
  key: string | undefined;
}

/** The key of what the pages of `lang` are processed with (see optionsKey), once per language. */
export function piecesKey(ctx: RenderContext, lang: string): string {
  return cached(ctx, lang, 'piecesKey', () => {
    const typography = typographyOf(ctx, lang);
    return optionsKey({ lang, typography, sectionKeys: sectionKeysOf(ctx, lang, typography) });
  });
}

/** The key (HTML id) of the heading of `code`'s section on pages of `lang`, as the HTML gets it. */
export function headingKeyOf(ctx: RenderContext, lang: string, code: StatusCode): string {
  const typography = typographyOf(ctx, lang);
  return keyOf(sectionKeysOf(ctx, lang, typography), typeset(codeHeading(ctx, lang, code), typography));
}

/**
 * Render one page; with `timings`, add the time spent filling templates and in unified to it.
 * `sectionCache: false` processes the page's Markdown whole, without the cache of sections
 * (src/render/processors.ts): the straightforward pipeline, which a test compares with the
 * cached one byte for byte.
 */
export function renderArticle(
  ctx: RenderContext,
  job: Job,
  timings?: Pick<RenderTimings, 'render' | 'markdown'>,
  options: { sectionCache?: boolean; previous?: PreviousFiles } = {},
): Article {
  const t0 = timings ? performance.now() : 0;
  const page = composePage(ctx, job);
  const t1 = timings ? performance.now() : 0;
  const { previous } = options;
  const before = previous?.key === piecesKey(ctx, job.lang) ? previous : undefined;
  const { markdown, body, pieces } = options.sectionCache === false ? processMarkdownWhole(page.source, page.options) : processMarkdown(page.source, page.options, before);
  const t2 = timings ? performance.now() : 0;
  const html = layout(ctx, job, page.meta, body);
  // Where the body is in the HTML, for the next build to take unchanged pieces from.
  const bodyStart = pieces ? html.indexOf(body) : -1;
  const record: PageRecord | undefined = pieces && bodyStart !== -1 ? { bodyStart, pieces } : undefined;
  const redirect = job.kind === 'pair' ? redirectStub(ctx, job, page.meta.title) : undefined;
  if (timings) {
    timings.render += t1 - t0 + (performance.now() - t2);
    timings.markdown += t2 - t1;
  }
  if (hasFallbackMarks(markdown) || hasFallbackMarks(html)) throw new Error(`A fallback mark was left in ${job.path}`);
  return { job, markdown, html, ...(redirect ? { redirect } : {}), ...(page.files.length ? { files: page.files } : {}), ...(record ? { record } : {}) };
}

/** The name of English in `lang` (making an Intl.DisplayNames costs far more than asking it): once per language. */
const englishNames = new Map<string, string>();
function englishIn(lang: string): string {
  let name = englishNames.get(lang);
  if (name === undefined) englishNames.set(lang, (name = new Intl.DisplayNames([lang], { type: 'language' }).of(FALLBACK_LANG) ?? FALLBACK_LANG));
  return name;
}

/** "Parts of this page … are shown in English", naming English in the reader's language. */
function fallbackNotice(ctx: RenderContext, lang: string): string {
  const language = englishIn(lang);
  return translator(ctx.i18n, lang, 'common').t('site.fallbackNotice', { language });
}

/** A template that fails while rendering (a misspelt variable in strict mode), with its place. */
export class TemplateRenderError extends Error {
  readonly template: string;
  readonly line: number;
  readonly column: number;
  constructor(template: string, message: string) {
    super(message);
    this.template = template;
    const place = /- (\d+):(\d+)\s*$/.exec(message);
    this.line = Number(place?.[1] ?? 1);
    this.column = Number(place?.[2] ?? 0) + 1;
  }
}

function fill(name: string, template: (data: unknown) => string, data: unknown): string {
  try {
    return template(data);
  } catch (error) {
    throw new TemplateRenderError(name, templateErrorMessage(error instanceof Error ? error.message : String(error)));
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The reversed URL of a pair article (`439-vs-183.html` for `183-vs-439`). */
export function reversedPairPath(job: Job): string {
  const [low, high] = job.codes as [number, number];
  return `${posix.dirname(job.path)}/${high}-vs-${low}.html`;
}

/**
 * One URL per pair: the reversed order (`439-vs-183.html`) is a small page that sends readers and
 * crawlers to the canonical one (`183-vs-439.html`), is never indexed and is never linked to.
 */
export function redirectStub(ctx: Pick<RenderContext, 'baseUrl'>, job: Job, title: string): { path: string; html: string } {
  const path = reversedPairPath(job);
  const target = urlFor(ctx, path, `${job.path}.html`);
  const href = escapeHtml(target);
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(job.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<meta name="robots" content="noindex">',
    `<link rel="canonical" href="${href}">`,
    `<meta http-equiv="refresh" content="0; url=${href}">`,
    '</head>',
    '<body>',
    `<p><a href="${href}">${escapeHtml(title)}</a></p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { path, html };
}

/**
 * The home page of a language in a build of several catalogs (`<lang>/index`): the protocols
 * built in it, each with its index and its most confused pairs. `ctxs`: the catalogs that have
 * the language; `languages`: every language of the build, for the switcher and alternates.
 * Rendered on every build (a few pages); incremental builds compare its bytes.
 */
export function renderHomePage(ctxs: RenderContext[], lang: string, languages: Language[]): { markdown: string; html: string } {
  const ctx: RenderContext = { ...ctxs[0]!, languages };
  if (!ctx.templates.home) throw new TemplateRenderError('home.md', 'the home.md template is missing: a build of several catalogs needs it - 1:0');
  const job = homeJob(lang);
  const typography = typographyOf(ctx, lang);
  const built = homeView(ctxs, lang);
  const meta = shownMeta(built.meta, typography);
  const { untranslated, notice } = shownInEnglish(ctx, lang, built);
  const front = frontMatterYaml({
    title: meta.title,
    description: meta.description,
    lang,
    protocols: ctxs.map((c) => c.catalog.protocol.id),
    slug: 'index',
    translationKey: job.translationKey,
    ...(untranslated.length ? { fallback: { lang: FALLBACK_LANG, keys: untranslated } } : {}),
  });
  const source = fill('home.md', ctx.templates.home, { ...built.view, notice, frontMatter: front });
  const { markdown, body } = processMarkdown(source, { lang, typography, sectionKeys: sectionKeysOf(ctx, lang, typography) });
  const html = layout(ctx, job, meta, body);
  if (hasFallbackMarks(markdown) || hasFallbackMarks(html)) throw new Error(`A fallback mark was left in ${job.path}`);
  return { markdown, html };
}

/**
 * The language chooser at the root of the output, the x-default of every home page. Its title:
 * the only catalog's index title, or `title` (the English home page's) for several.
 */
export function renderRootPage(ctx: RenderContext, title = translator(ctx.i18n, 'en', ctx.catalog.protocol.id).t('title.index')): string {
  const from = `${ROOT_PAGE}.html`;
  const links = ctx.languages
    .map((l) => `<li><a href="${escapeHtml(l.tag)}/index.html" hreflang="${escapeHtml(l.tag)}" lang="${escapeHtml(l.tag)}">${escapeHtml(l.name)}</a></li>`)
    .join('\n');
  return ctx.templates.layout({
    lang: 'en',
    title,
    description: title,
    canonical: urlFor(ctx, from, from),
    alternates: [
      ...ctx.languages.map((l) => ({ hreflang: l.tag, href: urlFor(ctx, from, `${l.tag}/index.html`) })),
      { hreflang: 'x-default', href: urlFor(ctx, from, from) },
    ],
    stylesheet: STYLESHEET_PATH,
    home: { href: from, label: 'codepairs', lang: '' },
    languagesLabel: 'Languages',
    languagesLang: '',
    switcher: [],
    indexable: false,
    jsonLd: '',
    search: '',
    body: `<h1>${escapeHtml(title)}</h1>\n<ul>\n${links}\n</ul>`,
  });
}
