import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'codepairs.js');
/** The IANA registry copy shipped beside the steering repo, when this checkout has it. */
const shared = join(ROOT, '..', 'shared', 'reference', 'sip-response-codes.tsv');
export const SHARED_SIP_REGISTRY = existsSync(shared) ? shared : undefined;
