/**
 * Portal layouts (`build --layout`): each layout's output is built by the real portal where one
 * is installed here (Hugo: Debian's /usr/bin/hugo; VitePress: the npm devDependency), with its
 * broken-link checks on, and every internal link of the portal's result is followed. Docusaurus
 * is not installed and MkDocs' i18n plugin cannot be (see the README): their trees are checked
 * on disk, and plain MkDocs builds the docs folder where Debian's mkdocs is installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeProject, snapshotTree, type Project } from './helpers/project.js';
import { CLI, ROOT } from './helpers/paths.js';

const HUGO = process.env.HUGO_PATH ?? '/usr/bin/hugo';
const MKDOCS = '/usr/bin/mkdocs';
const CODES = [180, 183, 486, 600];
const LANGS = ['en', 'de'];
/** A curated pair of the set and its reversed order. */
const PAIR = '180-vs-183';
const REVERSED = '183-vs-180';

let project: Project;
let scratch: string;
const out = (layout: string) => project.path(`out-${layout}`);

/** Front matter of a Markdown file. */
function frontMatter(path: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(path, 'utf8'));
  expect(match, `${path} has front matter`).not.toBeNull();
  return parseYaml(match![1]!) as Record<string, unknown>;
}

/** Every file under `dir`, relative, with `/`. */
const filesUnder = (dir: string) => [...snapshotTree(dir).keys()].sort();

/**
 * Internal links (href and src) of every HTML page under `site`, resolved as a static host would
 * (`/prefix/a/` → a/index.html; `a` → a, a.html or a/index.html), that lead to no file.
 */
function deadLinks(site: string, prefix: string): string[] {
  const dead: string[] = [];
  for (const file of filesUnder(site).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(join(site, file), 'utf8');
    for (const [, url] of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      if (/^(?:[a-z]+:|\/\/|#)/i.test(url!)) continue;
      const path = url!.split(/[?#]/)[0]!;
      if (!path) continue;
      const resolved = path.startsWith('/') ? path.slice(prefix.length) : posix.join(posix.dirname(file), path);
      const candidates = [resolved, `${resolved}.html`, posix.join(resolved, 'index.html')];
      if (!candidates.some((c) => existsSync(join(site, decodeURIComponent(c))) && !c.endsWith('/'))) dead.push(`${file}: ${url}`);
    }
  }
  return dead;
}

/** The CLI in a child process, without waiting for it: the four layouts build side by side. */
function runCli(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args, '--root', project.dir], { env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status, stderr }));
  });
}

beforeAll(async () => {
  project = makeProject(CODES, LANGS);
  scratch = mkdtempSync(join(tmpdir(), 'codepairs-layouts-'));
  const layouts = ['hugo', 'vitepress', 'docusaurus', 'mkdocs'];
  const results = await Promise.all(layouts.map((layout) => runCli('build', '--layout', layout, '--out', `out-${layout}`, '--quiet', '--jobs', '1')));
  for (const result of results) expect(result).toEqual({ status: 0, stderr: '' });
}, 60_000);

afterAll(() => {
  project?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('hugo layout', () => {
  let site: string;
  let hugo: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    if (!existsSync(HUGO)) throw new Error(`No Hugo at ${HUGO}: install the Debian package \`hugo\` (.ci/run does), or set HUGO_PATH.`);
    site = join(scratch, 'hugo');
    cpSync(out('hugo'), site, { recursive: true });
    // The site: the snippet's settings, a base URL below the host's root, and the least templates.
    const snippet = parseYaml(readFileSync(join(site, 'codepairs.hugo.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(site, 'hugo.yaml'), `${JSON.stringify({ ...snippet, baseURL: 'https://example.com/docs/', disableKinds: ['taxonomy', 'term', 'RSS'] })}\n`);
    mkdirSync(join(site, 'layouts/_default'), { recursive: true });
    const page = '{{ define "main" }}{{ .Content }}{{ end }}';
    writeFileSync(
      join(site, 'layouts/_default/baseof.html'),
      '<!DOCTYPE html><html lang="{{ .Site.Language.Lang }}"><head><title>{{ .Title }}</title>{{ range .Translations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .RelPermalink }}">{{ end }}</head><body>{{ block "main" . }}{{ end }}</body></html>',
    );
    writeFileSync(join(site, 'layouts/_default/single.html'), page);
    writeFileSync(join(site, 'layouts/_default/list.html'), page);
    hugo = spawnSync(HUGO, ['--source', site, '--destination', 'public', '--printPathWarnings'], { encoding: 'utf8' });
  }, 30_000);

  it('builds with Hugo, with no warning and no dead internal link', () => {
    expect(`${hugo.stdout}${hugo.stderr}`).not.toMatch(/WARN|ERROR/);
    expect(hugo.status).toBe(0);
    const pairPages = filesUnder(join(site, 'public')).filter((f) => f.endsWith(`/sip/${PAIR}/index.html`));
    expect(pairPages).toEqual(LANGS.map((l) => `${l}/sip/${PAIR}/index.html`).sort());
    expect(deadLinks(join(site, 'public'), '/docs/')).toEqual([]);
  });

  it('gives a pair the same slug and translationKey in every language, linked as translations', () => {
    const [en, de] = LANGS.map((l) => frontMatter(join(site, `content/${l}/sip/${PAIR}/index.md`)));
    expect(en!.slug).toBe(PAIR);
    expect(de!.slug).toBe(en!.slug);
    expect(de!.translationKey).toBe(en!.translationKey);
    const html = readFileSync(join(site, `public/de/sip/${PAIR}/index.html`), 'utf8');
    expect(html).toContain(`hreflang="en" href="/docs/en/sip/${PAIR}/"`);
  });

  it('links between articles with relref, which Hugo resolves in the page language', () => {
    const source = readFileSync(join(site, `content/de/sip/183/index.md`), 'utf8');
    expect(source).toContain(`{{< relref "/sip/${PAIR}" >}}`);
    expect(source).not.toMatch(/\]\([^)]*\.md\)/);
    const html = readFileSync(join(site, `public/de/sip/183/index.html`), 'utf8');
    expect(html).toContain(`href="/docs/de/sip/${PAIR}/"`);
  });

  it('serves the reversed order of a pair as a noindex redirect, never in the sitemap', () => {
    const stub = readFileSync(join(site, `public/de/sip/${REVERSED}/index.html`), 'utf8');
    expect(stub).toMatch(/noindex/);
    expect(stub).toContain(`url=https://example.com/docs/de/sip/${PAIR}/`);
    for (const lang of LANGS) {
      const sitemap = readFileSync(join(site, `public/${lang}/sitemap.xml`), 'utf8');
      expect(sitemap).toContain(`/${lang}/sip/${PAIR}/`);
      expect(sitemap).not.toContain(REVERSED);
    }
  });

  it('writes the navigation of each language grouped by code class', () => {
    const nav = JSON.parse(readFileSync(join(site, 'data/codepairs/nav.json'), 'utf8')) as Record<string, { groups: Array<{ id: string; items: Array<{ ref: string }> }> }>;
    expect(Object.keys(nav)).toEqual(LANGS);
    const classes = nav.de!.groups.map((g) => g.id);
    expect(classes).toEqual(['confused', 'provisional', 'client-failure', 'global-failure']);
    expect(nav.de!.groups.find((g) => g.id === 'provisional')!.items.map((i) => i.ref)).toEqual(['/sip/180', '/sip/183']);
    for (const item of nav.de!.groups.flatMap((g) => g.items)) expect(existsSync(join(site, `public/de${item.ref}/index.html`)), item.ref).toBe(true);
  });
});

describe('vitepress layout', () => {
  let site: string;
  let vitepress: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    site = join(scratch, 'vitepress');
    cpSync(out('vitepress'), site, { recursive: true });
    // VitePress resolves vue from the site's folder: lend it this checkout's packages.
    symlinkSync(join(ROOT, 'node_modules'), join(site, 'node_modules'));
    // The least theme (the page's content, no chrome): the default theme's bundle triples the build time.
    mkdirSync(join(site, '.vitepress/theme'));
    writeFileSync(join(site, '.vitepress/theme/index.mjs'), "import { h } from 'vue';\nimport { Content } from 'vitepress';\nexport default { Layout: () => h(Content) };\n");
    writeFileSync(
      join(site, '.vitepress/config.mjs'),
      "import { locales } from './codepairs.mjs';\nexport default { title: 'codepairs', base: '/docs/', locales, sitemap: { hostname: 'https://example.com/docs/' } };\n",
    );
    const bin = join(ROOT, 'node_modules/vitepress/bin/vitepress.js');
    vitepress = spawnSync(process.execPath, [bin, 'build', site], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  }, 60_000);

  it('builds with VitePress (dead links fail its build), and every internal link resolves', () => {
    expect(vitepress.stderr).not.toMatch(/dead link|warn|error/i);
    expect(vitepress.status).toBe(0);
    const dist = join(site, '.vitepress/dist');
    for (const lang of LANGS) expect(existsSync(join(dist, `${lang}/sip/${PAIR}.html`)), lang).toBe(true);
    expect(deadLinks(dist, '/docs/')).toEqual([]);
  });

  it('gives a pair the same path and slug in every language', () => {
    const [en, de] = LANGS.map((l) => frontMatter(join(site, `${l}/sip/${PAIR}.md`)));
    expect(en!.slug).toBe(PAIR);
    expect(de!.slug).toBe(en!.slug);
    expect(de!.translationKey).toBe(en!.translationKey);
  });

  it('serves the reversed order of a pair as a stub page that is not in the sitemap', () => {
    const dist = join(site, '.vitepress/dist');
    const stub = readFileSync(join(dist, `de/sip/${REVERSED}.html`), 'utf8');
    expect(stub).toMatch(/noindex/);
    expect(stub).toContain(`url=${PAIR}.html`);
    const sitemap = readFileSync(join(dist, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain(`de/sip/${PAIR}`);
    expect(sitemap).not.toContain(REVERSED);
  });

  it('has one locale per language with its sidebar grouped by code class', async () => {
    const { locales } = (await import(pathToFileURL(join(site, '.vitepress/codepairs.mjs')).href)) as {
      locales: Record<string, { lang: string; link: string; themeConfig: { sidebar: Record<string, Array<{ text: string; items?: Array<{ link: string }> }>> } }>;
    };
    expect(Object.keys(locales)).toEqual(LANGS);
    const sidebar = locales.de!.themeConfig.sidebar['/de/']!;
    const links = sidebar.flatMap((g) => g.items ?? []).map((i) => i.link);
    expect(links).toContain(`/de/sip/${PAIR}`);
    expect(links).toContain('/de/sip/486');
    for (const link of links) expect(existsSync(join(site, `${link}.md`)), link).toBe(true);
  });
});

describe('docusaurus layout (not built: Docusaurus is not installed, see the README)', () => {
  it('puts the default language in docs/ and the others in i18n/<lang>/…/current/ with the same slug', () => {
    const dir = out('docusaurus');
    const en = frontMatter(join(dir, `docs/sip/${PAIR}.md`));
    const de = frontMatter(join(dir, `i18n/de/docusaurus-plugin-content-docs/current/sip/${PAIR}.md`));
    expect(en.slug).toBe(`/sip/${PAIR}`);
    expect(de.slug).toBe(en.slug);
    expect(frontMatter(join(dir, 'docs/index.md')).slug).toBe('/');
  });

  it('keeps relative links that lead to a file of the same language tree', () => {
    const dir = out('docusaurus');
    for (const tree of ['docs', 'i18n/de/docusaurus-plugin-content-docs/current']) {
      for (const file of filesUnder(join(dir, tree)).filter((f) => f.endsWith('.md'))) {
        const text = readFileSync(join(dir, tree, file), 'utf8');
        for (const [, url] of text.matchAll(/\]\(([^)\s:]+\.(?:md|svg))\)/g)) {
          expect(existsSync(join(dir, tree, dirname(file), url!)), `${tree}/${file}: ${url}`).toBe(true);
        }
      }
    }
  });

  it('lists the reversed pair orders as client redirects and sidebar ids that are docs', async () => {
    const dir = out('docusaurus');
    const { redirects } = (await import(pathToFileURL(join(dir, 'codepairs.redirects.mjs')).href)) as { redirects: (base?: string) => Array<{ from: string; to: string }> };
    expect(redirects()).toContainEqual({ from: `/docs/sip/${REVERSED}`, to: `/docs/sip/${PAIR}` });
    const sidebar = ((await import(pathToFileURL(join(dir, 'sidebars.codepairs.js')).href)) as { default: { codepairs: Array<{ id?: string; items?: string[] }> } }).default;
    const ids = sidebar.codepairs.flatMap((item) => item.items ?? [item.id!]);
    for (const id of ids) expect(existsSync(join(dir, `docs/${id}.md`)), id).toBe(true);
    const labels = JSON.parse(readFileSync(join(dir, 'i18n/de/docusaurus-plugin-content-docs/current.json'), 'utf8')) as Record<string, { message: string }>;
    expect(Object.keys(labels).some((key) => key.startsWith('sidebar.codepairs.category.'))).toBe(true);
  });
});

describe('mkdocs layout (mkdocs-static-i18n folder structure; its plugins not proven, see the README)', () => {
  it('writes docs/<lang>/ trees with the same file names and links that resolve', () => {
    const dir = out('mkdocs');
    for (const lang of LANGS) expect(frontMatter(join(dir, `docs/${lang}/sip/${PAIR}.md`)).slug).toBe(PAIR);
    for (const file of filesUnder(join(dir, 'docs')).filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(dir, 'docs', file), 'utf8');
      for (const [, url] of text.matchAll(/\]\(([^)\s:]+\.(?:md|svg))\)/g)) expect(existsSync(join(dir, 'docs', dirname(file), url!)), `${file}: ${url}`).toBe(true);
    }
  });

  // Debian's mkdocs is not installed by CI (see the README); where it is, plain MkDocs builds the
  // docs folder with the snippet's nav, and --strict fails on any link to a missing file.
  it.runIf(existsSync(MKDOCS))('builds with plain MkDocs --strict', () => {
    const site = join(scratch, 'mkdocs');
    cpSync(out('mkdocs'), site, { recursive: true });
    const snippet = parseYaml(readFileSync(join(site, 'mkdocs.codepairs.yml'), 'utf8')) as { nav: unknown };
    writeFileSync(join(site, 'mkdocs.yml'), `${JSON.stringify({ site_name: 'codepairs', docs_dir: 'docs', site_dir: 'site', nav: snippet.nav })}\n`);
    const result = spawnSync(MKDOCS, ['build', '--strict', '--config-file', join(site, 'mkdocs.yml')], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(/WARNING|ERROR/);
    expect(result.status).toBe(0);
    for (const lang of LANGS) expect(existsSync(join(site, `site/${lang}/sip/${PAIR}/index.html`)), lang).toBe(true);
  });

  it('has the i18n languages, nav entries that are pages, and redirect maps of the reversed order', () => {
    const dir = out('mkdocs');
    const config = parseYaml(readFileSync(join(dir, 'mkdocs.codepairs.yml'), 'utf8')) as { nav: unknown; plugins: Array<Record<string, any> | string> };
    const i18n = config.plugins.find((p): p is Record<string, any> => typeof p === 'object' && 'i18n' in p)!.i18n;
    expect(i18n.docs_structure).toBe('folder');
    expect(i18n.languages.map((l: { locale: string }) => l.locale)).toEqual(LANGS);
    const targets = JSON.stringify(config.nav).match(/[\w/-]+\.md/g)!;
    for (const target of targets) expect(existsSync(join(dir, 'docs', target)), target).toBe(true);
    const redirects = config.plugins.find((p): p is Record<string, any> => typeof p === 'object' && 'redirects' in p)!.redirects.redirect_maps;
    expect(redirects[`de/sip/${REVERSED}.md`]).toBe(`de/sip/${PAIR}.md`);
  });
});

describe('layouts and the build', () => {
  it('rejects an unknown layout as a usage error, from the command line or the config file', () => {
    const given = project.run('build', '--layout', 'jekyll', '--out', 'out-x');
    expect(given.status).toBe(2);
    expect(given.stderr).toContain('invalid --layout `jekyll`');
    const configured = makeProject([180, 183], ['en']);
    try {
      configured.write('codepairs.config.json', JSON.stringify({ search: false, layout: 'jekyll' }));
      const result = configured.run('build', '--out', 'out-x');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('layout `jekyll` in codepairs.config.json');
      expect(existsSync(configured.path('out-x'))).toBe(false);
    } finally {
      configured.remove();
    }
  });

  it('follows the layout in incremental builds: a switch rewrites every page, the old files go', () => {
    const dir = 'out-switch';
    cpSync(out('hugo'), project.path(dir), { recursive: true });
    const again = project.run('build', '--layout', 'hugo', '--out', dir);
    expect(again.stdout).toMatch(/built (\d+) pages, 0 rendered/);
    const plain = project.run('build', '--out', dir);
    expect(plain.status).toBe(0);
    // Every page rendered again: a page's hash depends on the layout.
    const [, total, rendered] = /built (\d+) pages, (\d+) rendered/.exec(plain.stdout)!;
    expect(rendered).toBe(total);
    const plainFiles = filesUnder(project.path(dir));
    expect(plainFiles.filter((f) => f.startsWith('content/') || f.startsWith('config/') || f.startsWith('data/'))).toEqual([]);
    expect(plainFiles).toContain(`de/sip/${PAIR}.html`);
    expect(plainFiles).toContain(`de/sip/${PAIR}.md`);
    // A portal page's Markdown (made without the HTML stage) is the plain page's, front matter aside.
    const body = (text: string) => text.replace(/^---\n[\s\S]*?\n---\n+/, '');
    const pages = plainFiles.filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) expect(body(readFileSync(join(out('mkdocs'), 'docs', page), 'utf8')), page).toBe(body(project.read(dir, page)));
  });

  it('a one-language build has hreflang alternates and sitemap entries for that language only', () => {
    const result = project.run('build', '--lang', 'de', '--out', 'out-de', '--base-url', 'https://example.com/', '--quiet');
    expect(result.status).toBe(0);
    const html = project.read('out-de/de/sip', `${PAIR}.html`);
    const alternates = [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => ({ hreflang: m[1]!, href: m[2]! }));
    expect(alternates.map((a) => a.hreflang)).toEqual(['de']);
    for (const { href } of alternates) expect(existsSync(project.path('out-de', href.replace('https://example.com/', ''))), href).toBe(true);
    expect(html).not.toContain('/en/');
    const sitemap = project.read('out-de/sitemap.xml');
    expect(sitemap).not.toContain('/en/');
    expect(sitemap).toContain(`/de/sip/${PAIR}.html`);
    const root = project.read('out-de/index.html');
    expect(root).not.toContain('en/index.html');
  });
});
