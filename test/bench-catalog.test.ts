/**
 * The benchmark's synthetic catalog (scripts/bench-catalog.mjs) passes `codepairs check --strict`
 * like the shipped one, cut down, grown past the shipped codes (clones under free numbers, their
 * examples showing their own response) and after the bench's edit: `npm run bench -- --codes 300`
 * is how a 300-code catalog is measured, and a catalog that does not load measures nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editCode, makeCatalog } from '../scripts/bench-catalog.mjs';
import { CLI, ROOT } from './helpers/paths.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const check = (dir: string, ...options: string[]) => spawnSync(process.execPath, [CLI, 'check', ...options, '--root', dir], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
const shipped = readFileSync(join(ROOT, 'data/sip/iana-registry.tsv'), 'utf8');

describe('the synthetic catalog of the benchmark', () => {
  it.each([
    { codes: 20, langs: 1 },
    { codes: 120, langs: 2 },
  ])('of $codes codes in $langs language(s) passes the checks, and so it does once a code is edited', ({ codes, langs }) => {
    const catalog = makeCatalog(ROOT, { codes, langs }) as { dir: string; codes: number[] };
    made.push(catalog.dir);
    expect(catalog.codes).toHaveLength(codes);
    const result = check(catalog.dir, '--strict');
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`${codes} SIP codes`);
    if (codes > 75) {
      // A clone's example shows its own response, not the one of the code it was cloned from.
      const clone = catalog.codes.find((code) => !shipped.includes(`\n${code}\t`))!;
      const yaml = readFileSync(join(catalog.dir, 'data/sip/codes', `${clone}.yaml`), 'utf8');
      expect(yaml).toMatch(new RegExp(`SIP/2\\.0 ${clone} `));
    }
    editCode(catalog.dir, catalog.codes[0]);
    const edited = check(catalog.dir);
    expect(edited.status, edited.stdout + edited.stderr).toBe(0);
  });
});
