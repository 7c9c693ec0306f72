/**
 * One i18next instance for a build, configured for documents rather than a UI: no fallback
 * language (stale and missing translations arrive as marked English in the resources, see
 * src/translations/fallback.ts, so pages can say so), interpolated values escaped for Markdown,
 * and every miss recorded so the build can report it.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Resources } from '../types.js';
import { escapeMarkdown } from './markdown-text.js';

export interface Miss {
  lang: string;
  key: string;
}

export interface Translator {
  /** Translate `key` in namespace `ns` ("common" or a protocol id). */
  t(key: string, options?: Record<string, unknown>): string;
  exists(key: string, options?: Record<string, unknown>): boolean;
  lang: string;
}

export interface I18nContext {
  instance: I18n;
  misses: Miss[];
  /** See existsIn. */
  known?: Map<string, boolean>;
  /** See translated. */
  said?: Map<string, string>;
}

/** Translations remembered at most: the sentences of a code recur on all its pairs. */
const SAID_LIMIT = 50_000;

export function createI18n(resources: Resources, namespaces: readonly string[]): I18nContext {
  const misses: Miss[] = [];
  const instance = i18next.createInstance();
  void instance.init({
    resources: resources as never,
    lng: 'en',
    // Never a silent fallback language.
    fallbackLng: false,
    ns: [...namespaces],
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    returnEmptyString: false,
    interpolation: {
      escapeValue: true,
      escape: escapeMarkdown,
      skipOnVariables: true,
      // Text is data, not a place for nested translations: `$t(…)` stays as written. (A NUL
      // never reaches a resource: the loader refuses control characters.)
      nestingPrefix: '\u0000nest(',
      nestingSuffix: ')\u0000',
    },
    showSupportNotice: false,
  } as never);
  return { instance, misses };
}

/**
 * Whether a key resolves, remembered per language, namespace, key, context and count (the only
 * options that change what a key resolves to): pages ask the same few hundred keys thousands
 * of times, and the resources do not change during a build.
 */
function existsIn(context: I18nContext, lang: string, ns: string, key: string, options?: Record<string, unknown>): boolean {
  const memo = (context.known ??= new Map());
  const id = `${lang}\u0000${ns}\u0000${key}\u0000${String(options?.context ?? '')}\u0000${String(options?.count ?? '')}`;
  let known = memo.get(id);
  if (known === undefined) {
    known = context.instance.exists(key, { lng: lang, ns, ...options });
    memo.set(id, known);
  }
  return known;
}

export function translator(context: I18nContext, lang: string, ns: string): Translator {
  // Straight to t() rather than through getFixedT, which copies all of i18next's options on every call.
  const { instance } = context;
  return {
    lang,
    exists: (key, options) => existsIn(context, lang, ns, key, options),
    t(key, options) {
      // An answer remembered is for a key that resolves: no need to ask again.
      const id = saidId(lang, ns, key, options);
      const said = context.said?.get(id);
      if (said !== undefined) return said;
      if (!existsIn(context, lang, ns, key, options)) {
        context.misses.push({ lang, key: `${ns}:${key}` });
        return `[${key}]`;
      }
      return translated(context, id, lang, ns, key, options);
    },
  };
}

/**
 * i18next's answer for a key and its options, remembered (`t` looks there first): a sentence
 * about one code (its retry rule, its "after 486 …") is asked with the same values on every pair
 * of that code, and i18next resolves and interpolates it anew each time. The memory is bounded
 * like the section cache's: it is emptied when full.
 */
function translated(context: I18nContext, id: string, lang: string, ns: string, key: string, options?: Record<string, unknown>): string {
  const text = String(context.instance.t(key, { ...options, lng: lang, ns } as never));
  const said = (context.said ??= new Map());
  if (said.size >= SAID_LIMIT) said.clear();
  said.set(id, text);
  return text;
}

/** What an answer of i18next is remembered by: the language, namespace, key and options. */
const saidId = (lang: string, ns: string, key: string, options?: Record<string, unknown>): string => `${lang}\u0000${ns}\u0000${key}\u0000${options ? JSON.stringify(options) : ''}`;
