/**
 * Check a code's `example:` (a typical exchange and an example response) against the protocol's
 * example vocabulary (protocol.yaml, `example`). Pure: every problem becomes a message on the
 * file, at the line of the example it is about.
 */
import type { VFile } from 'vfile';
import { report, type Place } from '../diagnostics.js';
import type { CodeExample, ExchangeStep, Protocol } from '../types.js';
import type { KeyPath, Parsed } from './source.js';

const describe = (value: unknown): string =>
  Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value === 'object' ? 'mapping' : typeof value;

const EXAMPLE_FIELDS = ['exchange', 'message'];
const STEP_FIELDS = ['from', 'to', 'message'];
/** A header field line: a token, a colon, one space and a value (no folding, no compact spacing). */
const HEADER_LINE = /^[A-Za-z0-9!%'*+._~-]+: \S.*$/;
const RESPONSE_STEP = /^[1-6]\d\d \S.*$/;
/** What would end the code block the pages show the message in, or hide text in it. */
const UNSAFE: Array<[RegExp, string]> = [
  [/```|~~~/, 'code fence'],
  [/[\u0000-\u0009\u000b-\u001f\u007f]/, 'control character (write LF line ends, spaces instead of tabs)'],
  [/[\u{e000}-\u{f8ff}\u{f0000}-\u{10ffff}]/u, 'private-use character'],
];

/** The bytes of a message body as it goes on the wire: every line ends in CRLF. */
export function wireBodyLength(body: string[]): number {
  return body.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 2, 0);
}

/** Split an example message into its status line, header lines and body lines. */
export function splitMessage(message: string): { status: string; headers: string[]; body: string[] } {
  const lines = message.replace(/\n$/, '').split('\n');
  const blank = lines.indexOf('', 1);
  const head = blank === -1 ? lines : lines.slice(0, blank);
  return { status: head[0] ?? '', headers: head.slice(1), body: blank === -1 ? [] : lines.slice(blank + 1) };
}

export function validateExample(file: VFile, parsed: Parsed, protocol: Protocol, code: number | undefined, reason: string | undefined, raw: unknown): CodeExample | undefined {
  const schema = protocol.example!;
  const at = (path: KeyPath, key = false) => parsed.placeOf(path, key);
  const before = file.messages.length;
  if (raw === undefined) {
    report(file, 'missing-field', { field: 'example' }, at([]));
    return undefined;
  }
  if (describe(raw) !== 'mapping') {
    report(file, 'wrong-type', { field: 'example', actual: describe(raw), expected: 'a mapping' }, at(['example']));
    return undefined;
  }
  const data = raw as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    if (!EXAMPLE_FIELDS.includes(key)) {
      report(file, 'unknown-field', { field: `example.${key}`, expected: EXAMPLE_FIELDS.map((k) => `\`${k}\``).join(', ') }, at(['example', key], true));
    }
  }

  // The request names an exchange may use: the values of the fact the protocol names, the wildcard left out.
  const methodsFact = protocol.facts[schema.methods];
  const methods = (methodsFact?.values ?? []).filter((m) => m !== methodsFact?.any);
  const steps: ExchangeStep[] = [];
  if (data.exchange === undefined) report(file, 'missing-field', { field: 'example.exchange' }, at(['example']));
  else if (describe(data.exchange) !== 'list' || (data.exchange as unknown[]).length === 0) {
    report(file, 'wrong-type', { field: 'example.exchange', actual: describe(data.exchange), expected: 'a list of steps' }, at(['example', 'exchange']));
  } else {
    (data.exchange as unknown[]).forEach((item, i) => {
      const path: KeyPath = ['example', 'exchange', i];
      if (describe(item) !== 'mapping') {
        report(file, 'wrong-type', { field: `example.exchange[${i}]`, actual: describe(item), expected: 'a mapping `{from, to, message}`' }, at(path));
        return;
      }
      const step = item as Record<string, unknown>;
      for (const key of Object.keys(step)) {
        if (!STEP_FIELDS.includes(key)) report(file, 'unknown-field', { field: `example.exchange[${i}].${key}`, expected: STEP_FIELDS.map((k) => `\`${k}\``).join(', ') }, at([...path, key], true));
      }
      for (const key of STEP_FIELDS) {
        const value = step[key];
        const field = `example.exchange[${i}].${key}`;
        if (value === undefined) report(file, 'missing-field', { field }, at(path));
        else if (typeof value !== 'string') report(file, 'wrong-type', { field, actual: describe(value), expected: 'a string' }, at([...path, key]));
        else if (key !== 'message' && !schema.parties.includes(value)) {
          report(file, 'unknown-value', { field, value, expected: schema.parties.map((p) => `\`${p}\``).join(', ') }, at([...path, key]));
        } else if (key === 'message' && !methods.includes(value) && !RESPONSE_STEP.test(value)) {
          report(file, 'unknown-value', { field, value, expected: `a status code and reason phrase, or ${methods.map((m) => `\`${m}\``).join(', ')}` }, at([...path, key]));
        }
      }
      steps.push({ from: String(step.from), to: String(step.to), message: String(step.message) });
    });
    if (code !== undefined && reason !== undefined && !steps.some((s) => s.message === `${code} ${reason}`)) {
      report(file, 'example-missing-step', { code, reason }, at(['example', 'exchange']));
    }
  }

  let message = '';
  if (data.message === undefined) report(file, 'missing-field', { field: 'example.message' }, at(['example']));
  else if (typeof data.message !== 'string') report(file, 'wrong-type', { field: 'example.message', actual: describe(data.message), expected: 'a string' }, at(['example', 'message']));
  else {
    message = data.message;
    checkMessage(file, parsed, message, `${schema.version} ${code} ${reason}`);
  }
  if (file.messages.length > before) return undefined;
  return { exchange: steps, message };
}

function checkMessage(file: VFile, parsed: Parsed, message: string, expectedStatus: string): void {
  // Places are looked up only for a report (one may cost a parse: see parseYaml).
  let lines: ((index: number) => Place) | undefined;
  const lineAt = (index: number) => (lines ??= placeOfLine(file, parsed.placeOf(['example', 'message'])))(index);
  for (const [pattern, what] of UNSAFE) {
    const index = message.split('\n').findIndex((line) => pattern.test(line));
    if (index !== -1) {
      report(file, 'example-unsafe', { what }, lineAt(index));
      return;
    }
  }
  const { status, headers, body } = splitMessage(message);
  if (status !== expectedStatus) report(file, 'example-status-line', { actual: status, expected: expectedStatus }, lineAt(0));
  let contentLength: { value: string; index: number } | undefined;
  headers.forEach((line, i) => {
    if (!HEADER_LINE.test(line)) report(file, 'example-header', { line }, lineAt(i + 1));
    else if (/^(?:content-length|l):/i.test(line)) contentLength = { value: line.slice(line.indexOf(':') + 1).trim(), index: i + 1 };
  });
  const length = wireBodyLength(body);
  if (!contentLength) report(file, 'example-content-length', { actual: '(none)', expected: length }, lineAt(headers.length));
  else if (contentLength.value !== String(length)) report(file, 'example-content-length', { actual: contentLength.value, expected: length }, lineAt(contentLength.index));
}

/**
 * The place of line `index` of the message: in a block scalar (`message: |`) its text starts on
 * the line after the indicator, at the block's indentation; otherwise the value's own place.
 */
function placeOfLine(file: VFile, start: Place): (index: number) => Place {
  const lines = String(file.value).split('\n');
  const block = /\|[-+]?\d*\s*(?:#.*)?$/.test(lines[start.line - 1] ?? '');
  return (index) => {
    if (!block) return start;
    const line = start.line + 1 + index;
    const text = lines[line - 1] ?? '';
    return { line, column: (/^ */.exec(text)?.[0].length ?? 0) + 1 };
  };
}
