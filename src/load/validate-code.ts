/**
 * Check one parsed code file against the protocol's schema and turn it into a StatusCode.
 * Pure: every problem becomes a message on the file, with the place it points at.
 */
import type { VFile } from 'vfile';
import { report } from '../diagnostics.js';
import { TEXT_FIELDS, type CodeFacts, type Protocol, type StatusCode } from '../types.js';
import { checkSafeText } from './safe-text.js';
import { validateExample } from './validate-example.js';
import type { KeyPath, Parsed } from './source.js';

const TOP_FIELDS = ['code', 'reason', 'reference', 'section', 'lifecycle', 'aliases', 'facts', 'related', 'text', 'example'];
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

  let classId = '';
  if (code !== undefined) {
    if (!Number.isInteger(code) || code < 100 || code > 699) {
      report(file, 'code-out-of-range', { code }, at(['code']));
    } else {
      const digit = Math.floor(code / 100);
      const cls = protocol.classes.find((c) => c.digit === digit);
      if (cls) classId = cls.id;
      else report(file, 'unknown-class', { code, digit }, at(['code']));
    }
  }

  const lifecycleRaw = (need(data, 'lifecycle', 'mapping', []) as Record<string, unknown> | undefined) ?? {};
  expectKeys(lifecycleRaw, LIFECYCLE_FIELDS, ['lifecycle']);
  const status = lifecycleRaw.status;
  if (status !== 'active' && status !== 'deprecated') {
    report(file, 'unknown-value', { field: 'lifecycle.status', value: String(status), expected: '`active`, `deprecated`' }, at(['lifecycle', 'status']));
  }
  if (status === 'deprecated') {
    need(lifecycleRaw, 'by', 'string', ['lifecycle']);
    need(lifecycleRaw, 'note', 'string', ['lifecycle']);
  }

  const factsRaw = (need(data, 'facts', 'mapping', []) as Record<string, unknown> | undefined) ?? {};
  const factNames = Object.keys(protocol.facts);
  expectKeys(factsRaw, factNames, ['facts']);
  const facts: Record<string, unknown> = {};
  for (const name of factNames) {
    const schema = protocol.facts[name]!;
    const path: KeyPath = ['facts', name];
    if (schema.type === 'boolean') {
      facts[name] = need(factsRaw, name, 'boolean', ['facts']);
      continue;
    }
    const isList = schema.type === 'list' || (schema.values !== undefined && Array.isArray(factsRaw[name]));
    if (isList) {
      const list = strings(need(factsRaw, name, 'list', ['facts']), path);
      if (schema.values) {
        list.forEach((value, i) => {
          if (!schema.values!.includes(value)) {
            report(file, 'unknown-value', { field: `facts.${name}`, value, expected: schema.values!.map((v) => `\`${v}\``).join(', ') }, at([...path, i]));
          }
        });
      }
      facts[name] = list;
    } else {
      const value = need(factsRaw, name, 'string', ['facts']) as string | undefined;
      if (value !== undefined && schema.values && !schema.values.includes(value)) {
        report(file, 'unknown-value', { field: `facts.${name}`, value, expected: schema.values.map((v) => `\`${v}\``).join(', ') }, at(path));
      }
      facts[name] = value;
    }
  }

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

  if (file.messages.length > before) return undefined;
  return {
    code: code!,
    reason: reason!,
    reference: reference!,
    section: section!,
    lifecycle: {
      status: status as 'active' | 'deprecated',
      ...(typeof lifecycleRaw.by === 'string' ? { by: lifecycleRaw.by } : {}),
      ...(typeof lifecycleRaw.note === 'string' ? { note: lifecycleRaw.note.trim() } : {}),
    },
    aliases,
    facts: facts as unknown as CodeFacts,
    related,
    text,
    ...(example ? { example } : {}),
    classId,
    file: file.path,
  };
}
