/**
 * Check a catalog's protocol.yaml: what the protocol is, its classes, the facts its codes carry
 * and how they compare (see FactSchema in src/types.ts). Pure: every problem becomes a message on
 * the file, at the place it is about.
 */
import type { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import type { FactSchema, Protocol, RelevanceRule, StatusClass } from '../types.js';
import type { KeyPath, Parsed } from './source.js';

const describe = (value: unknown): string =>
  Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value === 'object' ? 'mapping' : typeof value;
const quoted = (items: readonly string[]) => items.map((v) => `\`${v}\``).join(', ');

const TOP_FIELDS = ['id', 'name', 'title', 'registry', 'classes', 'facts', 'relevance', 'sequence', 'sequenceExcept', 'receiver', 'reserved', 'unused', 'example'];
const CLASS_FIELDS = ['digit', 'id', 'name', 'provisional', 'failure'];
const FACT_FIELDS = ['kind', 'values', 'any', 'labels', 'join', 'wrap', 'sentence', 'shared'];
const KINDS = ['enum', 'set', 'boolean', 'list'] as const;
/** The difference sentences each kind of fact can have. */
const SENTENCES: Record<FactSchema['kind'], Array<FactSchema['sentence']>> = {
  enum: ['each', 'pair'],
  set: ['pair'],
  boolean: ['yesNo'],
  list: ['pair'],
};
const RULE_FIELDS = ['fact', 'when', 'weight'];
const EXAMPLE_FIELDS = ['version', 'parties', 'methods'];
/** Facts every protocol has; a catalog cannot declare them again. */
export const BUILT_IN_FACTS = ['class', 'finality', 'lifecycle', 'reference'];
/** Fact ids become locale keys and interpolation variables (`{{sendersA}}`): letters and digits. */
const FACT_ID = /^[a-z][a-zA-Z0-9]*$/;
/** Protocol ids name a folder of the output and a locale namespace. */
export const PROTOCOL_ID = /^[a-z][a-z0-9-]*$/;
/** The relevance score gives 0.75 to built-in signals; the catalog's rules share the rest. */
const MAX_RULE_WEIGHT = 0.25;

export function validateProtocol(file: VFile, parsed: Parsed): Protocol | undefined {
  const before = file.messages.length;
  const at = (path: KeyPath, key = false) => parsed.placeOf(path, key);
  const data = parsed.value as Record<string, unknown>;
  if (describe(data) !== 'mapping') {
    report(file, 'wrong-type', { field: '(file)', actual: describe(data), expected: 'a mapping' }, at([]));
    return undefined;
  }
  const expectKeys = (obj: Record<string, unknown>, allowed: string[], base: KeyPath) => {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) report(file, 'unknown-field', { field: [...base, key].join('.'), expected: quoted(allowed) }, at([...base, key], true));
    }
  };
  const typed = (obj: Record<string, unknown>, field: string, type: string, base: KeyPath, required = true): unknown => {
    const value = obj[field];
    const path = [...base, field];
    if (value === undefined) {
      if (required) report(file, 'missing-field', { field: path.join('.') }, at(base));
      return undefined;
    }
    if (describe(value) !== type) {
      report(file, 'wrong-type', { field: path.join('.'), actual: describe(value), expected: `a ${type}` }, at(path));
      return undefined;
    }
    return value;
  };
  const strings = (value: unknown, path: KeyPath): string[] => {
    const list = (value as unknown[] | undefined) ?? [];
    list.forEach((item, i) => {
      if (typeof item !== 'string') report(file, 'wrong-type', { field: `${path.join('.')}[${i}]`, actual: describe(item), expected: 'a string' }, at([...path, i]));
    });
    return list.map(String);
  };
  const oneOf = (value: unknown, allowed: readonly string[], path: KeyPath): boolean => {
    if (value === undefined || allowed.includes(String(value))) return true;
    report(file, 'unknown-value', { field: path.join('.'), value: String(value), expected: quoted(allowed) }, at(path));
    return false;
  };

  expectKeys(data, TOP_FIELDS, []);
  const id = typed(data, 'id', 'string', []) as string | undefined;
  if (id !== undefined && (!PROTOCOL_ID.test(id) || id === 'common')) report(file, 'invalid-protocol-id', { id }, at(['id']));
  for (const field of ['name', 'title', 'registry']) typed(data, field, 'string', []);

  const classes: StatusClass[] = [];
  ((typed(data, 'classes', 'list', []) as unknown[] | undefined) ?? []).forEach((raw, i) => {
    const path: KeyPath = ['classes', i];
    if (describe(raw) !== 'mapping') {
      report(file, 'wrong-type', { field: `classes[${i}]`, actual: describe(raw), expected: 'a mapping' }, at(path));
      return;
    }
    const cls = raw as Record<string, unknown>;
    expectKeys(cls, CLASS_FIELDS, path);
    const digit = typed(cls, 'digit', 'number', path);
    if (typeof digit === 'number' && (!Number.isInteger(digit) || digit < 1 || digit > 6)) {
      report(file, 'unknown-value', { field: `classes[${i}].digit`, value: String(digit), expected: '`1` to `6`' }, at([...path, 'digit']));
    }
    typed(cls, 'id', 'string', path);
    typed(cls, 'name', 'string', path);
    typed(cls, 'provisional', 'boolean', path, false);
    typed(cls, 'failure', 'boolean', path, false);
    classes.push(cls as unknown as StatusClass);
  });

  const facts: Record<string, FactSchema> = {};
  const factsRaw = (typed(data, 'facts', 'mapping', []) as Record<string, unknown> | undefined) ?? {};
  for (const [name, raw] of Object.entries(factsRaw)) {
    const path: KeyPath = ['facts', name];
    if (BUILT_IN_FACTS.includes(name) || !FACT_ID.test(name)) {
      report(file, 'invalid-fact-id', { id: name, builtIn: quoted(BUILT_IN_FACTS) }, at(path, true));
      continue;
    }
    if (describe(raw) !== 'mapping') {
      report(file, 'wrong-type', { field: `facts.${name}`, actual: describe(raw), expected: 'a mapping' }, at(path));
      continue;
    }
    const decl = raw as Record<string, unknown>;
    expectKeys(decl, FACT_FIELDS, path);
    const kind = typed(decl, 'kind', 'string', path) as FactSchema['kind'] | undefined;
    if (!oneOf(kind, KINDS, [...path, 'kind']) || kind === undefined) continue;
    const sentence = typed(decl, 'sentence', 'string', path) as FactSchema['sentence'] | undefined;
    oneOf(sentence, SENTENCES[kind], [...path, 'sentence']);
    const needsValues = kind === 'enum' || kind === 'set';
    const values = needsValues ? strings(typed(decl, 'values', 'list', path), [...path, 'values']) : undefined;
    if (!needsValues && decl.values !== undefined) report(file, 'fact-option-unused', { option: 'values', fact: name, kind }, at([...path, 'values'], true));
    for (const option of ['any', 'labels', 'wrap'] as const) {
      if (kind !== 'set' && decl[option] !== undefined) report(file, 'fact-option-unused', { option, fact: name, kind }, at([...path, option], true));
    }
    if (kind !== 'set' && kind !== 'list' && decl.join !== undefined) report(file, 'fact-option-unused', { option: 'join', fact: name, kind }, at([...path, 'join'], true));
    const any = typed(decl, 'any', 'string', path, false) as string | undefined;
    if (any !== undefined && values) oneOf(any, values, [...path, 'any']);
    typed(decl, 'labels', 'boolean', path, false);
    oneOf(typed(decl, 'join', 'string', path, false), ['and', 'or'], [...path, 'join']);
    const wrap = typed(decl, 'wrap', 'string', path, false) as string | undefined;
    if (wrap !== undefined && !FACT_ID.test(wrap)) report(file, 'invalid-fact-id', { id: wrap, builtIn: quoted(BUILT_IN_FACTS) }, at([...path, 'wrap']));
    typed(decl, 'shared', 'boolean', path, false);
    facts[name] = { ...(decl as unknown as FactSchema), ...(values ? { values } : {}) };
  }

  const relevance: RelevanceRule[] = [];
  let total = 0;
  ((typed(data, 'relevance', 'list', [], false) as unknown[] | undefined) ?? []).forEach((raw, i) => {
    const path: KeyPath = ['relevance', i];
    if (describe(raw) !== 'mapping') {
      report(file, 'wrong-type', { field: `relevance[${i}]`, actual: describe(raw), expected: 'a mapping' }, at(path));
      return;
    }
    const rule = raw as Record<string, unknown>;
    expectKeys(rule, RULE_FIELDS, path);
    const fact = typed(rule, 'fact', 'string', path) as string | undefined;
    if (fact !== undefined && !facts[fact]) report(file, 'unknown-fact', { fact, expected: quoted(Object.keys(facts)) }, at([...path, 'fact']));
    const when = typed(rule, 'when', 'string', path) as string | undefined;
    oneOf(when, ['same', 'overlap'], [...path, 'when']);
    if (when === 'overlap' && fact !== undefined && facts[fact] && facts[fact].kind !== 'set' && facts[fact].kind !== 'list') {
      report(file, 'unknown-value', { field: `relevance[${i}].when`, value: when, expected: '`same` (only sets and lists overlap)' }, at([...path, 'when']));
    }
    const weight = typed(rule, 'weight', 'number', path) as number | undefined;
    if (weight !== undefined) {
      total += weight;
      if (weight < 0 || total > MAX_RULE_WEIGHT + 1e-9) report(file, 'relevance-weight', { weight, max: MAX_RULE_WEIGHT }, at([...path, 'weight']));
    }
    relevance.push(rule as unknown as RelevanceRule);
  });

  const sequence = typed(data, 'sequence', 'string', [], false) as string | undefined;
  if (sequence !== undefined && facts[sequence]?.kind !== 'set') {
    report(file, 'unknown-fact', { fact: sequence, expected: `a set fact: ${quoted(Object.keys(facts).filter((f) => facts[f]!.kind === 'set'))}` }, at(['sequence']));
  }

  // Registered codes without a code file: `reserved` (listed, no article) and `unused`.
  // Also codes: the provisional codes that `sequence` does not apply to (`sequenceExcept`).
  for (const field of ['reserved', 'unused', 'sequenceExcept']) {
    const list = (typed(data, field, 'list', [], false) as unknown[] | undefined) ?? [];
    list.forEach((item, i) => {
      if (!(Number.isInteger(item) && (item as number) >= 100 && (item as number) <= 699)) {
        report(file, 'wrong-type', { field: `${field}[${i}]`, actual: describe(item), expected: 'a status code from 100 to 699' }, at([field, i]));
      }
    });
  }

  const receiver = typed(data, 'receiver', 'string', [], false) as string | undefined;
  if (receiver !== undefined && (facts[receiver]?.kind !== 'enum' || facts[receiver]?.sentence !== 'each')) {
    const eligible = Object.keys(facts).filter((f) => facts[f]!.kind === 'enum' && facts[f]!.sentence === 'each');
    report(file, 'unknown-fact', { fact: receiver, expected: `an enum fact with \`sentence: each\`: ${quoted(eligible)}` }, at(['receiver']));
  }

  const example = typed(data, 'example', 'mapping', [], false) as Record<string, unknown> | undefined;
  if (example) {
    expectKeys(example, EXAMPLE_FIELDS, ['example']);
    typed(example, 'version', 'string', ['example']);
    strings(typed(example, 'parties', 'list', ['example']), ['example', 'parties']);
    const methods = typed(example, 'methods', 'string', ['example']) as string | undefined;
    if (methods !== undefined && facts[methods]?.kind !== 'set') {
      report(file, 'unknown-fact', { fact: methods, expected: `a set fact: ${quoted(Object.keys(facts).filter((f) => facts[f]!.kind === 'set'))}` }, at(['example', 'methods']));
    }
  }

  if (file.messages.length > before) return undefined;
  return { ...(data as unknown as Protocol), classes, facts, relevance };
}
