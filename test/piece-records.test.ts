/**
 * The piece records (src/emit/piece-records.ts): read back, they give the records they were
 * written with, whatever their paths; a damaged file is not used.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PIECE_RECORDS_PATH, readPieceRecords, serializePieceRecords, type PieceRecords } from '../src/emit/piece-records.js';

const KEYS = { 'sip:zh-CN': 'k2', 'sip:en': 'k1' };
const recordText = (i: number) => JSON.stringify({ bodyStart: 100 + i, pieces: [[`h${(i * 31) % 997}`, i, 2 * i]] });

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function readBack(text: string): Promise<PieceRecords | undefined> {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'codepairs-pieces-'));
  mkdirSync(join(dir, '.codepairs'));
  writeFileSync(join(dir, PIECE_RECORDS_PATH), text);
  return readPieceRecords(dir);
}

const pagesOf = (count: number) => new Map(Array.from({ length: count }, (_, i) => [`${['en', 'zh-CN', 'pt-BR'][i % 3]}/sip/${100 + i}-vs-${300 - i}`, recordText(i)]));

describe('the piece records', () => {
  it('read back as written, plain paths and escaped ones', async () => {
    const plain = pagesOf(50);
    const read = await readBack(serializePieceRecords({ keys: KEYS, pages: plain }));
    expect(read?.pages).toEqual(plain);
    expect(read?.keys).toEqual(KEYS);
    const odd = new Map([...plain, ['en/sip/"quoted"\\name', recordText(99)], ['ü/中文 page', recordText(98)]]);
    const oddRead = await readBack(serializePieceRecords({ keys: KEYS, pages: odd }));
    expect(oddRead?.pages).toEqual(odd);
  });

  it('are not used when a line is damaged', async () => {
    const text = serializePieceRecords({ keys: KEYS, pages: pagesOf(5) });
    const first = text.split('\n')[1]!;
    const broken = [
      text.replace(first, first.replace('": {', '": [')),
      text.replace(first, first.replace(']]},', ']],')),
      text.replace(first, first.replace('  "', ' "')),
      text.replace(first, first.replace('": ', '":')),
      text.replace(first, `${first},`),
      text.replace('\n}}\n', '\n}\n'),
    ];
    for (const damaged of broken) {
      expect(damaged).not.toBe(text);
      expect(await readBack(damaged), damaged.slice(0, 300)).toBeUndefined();
    }
  });
});
