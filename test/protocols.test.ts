/**
 * Protocols declared by data (issue 10, point 3): protocol.yaml declares each fact, and code files
 * are checked against it, every problem with its place and rule id. Pure checks on real files:
 * the shipped SIP protocol.yaml, edited copies of it and of a shipped code file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { differingFacts, factOrder, finalityOf, isFinal, mayFollow } from '../src/compare/facts.js';
import { parseYaml } from '../src/load/source.js';
import { validateCode } from '../src/load/validate-code.js';
import { validateProtocol } from '../src/load/validate-protocol.js';
import { protocolKeys } from '../src/render/required-keys.js';
import type { Protocol } from '../src/types.js';
import { ROOT } from './helpers/paths.js';

const SIP_PROTOCOL = readFileSync(join(ROOT, 'data/sip/protocol.yaml'), 'utf8');
const SIP_486 = readFileSync(join(ROOT, 'data/sip/codes/486.yaml'), 'utf8');

function checkProtocol(text: string) {
  const file = new VFile({ path: 'protocol.yaml', value: text });
  const protocol = validateProtocol(file, parseYaml(file)!);
  return { protocol, messages: file.messages };
}

function checkCode(text: string, protocol: Protocol) {
  const file = new VFile({ path: 'codes/486.yaml', value: text });
  const code = validateCode(file, parseYaml(file)!, protocol);
  return { code, messages: file.messages.map((m) => ({ rule: m.ruleId, line: m.line, column: m.column, reason: m.reason })) };
}

/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('protocol.yaml', () => {
  const sip = checkProtocol(SIP_PROTOCOL).protocol!;

  it('declares the SIP facts in reading order between the built-ins', () => {
    expect(factOrder(sip)).toEqual(['class', 'finality', ...Object.keys(sip.facts), 'lifecycle']);
    expect(sip.facts.requests).toMatchObject({ kind: 'set', any: 'any' });
  });

  it('reports an unknown kind, a sentence the kind cannot have and an option the kind does not use, where they are', () => {
    const text = SIP_PROTOCOL.replace('    kind: boolean\n    sentence: yesNo', '    kind: flag\n    sentence: yesNo')
      .replace('    kind: list\n    join: and\n    sentence: pair', '    kind: list\n    join: and\n    any: none\n    sentence: each');
    const { protocol, messages } = checkProtocol(text);
    expect(protocol).toBeUndefined();
    const found = messages.map((m) => [m.ruleId, m.line]);
    expect(found).toContainEqual(['unknown-value', lineOf(text, 'kind: flag')]);
    expect(found).toContainEqual(['fact-option-unused', lineOf(text, 'any: none')]);
    expect(found).toContainEqual(['unknown-value', lineOf(text, 'any: none') + 1]);
  });

  it('reports a relevance rule, a sequence or a receiver fact it does not declare or of the wrong kind, and weights above 0.25', () => {
    const text = SIP_PROTOCOL.replace('  - fact: senders', '  - fact: senderz').replace('weight: 0.10', 'weight: 0.2').replace('sequence: requests', 'sequence: retry').replace('receiver: retry', 'receiver: headers');
    const { messages } = checkProtocol(text);
    const found = messages.map((m) => [m.ruleId, m.line]);
    expect(found).toContainEqual(['unknown-fact', lineOf(text, 'fact: senderz')]);
    expect(found).toContainEqual(['relevance-weight', lineOf(text, 'weight: 0.2')]);
    expect(found).toContainEqual(['unknown-fact', lineOf(text, 'sequence: retry')]);
    // A receiver sentence is said per value: only an enum fact with a sentence for each will do.
    expect(found).toContainEqual(['unknown-fact', lineOf(text, 'receiver: headers')]);
  });

  it('refuses to redeclare a built-in fact', () => {
    const text = SIP_PROTOCOL.replace('  retry:\n', '  lifecycle:\n');
    const { messages } = checkProtocol(text);
    expect(messages.map((m) => [m.ruleId, m.line])).toContainEqual(['invalid-fact-id', lineOf(text, '  lifecycle:')]);
  });

  it('derives the locale keys a fact needs from its declaration', () => {
    const keys = protocolKeys(sip);
    expect(keys).toEqual(expect.arrayContaining(['facts.sdp.yes', 'compare.sdp', 'shared.sdp_yes', 'compare.headers_onlyOne', 'facts.requests.methods', 'facts.retry.sentences.never', 'facts.retry.both.never', 'choose.sequence']));
    expect(keys).not.toContain('compare.class_provisional_success');
  });
});

describe('code facts against the declared ones', () => {
  const sip = checkProtocol(SIP_PROTOCOL).protocol!;

  it('accepts the shipped code and compares it by the declared facts', () => {
    const busy = checkCode(SIP_486, sip).code!;
    const other = { ...busy, code: 480, facts: { ...busy.facts, sdp: !busy.facts.sdp, headers: ['Retry-After', 'Warning'] } };
    expect(differingFacts(sip, busy, other)).toEqual(['sdp', 'headers']);
  });

  it('reports an unknown fact, a missing fact and a value outside the vocabulary at their line and column', () => {
    const text = SIP_486.replace(/^  sdp: .*\n/m, '').replace(/^  dialog: .*$/m, '  dialog: sometimes\n  mood: grumpy');
    const { code, messages } = checkCode(text, sip);
    expect(code).toBeUndefined();
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'unknown-fact', line: lineOf(text, 'mood: grumpy'), column: 3 }));
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'unknown-value', line: lineOf(text, 'dialog: sometimes'), column: 11 }));
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'missing-fact', line: lineOf(text, 'facts:') + 1 }));
  });

  it('refuses an empty set and a value of the wrong kind', () => {
    const text = SIP_486.replace(/^  senders: .*$/m, '  senders: []').replace(/^  sdp: .*$/m, '  sdp: maybe');
    const { messages } = checkCode(text, sip);
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'empty-fact', line: lineOf(text, 'senders: []') }));
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'wrong-type', line: lineOf(text, 'sdp: maybe') }));
  });
});

describe('a code that is only the status of a member (HTTP 208)', () => {
  const http = checkProtocol(readFileSync(join(ROOT, 'data/http/protocol.yaml'), 'utf8')).protocol!;
  const codeOf = (name: string, edit: (text: string) => string = (text) => text) => {
    const text = edit(readFileSync(join(ROOT, `data/http/codes/${name}.yaml`), 'utf8'));
    return { text, ...checkCode(text, http) };
  };
  const [c100, c200, c207, c208] = ['100', '200', '207', '208'].map((name) => codeOf(name).code!);

  it('is neither interim nor final: it differs from both in kind, and follows neither', () => {
    expect(c208!.finality).toBe('member');
    expect([c100, c200, c208].map((c) => finalityOf(http, c!))).toEqual(['provisional', 'final', 'member']);
    expect(isFinal(http, c208!)).toBe(false);
    for (const other of [c100!, c200!, c207!]) {
      expect(differingFacts(http, other, c208!), String(other.code)).toContain('finality');
      expect(mayFollow(http, other, c208!), String(other.code)).toBe(false);
    }
    // Its kind needs the member's label and sentences; a catalog without such a code does not.
    expect(protocolKeys(http, [c200!, c208!])).toEqual(expect.arrayContaining(['facts.finality.member', 'compare.finality_member', 'compare.finality_memberInterim']));
    expect(protocolKeys(http, [c200!])).not.toContain('facts.finality.member');
  });

  it('is refused as another finality, and in a provisional class, at its line', () => {
    const other = codeOf('208', (text) => text.replace('finality: member', 'finality: final'));
    expect(other.code).toBeUndefined();
    expect(other.messages).toContainEqual(expect.objectContaining({ rule: 'unknown-value', line: lineOf(other.text, 'finality: final') }));
    const interim = codeOf('102', (text) => text.replace(/^section: .*$/m, (line) => `${line}\nfinality: member`));
    expect(interim.code).toBeUndefined();
    expect(interim.messages).toContainEqual(expect.objectContaining({ rule: 'unknown-value', line: lineOf(interim.text, 'finality: member') }));
    // A protocol without a provisional class shows no kind at all: there the field would be lost.
    const flat = { ...http, classes: http.classes.map((c) => ({ ...c, provisional: false })) };
    const text = readFileSync(join(ROOT, 'data/http/codes/208.yaml'), 'utf8');
    const lost = checkCode(text, flat);
    expect(lost.code).toBeUndefined();
    expect(lost.messages).toContainEqual(expect.objectContaining({ rule: 'unknown-value', line: lineOf(text, 'finality: member') }));
  });
});
