/**
 * Check one parsed code file against the protocol's schema and turn it into a StatusCode.
 * Pure: every problem becomes a message on the file, with the place it points at.
 */
import type { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import { hasFinality } from '../compare/facts.js';
import { TEXT_FIELDS, type CodeFacts, type FactValue, type Protocol, type SeeAlso, type StatusClass, type StatusCode } from '../types.js';
import { checkSafeText } from './safe-text.js';
import { validateExample } from './validate-example.js';
import type { KeyPath, Parsed } from './source.js';

const TOP_FIELDS = ['code', 'reason', 'reference', 'section', 'finality', 'lifecycle', 'aliases', 'facts', 'related', 'seeAlso', 'text', 'example'];
const SEE_ALSO_FIELDS = ['protocol', 'code', 'source', 'section'];
const LIFECYCLE_FIELDS = ['status', 'by', 'note'];
const describe = (value: unknown): string =>
  Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value === 'object' ? 'mapping' : typeof value;

/** `registered`: the registry's reason phrase of each code, which example messages must use. */
export function validateCode(file: VFile, parsed: Parsed, protocol: Protocol, registered?: ReadonlyMap<number, string>): StatusCode | undefined {
  const before = file.messages.length;
  const data = parsed.value as Record<string, unknown>;
  const at = (path: KeyPath, key = false) => parsed.placeOf(path, key);

  if (describe(data) !== 'mapping') {
    report(file, 'wrong-type', { field: '(file)', actual: describe(data), expected: 'a mapping' }, at([]));
    return undefined;
  }
  const expectKeys = (obj: Record<string, unknown>, allowed: string[], base: KeyPath) => {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        report(file, 'unknown-field', { field: [...base, key].join('.'), expected: allowed.map((k) => `\`${k}\``).join(', ') }, at([...base, key], true));
      }
    }
  };
  const need = (obj: Record<string, unknown>, field: string, type: string, base: KeyPath): unknown => {
    const value = obj[field];
    const path = [...base, field];
    if (value === undefined) {
      report(file, 'missing-field', { field: path.join('.') }, at(base));
      return undefined;
    }
    if (describe(value) !== type) {
      report(file, 'wrong-type', { field: path.join('.'), actual: describe(value), expected: `a ${type}` }, at(path));
      return undefined;
    }
    return value;
  };
  const strings = (value: unknown, path: KeyPath): string[] => {
    const list = (value as unknown[]) ?? [];
    list.forEach((item, i) => {
      if (typeof item !== 'string') report(file, 'wrong-type', { field: `${path.join('.')}[${i}]`, actual: describe(item), expected: 'a string' }, at([...path, i]));
    });
    return list.map(String);
  };

  expectKeys(data, TOP_FIELDS, []);
  const code = need(data, 'code', 'number', []) as number | undefined;
  const reason = need(data, 'reason', 'string', []) as string | undefined;
  const reference = need(data, 'reference', 'string', []) as string | undefined;
  const section = need(data, 'section', 'string', []) as string | undefined;
  const aliases = strings(need(data, 'aliases', 'list', []), ['aliases']);
  const related = ((need(data, 'related', 'list', []) as unknown[]) ?? []).map((item, i) => {
    if (typeof item !== 'number') report(file, 'wrong-type', { field: `related[${i}]`, actual: describe(item), expected: 'a code number' }, at(['related', i]));
    return Number(item);
  });

  let cls: StatusClass | undefined;
  if (code !== undefined) {
    if (!Number.isInteger(code) || code < 100 || code > 699) {
      report(file, 'code-out-of-range', { code }, at(['code']));
    } else {
      const digit = Math.floor(code / 100);
      cls = protocol.classes.find((c) => c.digit === digit);
      if (!cls) report(file, 'unknown-class', { code, digit }, at(['code']));
    }
  }
  const classId = cls?.id ?? '';

  // A code that is only ever the status of a member inside a multi-status body (HTTP 208), never
  // of a response: neither provisional nor final. A provisional class has no such code.
  const member = data.finality !== undefined;
  if (member && data.finality !== 'member') {
    report(file, 'unknown-value', { field: 'finality', value: String(data.finality), expected: '`member` (leave it out for a code whose class says whether it is final)' }, at(['finality']));
  } else if (member && cls?.provisional === true) {
    report(file, 'unknown-value', { field: 'finality', value: 'member', expected: 'no `finality` for a code of a provisional class' }, at(['finality']));
  } else if (member && !hasFinality(protocol)) {
    // Pages show a code's kind only when some class is provisional.
    report(file, 'unknown-value', { field: 'finality', value: 'member', expected: 'no `finality` in a protocol without a provisional class (its pages have no "Kind" row)' }, at(['finality']));
  }

  const lifecycleRaw = (need(data, 'lifecycle', 'mapping', []) as Record<string, unknown> | undefined) ?? {};
  expectKeys(lifecycleRaw, LIFECYCLE_FIELDS, ['lifecycle']);
  const status = lifecycleRaw.status;
  if (status !== 'active' && status !== 'deprecated' && status !== 'obsoleted') {
    report(file, 'unknown-value', { field: 'lifecycle.status', value: String(status), expected: '`active`, `deprecated`, `obsoleted`' }, at(['lifecycle', 'status']));
  }
  if (status === 'deprecated' || status === 'obsoleted') {
    need(lifecycleRaw, 'by', 'string', ['lifecycle']);
    need(lifecycleRaw, 'note', 'string', ['lifecycle']);
  }

  const factsRaw = (need(data, 'facts', 'mapping', []) as Record<string, unknown> | undefined) ?? {};
  const facts = validateFacts(file, parsed, protocol, factsRaw);

  const textRaw = (need(data, 'text', 'mapping', []) as Record<string, unknown> | undefined) ?? {};
  expectKeys(textRaw, [...TEXT_FIELDS], ['text']);
  const text = {} as Record<(typeof TEXT_FIELDS)[number], string>;
  for (const field of TEXT_FIELDS) {
    const value = need(textRaw, field, 'string', ['text']) as string | undefined;
    if (value !== undefined) {
      if (value.trim() === '') report(file, 'missing-field', { field: `text.${field}` }, at(['text', field]));
      checkSafeText(file, parsed, ['text', field], value);
    }
    text[field] = (value ?? '').trim();
  }
  for (const [i, alias] of aliases.entries()) checkSafeText(file, parsed, ['aliases', i], alias);
  if (reason !== undefined) checkSafeText(file, parsed, ['reason'], reason);

  // Codes carry an example when the protocol declares the vocabulary of examples.
  // A reason phrase that differs from the registry is reported once, as such, not in the example too.
  const exampleReason = (code !== undefined ? registered?.get(code) : undefined) ?? reason;
  const example = protocol.example ? validateExample(file, parsed, protocol, code, exampleReason, data.example) : undefined;
  if (!protocol.example && data.example !== undefined) {
    report(file, 'unknown-field', { field: 'example', expected: TOP_FIELDS.filter((f) => f !== 'example').map((k) => `\`${k}\``).join(', ') }, at(['example'], true));
  }

  // Codes of other protocols (checked against those catalogs when a build holds them, see loadSite).
  const seeAlso: SeeAlso[] = [];
  if (data.seeAlso !== undefined) {
    const list = need(data, 'seeAlso', 'list', []) as unknown[] | undefined;
    for (const [i, item] of (list ?? []).entries()) {
      if (describe(item) !== 'mapping') {
        report(file, 'wrong-type', { field: `seeAlso[${i}]`, actual: describe(item), expected: 'a mapping with protocol, code, source and section' }, at(['seeAlso', i]));
        continue;
      }
      const entry = item as Record<string, unknown>;
      expectKeys(entry, SEE_ALSO_FIELDS, ['seeAlso', i]);
      const other = need(entry, 'protocol', 'string', ['seeAlso', i]);
      const number = need(entry, 'code', 'number', ['seeAlso', i]);
      const source = need(entry, 'source', 'string', ['seeAlso', i]);
      const where = need(entry, 'section', 'string', ['seeAlso', i]);
      if (other === protocol.id) report(file, 'unknown-value', { field: `seeAlso[${i}].protocol`, value: String(other), expected: 'the id of another protocol (a code of this one is a `related` code)' }, at(['seeAlso', i, 'protocol']));
      if (typeof other === 'string' && typeof number === 'number' && typeof source === 'string' && typeof where === 'string') {
        // Looked up when a message needs it: a place may cost a parse of the file (see src/load/source.ts).
        const placeOf = () => {
          const place = at(['seeAlso', i]);
          return { line: place?.line ?? 1, column: place?.column ?? 1 };
        };
        seeAlso.push({ protocol: other, code: number, source, section: where, placeOf });
      }
    }
  }

  if (file.messages.length > before) return undefined;
  return {
    code: code!,
    reason: reason!,
    reference: reference!,
    section: section!,
    ...(member ? { finality: 'member' as const } : {}),
    lifecycle: {
      status: status as StatusCode['lifecycle']['status'],
      ...(typeof lifecycleRaw.by === 'string' ? { by: lifecycleRaw.by } : {}),
      ...(typeof lifecycleRaw.note === 'string' ? { note: lifecycleRaw.note.trim() } : {}),
    },
    aliases,
    facts,
    related,
    ...(seeAlso.length ? { seeAlso } : {}),
    text,
    ...(example ? { example } : {}),
    classId,
    file: file.path,
  };
}

/** A code's `facts:` against the facts protocol.yaml declares: each one present, of its kind, in its vocabulary. */
function validateFacts(file: VFile, parsed: Parsed, protocol: Protocol, raw: Record<string, unknown>): CodeFacts {
  const at = (path: KeyPath, key = false) => parsed.placeOf(path, key);
  const declared = Object.keys(protocol.facts);
  const vocabulary = (values: string[]) => values.map((v) => `\`${v}\``).join(', ');
  for (const name of Object.keys(raw)) {
    if (!declared.includes(name)) report(file, 'unknown-fact', { fact: name, expected: vocabulary(declared) }, at(['facts', name], true));
  }
  const facts: CodeFacts = {};
  for (const [name, schema] of Object.entries(protocol.facts)) {
    const path: KeyPath = ['facts', name];
    const value = raw[name];
    const expected = { enum: 'a string', set: 'a list', boolean: 'a boolean', list: 'a list' }[schema.kind];
    if (value === undefined) {
      report(file, 'missing-fact', { fact: name, kind: expected }, at(['facts']));
      continue;
    }
    const type = describe(value);
    if (`a ${type}` !== expected) {
      report(file, 'wrong-type', { field: `facts.${name}`, actual: type, expected }, at(path));
      continue;
    }
    const inVocabulary = (item: string, place: KeyPath) => {
      if (schema.values && !schema.values.includes(item)) {
        report(file, 'unknown-value', { field: `facts.${name}`, value: item, expected: vocabulary(schema.values) }, at(place));
      }
    };
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        if (typeof item !== 'string') report(file, 'wrong-type', { field: `facts.${name}[${i}]`, actual: describe(item), expected: 'a string' }, at([...path, i]));
        else inVocabulary(item, [...path, i]);
      });
      if (schema.kind === 'set' && value.length === 0) report(file, 'empty-fact', { fact: name, expected: vocabulary(schema.values ?? []) }, at(path));
      facts[name] = value.map(String);
    } else {
      if (schema.kind === 'enum') inVocabulary(value as string, path);
      facts[name] = value as FactValue;
    }
  }
  return facts;
}
