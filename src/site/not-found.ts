/**
 * The one 404 page a static host serves for every missing path: the same message in every
 * language, each in its own lang, with a link to that language's home page. Its links are
 * absolute (with the site URL) or root-relative (without), since it is shown at any depth.
 */
import type { Language } from '../types.js';
import { translator, type I18nContext } from '../render/i18n.js';
import { FALLBACK_LANG, STYLESHEET_PATH } from '../render/article.js';
import { hasFallbackMarks, stripFallbackMarks } from '../translations/fallback.js';

export const NOT_FOUND_PATH = '404.html';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text of a label with its lang attribute when it is the English fallback of a missing translation. */
function label(text: string): { text: string; attr: string } {
  if (!hasFallbackMarks(text)) return { text: escapeHtml(text), attr: '' };
  return { text: escapeHtml(stripFallbackMarks(text)), attr: ` lang="${FALLBACK_LANG}"` };
}

export function renderNotFoundPage(i18n: I18nContext, languages: Language[], baseUrl: string | undefined): string {
  const href = (path: string) => escapeHtml(baseUrl ? new URL(path, baseUrl).href : `/${path}`);
  const sections = languages.map((l) => {
    const t = translator(i18n, l.tag, 'common');
    const title = label(t.t('site.notFound.title'));
    const text = label(t.t('site.notFound.text'));
    const home = label(t.t('site.notFound.home'));
    const heading = l.tag === FALLBACK_LANG ? 'h1' : 'h2';
    return [
      `<section lang="${escapeHtml(l.tag)}">`,
      `<${heading}${title.attr}>${title.text}</${heading}>`,
      `<p><span${text.attr}>${text.text}</span> <a href="${href(`${l.tag}/index.html`)}" hreflang="${escapeHtml(l.tag)}"${home.attr}>${home.text}</a></p>`,
      '</section>',
    ].join('\n');
  });
  const english = languages.find((l) => l.tag === FALLBACK_LANG);
  // The English section carries the page's h1; it comes first.
  const ordered = english ? [sections[languages.indexOf(english)]!, ...sections.filter((_, i) => languages[i] !== english)] : sections;
  const title = stripFallbackMarks(translator(i18n, FALLBACK_LANG, 'common').t('site.notFound.title'));
  return [
    '<!DOCTYPE html>',
    `<html lang="${FALLBACK_LANG}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<meta name="robots" content="noindex">',
    `<link rel="stylesheet" href="${href(STYLESHEET_PATH)}">`,
    '</head>',
    '<body>',
    '<main class="not-found">',
    ...ordered,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
