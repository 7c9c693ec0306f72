/**
 * Hugo, multilingual by content directory: `content/<lang>/` per language (the same file names in
 * every language, and a shared `translationKey`), each article a leaf bundle
 * (`content/<lang>/sip/183-vs-439/index.md`) so its diagram sits beside it. Internal links are
 * `relref` shortcodes, which Hugo resolves in the page's own language and reports when broken.
 * The reversed order of a pair is an `aliases` entry (Hugo writes the redirect page).
 * Site files: `config/_default/languages.yaml` (merged by Hugo's config folder) and
 * `data/codepairs/nav.json` (the navigation of each language, grouped by code class).
 */
import { posix } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { joinFrontMatter, pathInLanguage, reversedSlug, rewriteImages, rewriteLinks, splitFrontMatter, weightOf } from './markdown.js';
import type { Portal, PortalFile, PortalSite, SourcePage } from './types.js';

/** The page's Hugo path below the language: `/` for the home page, `/sip/183` for the others. */
const yamlOf = (value: unknown) => toYaml(value, { lineWidth: 0 });

const hugoRef = (path: string): string => (path === 'index' ? '/' : `/${path}`);

export const hugo: Portal = {
  name: 'hugo',
  pagePath: (job) => (job.kind === 'index' ? `content/${job.lang}/_index.md` : `content/${job.lang}/${pathInLanguage(job)}/index.md`),
  filePath: (job, plainPath) => `content/${job.lang}/${pathInLanguage(job)}/${posix.relative(posix.dirname(job.path), plainPath)}`,
  extraPaths: () => [],
  page(source: SourcePage, site): PortalFile[] {
    const { job } = source;
    const { data, body } = splitFrontMatter(source.markdown, source.frontMatter);
    const front: Record<string, unknown> = {
      title: data.title,
      description: data.description,
      ...(job.kind === 'index' ? {} : { slug: data.slug }),
      translationKey: job.translationKey,
      weight: weightOf(job),
      keywords: data.keywords,
      // One URL per pair: Hugo writes a noindex redirect page at the reversed order.
      aliases: job.kind === 'pair' ? [reversedSlug(job)] : undefined,
      // Custom keys: Hugo puts them in .Params for the site's templates.
      protocol: data.protocol,
      codes: data.codes,
      relevance: data.relevance,
      noindex: data.noindex,
      sourceHash: data.sourceHash,
      fallback: data.fallback,
    };
    const linked = rewriteLinks(body, job, (target, fragment) => `{{< relref "${hugoRef(target.slice(job.lang.length + 1))}${fragment}" >}}`);
    // A diagram lives in its code page's bundle; other pages (a pair's) point there from their URL.
    const pageUrl = job.kind === 'index' ? `/${job.lang}/` : `/${job.path}/`;
    const shown = rewriteImages(linked, job, (target) => {
      const code = /\/diagrams\/(\d+)\.svg$/.exec(target)?.[1];
      if (!code) return posix.relative(pageUrl, `/${target}`);
      return posix.relative(pageUrl, `/${posix.dirname(posix.dirname(target))}/${code}/diagrams/${code}.svg`);
    });
    return [{ path: this.pagePath(job, site), content: joinFrontMatter(front, shown) }, ...source.files.map((f) => ({ path: this.filePath(job, f.path, site), content: f.content }))];
  },
  site(site: PortalSite): PortalFile[] {
    const languages = Object.fromEntries(
      site.languages.map((l, i) => [l.tag, { languageName: l.name, languageCode: l.tag, contentDir: `content/${l.tag}`, weight: i + 1 }]),
    );
    const config = {
      defaultContentLanguage: site.defaultLang,
      defaultContentLanguageInSubdir: true,
      // Broken relref links fail the build instead of leaving a dead link.
      refLinksErrorLevel: 'ERROR',
    };
    const nav = Object.fromEntries(
      [...site.nav].map(([lang, { home, groups }]) => [
        lang,
        { home: { label: home, ref: '/' }, groups: groups.map((g) => ({ id: g.id, label: g.label, items: g.items.map((item) => ({ label: item.label, ref: hugoRef(pathInLanguage(item.job)) })) })) },
      ]),
    );
    return [
      // Hugo merges config/_default/languages.yaml as the `languages` setting by itself.
      { path: 'config/_default/languages.yaml', content: yamlOf(languages) },
      { path: 'codepairs.hugo.yaml', content: `# Merge these settings into your Hugo config (hugo.yaml or config/_default/hugo.yaml).\n${yamlOf(config)}` },
      { path: 'data/codepairs/nav.json', content: `${JSON.stringify(nav, null, 2)}\n` },
    ];
  },
};
