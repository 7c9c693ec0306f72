/**
 * Compile the page templates once per build. Markdown templates get no HTML escaping (values are
 * escaped for Markdown before they reach the template); the HTML layout escapes as HTML.
 * Strict mode turns a misspelt variable into an error instead of an empty string.
 */
import Handlebars from 'handlebars';
import type { TemplateSources } from '../load/templates.js';

export type Template = (data: unknown) => string;

export interface CompiledTemplates {
  pair: Template;
  code: Template;
  index: Template;
  layout: Template;
  /** The home page of a language in a build of several catalogs (optional otherwise). */
  home?: Template;
}

export const REQUIRED_TEMPLATES = ['pair.md', 'code.md', 'index.md', 'layout.html'] as const;
/** Required when a build holds several catalogs. */
export const HOME_TEMPLATE = 'home.md';

export function compileTemplates(sources: TemplateSources): CompiledTemplates {
  const markdown = Handlebars.create();
  for (const [name, source] of Object.entries(sources.partials)) {
    markdown.registerPartial(name, markdown.compile(source, { noEscape: true, strict: true }));
  }
  const md = (name: string) => markdown.compile(sources.pages[name]!, { noEscape: true, strict: true });
  const html = Handlebars.create();
  return {
    pair: md('pair.md'),
    code: md('code.md'),
    index: md('index.md'),
    layout: html.compile(sources.pages['layout.html']!, { strict: true }),
    ...(sources.pages[HOME_TEMPLATE] !== undefined ? { home: md(HOME_TEMPLATE) } : {}),
  };
}
