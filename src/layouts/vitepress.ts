/**
 * VitePress: one `/<lang>/` tree per language with the plain build's file names (so its relative
 * `.md` links work as they are, and VitePress checks them: a dead link fails its build), a root
 * `index.md` that lists the languages, and `.vitepress/codepairs.mjs` with the `locales` config
 * (one locale per language, each with its sidebar grouped by code class). VitePress has no
 * redirects: the reversed order of a pair is a noindex stub page in `public/`.
 */
import { posix } from 'node:path';
import { redirectStub } from '../render/article.js';
import { joinFrontMatter, splitFrontMatter } from './markdown.js';
import type { Portal, PortalFile, PortalSite, SourcePage } from './types.js';
import type { Job } from '../types.js';

/** The noindex page at the reversed order of a pair, served as it is from `public/`. */
const stubPath = (job: Job) => `public/${posix.dirname(job.path)}/${job.codes[1]}-vs-${job.codes[0]}.html`;

const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);

export const vitepress: Portal = {
  name: 'vitepress',
  pagePath: (job) => `${job.path}.md`,
  filePath: (_job, plainPath) => plainPath,
  extraPaths: (job) => (job.kind === 'pair' ? [stubPath(job)] : []),
  page(source: SourcePage): PortalFile[] {
    const { job } = source;
    const { data, body } = splitFrontMatter(source.markdown, source.frontMatter);
    const head: unknown[] = [];
    if (Array.isArray(data.keywords)) head.push(['meta', { name: 'keywords', content: data.keywords.join(', ') }]);
    if (data.noindex === true) head.push(['meta', { name: 'robots', content: 'noindex' }]);
    const front = { ...data, ...(head.length ? { head } : {}) };
    const files: PortalFile[] = [{ path: `${job.path}.md`, content: joinFrontMatter(front, body) }, ...source.files];
    if (job.kind === 'pair') {
      // Relative to the stub, the canonical page is a sibling; VitePress writes `<slug>.html`.
      const stub = redirectStub({ baseUrl: undefined }, job, String(data.title ?? ''));
      files.push({ path: stubPath(job), content: stub.html });
    }
    return files;
  },
  site(site: PortalSite): PortalFile[] {
    const locales = Object.fromEntries(
      site.languages.map((l) => {
        const nav = site.nav.get(l.tag)!;
        const sidebar = [
          { text: nav.home, link: `/${l.tag}/` },
          ...nav.groups.map((g) => ({ text: g.label, collapsed: g.id !== 'confused', items: g.items.map((item) => ({ text: item.label, link: `/${item.job.path}` })) })),
        ];
        return [l.tag, { label: l.name, lang: l.tag, link: `/${l.tag}/`, themeConfig: { sidebar: { [`/${l.tag}/`]: sidebar } } }];
      }),
    );
    const config = [
      '// The locales of the codepairs articles, for .vitepress/config: `import { locales } from "./codepairs.mjs"`',
      '// and `defineConfig({ locales, ... })`. Each locale has its sidebar, grouped by code class.',
      `export const defaultLang = ${JSON.stringify(site.defaultLang)};`,
      `export const locales = ${JSON.stringify(locales, null, 2)};`,
      '',
    ].join('\n');
    const root = [
      '---',
      `title: ${JSON.stringify(site.rootTitle)}`,
      '---',
      '',
      `# ${escapeMarkdown(site.rootTitle)}`,
      '',
      ...site.languages.map((l) => `- [${escapeMarkdown(l.name)}](${l.tag}/index.md)`),
      '',
    ].join('\n');
    return [
      { path: '.vitepress/codepairs.mjs', content: config },
      { path: 'index.md', content: root },
    ];
  },
};
