/**
 * XLIFF 1.2 and 2.0 (and a plain JSON form) for translation units, both ways, with a real XML
 * parser and serializer (@xmldom/xmldom): no string templates, so text is always escaped and
 * whitespace inside a <source> or <target> is exactly the text's.
 *
 * Writing: one <file> per namespace; unit ids are the codepairs unit ids; i18next placeholders
 * become inline codes a translation tool protects (1.2 `<x id="1" equiv-text="{{code}}"/>`,
 * 2.0 `<ph id="1" equiv="{{code}}" disp="{{code}}" canDelete="no"/>`), numbered in the order
 * they occur in the English; notes give the context. A stale unit carries its previous
 * translation as a target that still needs review (1.2 state="needs-review-translation" and an
 * <alt-trans alttranstype="previous-version"> with the previous English; 2.0 segment
 * state="initial" and notes), so importing it unedited changes nothing.
 *
 * Reading: any XLIFF 1.2 or 2.x file with those ids, whatever other attributes, elements and
 * indentation a tool adds; every unit keeps the line it starts on, for messages. Pure: no I/O.
 */
import { DOMImplementation, DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { parseTree, findNodeAtLocation, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { UnitStatus } from './units.js';

export type ExportFormat = 'xliff12' | 'xliff2' | 'json';
export const EXPORT_FORMATS: ExportFormat[] = ['xliff12', 'xliff2', 'json'];

const NS12 = 'urn:oasis:names:tc:xliff:document:1.2';
const NS20 = 'urn:oasis:names:tc:xliff:document:2.0';

export interface ExportUnit {
  status: UnitStatus;
  /** Context for the translator: which code and field, where it appears. */
  note: string;
}

export interface ExportInput {
  sourceLanguage: string;
  targetLanguage: string;
  units: ExportUnit[];
}

export function writeExport(input: ExportInput, format: ExportFormat): string {
  if (format === 'json') return writeJson(input);
  return format === 'xliff12' ? writeXliff12(input) : writeXliff2(input);
}

type Piece = string | { id: string; placeholder: string };

/**
 * Text with `{{placeholders}}` as a list of strings and placeholders. Placeholders of a source
 * are numbered in order; those of a target (`source` given) take the number of the same
 * placeholder in the source, so a tool and the import match them whatever their order.
 */
function pieces(text: string, source?: string): Piece[] {
  const numbered = source === undefined ? undefined : pieces(source).filter((p): p is Exclude<Piece, string> => typeof p !== 'string');
  const used = new Set<string>();
  let extra = numbered?.length ?? 0;
  const idOf = (placeholder: string, n: number): string => {
    if (!numbered) return String(n);
    const same = numbered.filter((p) => p.placeholder === placeholder);
    const match = same.find((p) => !used.has(p.id)) ?? same[0];
    if (!match) return String(++extra);
    used.add(match.id);
    return match.id;
  };
  const out: Piece[] = [];
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(/\{\{\s*[\w.-]+[^}]*\}\}/g)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push({ id: idOf(match[0], ++n), placeholder: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

class Writer {
  readonly doc: Document;
  constructor(namespace: string) {
    this.doc = new DOMImplementation().createDocument(namespace, 'xliff', null);
  }
  get root(): Element {
    return this.doc.documentElement!;
  }
  element(parent: Element, name: string, attributes: Record<string, string | undefined> = {}, depth = 0): Element {
    const el = this.doc.createElementNS(parent.namespaceURI, name);
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) el.setAttribute(key, value);
    // Indentation between structural elements only; never inside a source, target or note.
    parent.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
    parent.appendChild(el);
    return el;
  }
  close(parent: Element, depth: number) {
    parent.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
  }
  text(parent: Element, text: string) {
    parent.appendChild(this.doc.createTextNode(text));
  }
  /** `text` with its placeholders as inline codes; for a target, `source` gives their numbers. */
  inline(parent: Element, text: string, version: '1.2' | '2.0', source?: string) {
    for (const piece of pieces(text, source)) {
      if (typeof piece === 'string') this.text(parent, piece);
      else {
        const el = this.doc.createElementNS(parent.namespaceURI, version === '1.2' ? 'x' : 'ph');
        el.setAttribute('id', piece.id);
        if (version === '1.2') el.setAttribute('equiv-text', piece.placeholder);
        else {
          el.setAttribute('equiv', piece.placeholder);
          el.setAttribute('disp', piece.placeholder);
          el.setAttribute('canDelete', 'no');
        }
        parent.appendChild(el);
      }
    }
  }
  serialize(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(this.doc)}\n`;
  }
}

const byNamespace = (units: ExportUnit[]) => {
  const groups = new Map<string, ExportUnit[]>();
  for (const unit of units) groups.set(unit.status.unit.ns, [...(groups.get(unit.status.unit.ns) ?? []), unit]);
  return groups;
};

function previousNote(status: UnitStatus): string | undefined {
  if (status.state !== 'stale') return undefined;
  if (!status.record) return 'The English source this translation was made from is not recorded: check the translation against the English.';
  const { changed, total } = status.behind!;
  return `The English changed since this was translated (${changed} of ${total} words). Previous English: ${status.record.source}`;
}

function writeXliff12(input: ExportInput): string {
  const w = new Writer(NS12);
  w.root.setAttribute('version', '1.2');
  for (const [ns, units] of byNamespace(input.units)) {
    const file = w.element(w.root, 'file', { original: `${ns}.json`, datatype: 'plaintext', 'source-language': input.sourceLanguage, 'target-language': input.targetLanguage }, 1);
    const body = w.element(file, 'body', {}, 2);
    for (const { status, note } of units) {
      const unit = w.element(body, 'trans-unit', { id: status.unit.id, resname: status.unit.key }, 3);
      w.inline(w.element(unit, 'source', {}, 4), status.unit.source, '1.2');
      if (status.target !== undefined) {
        const state = status.state === 'translated' ? 'translated' : 'needs-review-translation';
        w.inline(w.element(unit, 'target', { state }, 4), status.target, '1.2', status.unit.source);
      }
      w.text(w.element(unit, 'note', { from: 'codepairs', annotates: 'source' }, 4), note);
      const previous = previousNote(status);
      if (previous) w.text(w.element(unit, 'note', { from: 'codepairs', annotates: 'general' }, 4), previous);
      if (status.state === 'stale' && status.record && status.target !== undefined) {
        const alt = w.element(unit, 'alt-trans', { alttranstype: 'previous-version' }, 4);
        w.inline(w.element(alt, 'source', {}, 5), status.record.source, '1.2');
        w.inline(w.element(alt, 'target', {}, 5), status.target, '1.2', status.record.source);
        w.close(alt, 4);
      }
      w.close(unit, 3);
    }
    w.close(body, 2);
    w.close(file, 1);
  }
  w.close(w.root, 0);
  return w.serialize();
}

function writeXliff2(input: ExportInput): string {
  const w = new Writer(NS20);
  w.root.setAttribute('version', '2.0');
  w.root.setAttribute('srcLang', input.sourceLanguage);
  w.root.setAttribute('trgLang', input.targetLanguage);
  for (const [ns, units] of byNamespace(input.units)) {
    const file = w.element(w.root, 'file', { id: ns, original: `${ns}.json` }, 1);
    for (const { status, note } of units) {
      const unit = w.element(file, 'unit', { id: status.unit.id, name: status.unit.key }, 2);
      const notes = w.element(unit, 'notes', {}, 3);
      w.text(w.element(notes, 'note', { category: 'context' }, 4), note);
      const previous = previousNote(status);
      if (previous) w.text(w.element(notes, 'note', { category: 'previous-source' }, 4), previous);
      w.close(notes, 3);
      const segment = w.element(unit, 'segment', { state: status.state === 'translated' ? 'translated' : 'initial' }, 3);
      w.inline(w.element(segment, 'source', {}, 4), status.unit.source, '2.0');
      if (status.target !== undefined) w.inline(w.element(segment, 'target', {}, 4), status.target, '2.0', status.unit.source);
      w.close(segment, 3);
      w.close(unit, 2);
    }
    w.close(file, 1);
  }
  w.close(w.root, 0);
  return w.serialize();
}

export const JSON_FORMAT_ID = 'codepairs-translations';

function writeJson(input: ExportInput): string {
  const units = input.units.map(({ status, note }) => ({
    id: status.unit.id,
    state: status.state,
    note,
    source: status.unit.source,
    sourceHash: status.unit.hash,
    ...(status.record && status.state === 'stale' ? { previousSource: status.record.source } : {}),
    ...(status.state === 'stale' && status.target !== undefined ? { previousTarget: status.target } : {}),
    ...(status.state === 'translated' ? { target: status.target } : {}),
  }));
  return `${JSON.stringify({ format: JSON_FORMAT_ID, sourceLanguage: input.sourceLanguage, targetLanguage: input.targetLanguage, units }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface Place {
  line: number;
  column: number;
}

export interface ParsedUnit {
  id: string;
  place: Place;
  /** The source text as the file has it, placeholders restored; undefined if it has none. */
  source?: string;
  /** Hash of the source recorded by the file (JSON exports). */
  sourceHash?: string;
  /** The target text with placeholders restored; undefined when the file has none. */
  target?: string;
  /** Whether the file marks the target as done (not new, not needing translation or review). */
  done: boolean;
  /** Inline codes of the target that match no placeholder of the source. */
  unknownInline: string[];
  /** Elements inside the target that are not placeholders (formatting, links). */
  foreignMarkup: string[];
}

export interface ParsedFile {
  format: 'xliff12' | 'xliff2' | 'json';
  sourceLanguage?: string;
  targetLanguage?: string;
  /** Where the target language is declared, for messages. */
  languagePlace: Place;
  units: ParsedUnit[];
}

export interface ReadProblem {
  rule: 'xliff-malformed' | 'xliff-unsupported';
  params: Record<string, string>;
  place: Place;
}

const START: Place = { line: 1, column: 1 };
const placeOf = (node: Node): Place => ({ line: node.lineNumber ?? 1, column: node.columnNumber ?? 1 });
const children = (el: Element, name?: string): Element[] =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (name === undefined || (n as Element).localName === name));
const descendants = (el: Element | Document, name: string): Element[] => Array.from(el.getElementsByTagNameNS('*', name));

/** Read an export file that a translation tool returns. */
export function readImport(text: string): ParsedFile | ReadProblem {
  if (/^\s*\{/.test(text)) return readJson(text);
  const problems: ReadProblem[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      onError: (level, message, context) => {
        if (level === 'warning') return;
        const locator = (context as { locator?: Place & { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
        problems.push({ rule: 'xliff-malformed', params: { detail: message.split('\n')[0]! }, place: { line: locator?.lineNumber || 1, column: locator?.columnNumber || 1 } });
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    const locator = (error as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return problems[0] ?? { rule: 'xliff-malformed', params: { detail }, place: { line: locator?.lineNumber || 1, column: locator?.columnNumber || 1 } };
  }
  if (problems.length) return problems[0]!;
  const root = doc?.documentElement;
  if (!root || root.localName !== 'xliff') return { rule: 'xliff-unsupported', params: { what: `root element \`${root?.localName ?? '(none)'}\`` }, place: root ? placeOf(root) : START };
  const version = root.getAttribute('version') ?? '';
  if (version === '1.2') return readXliff12(root);
  if (/^2\.\d$/.test(version)) return readXliff2(root);
  return { rule: 'xliff-unsupported', params: { what: `XLIFF version \`${version}\`` }, place: placeOf(root) };
}

/** Placeholders by inline id, from the inline codes of a source element. */
function inlineMap(source: Element | undefined, equivAttribute: string): Map<string, string> {
  const map = new Map<string, string>();
  if (!source) return map;
  for (const el of [...descendants(source, 'x'), ...descendants(source, 'ph')]) {
    const id = el.getAttribute('id');
    const equiv = el.getAttribute(equivAttribute) || el.getAttribute('equiv-text') || el.getAttribute('equiv') || el.getAttribute('disp');
    if (id && equiv && /^\{\{.*\}\}$/.test(equiv)) map.set(id, equiv);
  }
  return map;
}

/** Text of a source or target, with inline codes turned back into their placeholders. */
function inlineText(el: Element, map: Map<string, string>, unknown: string[], foreign: string[]): string {
  let out = '';
  for (const node of Array.from(el.childNodes)) {
    if (node.nodeType === 3 || node.nodeType === 4) out += (node as unknown as { data: string }).data;
    else if (node.nodeType === 1) {
      const child = node as Element;
      const name = child.localName ?? '';
      if (name === 'x' || (name === 'ph' && child.childNodes.length === 0)) {
        const id = child.getAttribute('id') ?? '';
        const placeholder = map.get(id);
        if (placeholder) out += placeholder;
        else unknown.push(`<${name} id="${id}">`);
      } else if (name === 'mrk') {
        // Segmentation and annotation marks that tools add: their content is the text.
        out += inlineText(child, map, unknown, foreign);
      } else {
        foreign.push(`<${name}>`);
        out += inlineText(child, map, unknown, foreign);
      }
    }
  }
  return out;
}

const NOT_DONE_12 = new Set(['new', 'needs-translation', 'needs-adaptation', 'needs-l10n', 'needs-review-translation', 'needs-review-adaptation', 'needs-review-l10n']);

function readXliff12(root: Element): ParsedFile {
  const files = descendants(root, 'file');
  const first = files[0];
  const units: ParsedUnit[] = [];
  for (const unit of descendants(root, 'trans-unit')) {
    const source = children(unit, 'source')[0];
    const target = children(unit, 'target')[0];
    const map = inlineMap(source, 'equiv-text');
    const unknownInline: string[] = [];
    const foreignMarkup: string[] = [];
    const state = target?.getAttribute('state') ?? '';
    units.push({
      id: unit.getAttribute('id') ?? '',
      place: placeOf(unit),
      source: source ? inlineText(source, map, [], []) : undefined,
      target: target ? inlineText(target, map, unknownInline, foreignMarkup) : undefined,
      done: !NOT_DONE_12.has(state),
      unknownInline,
      foreignMarkup,
    });
  }
  const targets = new Set(files.map((f) => f.getAttribute('target-language') ?? ''));
  return {
    format: 'xliff12',
    sourceLanguage: first?.getAttribute('source-language') ?? undefined,
    targetLanguage: targets.size === 1 ? [...targets][0] || undefined : [...targets].join(', '),
    languagePlace: first ? placeOf(first) : placeOf(root),
    units,
  };
}

function readXliff2(root: Element): ParsedFile {
  const units: ParsedUnit[] = [];
  for (const unit of descendants(root, 'unit')) {
    const parts = children(unit).filter((c) => c.localName === 'segment' || c.localName === 'ignorable');
    const sources = parts.map((p) => children(p, 'source')[0]);
    const map = new Map<string, string>();
    for (const source of sources) for (const [id, ph] of inlineMap(source, 'equiv')) map.set(id, ph);
    const unknownInline: string[] = [];
    const foreignMarkup: string[] = [];
    const segments = parts.filter((p) => p.localName === 'segment');
    const hasTarget = parts.some((p) => children(p, 'target').length > 0);
    // A segment without a target, or an ignorable one, contributes its source (whitespace) to the target.
    const target = hasTarget
      ? parts.map((p) => {
          const t = children(p, 'target')[0];
          if (t) return inlineText(t, map, unknownInline, foreignMarkup);
          return p.localName === 'ignorable' ? inlineText(children(p, 'source')[0]!, map, [], []) : '';
        }).join('')
      : undefined;
    units.push({
      id: unit.getAttribute('id') ?? '',
      place: placeOf(unit),
      source: sources.every(Boolean) && sources.length ? sources.map((s) => inlineText(s!, map, [], [])).join('') : undefined,
      target,
      done: segments.every((s) => (s.getAttribute('state') ?? 'translated') !== 'initial'),
      unknownInline,
      foreignMarkup,
    });
  }
  return {
    format: 'xliff2',
    sourceLanguage: root.getAttribute('srcLang') ?? undefined,
    targetLanguage: root.getAttribute('trgLang') ?? undefined,
    languagePlace: placeOf(root),
    units,
  };
}

function readJson(text: string): ParsedFile | ReadProblem {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
  const toPlace = (offset: number): Place => {
    let line = lineStarts.findIndex((start) => start > offset);
    if (line === -1) line = lineStarts.length;
    return { line, column: offset - lineStarts[line - 1]! + 1 };
  };
  if (errors.length || !tree) {
    const error = errors[0];
    return { rule: 'xliff-malformed', params: { detail: error ? printParseErrorCode(error.error) : 'the file is empty' }, place: error ? toPlace(error.offset) : START };
  }
  const value = JSON.parse(text) as { format?: unknown; sourceLanguage?: unknown; targetLanguage?: unknown; units?: unknown };
  if (value.format !== JSON_FORMAT_ID || !Array.isArray(value.units)) {
    return { rule: 'xliff-unsupported', params: { what: 'JSON without `"format": "codepairs-translations"` and a `units` list' }, place: START };
  }
  const at = (path: Array<string | number>) => {
    const node = findNodeAtLocation(tree, path);
    return node ? toPlace(node.offset) : START;
  };
  const units: ParsedUnit[] = value.units.map((entry: Record<string, unknown>, i: number) => {
    const target = typeof entry?.target === 'string' ? entry.target : undefined;
    return {
      id: typeof entry?.id === 'string' ? entry.id : '',
      place: at(['units', i]),
      source: typeof entry?.source === 'string' ? entry.source : undefined,
      sourceHash: typeof entry?.sourceHash === 'string' ? entry.sourceHash : undefined,
      target,
      done: true,
      unknownInline: [],
      foreignMarkup: [],
    };
  });
  return {
    format: 'json',
    sourceLanguage: typeof value.sourceLanguage === 'string' ? value.sourceLanguage : undefined,
    targetLanguage: typeof value.targetLanguage === 'string' ? value.targetLanguage : undefined,
    languagePlace: at(['targetLanguage']),
    units,
  };
}
