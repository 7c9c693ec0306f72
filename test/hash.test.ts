import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Lines } from '../src/hash.js';

describe('sha256', () => {
  const texts = ['', 'SIP 183 Session Progress', '会话进行中 — «183» 🚀', 'x'.repeat(5000), 'lone \ud800 surrogate'];
  it('gives createHash’s digest, in hex and in base64url', () => {
    for (const text of texts) {
      expect(sha256(text)).toBe(createHash('sha256').update(text).digest('hex'));
      expect(sha256(text, 'base64url')).toBe(createHash('sha256').update(text).digest('base64url'));
    }
  });
});

describe('sha256Lines', () => {
  // The manifest records the hash of the list of pages: a build that hashed the lines one by one
  // must find the digest an earlier build made of the joined text, or every edit hashes every page.
  it('gives the digest of the lines joined by newlines', () => {
    const lists = [[], [''], ['en/sip/index'], ['en/sip/index', 'en/sip/183', 'zh-CN/sip/183-vs-439'], ['会话', '', 'x'.repeat(3000), '🚀']];
    for (const lines of lists) expect(sha256Lines(lines)).toBe(sha256(lines.join('\n')));
    expect(sha256Lines(new Set(['a', 'b']))).toBe(sha256('a\nb'));
  });
});
