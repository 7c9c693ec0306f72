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
  /**
   * Whether every placeholder of the resources is a plain `{{name}}` (no format, no unescaped
   * `{{- name}}`, no path): then answers can be made from sentence shapes (see Shape).
   */
  shapes: boolean;
  /** Per language and namespace: the shape of each sentence asked (see shapeOf). */
  shaped: Map<string, Map<string, Shape>>;
  /** The resources i18next was given (see plainText). */
  resources: Resources;
}

/**
 * A sentence as i18next resolves and interpolates it for one key, context and set of value
 * names, with each value's place marked: the text between the places, and at each place the
 * value's name and whether i18next escaped it. i18next then runs once per sentence shape (a few
 * hundred per language) instead of once per sentence of every page (tens per page), and every
 * answer is the same text it would have given (a test holds it to i18next on every resource).
 */
type Shape = string | { texts: string[]; names: string[]; escaped: boolean[] };

/** What a value's place is marked with while i18next interpolates (the loader refuses NUL in resources and text). */
const PLACE = /\u0000([re])([^\u0000]*)\u0000/g;
const rawPlace = (name: string) => `\u0000r${name}\u0000`;
/** i18next's escape: a marked place becomes an escaped place; any other value is escaped for Markdown. */
const escapeValue = (value: string): string => (value.startsWith('\u0000r') && value.endsWith('\u0000') ? `\u0000e${value.slice(2)}` : escapeMarkdown(value));

/** A placeholder that sentence shapes support: a name alone. */
const PLACEHOLDER = /\{\{(.*?)\}\}/g;
const PLAIN_PLACEHOLDER = /^\s*\w+\s*$/;

/** Whether every placeholder in the resources is a plain name (see I18nContext.shapes). */
function plainPlaceholders(value: unknown): boolean {
  if (typeof value === 'string') {
    for (const [, inside] of value.matchAll(PLACEHOLDER)) if (!PLAIN_PLACEHOLDER.test(inside!)) return false;
    return true;
  }
  if (value && typeof value === 'object') return Object.values(value).every(plainPlaceholders);
  return true;
}

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
      escape: escapeValue,
      skipOnVariables: true,
      // Text is data, not a place for nested translations: `$t(…)` stays as written. (A NUL
      // never reaches a resource: the loader refuses control characters.)
      nestingPrefix: '\u0000nest(',
      nestingSuffix: ')\u0000',
    },
    showSupportNotice: false,
  } as never);
  return { instance, misses, shapes: plainPlaceholders(resources), shaped: new Map(), resources };
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

/** Options a shape is made with as they are: they choose the text (a count, shown as itself where the text has it, is in the shape's id). */
const CONTROLS = new Set(['context', 'interpolation', 'count']);
/** i18next's own options, which a shape cannot stand for (they change how the key resolves or what it returns). */
const I18NEXT_OPTIONS = new Set(['count', 'ordinal', 'lng', 'lngs', 'ns', 'defaultValue', 'replace', 'postProcess', 'returnObjects', 'returnDetails', 'joinArrays', 'keySeparator', 'nsSeparator', 'fallbackLng', 'skipInterpolation']);

export function translator(context: I18nContext, lang: string, ns: string): Translator {
  const { instance } = context;
  const place = `${lang}\u0000${ns}`;
  let shaped = context.shaped.get(place);
  if (!shaped) context.shaped.set(place, (shaped = new Map()));
  const shapes = shaped;
  const miss = (key: string): string => {
    context.misses.push({ lang, key: `${ns}:${key}` });
    return `[${key}]`;
  };
  // Straight to t() rather than through getFixedT, which copies all of i18next's options on every call.
  const ask = (key: string, options?: Record<string, unknown>): string => (existsIn(context, lang, ns, key, options) ? String(instance.t(key, { ...options, lng: lang, ns } as never)) : miss(key));
  return {
    lang,
    exists: (key, options) => existsIn(context, lang, ns, key, options),
    t(key, options) {
      const id = context.shapes ? shapeId(key, options) : undefined;
      if (id === undefined) return ask(key, options);
      let shape = shapes.get(id);
      if (shape === undefined) {
        shape = plainText(context.resources, lang, ns, key, options);
        if (shape === undefined) {
          if (!existsIn(context, lang, ns, key, options)) return miss(key);
          shape = shapeOf(instance, lang, ns, key, options);
        }
        shapes.set(id, shape);
      }
      return typeof shape === 'string' ? shape : fill(shape, options!);
    },
  };
}

/**
 * What the shape of a sentence depends on: the key, the context, whether values are escaped and
 * which values are given, and the count (its plural form, and its text where it is shown).
 * Undefined for options a shape cannot stand for (a value that is not a string or a number; a
 * count that is not a number; other i18next options).
 */
function shapeId(key: string, options?: Record<string, unknown>): string | undefined {
  if (options === undefined) return key;
  let id = key;
  for (const name in options) {
    const value = options[name];
    // Given but undefined is not the same to i18next as not given (it writes nothing for the first).
    if (value === undefined) id += `\u0000${name}?`;
    else if (name === 'context') id += `\u0000c${String(value)}`;
    // A count picks the plural form, and may be in the text: a shape for each count met (a lead lists one to nine aspects).
    else if (name === 'count' && typeof value === 'number') id += `\u0000n${value}`;
    else if (name === 'interpolation') {
      const keys = Object.keys(value as object);
      if (keys.length !== 1 || keys[0] !== 'escapeValue' || (value as { escapeValue: unknown }).escapeValue !== false) return undefined;
      id += '\u0000raw';
    } else if (typeof value === 'string' || typeof value === 'number') {
      if (I18NEXT_OPTIONS.has(name) || !/^\w+$/.test(name)) return undefined;
      id += `\u0000${name}`;
    } else return undefined;
  }
  return id;
}

/**
 * The answer for a key whose resource is text with no placeholder, read from the resources
 * without asking i18next (which took ~30 µs a key the first time, ~0.1 s of an edit's code
 * texts): what i18next returns for it, since nothing in it is interpolated or nested. Undefined
 * whenever i18next could answer otherwise: a context or a count (another key), a namespace in the
 * key, a path that is not plain objects down to the text, an empty text (missing to i18next).
 */
function plainText(resources: Resources, lang: string, ns: string, key: string, options?: Record<string, unknown>): string | undefined {
  if (options !== undefined && (options.context !== undefined || options.count !== undefined) || key.includes(':')) return undefined;
  let node: unknown = resources[lang]?.[ns];
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' && node !== '' && !node.includes('{{') ? node : undefined;
}

/** i18next's answer for the key with every value replaced by its marked place (see Shape). */
function shapeOf(instance: I18n, lang: string, ns: string, key: string, options?: Record<string, unknown>): Shape {
  const marked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options ?? {})) marked[name] = CONTROLS.has(name) || value === undefined ? value : rawPlace(name);
  const text = String(instance.t(key, { ...marked, lng: lang, ns } as never));
  const parts = text.split(PLACE);
  if (parts.length === 1) return text;
  const texts: string[] = [];
  const names: string[] = [];
  const escaped: boolean[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    texts.push(parts[i]!);
    if (i + 1 < parts.length) {
      escaped.push(parts[i + 1] === 'e');
      names.push(parts[i + 2]!);
    }
  }
  return { texts, names, escaped };
}

/** A sentence of this shape with these values. */
function fill(shape: Exclude<Shape, string>, values: Record<string, unknown>): string {
  let text = shape.texts[0]!;
  for (let i = 0; i < shape.names.length; i++) {
    const value = values[shape.names[i]!];
    text += (shape.escaped[i] ? escapeMarkdown(value) : String(value)) + shape.texts[i + 1]!;
  }
  return text;
}
