import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/hash.js';

describe('sha256', () => {
  const texts = ['', 'SIP 183 Session Progress', '会话进行中 — «183» 🚀', 'x'.repeat(5000), 'lone \ud800 surrogate'];
  it('gives createHash’s digest, in hex and in base64url', () => {
    for (const text of texts) {
      expect(sha256(text)).toBe(createHash('sha256').update(text).digest('hex'));
      expect(sha256(text, 'base64url')).toBe(createHash('sha256').update(text).digest('base64url'));
    }
  });
});
