/** The shipped languages and their labels, read from the locale files the build uses. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export const LANGUAGES = JSON.parse(readFileSync(join(ROOT, 'locales/languages.json'), 'utf8')) as Array<{ tag: string; name: string }>;
export const LANGS = LANGUAGES.map((l) => l.tag);

export function sectionLabels(lang: string): Record<string, string> {
  const common = JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'common.json'), 'utf8')) as { sections: Record<string, string> };
  return common.sections;
}

export function pairTitle(lang: string): string {
  const sip = JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'sip.json'), 'utf8')) as { title: { pair: string } };
  return sip.title.pair;
}

/** The script a language's prose is written in, or undefined for Latin-script languages. */
export function scriptOf(lang: string): RegExp | undefined {
  if (lang.startsWith('zh')) return /\p{Script=Han}/u;
  if (lang === 'ja') return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  if (lang === 'ko') return /\p{Script=Hangul}/u;
  if (lang === 'ru') return /\p{Script=Cyrillic}/u;
  return undefined;
}
