/**
 * SHA-256 of a text, in one call. Node's one-shot `crypto.hash` (Node 20.12 and later) skips the
 * Hash object that `createHash(…).update(…).digest(…)` makes: about half the cost for the short
 * texts hashed here by the ten thousand (a page's inputs, a piece of a page). Older Node 20
 * releases get the same bytes from createHash.
 */
import * as crypto from 'node:crypto';

type Encoding = 'hex' | 'base64url';

const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: Encoding) => string }).hash;

export const sha256 = (text: string, encoding: Encoding = 'hex'): string =>
  oneShot ? oneShot('sha256', text, encoding) : crypto.createHash('sha256').update(text).digest(encoding);

/** SHA-256 of the lines joined by `\n`, as hex: the digest of `sha256(lines.join('\n'))`, without making that text. */
export function sha256Lines(lines: Iterable<string>): string {
  const hash = crypto.createHash('sha256');
  let first = true;
  for (const line of lines) {
    hash.update(first ? line : `\n${line}`);
    first = false;
  }
  return hash.digest('hex');
}
