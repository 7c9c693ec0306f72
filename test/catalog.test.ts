import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '../src/build.js';
import { parseRegistry } from '../src/load/catalog.js';
import type { Catalog } from '../src/types.js';
import { ROOT, SHARED_SIP_REGISTRY } from './helpers/paths.js';

let catalog: Catalog;

beforeAll(async () => {
  catalog = (await load({ root: ROOT })).ctx.catalog;
});

describe('the SIP catalog', () => {
  const registryPath = SHARED_SIP_REGISTRY ?? join(ROOT, 'data/sip/iana-registry.tsv');
  const registry = parseRegistry(readFileSync(registryPath, 'utf8'));

  it('has exactly the codes of the IANA registry, with its reason phrases and references', () => {
    expect(registry.length).toBe(75);
    expect(catalog.codes.map((c) => [c.code, c.reason, c.reference])).toEqual(registry.map((r) => [r.code, r.reason, r.reference]));
  });

  it.runIf(SHARED_SIP_REGISTRY)('ships a registry copy identical to the shared reference', () => {
    expect(readFileSync(join(ROOT, 'data/sip/iana-registry.tsv'), 'utf8')).toBe(readFileSync(SHARED_SIP_REGISTRY!, 'utf8'));
  });

  it('derives each class from the first digit', () => {
    const classes = Object.fromEntries(catalog.codes.map((c) => [c.code, c.classId]));
    expect(classes[100]).toBe('provisional');
    expect(classes[202]).toBe('success');
    expect(classes[380]).toBe('redirection');
    expect(classes[439]).toBe('client-failure');
    expect(classes[555]).toBe('server-failure');
    expect(classes[608]).toBe('global-failure');
  });

  it('records 202 as deprecated by RFC 6665 and the RFC 4474 names of 436 and 437 as aliases', () => {
    const byCode = new Map(catalog.codes.map((c) => [c.code, c]));
    expect(byCode.get(202)!.lifecycle).toMatchObject({ status: 'deprecated', by: 'RFC6665' });
    expect(byCode.get(436)!.aliases).toContain('Bad Identity-Info');
    expect(byCode.get(437)!.aliases).toContain('Unsupported Certificate');
    expect(byCode.get(183)!.aliases).toContain('Session in Progress');
  });

  it('gives every code an RFC section and whole English sentences in each text field', () => {
    for (const code of catalog.codes) {
      expect(code.section, `${code.code} section`).toMatch(/^\d+(\.\d+)*$/);
      for (const [field, text] of Object.entries(code.text)) {
        expect(text, `${code.code} ${field}`).toMatch(/^[A-Z0-9]/);
        expect(text, `${code.code} ${field}`).toMatch(/[.!?]$/);
      }
    }
  });

  it('keeps provisional and final facts apart: only 1xx and 2xx have nothing to retry', () => {
    for (const code of catalog.codes) {
      const nothingToRetry = code.facts.retry === 'not-applicable';
      expect(nothingToRetry, String(code.code)).toBe(code.code < 300);
    }
  });
});
