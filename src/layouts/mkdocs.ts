/**
 * MkDocs with mkdocs-static-i18n, folder structure: `docs/<lang>/` per language with the plain
 * build's file names (relative `.md` links work as they are). `mkdocs.codepairs.yml` holds the
 * plugin settings to merge into mkdocs.yml: the i18n languages (the default first), each with its
 * nav grouped by code class, and the mkdocs-redirects `redirect_maps` of the reversed pair orders.
 */
import { posix } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { joinFrontMatter, pathInLanguage, reversedSlug, splitFrontMatter } from './markdown.js';
import type { Portal, PortalFile, PortalSite, SourcePage } from './types.js';

export const mkdocs: Portal = {
  name: 'mkdocs',
  pagePath: (job) => `docs/${job.path}.md`,
  filePath: (_job, plainPath) => `docs/${plainPath}`,
  extraPaths: () => [],
  page(source: SourcePage): PortalFile[] {
    const { job } = source;
    const { data, body } = splitFrontMatter(source.markdown, source.frontMatter);
    return [{ path: `docs/${job.path}.md`, content: joinFrontMatter(data, body) }, ...source.files.map((f) => ({ path: `docs/${f.path}`, content: f.content }))];
  },
  site(site: PortalSite): PortalFile[] {
    const navOf = (lang: string) => {
      const nav = site.nav.get(lang)!;
      return [{ [nav.home]: `${lang}/index.md` }, ...nav.groups.map((g) => ({ [g.label]: g.items.map((item) => ({ [item.label]: `${item.job.path}.md` })) }))];
    };
    const ordered = [...site.languages].sort((a, b) => Number(b.tag === site.defaultLang) - Number(a.tag === site.defaultLang));
    const redirectMaps = Object.fromEntries(
      site.jobs.filter((job) => job.kind === 'pair').map((job) => [`${job.lang}/${posix.dirname(pathInLanguage(job))}/${reversedSlug(job)}.md`, `${job.path}.md`]),
    );
    const config = {
      nav: navOf(site.defaultLang),
      plugins: [
        'search',
        {
          i18n: {
            docs_structure: 'folder',
            languages: ordered.map((l) => ({ locale: l.tag, name: l.name, build: true, ...(l.tag === site.defaultLang ? { default: true } : { nav: navOf(l.tag) }) })),
          },
        },
        { redirects: { redirect_maps: redirectMaps } },
      ],
    };
    return [{ path: 'mkdocs.codepairs.yml', content: `# Merge into mkdocs.yml (plugins: mkdocs-static-i18n, mkdocs-redirects).\n${toYaml(config, { lineWidth: 0 })}` }];
  },
};
