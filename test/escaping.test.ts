/**
 * Hostile text renders as literal text in both Markdown and HTML, whatever the loader would have
 * said about it: the real inputs are loaded, then hostile strings are put straight into the
 * catalog and the translations (past validation) and pages are rendered by the real pipeline.
 */
import type { Element, Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { toString } from 'mdast-util-to-string';
import rehypeParse from 'rehype-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { load } from '../src/build.js';
import { renderArticle, type RenderContext } from '../src/render/article.js';
import { remarkTable } from '../src/render/plugins/remark-table.js';
import type { Job } from '../src/types.js';
import { ROOT } from './helpers/paths.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '[click me](javascript:alert(3))',
  '<a href="javascript:alert(4)">x</a>',
  '<b>raw</b> &amp; &lt;i&gt;',
  '{{title}} {{{frontMatter}}} $t(site.home)',
  '*stars* _under_ | pipe ~~strike~~ \\ back [ref]: /x',
].join(' ');

let ctx: RenderContext;

beforeAll(async () => {
  ({ ctx } = await load({ root: ROOT }));
  const code = ctx.byCode.get(486)!;
  code.reason = `Busy ${HOSTILE}`;
  code.aliases = [HOSTILE];
  for (const lang of ['en', 'zh-CN']) ctx.i18n.instance.addResource(lang, 'sip', 'codes.486.description', `${HOSTILE} end`);
});

const job = (lang: string, kind: 'code' | 'pair'): Job =>
  kind === 'code'
    ? { kind, lang, translationKey: 'sip-486', path: `${lang}/sip/486`, codes: [486] }
    : { kind, lang, translationKey: 'sip-486-vs-600', path: `${lang}/sip/486-vs-600`, codes: [486, 600] };

const mdast = (markdown: string) => unified().use(remarkParse).use(remarkFrontmatter).use(remarkTable).parse(markdown) as MdastRoot;
const hast = (html: string) => unified().use(rehypeParse).parse(html) as HastRoot;

const textOf = (node: HastRoot | Element): string =>
  node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '')).join('');

describe.each(['en', 'zh-CN'])('hostile catalog and translation text in %s', (lang) => {
  it.each(['code', 'pair'] as const)('stays literal text on the %s page, in Markdown and in HTML', async (kind) => {
    const article = renderArticle(ctx, job(lang, kind));

    const md = mdast(article.markdown);
    const kinds = new Set<string>();
    visit(md, (node) => void kinds.add(node.type));
    for (const forbidden of ['html', 'link', 'linkReference', 'definition', 'emphasis', 'delete', 'inlineCode']) {
      if (forbidden === 'link') {
        visit(md, 'link', (link) => expect(link.url).not.toMatch(/javascript:/i));
      } else expect(kinds, forbidden).not.toContain(forbidden);
    }
    expect(toString(md)).toContain(HOSTILE);
    const front = md.children[0]!;
    expect(front.type).toBe('yaml');
    if (front.type === 'yaml') expect((parseYaml(front.value) as { keywords: string[] }).keywords).toContain(HOSTILE);

    const page = hast(article.html);
    visit(page, 'element', (element: Element) => {
      if (element.tagName === 'script') {
        // The JSON-LD of the page: data, never run; the hostile text stays inside its JSON string.
        expect(element.properties.type).toBe('application/ld+json');
        const json = textOf(element);
        expect(json).not.toMatch(/[<>]/);
        expect(JSON.stringify(JSON.parse(json))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
        return;
      }
      // The only images are the pages' own call-flow diagrams: a fixed src and an alt text.
      if (element.tagName === 'img') expect([String(element.properties.src), Object.keys(element.properties).sort()]).toEqual([expect.stringMatching(/^diagrams\/\d{3}\.svg$/), ['alt', 'src']]);
      else expect(['iframe', 'object', 'embed', 'b', 'i']).not.toContain(element.tagName);
      for (const [name, value] of Object.entries(element.properties)) {
        expect(name.toLowerCase().startsWith('on'), `${element.tagName} ${name}`).toBe(false);
        expect(String(value)).not.toMatch(/^\s*javascript:/i);
      }
    });
    expect(textOf(page)).toContain(HOSTILE);
  });
});

describe('line breaks in catalog text', () => {
  it('fold into spaces, so no line of a value can open a heading, a list or a quote', async () => {
    const text = 'Intro line\n\n## Injected heading\n- injected item\n1. numbered\n> quoted\n---';
    // A code no page of this file has shown yet: views keep what they computed for a code.
    ctx.i18n.instance.addResource('en', 'sip', 'codes.183.description', text);
    const article = renderArticle(ctx, { kind: 'code', lang: 'en', translationKey: 'sip-183', path: 'en/sip/183', codes: [183] });
    const md = mdast(article.markdown);
    visit(md, (node) => {
      if (node.type === 'heading' || node.type === 'listItem' || node.type === 'blockquote') expect(toString(node)).not.toMatch(/injected|numbered|quoted/i);
      expect(node.type).not.toBe('thematicBreak');
    });
    expect(toString(md)).toContain('Intro line ## Injected heading - injected item 1. numbered > quoted ---');
  });
});
