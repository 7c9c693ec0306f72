/**
 * The export's manifest and change set, written from sorted streams in chunks: the same bytes as
 * the objects they stand for, written whole by JSON.stringify.
 */
import { describe, expect, it } from 'vitest';
import { byId, ChangeSet, MANIFEST_FORMAT, MANIFEST_VERSION, manifestChunks, type Change, type Manifest } from '../src/export/manifest.js';
import type { KbRecord } from '../src/export/records.js';

const manifestOf = (records: Record<string, string>, langs = ['en', 'de']): Manifest => ({ format: MANIFEST_FORMAT, version: MANIFEST_VERSION, langs, maxChars: 1500, records });
const whole = (manifest: Manifest): string => `${JSON.stringify(manifest, null, 2)}\n`;
const sorted = (records: Record<string, string>): Array<[string, string]> => Object.entries(records).sort(([a], [b]) => byId(a, b));
const record = (id: string, hash: string): KbRecord => ({ id, hash, lang: id.split('/')[2]!, text: `Text of ${id}` }) as unknown as KbRecord;

describe('manifestChunks', () => {
  it('writes what JSON.stringify writes, with every id in order, in several chunks', () => {
    // Enough ids for several chunks; ids with characters JSON escapes.
    const records: Record<string, string> = { 'sip/183/en/"quoted"': 'sha256:q', 'sip/183/en/back\\slash': 'sha256:b' };
    for (let code = 100; code < 5100; code++) records[`sip/${code}/en/description`] = `sha256:${code.toString(16)}`;
    const chunks = [...manifestChunks(sorted(records), ['en', 'de'], 1500, 64 << 10)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(whole(manifestOf(Object.fromEntries(sorted(records)))));
  });

  it('writes an empty manifest and one of a single record as JSON.stringify does', () => {
    expect([...manifestChunks([], [], 120)].join('')).toBe(whole({ ...manifestOf({}, []), maxChars: 120 }));
    const one = { 'sip/183/en/lead': 'sha256:1' };
    expect([...manifestChunks(sorted(one), ['en'], 1500)].join('')).toBe(whole(manifestOf(one, ['en'])));
  });

  it('refuses an id given twice', () => {
    expect(() => [...manifestChunks([['sip/183/en/lead', 'sha256:1'], ['sip/183/en/lead', 'sha256:2']], ['en'], 1500)]).toThrow(/Two knowledge-base records have the id sip\/183\/en\/lead/);
  });
});

describe('ChangeSet', () => {
  const old = manifestOf({
    'sip/180/de/lead': 'sha256:de', // another language than this export's: left alone
    'sip/180/en/lead': 'sha256:gone-1',
    'sip/183/en/description': 'sha256:same',
    'sip/183/en/lead': 'sha256:old',
    'sip/999/en/lead': 'sha256:gone-2',
  });

  it('upserts new and changed records, deletes the ids gone in its languages, all in id order', () => {
    const changes = new ChangeSet(old, ['en']);
    const now = [record('sip/183/en/lead', 'sha256:new'), record('sip/183/en/description', 'sha256:same'), record('sip/200/en/lead', 'sha256:added')];
    const upserts: Array<[string, string]> = [];
    for (const r of now) {
      const line = changes.upsert(r, JSON.stringify(r));
      if (line !== undefined) upserts.push([r.id, line]);
    }
    for (const id of now.map((r) => r.id).sort(byId)) changes.keep(id);
    const text = [...changes.lines(upserts.sort(([a], [b]) => byId(a, b)))].join('');
    const expected: Change[] = [
      { op: 'delete', id: 'sip/180/en/lead' },
      { op: 'upsert', record: now[0]! },
      { op: 'upsert', record: now[2]! },
      { op: 'delete', id: 'sip/999/en/lead' },
    ];
    expect(text).toBe(expected.map((change) => `${JSON.stringify(change)}\n`).join(''));
    expect([changes.upserts, changes.deletes]).toEqual([2, 2]);
  });

  it('gives nothing when nothing changed', () => {
    const changes = new ChangeSet(old, ['de']);
    const kept = record('sip/180/de/lead', 'sha256:de');
    expect(changes.upsert(kept, JSON.stringify(kept))).toBeUndefined();
    changes.keep('sip/180/de/lead');
    expect([...changes.lines([])].join('')).toBe('');
    expect([changes.upserts, changes.deletes]).toEqual([0, 0]);
  });
});
