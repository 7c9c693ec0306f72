/**
 * The plain layout as a site, on small real projects: sitemap.xml (and its split behind a sitemap
 * index), robots.txt, the 404 page, JSON-LD, --no-search and `codepairs preview`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sitemap, sitemapFiles, type SitemapFile } from '../src/site/sitemap.js';
import { sha256 } from '../src/hash.js';
import { scriptSafeJson } from '../src/site/json-ld.js';
import { planJobs } from '../src/plan/jobs.js';
import { CLI } from './helpers/paths.js';
import { makeProject, snapshotTree, type Project } from './helpers/project.js';
import type { Catalog, Job, Language } from '../src/types.js';

const BASE = 'https://example.com/docs/';
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

interface UrlEntry {
  loc: string;
  alternates: Map<string, string>;
}

/** Parse a sitemap (failing on malformed XML) into its <url> entries. */
function parseUrlset(xml: string): UrlEntry[] {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(xml, 'application/xml');
  expect(errors).toEqual([]);
  expect(doc.documentElement!.localName).toBe('urlset');
  return Array.from(doc.getElementsByTagNameNS(SITEMAP_NS, 'url')).map((url) => ({
    loc: url.getElementsByTagNameNS(SITEMAP_NS, 'loc')[0]!.textContent!,
    alternates: new Map(Array.from(url.getElementsByTagNameNS(XHTML_NS, 'link')).map((l) => [l.getAttribute('hreflang')!, l.getAttribute('href')!])),
  }));
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(dir, join(sub, e.name)) : [join(sub, e.name)]));
}

describe('sitemapFiles', () => {
  const catalog = { protocol: { id: 'sip' }, codes: [100, 180, 183, 200, 404].map((code) => ({ code })) } as unknown as Catalog;
  const languages = [{ tag: 'en' }, { tag: 'de' }, { tag: 'ja' }] as Language[];
  const plan = planJobs(catalog, languages);
  const sitemap = new Sitemap(plan, () => true, BASE, 'index.html');
  /** A file's text; that of a list of URLs made from its chunks, which hash to the hash it gives. */
  const textOf = (file: SitemapFile) => {
    if ('content' in file) return file.content;
    const text = [...file.chunks()].join('');
    expect(file.hash).toBe(sha256(text));
    return text;
  };
  // Every page once: the root page first, then in the order of the plan.
  const allLocs = [`${BASE}index.html`, ...[...plan].map((job) => `${BASE}${job.path}.html`)];

  it('writes one sitemap while the entries fit, every page with its alternates and x-default', () => {
    const files = sitemapFiles(sitemap);
    expect(files.map((f) => f.path)).toEqual(['sitemap.xml']);
    const urls = parseUrlset(textOf(files[0]!));
    expect(urls.map((u) => u.loc)).toEqual(allLocs);
    for (const url of urls) expect([...url.alternates.keys()]).toEqual(['en', 'de', 'ja', 'x-default']);
    const pair = urls.find((u) => u.loc === `${BASE}de/sip/180-vs-404.html`)!;
    expect(Object.fromEntries(pair.alternates)).toEqual(Object.fromEntries([...['en', 'de', 'ja'].map((l) => [l, `${BASE}${l}/sip/180-vs-404.html`]), ['x-default', `${BASE}en/sip/180-vs-404.html`]]));
    // The home pages and the root page (the language chooser) are one another's alternates, the root page their x-default.
    const homes = Object.fromEntries([...['en', 'de', 'ja'].map((l) => [l, `${BASE}${l}/index.html`]), ['x-default', `${BASE}index.html`]]);
    for (const loc of [`${BASE}index.html`, `${BASE}ja/index.html`]) expect(Object.fromEntries(urls.find((u) => u.loc === loc)!.alternates)).toEqual(homes);
  });

  it('splits past the URL limit into numbered sitemaps behind a sitemap index, losing nothing', () => {
    const files = sitemapFiles(sitemap, { maxUrls: 7, maxBytes: 50 * 1024 * 1024 });
    const parts = files.slice(1);
    expect(parts.length).toBe(Math.ceil(allLocs.length / 7));
    expect(parts.map((f) => f.path)).toEqual(parts.map((_, i) => `sitemap-${i + 1}.xml`));
    const index = new DOMParser().parseFromString(textOf(files[0]!), 'application/xml');
    expect(index.documentElement!.localName).toBe('sitemapindex');
    expect(Array.from(index.getElementsByTagNameNS(SITEMAP_NS, 'loc')).map((l) => l.textContent)).toEqual(parts.map((f) => `${BASE}${f.path}`));
    const urls = parts.map((f) => parseUrlset(textOf(f)));
    for (const part of urls) expect(part.length).toBeLessThanOrEqual(7);
    expect(urls.flat().map((u) => u.loc)).toEqual(allLocs);
    // Deterministic: the same pages give the same bytes.
    expect(sitemapFiles(new Sitemap(plan, () => true, BASE, 'index.html'), { maxUrls: 7, maxBytes: 50 * 1024 * 1024 }).map(textOf)).toEqual(files.map(textOf));
  });

  it('splits past the size limit too, each file within it', () => {
    const maxBytes = 4000;
    const files = sitemapFiles(sitemap, { maxUrls: 50_000, maxBytes });
    expect(files.length).toBeGreaterThan(2);
    for (const file of files.slice(1)) expect(Buffer.byteLength(textOf(file))).toBeLessThanOrEqual(maxBytes);
    expect(files.slice(1).flatMap((f) => parseUrlset(textOf(f))).map((u) => u.loc)).toEqual(allLocs);
  });

  it('lists only the pages listed, with the URLs a browser makes of each path and any base', () => {
    const listed = (job: Job) => job.kind !== 'pair' || job.codes.includes(404);
    for (const base of ['https://example.com/docs/', 'https://example.com/docs', 'https://example.com', 'http://localhost:8080/a/b/']) {
      const urls = parseUrlset(textOf(sitemapFiles(new Sitemap(plan, listed, base, 'index.html'))[0]!));
      const pages = ['index', ...[...plan].filter(listed).map((job) => job.path)];
      expect(urls.map((u) => u.loc)).toEqual(pages.map((path) => new URL(`${path}.html`, base).href));
      // Every alternate is the URL of a page listed.
      const locs = new Set(urls.map((u) => u.loc));
      for (const url of urls) for (const href of url.alternates.values()) expect(locs.has(href), href).toBe(true);
    }
  });
});

describe('scriptSafeJson', () => {
  it('never lets a text end the script element, and parses back to the same value', () => {
    const pieces = ['</script>', '<!--', '-->', '<script>', '&amp;', '\u2028', '\u2029', '"', '\\', 'SIP 486', ' ', '<', '>', '&'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join('')), (text) => {
        const json = scriptSafeJson({ headline: text });
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(json)).toEqual({ headline: text });
      }),
    );
  });
});

describe('a build as a site', () => {
  let project: Project;
  beforeAll(() => {
    project = makeProject(undefined, ['en', 'zh-CN', 'de'], { search: true });
    const result = project.run('build', '--base-url', BASE, '--no-search', '--quiet');
    expect(result.status, result.stderr).toBe(0);
  });
  afterAll(() => project?.remove());

  const jsonLd = (path: string) => {
    const match = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(project.read('out', path));
    return match ? (JSON.parse(match[1]!) as Record<string, unknown>) : undefined;
  };

  it('with --base-url: a sitemap of every page written, in the languages written, with alternates', () => {
    const out = project.path('out');
    const urls = parseUrlset(project.read('out/sitemap.xml'));
    const locs = urls.map((u) => u.loc);
    // Every HTML page but the redirect stubs (noindex) and the 404 page, exactly once.
    const pages = filesUnder(out)
      .filter((f) => f.endsWith('.html') && f !== '404.html')
      .filter((f) => !project.read('out', f).includes('<meta name="robots" content="noindex">'));
    expect([...locs].sort()).toEqual(pages.map((p) => `${BASE}${p}`).sort());
    expect(new Set(locs).size).toBe(locs.length);
    expect(locs.some((l) => l.endsWith('/en/sip/439-vs-183.html'))).toBe(false);
    expect(locs).toContain(`${BASE}de/sip/183-vs-439.html`);
    for (const url of urls) {
      expect([...url.alternates.keys()].sort()).toEqual(['de', 'en', 'x-default', 'zh-CN']);
      expect([...url.alternates.values()]).toContain(url.loc);
      for (const href of url.alternates.values()) expect(existsSync(join(out, href.slice(BASE.length))), href).toBe(true);
    }
    const pair = urls.find((u) => u.loc === `${BASE}zh-CN/sip/183-vs-439.html`)!;
    expect(pair.alternates.get('x-default')).toBe(`${BASE}en/sip/183-vs-439.html`);
    expect(pair.alternates.get('de')).toBe(`${BASE}de/sip/183-vs-439.html`);
    const index = urls.find((u) => u.loc === `${BASE}de/index.html`)!;
    expect(index.alternates.get('x-default')).toBe(`${BASE}index.html`);
    expect(project.read('out/robots.txt')).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${BASE}sitemap.xml\n`);
  });

  it('with --no-search: no index and no search box', () => {
    expect(existsSync(project.path('out/pagefind'))).toBe(false);
    expect(project.read('out/de/index.html')).not.toContain('pagefind-ui');
    expect(project.read('out/de/index.html')).not.toContain('role="search"');
  });

  it('a 404 page in every language, each linking its home page, never indexed', () => {
    const html = project.read('out/404.html');
    expect(html).toContain('<meta name="robots" content="noindex">');
    for (const lang of ['en', 'zh-CN', 'de']) {
      const common = JSON.parse(project.read('locales', lang, 'common.json')) as { site: { notFound: Record<string, string> } };
      expect(html).toContain(`<section lang="${lang}">`);
      expect(html).toContain(common.site.notFound.title);
      expect(html).toContain(`href="${BASE}${lang}/index.html" hreflang="${lang}">${common.site.notFound.home}</a>`);
    }
  });

  it('a TechArticle in JSON-LD on articles, not on index pages', () => {
    const html = project.read('out/zh-CN/sip/183-vs-439.html');
    const title = /<title>(.*?)<\/title>/.exec(html)![1];
    const data = jsonLd('zh-CN/sip/183-vs-439.html')!;
    expect(data).toMatchObject({ '@context': 'https://schema.org', '@type': 'TechArticle', inLanguage: 'zh-CN', url: `${BASE}zh-CN/sip/183-vs-439.html` });
    expect(data.headline).toBe(title);
    expect(data.about).toEqual([
      { '@type': 'Thing', name: 'SIP 183 Session Progress' },
      { '@type': 'Thing', name: 'SIP 439 First Hop Lacks Outbound Support' },
    ]);
    expect(jsonLd('de/sip/486.html')).toMatchObject({ '@type': 'TechArticle', inLanguage: 'de', about: [{ name: 'SIP 486 Busy Here' }] });
    expect(jsonLd('de/index.html')).toBeUndefined();
  });

  it('without a site URL: no sitemap (it needs absolute URLs), says so; robots.txt names none; root-relative 404 links; no JSON-LD url', () => {
    const result = project.run('build', '--no-search');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('no sitemap.xml');
    expect(existsSync(project.path('out/sitemap.xml'))).toBe(false);
    expect(project.read('out/robots.txt')).toBe('User-agent: *\nAllow: /\n');
    expect(project.read('out/404.html')).toContain('href="/de/index.html" hreflang="de"');
    expect(jsonLd('en/sip/486.html')).not.toHaveProperty('url');
  });

  it('lists a page only in the languages the build writes', () => {
    const result = project.run('build', '--base-url', BASE, '--no-search', '--quiet', '--lang', 'de');
    expect(result.status, result.stderr).toBe(0);
    const urls = parseUrlset(project.read('out/sitemap.xml'));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.loc.startsWith(`${BASE}de/`) || url.loc === `${BASE}index.html`, url.loc).toBe(true);
    // No English page was written: no English alternate and no x-default for the articles.
    const pair = urls.find((u) => u.loc.endsWith('/de/sip/183-vs-439.html'))!;
    expect([...pair.alternates.keys()]).toEqual(['de']);
  });

  it('a search index that fails leaves the previous output as it was, and says why', () => {
    const before = snapshotTree(project.path('out'));
    // The second a full build (--force): the files it listed for its manifest are gone too.
    for (const [binary, ...force] of [['/nonexistent/pagefind'], ['/bin/false', '--force']]) {
      const env = { ...process.env, CI: 'true', PAGEFIND_BINARY_PATH: binary, PAGEFIND_EXTENDED_BINARY_PATH: binary };
      const result = spawnSync(process.execPath, [CLI, 'build', '--root', project.dir, ...force], { encoding: 'utf8', env, timeout: 120_000 });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^pagefind\n.*Cannot write the search index with Pagefind: .*search-index-failed/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(snapshotTree(project.path('out'))).toEqual(before);
      expect(readdirSync(project.dir).filter((name) => name.startsWith('.out.'))).toEqual([]);
    }
  });

  it('the search setting of codepairs.config.json is a boolean', () => {
    project.write('codepairs.config.json', JSON.stringify({ search: 'no' }));
    const result = project.run('build', '--quiet');
    project.write('codepairs.config.json', '{}');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('`search` must be true or false');
  });
});

/** GET (or another method) with a raw path, as no browser would send it. */
function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string; location?: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveGet({ status: res.statusCode!, type: res.headers['content-type'], body, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('codepairs preview', () => {
  let project: Project;
  let child: ReturnType<typeof spawn>;
  let port: number;
  beforeAll(async () => {
    project = makeProject(undefined, ['en']);
    expect(project.run('build', '--no-search', '--quiet').status).toBe(0);
    child = spawn(process.execPath, [CLI, 'preview', '--port', '0', '--root', project.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolveLine, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolveLine(text);
      });
      child.on('exit', (code) => reject(new Error(`preview exited with ${code}`)));
    });
    const match = /^Serving out\/ at http:\/\/localhost:(\d+)\/ /.exec(line);
    expect(match, line).not.toBeNull();
    port = Number(match![1]);
  });
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    project?.remove();
  });

  it('serves pages, folders and assets with their content types', async () => {
    const page = await get(port, '/en/sip/183-vs-439.html');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toBe(project.read('out/en/sip/183-vs-439.html'));
    expect((await get(port, '/')).body).toBe(project.read('out/index.html'));
    expect((await get(port, '/en/')).body).toBe(project.read('out/en/index.html'));
    expect(await get(port, '/en')).toMatchObject({ status: 301, location: '/en/' });
    expect((await get(port, '/assets/style.css')).type).toBe('text/css; charset=utf-8');
    expect((await get(port, '/en/sip/486.md')).type).toBe('text/markdown; charset=utf-8');
    expect((await get(port, '/robots.txt')).type).toBe('text/plain; charset=utf-8');
    expect((await get(port, '/en/sip/486.html', 'HEAD')).status).toBe(200);
    expect((await get(port, '/en/sip/486.html', 'POST')).status).toBe(405);
  });

  it('answers a missing path with the 404 page', async () => {
    const missing = await get(port, '/en/sip/999.html');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe(project.read('out/404.html'));
  });

  it('refuses paths that leave the output folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/data/sip/protocol.yaml', '/en/..%2f..%2fdata/sip/protocol.yaml', '/..%5c..%5cdata', '/en%00.html']) {
      const response = await get(port, path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).not.toContain('sip');
    }
  });

  it('stops with a usage error on a port that is taken, or without an output folder', async () => {
    const blocker = createServer();
    const taken = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)));
    const busy = project.run('preview', '--port', String(taken));
    blocker.close();
    expect(busy.status).toBe(2);
    expect(busy.stderr).toContain(`port ${taken} is in use`);
    const none = project.run('preview', '--out', 'nowhere', '--port', '0');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no output folder `nowhere`');
    expect(project.run('preview', '--port', 'x').status).toBe(2);
  });
});
