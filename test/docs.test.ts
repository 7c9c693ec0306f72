/** The README documents every rule id codepairs can report, and nothing it cannot. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnostics } from '../src/diagnostics.js';
import { ROOT } from './helpers/paths.js';

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Rule ids'), readme.indexOf('### Checking the output'));
  const documented = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);

  it('lists every rule id once, with a line of its own', () => {
    expect([...documented].sort()).toEqual(Object.keys(diagnostics).sort());
  });
});
