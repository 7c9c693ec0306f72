/**
 * Every problem codepairs reports about its inputs, one entry per rule id.
 * Call sites never write reasons inline: they name a rule and pass its parameters.
 */
import { VFile } from 'vfile';
import type { Point } from 'unist';
import type { InputsRecord, RecordedMessage } from './emit/build-manifest.js';

type Params = Record<string, string | number>;

export const diagnostics = {
  'invalid-yaml': (p: Params) => `Cannot parse YAML: ${p.detail}`,
  'invalid-json': (p: Params) => `Cannot parse JSON: ${p.detail}`,
  'missing-file': (p: Params) => `Cannot read ${p.what}: no file at \`${p.path}\``,
  'unknown-field': (p: Params) => `Unexpected field \`${p.field}\`, expected one of ${p.expected}`,
  'missing-field': (p: Params) => `Missing required field \`${p.field}\``,
  'wrong-type': (p: Params) => `Unexpected ${p.actual} for \`${p.field}\`, expected ${p.expected}`,
  'unknown-value': (p: Params) => `Unexpected value \`${p.value}\` for \`${p.field}\`, expected one of ${p.expected}`,
  'code-out-of-range': (p: Params) => `Unexpected code \`${p.code}\`, expected a number from 100 to 699`,
  'unknown-class': (p: Params) => `Code \`${p.code}\` has no class in protocol.yaml for its first digit ${p.digit}`,
  'invalid-protocol-id': (p: Params) => `Invalid protocol id \`${p.id}\`, expected lowercase letters, digits and hyphens, starting with a letter, and not \`common\` (it names an output folder and a locale namespace)`,
  'invalid-fact-id': (p: Params) => `Invalid fact id \`${p.id}\`, expected letters and digits starting with a lowercase letter, other than the built-in facts ${p.builtIn}`,
  'fact-option-unused': (p: Params) => `Unexpected option \`${p.option}\` for fact \`${p.fact}\`: a fact of kind \`${p.kind}\` does not use it`,
  'unknown-fact': (p: Params) => `Unknown fact \`${p.fact}\`, expected ${p.expected} (the facts protocol.yaml declares)`,
  'missing-fact': (p: Params) => `Missing fact \`${p.fact}\` that protocol.yaml declares (${p.kind})`,
  'empty-fact': (p: Params) => `Empty fact \`${p.fact}\`, expected at least one of ${p.expected}`,
  'relevance-weight': (p: Params) => `Unexpected relevance weight ${p.weight}: the weights of the rules are at least 0 and add up to at most ${p.max}`,
  'unknown-see-also': (p: Params) => `Unknown code \`${p.code}\` of protocol \`${p.protocol}\` in \`seeAlso\`, expected ${p.expected}`,
  'duplicate-protocol': (p: Params) => `Two catalogs of the build declare protocol \`${p.id}\`: \`${p.first}\` and \`${p.second}\` (a protocol id names an output folder)`,
  'duplicate-code': (p: Params) => `Duplicate code \`${p.code}\`, first defined in \`${p.first}\``,
  'file-name-mismatch': (p: Params) => `Code \`${p.code}\` is in \`${p.file}\`, expected the file to be named \`${p.expected}\``,
  'unregistered-code': (p: Params) => `Code \`${p.code}\` is not in the IANA registry copy \`${p.registry}\``,
  'unregistered-reason': (p: Params) => `Unexpected reason phrase \`${p.actual}\` for ${p.code}, the registry says \`${p.expected}\``,
  'unregistered-reference': (p: Params) => `Unexpected reference \`${p.actual}\` for ${p.code}, the registry says \`${p.expected}\``,
  'missing-code': (p: Params) => `Missing code \`${p.code}\` (${p.reason}) that the registry lists`,
  'unknown-confusable-code': (p: Params) => `Unknown code \`${p.code}\` in a confusable pair, expected a code of the catalog`,
  'unordered-confusable-pair': (p: Params) => `Unexpected pair order \`[${p.low}, ${p.high}]\`, expected the lower code first: \`[${p.high}, ${p.low}]\``,
  'duplicate-confusable-pair': (p: Params) => `Duplicate confusable pair \`${p.pair}\`, first listed at line ${p.line}`,
  'unknown-related-code': (p: Params) => `Related code \`${p.related}\` of ${p.code} is not in the catalog`,
  'example-status-line': (p: Params) => `Unexpected status line \`${p.actual}\` in the example message, expected \`${p.expected}\``,
  'example-header': (p: Params) => `Unexpected line \`${p.line}\` in the example message's header, expected a header field \`Name: value\` or the empty line before the body`,
  'example-content-length': (p: Params) => `Unexpected Content-Length \`${p.actual}\` in the example message, the body is ${p.expected} bytes with CRLF line ends`,
  'example-unsafe': (p: Params) => `Unexpected ${p.what} in the example message, write plain text that fits in a code block`,
  'example-missing-step': (p: Params) => `The example exchange has no step with the response \`${p.code} ${p.reason}\``,
  'unsafe-text': (p: Params) => `Unexpected ${p.what} in text, write plain sentences without markup`,
  'invalid-language-tag': (p: Params) => `Invalid language tag \`${p.tag}\`, expected a BCP 47 tag such as \`en\` or \`zh-CN\``,
  'output-path-conflict': (p: Params) => `Unexpected language tag \`${p.tag}\`: its pages would be written into the \`${p.folder}/\` output folder, which codepairs uses for other files`,
  'duplicate-output-path': (p: Params) => `Cannot build: two pages would be written to the same file (${p.paths}); check the language tags and codes`,
  'duplicate-language': (p: Params) => `Duplicate language \`${p.tag}\``,
  'unknown-language': (p: Params) => `Unknown language \`${p.tag}\`, expected one of ${p.expected}`,
  'missing-locale-key': (p: Params) => `Missing key \`${p.key}\` in ${p.lang}, present in ${p.source}`,
  'missing-translation-unit': (p: Params) => `Missing translation \`${p.id}\` in ${p.lang}: ${p.effect}`,
  'stale-translation': (p: Params) => `Stale translation \`${p.id}\` in ${p.lang}: ${p.why}; ${p.effect}`,
  'extra-locale-key': (p: Params) => `Unexpected key \`${p.key}\` in ${p.lang}, not in ${p.source}`,
  'interpolation-mismatch': (p: Params) =>
    `Unexpected interpolation variables in \`${p.key}\`: ${p.lang} uses ${p.actual}, ${p.source} uses ${p.expected}`,
  'template-syntax': (p: Params) => `Cannot compile template: ${p.detail}`,
  'template-runtime': (p: Params) => `Cannot render template \`${p.template}\`: ${p.detail}`,
  'missing-translation': (p: Params) => `Missing translation \`${p.key}\` in ${p.lang} (asked for by the ${p.where})`,
  'xliff-malformed': (p: Params) => `Cannot parse XLIFF: ${p.detail}`,
  'xliff-unsupported': (p: Params) => `Unexpected ${p.what}, expected an XLIFF 1.2 or 2.0 document or a codepairs JSON export`,
  'xliff-wrong-language': (p: Params) => `Unexpected ${p.which} language \`${p.actual}\`, expected ${p.expected}`,
  'xliff-unknown-unit': (p: Params) => `Unknown unit \`${p.id}\`: ${p.lang} has no such unit`,
  'xliff-duplicate-unit': (p: Params) => `Duplicate unit \`${p.id}\` in the file`,
  'xliff-unknown-inline': (p: Params) => `Unexpected inline code ${p.code} in the target of \`${p.id}\`, the English source has no such placeholder`,
  'xliff-placeholder-mismatch': (p: Params) => `Broken placeholders in the target of \`${p.id}\`: it uses ${p.actual}, the English uses ${p.expected}`,
  'xliff-markup': (p: Params) => `Unexpected ${p.what} in the target of \`${p.id}\`, write plain text without markup`,
  'xliff-outdated-source': (p: Params) => `Left out \`${p.id}\`: it was translated from an older English text than the current one; export again, or import with --force`,
  'output-not-directory': (p: Params) => `Cannot write output: \`${p.path}\` exists and is not a directory`,
  'output-unwritable': (p: Params) => `Cannot write output to \`${p.path}\`: ${p.detail}`,
  'invalid-manifest': (p: Params) => `Unexpected ${p.actual} for \`${p.field}\` in a knowledge-base manifest, expected ${p.expected}`,
  'output-locked': (p: Params) =>
    `Cannot write output to \`${p.path}\`: another build (process ${p.detail}) is writing it; wait for it to finish, or delete \`${p.lock}\` if no build is running`,
  'render-thread-memory': (p: Params) =>
    `A render thread (${p.pages} pages) ran out of its heap limit of ${p.limit} MB; the previous output is unchanged (build with --jobs 1 to render on the main thread, whose heap Node sizes for the machine)`,
  'search-index-failed': (p: Params) => `Cannot write the search index with Pagefind: ${p.detail}; the previous output is unchanged (build with --no-search to skip the index)`,
  // Findings of `codepairs check --output` about generated pages.
  'empty-section': (p: Params) => `Empty section \`${p.heading}\`: the heading is followed by no text`,
  'repeated-word': (p: Params) => `Repeated word \`${p.word}\``,
  'repeated-sentence': (p: Params) => `Sentence said twice on the page: ${p.sentence}`,
  'differences-repeat-text': (p: Params) => `Section \`${p.section}\` repeats a sentence of a code section: ${p.sentence}`,
  'untranslated-text': (p: Params) => `Untranslated text in ${p.lang}, the same as the English page: ${p.text}`,
  'broken-link': (p: Params) => `Broken link \`${p.url}\`: no file \`${p.target}\` in the output`,
  'thin-page': (p: Params) => `Thin page: ${p.words} words of its own (${p.share}% of its text) are fewer than ${p.min}`,
  'near-duplicate': (p: Params) => `Near-duplicate page: similarity ${p.similarity} with \`${p.other}\` is above ${p.max}`,
} satisfies Record<string, (p: Params) => string>;

export type RuleId = keyof typeof diagnostics;

export interface Place {
  line: number;
  column: number;
}

/** Record a problem on `file`: an error that fails the run, or with `warn` a warning that does not. */
export function report(file: VFile, ruleId: RuleId, params: Params, place?: Place | Point, severity: 'error' | 'warn' = 'error'): void {
  const message = file.message(diagnostics[ruleId](params), {
    place: place ? { line: place.line, column: place.column } : undefined,
    ruleId,
    source: 'codepairs',
  });
  message.fatal = severity === 'error' ? true : false;
}

export function hasErrors(files: VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal));
}

/** Thrown by a stage whose input files carry errors; the CLI prints the files, not a stack. */
export class InputError extends Error {
  readonly files: VFile[];
  constructor(files: VFile[]) {
    super(`${files.reduce((n, f) => n + f.messages.length, 0)} problems in the inputs`);
    this.name = 'InputError';
    this.files = files;
  }
}

/** Warnings as a build records them in its manifest (see replayWarnings). */
export function recordWarnings(files: readonly VFile[]): InputsRecord['warnings'] {
  return files.map((file) => ({
    path: file.path,
    messages: file.messages.map((message): RecordedMessage => {
      const place = message.place ? JSON.parse(JSON.stringify(message.place)) as RecordedMessage['place'] : undefined;
      return {
        reason: message.reason,
        ...(place ? { place } : {}),
        ...(message.ruleId ? { ruleId: message.ruleId } : {}),
        ...(message.source ? { source: message.source } : {}),
        ...(typeof message.fatal === 'boolean' ? { fatal: message.fatal } : {}),
      };
    }),
  }));
}

/** The files and messages of `recordWarnings` again, as the reporter prints them. */
export function replayWarnings(records: InputsRecord['warnings']): VFile[] {
  return records.map((record) => {
    const file = new VFile({ path: record.path });
    for (const m of record.messages) {
      const message = file.message(m.reason, { place: m.place, ruleId: m.ruleId, source: m.source });
      message.fatal = m.fatal;
    }
    return file;
  });
}
