/**
 * Docusaurus (docs plugin with i18n): the default language's articles in `docs/`, every other
 * language in `i18n/<lang>/docusaurus-plugin-content-docs/current/`, the same file names and an
 * explicit `slug` in every language, so relative `.md` links work as they are. Site files:
 * `sidebars.codepairs.js` (grouped by code class, with the most-confused pairs), the category
 * labels of each other language in `i18n/<lang>/docusaurus-plugin-content-docs/current.json`,
 * `docusaurus.codepairs.mjs` (the `i18n` and `markdown` config) and
 * `codepairs.redirects.mjs` (the reversed pair orders, for @docusaurus/plugin-client-redirects).
 */
import { posix } from 'node:path';
import { joinFrontMatter, pathInLanguage, reversedSlug, splitFrontMatter, weightOf } from './markdown.js';
import type { Portal, PortalFile, PortalSite, SourcePage } from './types.js';
import type { Job } from '../types.js';

export const SIDEBAR_ID = 'codepairs';

const folderOf = (lang: string, defaultLang: string) => (lang === defaultLang ? 'docs' : `i18n/${lang}/docusaurus-plugin-content-docs/current`);
/** The doc id Docusaurus derives from the file path: `index`, `sip/183`. */
const docId = (job: Job) => pathInLanguage(job);

export const docusaurus: Portal = {
  name: 'docusaurus',
  pagePath: (job, site) => `${folderOf(job.lang, site.defaultLang)}/${pathInLanguage(job)}.md`,
  filePath: (job, plainPath, site) => `${folderOf(job.lang, site.defaultLang)}/${plainPath.slice(job.lang.length + 1)}`,
  extraPaths: () => [],
  page(source: SourcePage, site): PortalFile[] {
    const { job } = source;
    const { data, body } = splitFrontMatter(source.markdown, source.frontMatter);
    const front: Record<string, unknown> = {
      title: data.title,
      description: data.description,
      // The same URL in every language: the docs root for the index, `/sip/183-vs-439` for a pair.
      slug: job.kind === 'index' ? '/' : `/${pathInLanguage(job)}`,
      sidebar_position: weightOf(job),
      keywords: data.keywords,
      translationKey: job.translationKey,
      protocol: data.protocol,
      codes: data.codes,
      relevance: data.relevance,
      noindex: data.noindex,
      sourceHash: data.sourceHash,
      fallback: data.fallback,
    };
    return [
      { path: this.pagePath(job, site), content: joinFrontMatter(front, body) },
      ...source.files.map((f) => ({ path: this.filePath(job, f.path, site), content: f.content })),
    ];
  },
  site(site: PortalSite): PortalFile[] {
    const defaultNav = site.nav.get(site.defaultLang)!;
    const sidebar = {
      [SIDEBAR_ID]: [
        { type: 'doc', id: 'index', label: defaultNav.home },
        ...defaultNav.groups.map((g) => ({ type: 'category', label: g.label, collapsed: g.id !== 'confused', items: g.items.map((item) => docId(item.job)) })),
      ],
    };
    const files: PortalFile[] = [
      { path: 'sidebars.codepairs.js', content: `// The codepairs sidebar, grouped by code class: spread it into sidebars.js.\nexport default ${JSON.stringify(sidebar, null, 2)};\n` },
    ];
    for (const l of site.languages) {
      if (l.tag === site.defaultLang) continue;
      const nav = site.nav.get(l.tag)!;
      // Docusaurus translates sidebar labels by the default language's label.
      const messages: Record<string, { message: string }> = { [`sidebar.${SIDEBAR_ID}.doc.${defaultNav.home}`]: { message: nav.home } };
      for (const g of nav.groups) {
        const label = defaultNav.groups.find((d) => d.id === g.id)?.label;
        if (label !== undefined) messages[`sidebar.${SIDEBAR_ID}.category.${label}`] = { message: g.label };
      }
      files.push({ path: `i18n/${l.tag}/docusaurus-plugin-content-docs/current.json`, content: `${JSON.stringify(messages, null, 2)}\n` });
    }
    const i18n = {
      defaultLocale: site.defaultLang,
      locales: site.languages.map((l) => l.tag),
      localeConfigs: Object.fromEntries(site.languages.map((l) => [l.tag, { label: l.name, htmlLang: l.tag }])),
    };
    files.push({
      path: 'docusaurus.codepairs.mjs',
      content: [
        '// For docusaurus.config: `import { i18n, markdown } from "./docusaurus.codepairs.mjs"`.',
        '// `markdown.format: "detect"` reads the .md articles as CommonMark, not MDX.',
        `export const i18n = ${JSON.stringify(i18n, null, 2)};`,
        `export const markdown = { format: 'detect' };`,
        '',
      ].join('\n'),
    });
    const pairs = site.jobs.filter((job) => job.kind === 'pair' && job.lang === site.defaultLang);
    const redirects = pairs.map((job) => [`/${posix.dirname(pathInLanguage(job))}/${reversedSlug(job)}`, `/${pathInLanguage(job)}`]);
    files.push({
      path: 'codepairs.redirects.mjs',
      content: [
        '// The reversed order of every pair leads to its page: pass `redirects(docsPath)` to',
        '// @docusaurus/plugin-client-redirects (docsPath: the docs routeBasePath, "/docs" by default).',
        `const pairs = ${JSON.stringify(redirects)};`,
        "export function redirects(docsPath = '/docs') {",
        "  const base = docsPath.replace(/\\/$/, '');",
        '  return pairs.map(([from, to]) => ({ from: base + from, to: base + to }));',
        '}',
        '',
      ].join('\n'),
    });
    return files;
  },
};
