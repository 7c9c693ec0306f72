/**
 * The build processes pages in sections and reuses a section it has met before (the section
 * cache of src/render/processors.ts). That is an optimisation only: every page must have the
 * same bytes as when its Markdown is processed whole, the straightforward pipeline. Checked on
 * a sample of the shipped SIP catalog in every language: the index, some code pages, and runs of
 * pair articles that share a code, so their code sections, list items and table cells come from
 * the cache; and on HTTP pairs in three languages.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { load, planSite } from '../src/build.js';
import { composePage, renderArticle, type RenderContext } from '../src/render/article.js';
import { splitFrontMatter } from '../src/layouts/markdown.js';
import { markdownSections, markdownSectionsWhole, processMarkdown, processMarkdownOnly, processMarkdownWhole, type PreviousPage, type ProcessOptions, type Rendered, type RenderedPage } from '../src/render/processors.js';
import { setPieceCacheBudget } from '../src/render/section-cache.js';
import type { Job } from '../src/types.js';
import { ROOT } from './helpers/paths.js';

let ctx: RenderContext;
let jobs: Job[];
let http: RenderContext;
let httpJobs: Job[];

beforeAll(async () => {
  ({ ctx } = await load({ root: ROOT }));
  jobs = planSite({ ctxs: [ctx] }, undefined);
  ({ ctx: http } = await load({ root: ROOT, catalog: join(ROOT, 'data/http') }));
  httpJobs = planSite({ ctxs: [http] }, undefined);
});

/** Each page of `pages` rendered with the cache and whole gives the same bytes. */
async function expectSameBytes(context: RenderContext, pages: Job[]) {
  for (const job of pages) {
    const cached = renderArticle(context, job);
    const whole = renderArticle(context, job, undefined, { sectionCache: false });
    expect(cached.markdown, job.path).toBe(whole.markdown);
    expect(cached.html, job.path).toBe(whole.html);
    expect(cached.redirect, job.path).toEqual(whole.redirect);
    // A value is escaped for Markdown once: twice, and the reader sees the backslash
    // ("section 21\.4.24"). The catalog's own text has no backslash.
    const text = cached.html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]*>/g, '');
    expect(text, job.path).not.toContain('\\');
  }
}

const outputs = ({ markdown, body }: Rendered) => ({ markdown, body });

/** `rendered` as the next build reads it back: its Markdown file, and its body inside an HTML page. */
function previousFrom(rendered: RenderedPage): PreviousPage | undefined {
  if (!rendered.pieces) return undefined;
  const head = '<!DOCTYPE html>\n<main>\n';
  return { markdown: rendered.markdown, html: `${head}${rendered.body}\n</main>\n`, record: { bodyStart: head.length, pieces: rendered.pieces } };
}

/**
 * A piece of Markdown processed `times` times (from the cache after the first) gives the bytes of
 * its whole processing; and so it does with its pieces taken from `before` (another page's
 * outputs, as an incremental build reads them) or from its own.
 */
async function expectSameAsWhole(source: string, options: ProcessOptions, times: number, before?: string) {
  const whole = processMarkdownWhole(source, options);
  for (let i = 0; i < times; i++) expect(outputs(processMarkdown(source, options))).toEqual(whole);
  const own = previousFrom(processMarkdown(source, options));
  if (own) expect(outputs(processMarkdown(source, options, own))).toEqual(whole);
  const other = before === undefined ? undefined : previousFrom(processMarkdown(before, options));
  if (other) expect(outputs(processMarkdown(source, options, other))).toEqual(whole);
}

/**
 * The sample of a language, in plan order: the index, every 25th code page, 20 pairs of 183 (its
 * code section comes from the cache from the third on) and every 200th pair.
 */
function sample(lang: string): Job[] {
  const own = jobs.filter((job) => job.lang === lang);
  const codes = own.filter((job) => job.kind === 'code');
  const pairs = own.filter((job) => job.kind === 'pair');
  return [
    ...own.filter((job) => job.kind === 'index'),
    ...codes.filter((_, i) => i % 25 === 0),
    ...pairs.filter((job) => job.codes.includes(183)).slice(0, 20),
    ...pairs.filter((_, i) => i % 200 === 0),
  ];
}

describe('the section cache', () => {
  it('covers every language of the shipped catalog', () => {
    expect(new Set(jobs.map((job) => job.lang)).size).toBe(ctx.languages.length);
  });

  it.each(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'de', 'fr', 'pt-BR', 'ru'])('gives the bytes of the whole-page pipeline on a sample of %s pages', async (lang) => {
    const pages = sample(lang);
    expect(pages.length).toBeGreaterThan(30);
    await expectSameBytes(ctx, pages);
  });
});

describe('the section cache when it forgets', () => {
  // The caches are bounded by the size of what they remember (4M characters): with a budget of
  // a few pieces, they forget what they kept every few pieces, in the middle of pages.
  it.each(['en', 'ja'])('gives the bytes of the whole-page pipeline on %s pairs of 486', async (lang) => {
    const pages = jobs.filter((job) => job.lang === lang && job.kind === 'pair' && job.codes.includes(486)).slice(0, 12);
    const before = setPieceCacheBudget(3_000);
    try {
      await expectSameBytes(ctx, pages);
    } finally {
      setPieceCacheBudget(before);
    }
  });
});

describe('what the section cache keeps', () => {
  // A section met once is only remembered as met (by a number, not its text); met a second time,
  // what is made for it is kept; met a third time, it comes from the cache.
  it('keeps a section the second time it is met, and gives it back the third time', () => {
    const options = { lang: 'en-x-kept', typography: { cjkLatinSpacing: false, frenchSpacing: false } };
    const source = '## One\n\nA sentence of the first section.\n\n## Two\n\nA sentence of the second section.\n';
    const [first, second, third] = [1, 2, 3].map(() => markdownSections(source, options));
    for (const i of [0, 1]) {
      expect(second![i]).toEqual(first![i]);
      expect(second![i]).not.toBe(first![i]);
      expect(third![i]).toBe(second![i]);
    }
    // Another text is not taken for one met before: the same number of sections, its own trees.
    const other = markdownSections(source.replace('first', 'third'), options);
    expect(other[0]).not.toBe(third![0]);
    expect(other[1]).toBe(third![1]);
  });
});

describe('the section cache on the HTTP catalog', () => {
  // Other tables, lists and links than SIP's: the pairs of 404 and every 150th pair.
  it.each(['en', 'ja', 'de'])('gives the bytes of the whole-page pipeline on a sample of %s pages', async (lang) => {
    const pairs = httpJobs.filter((job) => job.lang === lang && job.kind === 'pair');
    const pages = [...pairs.filter((job) => job.codes.includes(404)).slice(0, 12), ...pairs.filter((_, i) => i % 150 === 0)];
    expect(pages.length).toBeGreaterThan(20);
    await expectSameBytes(http, pages);
  });
});

describe('lists and tables taken apart', () => {
  // A language tag of its own: the cache knows a section by its text and language, and the
  // pages above were processed with their language's heading keys, which these have not.
  const options = { lang: 'en-x-test', typography: { cjkLatinSpacing: false, frenchSpacing: false } };
  // Each is processed three times, so its list items and table cells are met again and come
  // from the cache; every time, the bytes must be those of the page processed whole.
  const sources = {
    'a list after a heading': '## Learn more\n\n- [RFC 3261, section 21](https://www.rfc-editor.org/rfc/rfc3261#section-21)\n- [All codes](index.md)\n- **486 Busy Here**: busy _here_.\n',
    'a list after a paragraph, then a paragraph': '## Which to use when\n\nFirst.\n\n- **486**: one.\n- **600**: two.\n\nAfter that, nothing.\n',
    'a loose list': '## Loose\n\n- one\n\n- two\n- three\n',
    'a loose list after a lazy line': '## Loose\n\n- one\nlazy\n\n- two\n- three\n',
    'a table, then a list whose items start with numbers': '## Facts\n\n| Fact | A |\n| --- | --- |\n| Kind | final |\n\n- 486 is final.\n- 600 is final too.\n\n183 and 486 differ.\n\n1. one\n\n2. two\n',
    'items that are not one paragraph': '## Odd\n\n- one\n- - nested\n- two\n',
    'a thematic break among items': '## Odd\n\n- one\n- * * *\n',
    'plain paragraphs and items, built without parsing': 'Version 2.0 costs $5 (about 10%)! Really? “Yes” — it’s fine: a=b, c+d, #1, 183 vs 486.\n\n183 is provisional; 486 is final.\n\n- 100 typically comes from a proxy, whereas 180 comes from the UAS.\n- Both: « oui » ; non !\n\nEnds with a space \n\nEnds with a no-break space\u00a0\n\n3. not plain\n\n- 3) not plain either\n',
    'plain headings and sections': '# SIP 183 Session Progress vs 439 First Hop\n\n## 183 Session Progress\n\n### Description\n\nThe UAS reports progress.\n\n### When it occurs\n\nBefore the call is answered.\n\n- One item.\n- Two items.\n\n###### Six\n',
    'headings that are almost plain': '## Closed ##\n\n## C#\n\n####### Seven\n\n# Heading with *emphasis*\n\n#Not a heading\n\n##  Two spaces\n',
    'paragraphs of images': '![Call flow for 100 Trying](diagrams/100.svg) ![Call flow for 180 Ringing](diagrams/180.svg)\n\n![100 Tryingのコールフロー (A → B)](diagrams/100.svg)\n\n![](a.svg) ![x](b.svg) ![y](c-d_e.svg)\n',
    'images that are almost plain': '![ spaced ](a.svg)\n\n![a](b.svg "title")\n\n![a](b.svg)  ![c](d.svg)\n\n![a](b.svg?x=1)\n\n![*em*](a.svg)\n\n![a](<b c.svg>)\n',
    'text that is almost plain': 'A line\nand another.\n\nSee <https://example.com> and &amp; and `code` and *em* and [link](x.md) and a\\b.\n',
    'a table with alignments and escaped pipes': '| Fact | A | B |\n| :--- | :---: | ---: |\n| Pipe | a \\| b | `x` |\n| Empty |  | **strong** |\n',
    'a table with a cell that is a list marker': '| Fact | A |\n| --- | --- |\n| - | 1. one |\n',
    'a table with a short row': '| Fact | A | B |\n| --- | --- | --- |\n| only |\n',
    'a table with an escaped backslash before a pipe': '| Fact | A |\n| --- | --- |\n| a \\\\| b |\n',
    'a table written from its cells': '| Fact | A | B |\n| --- | --- | --- |\n| [RFC 3261](a.md) | **183** | `x` |\n| Empty |  | _em_ & <b>bold</b> |\n| Long cell that sets the width | a | b |\n',
    'a table of a header row only': '| Fact | A |\n| --- | --- |\n',
    'a block of nothing but a space': ' \n\nA\n',
    'an empty item, then a list of another bullet': '+\n\n- A\n\n1.\n\n- B\n',
    'lists of plain links': '## Learn more\n\n- [RFC 3261, section 21.1.5 (183)](https://www.rfc-editor.org/rfc/rfc3261#section-21.1.5)\n- [SIP 183: the reference page](183.md)\n- [202 Accepted (Deprecated)](199-vs-202.md)\n- [481 Call/Transaction Does Not Exist](199-vs-481.md)\n- [Page](../index.md#top)\n',
    'links that are almost plain': '- [ spaced ](a.md)\n- [a](b.md "t")\n- [a](<b c.md>)\n- [a](b(c).md)\n- [a](b.md) tail\n- [*em*](a.md)\n- [a](b%20c.md)\n- [a]( b.md)\n- [a](javascript:alert)\n',
  };
  it.each(Object.entries(sources))('gives the bytes of the whole-page pipeline for %s', (_, source) => expectSameAsWhole(source, options, 3));
});

describe('pieces taken from the page rendered before', () => {
  const options = { lang: 'en-x-before', typography: { cjkLatinSpacing: false, frenchSpacing: false } };
  const before = '# Title\n\n## 183 Session Progress\n\nProgress before the answer.\n\n## Differences\n\n| Fact | 183 | 486 |\n| --- | --- | --- |\n| Kind | provisional | final |\n\n- [RFC 3261](a.md)\n- [All codes](index.md)\n';
  const after = before.replace('Progress before the answer.', 'Progress before the answer, edited.');

  it('takes a piece whose text did not change from the files, and processes the one that did', async () => {
    const first = processMarkdown(before, options);
    // Mark the files' copy of every piece, keeping each length: what is taken from them shows.
    const marked = { ...previousFrom(first)!, markdown: first.markdown.replace('provisional', 'PROVISIONAL'), html: previousFrom(first)!.html.replace('provisional', 'PROVISIONAL') };
    const second = processMarkdown(after, options, marked);
    expect(second.markdown).toContain('| Kind | PROVISIONAL | final |');
    expect(second.body).toContain('<td>PROVISIONAL</td>');
    expect(second.markdown).toContain('Progress before the answer, edited.');
    expect(outputs(processMarkdown(after, options, previousFrom(first)))).toEqual(processMarkdownWhole(after, options));
  });

  it('takes nothing from files that do not fit the record', async () => {
    const first = processMarkdown(before, options);
    const shorter = { ...previousFrom(first)!, markdown: first.markdown.replace('provisional', 'prov') };
    expect(processMarkdown(after, options, shorter).markdown).toContain('| Kind | provisional | final |');
  });
});

describe('pages with fenced code, split outside the code', () => {
  const options = { lang: 'en-x-fence', typography: { cjkLatinSpacing: false, frenchSpacing: false } };
  // A line that starts with `## ` inside fenced code is code, not a section; splitting there
  // would make it a heading. Each page is processed twice, the second time from the cache.
  const sources = {
    'a heading line inside code': '## Example\n\n```\n## not a heading\n\nText after a blank line\n```\n\n## After\n\nText.\n',
    'a tilde fence closed by a longer one': '## A\n\n~~~\n## in\n~~~~\n\n## B\n\nx\n',
    'a backtick fence that tildes do not close': '## A\n\n```\n~~~\n## in\n```\n\n## B\n',
    'a fence left open': '## A\n\n```\n## in\n\n## still in\n',
    'a fence in a list item, ended at the margin': '## A\n\n- item\n\n  ```\n  code\n```\n## in\n```\n\n## B\n\n```\n',
    'a closing fence with text after it': '## A\n\n```\ncode\n``` not closing\n## in\n```\n## B\n',
    'backticks whose info has a backtick (no fence), then a fence': '## A\n\n``` a`b\n## heading\n\n```\n## in\n```\n\n## B\n',
    'a longer fence, and a shorter line inside it': '## A\n\n````sip\n```\n## in\n````\n## B\n\nText.\n',
  };
  it.each(Object.entries(sources))('gives the bytes of the whole-page pipeline for %s', (_, source) => expectSameAsWhole(source, options, 2));
});

describe('the code sections of a pair article, kept out of search', () => {
  const keys = new Map([['Description', 'description'], ['183 Session Progress', 'code-183'], ['439 First Hop Lacks Outbound Support', 'code-439'], ['Key differences', 'differences']]);
  const options = { lang: 'en-x-search', typography: {}, sectionKeys: keys };
  // Every top-level element of a code's section carries the attribute, the heading included;
  // nothing before or after it does. A code section is processed whole, with or without
  // level-3 headings, plain text or not, so the pieces give the bytes of the whole page.
  const page = [
    '# SIP 183 vs 439\n\nThe lead.',
    '## 183 Session Progress\n\nEarly media, in *practice*.\n\nA second paragraph.\n\n- a list\n- of two',
    '## 439 First Hop Lacks Outbound Support\n\n### Description\n\nThe first hop.',
    '## Key differences\n\nThey differ.',
  ].join('\n\n') + '\n';
  it('marks exactly their blocks, in pieces as on the whole page', async () => {
    await expectSameAsWhole(page, options, 2);
    const { body } = processMarkdown(page, options);
    const blocks = body.split('\n').filter((line) => /^<(?:h\d|p|ul)\b/.test(line));
    const marked = blocks.filter((line) => line.includes(' data-pagefind-ignore>'));
    expect(marked).toEqual([
      '<h2 id="code-183" data-pagefind-ignore>183 Session Progress</h2>',
      '<p data-pagefind-ignore>Early media, in <em>practice</em>.</p>',
      '<p data-pagefind-ignore>A second paragraph.</p>',
      '<ul data-pagefind-ignore>',
      '<h2 id="code-439" data-pagefind-ignore>439 First Hop Lacks Outbound Support</h2>',
      '<h3 id="code-439-description" data-pagefind-ignore>Description</h3>',
      '<p data-pagefind-ignore>The first hop.</p>',
    ]);
    expect(blocks.length - marked.length).toBe(4);
  });
});

describe('plain text written without unified', () => {
  // Paragraphs, headings, lists and one-line quotes of text without Markdown syntax, plain links and images, are
  // written directly (plainOutputs). Random documents made of the characters and URLs that are
  // left, and of some that are not, in every typography, with heading keys and Mermaid
  // diagrams or without: the bytes must be unified's.
  const plain = fc.constantFrom(...'aZé中ｱ09 .,:;!?()-+=#"\'/%$@^{}°«»–—…', '\u00a0', '\u202f', '\u3000');
  const syntax = fc.constantFrom('*', '_', '`', '[', ']', '<', '&', '|', '~', '\\', '\t');
  const char = fc.oneof({ arbitrary: plain, weight: 40 }, { arbitrary: syntax, weight: 1 });
  // Mostly text that starts as a sentence does, sometimes as Markdown syntax would.
  const start = fc.constantFrom('A', 'z', '中', '4', '1.', '2)', ' ', '-', '#', '=', '+');
  const text = fc.tuple(start, fc.array(char, { maxLength: 24 })).map(([first, chars]) => first + chars.join(''));
  const url = fc.constantFrom('183.md', '../index.md#top', 'diagrams/183.svg', 'https://www.rfc-editor.org/rfc/rfc3261#section-21.1.5', 'a b.md', 'b(c).md', 'javascript:alert', 'x.md?q=1', 'é.md', 'mailto:a@b.c', 'Description');
  const link = fc.tuple(fc.oneof(text, url), url).map(([label, to]) => `[${label}](${to})`);
  const image = fc.tuple(fc.oneof(text, fc.constantFrom('', 'a "quoted" one', "it's = ok")), url).map(([alt, to]) => `![${alt}](${to})`);
  const item = fc.oneof(text, link);
  const block = fc.oneof(
    text,
    fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => items.map((one) => `- ${one}`).join('\n')),
    fc.tuple(fc.constantFrom('#', '##', '###', '####'), fc.oneof(text, fc.constantFrom('Description', 'When it occurs', 'C#', '183 Session Progress'))).map(([marks, title]) => `${marks} ${title}`),
    fc.array(image, { minLength: 1, maxLength: 2 }).map((images) => images.join(' ')),
    // Quotes: of one line (the note of a page whose translation is incomplete), of two, without the space.
    fc.tuple(fc.constantFrom('> ', '>', '>  '), text, fc.option(text)).map(([mark, line, next]) => `${mark}${line}${next === null ? '' : `\n> ${next}`}`),
  );
  const typographies = [{}, { cjkLatinSpacing: true }, { frenchSpacing: true }];
  // With heading keys (the ids of the HTML headings; a code's heading, whose section is kept out
  // of search) and Mermaid diagrams, or without.
  const keys = new Map([['Description', 'description'], ['When it occurs', 'when'], ['183 Session Progress', 'code-183']]);
  const extras = [{}, { sectionKeys: keys, mermaid: { 'diagrams/183.svg': 'sequenceDiagram\n  A->>B: INVITE' } }];
  // The first piece of a page whose translation is incomplete: its title and a one-line note.
  const notes = {
    zh: ['# SIP 180 Ringing 与 183 Session Progress 对比\n\n> 本页部分内容尚未翻译，暂以英语显示。\n', { cjkLatinSpacing: true }],
    fr: ['# SIP 180 Ringing ou 183 Session Progress : comparaison\n\n> Certaines parties de cette page ne sont pas encore traduites : elles sont en anglais.\n', { frenchSpacing: true }],
    en: ['> A quote.\n\n> Another.\n\nText after them.\n', {}],
  } as const;
  it.each(Object.entries(notes))('gives the bytes of the whole-page pipeline for a title and a note (%s)', (lang, [source, typography]) =>
    expectSameAsWhole(source, { lang: `${lang}-x-note`, typography }, 2),
  );
  it('gives the bytes of the whole-page pipeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(block, { minLength: 1, maxLength: 4 }), fc.array(block, { maxLength: 4 }), fc.constantFrom(...typographies), fc.constantFrom(...extras), async (blocks, others, typography, extra) => {
        const source = `${blocks.join('\n\n')}\n`;
        // The page before: some of the same blocks, some others, in another order.
        const before = `${[...others, ...blocks.filter((_, i) => i % 2 === 0)].join('\n\n')}\n`;
        // The cache takes heading keys and diagrams to be the same for all pages of a language.
        const options = { lang: 'sectionKeys' in extra ? 'en-x-keys' : 'en-x-plain', typography, ...extra };
        await expectSameAsWhole(source, options, 2, before);
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });
});

describe('a portal page', () => {
  // A portal layout takes the page's Markdown from the same cache as the plain build, and its front
  // matter from the data the template was given, not by parsing the YAML written from it.
  it.each(['en', 'zh-CN', 'ja', 'de', 'ru'])('has the plain build’s Markdown and the front matter yaml reads (%s)', (lang) => {
    for (const job of sample(lang)) {
      const page = composePage(ctx, job);
      const markdown = processMarkdownOnly(page.source, page.options);
      expect(markdown, job.path).toBe(renderArticle(ctx, job, undefined, { sectionCache: false }).markdown);
      // The shipped templates write the front matter as they were given it: the data is taken.
      expect(markdown.startsWith(`---\n${page.frontMatter.text}\n---\n`), job.path).toBe(true);
      expect(splitFrontMatter(markdown, page.frontMatter), job.path).toEqual(splitFrontMatter(markdown));
    }
  });

  it('reads the front matter when a template writes more around the one it was given', () => {
    const page = composePage(ctx, jobs.find((job) => job.kind === 'pair')!);
    const markdown = processMarkdownOnly(page.source.replace('\n---\n', '\nauthor: Docs team\n---\n'), page.options);
    const { data } = splitFrontMatter(markdown, page.frontMatter);
    expect(data).toEqual({ ...page.frontMatter.data, author: 'Docs team' });
  });
});

/** A tree without the positions the parser gives its nodes (trees put together from pieces have none). */
function withoutPositions(tree: unknown): unknown {
  return JSON.parse(JSON.stringify(tree, (key, value) => (key === 'position' ? undefined : value)));
}

describe('the trees of a page’s sections (the knowledge-base export)', () => {
  // A section the build cuts into pieces is put together from their trees (tables from their
  // cells, lists from their items, plain text without a parse, the front matter as it is): the
  // same trees as each section parsed whole. Each page twice, so the second time its pieces come
  // from the cache.
  const expectSameTrees = (context: RenderContext, pages: Job[]) => {
    for (const job of pages) {
      const page = composePage(context, job);
      const whole = markdownSectionsWhole(page.source, page.options).map(withoutPositions);
      for (let i = 0; i < 2; i++) expect(markdownSections(page.source, page.options).map(withoutPositions), job.path).toEqual(whole);
    }
  };
  it.each(['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'de', 'fr', 'pt-BR', 'ru'])('are those of each section parsed whole on a sample of %s pages', (lang) => {
    expectSameTrees(ctx, sample(lang));
  });

  it.each(['en', 'ja'])('are those of each section parsed whole on %s HTTP pages', (lang) => {
    const own = httpJobs.filter((job) => job.lang === lang);
    expectSameTrees(http, [...own.filter((job) => job.codes.includes(404)).slice(0, 12), ...own.filter((_, i) => i % 150 === 0)]);
  });
});
