/** The full build of the shipped catalog, once the background build (global-build.ts) is done. */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

export async function builtOutput(): Promise<string> {
  const out = inject('outDir');
  const status = inject('outStatus');
  if (!status) return out;
  while (!existsSync(status)) await sleep(500);
  const code = readFileSync(status, 'utf8').trim();
  if (code !== '0') throw new Error(`the build of the shipped catalog failed (exit ${code}): see its messages above`);
  return out;
}
