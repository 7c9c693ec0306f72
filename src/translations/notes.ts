/**
 * Context for translators, written into exports: which code and field a unit belongs to, and
 * where it appears. These notes are for translation tools, not pages, so they are in English.
 * Pure: no I/O.
 */
import { CONFUSABLE_TEXT_FIELDS, type Catalog } from '../types.js';
import type { Unit } from './units.js';

const FIELD_PLACES: Record<string, (code: number, pairs: number) => string> = {
  description: (code, pairs) => `the "Description" of ${code} on its code page (also its meta description) and in ${pairs} comparison articles`,
  when: (code, pairs) => `the "When it occurs" section of ${code} on its code page and in ${pairs} comparison articles`,
  fix: (code, pairs) => `the "How to fix it" (or "What to do") section of ${code} on its code page and in ${pairs} comparison articles`,
  use: (code, pairs) => `the "When to send it" section of ${code} on its code page and "Which to use when" in ${pairs} comparison articles`,
};

/** The unit key of a curated pair's text: `confusable.<low>-<high>.<field>`. */
const CONFUSABLE_UNIT = new RegExp(`^confusable\\.(\\d{3})-(\\d{3})\\.(${CONFUSABLE_TEXT_FIELDS.join('|')})$`);

export function contextNote(unit: Unit, catalog: Catalog): string {
  const plural = unit.key !== unit.sourceKey ? ` Plural form "${unit.key.split('_').at(-1)}", translated from the English "${unit.sourceKey.split('_').at(-1)}" form.` : '';
  const placeholders = /\{\{/.test(unit.source) ? ' Keep every placeholder; codepairs fills them in.' : '';
  if (unit.code !== undefined && unit.field) {
    const code = catalog.codes.find((c) => c.code === unit.code);
    const where = FIELD_PLACES[unit.field]?.(unit.code, catalog.codes.length - 1) ?? `the code page of ${unit.code}`;
    return `${catalog.protocol.name} ${unit.code} ${code?.reason ?? ''}, field "${unit.field}": ${where}.${placeholders}`;
  }
  const confusable = CONFUSABLE_UNIT.exec(unit.key);
  if (confusable) {
    const [, low, high, field] = confusable;
    const role = field === 'why' ? 'why readers confuse the two codes' : field === 'guidance' ? 'how to tell them apart' : 'a concrete case in a trace, log or browser';
    return `${catalog.protocol.name} ${low} vs ${high}, ${role}: the "Why these two are confused" section of that comparison article.`;
  }
  const what = unit.ns === 'common' ? 'page furniture shared by every page' : `a label or sentence of the ${catalog.protocol.name} pages`;
  return `Key "${unit.key}" of ${unit.ns}.json: ${what}.${plural}${placeholders}`;
}
