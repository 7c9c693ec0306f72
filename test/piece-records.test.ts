/**
 * The piece records (src/emit/piece-records.ts): read back, they give the records they were
 * written with, whatever their paths; a damaged file is not used; the lines of pages rendered
 * again, written into the previous file's text, give the file written whole.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PIECE_RECORDS_PATH, RecordSpill, readPieceRecords, serializePieceRecords, sortedRecordsChunks, updatedRecordsChunks, withRecords, type ReadPieceRecords } from '../src/emit/piece-records.js';
import { sortedPaths } from '../src/emit/sorted.js';

const KEYS = { 'sip:zh-CN': 'k2', 'sip:en': 'k1' };
const recordText = (i: number) => JSON.stringify({ bodyStart: 100 + i, pieces: [[`h${(i * 31) % 997}`, i, 2 * i]] });

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function readBack(text: string): Promise<ReadPieceRecords | undefined> {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'codepairs-pieces-'));
  mkdirSync(join(dir, '.codepairs'));
  writeFileSync(join(dir, PIECE_RECORDS_PATH), text);
  return readPieceRecords(dir);
}

/** Every record of `read`, by path, as a map. */
const asMap = (read: ReadPieceRecords | undefined) => read && new Map(read.pages.paths.map((path) => [path, read.pages.get(path)!]));

const pagesOf = (count: number) => new Map(Array.from({ length: count }, (_, i) => [`${['en', 'zh-CN', 'pt-BR'][i % 3]}/sip/${100 + i}-vs-${300 - i}`, recordText(i)]));

describe('the piece records', () => {
  it('read back as written, plain paths and escaped ones', async () => {
    const plain = pagesOf(50);
    const read = await readBack(serializePieceRecords({ keys: KEYS, pages: plain }));
    expect(asMap(read)).toEqual(plain);
    expect(read?.keys).toEqual(KEYS);
    for (const [path, text] of plain) expect([read?.pages.has(path), read?.pages.get(path)]).toEqual([true, text]);
    expect([read?.pages.has('en/sip/999-vs-1000'), read?.pages.get('en/sip/999-vs-1000')]).toEqual([false, undefined]);
    const odd = new Map([...plain, ['en/sip/"quoted"\\name', recordText(99)], ['en/sip/a": {b', recordText(97)], ['ü/中文 page', recordText(98)]]);
    const oddRead = await readBack(serializePieceRecords({ keys: KEYS, pages: odd }));
    expect(asMap(oddRead)).toEqual(odd);
    for (const [path, text] of odd) expect(oddRead?.pages.get(path)).toBe(text);
    const none = await readBack(serializePieceRecords({ keys: KEYS, pages: new Map() }));
    expect(asMap(none)).toEqual(new Map());
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
      // Out of order (two lines swapped): the lines are looked up by halves.
      text.split('\n').map((line, i, all) => (i === 1 ? all[2] : i === 2 ? all[1] : line)).join('\n'),
    ];
    for (const damaged of broken) {
      expect(damaged).not.toBe(text);
      expect(await readBack(damaged), damaged.slice(0, 300)).toBeUndefined();
    }
  });
});

describe('the piece records read from their file', () => {
  // ~3.6 MB of records: more than the 1 MB read at a time (lines cut between two reads) and than
  // a chunk of lines written back (CHUNK_CHARS), some paths escaped, some not ASCII.
  const big = new Map([...pagesOf(6_000)].map(([path, text], i) => [i % 500 === 7 ? `${path}/"ü中"\\${i}` : path, text.replace('}', `,"pad":"${'é'.repeat(i % 400)}"}`)]));

  it('give every record and the file written back whole, whatever is asked, without holding the text', async () => {
    const text = serializePieceRecords({ keys: KEYS, pages: big });
    const read = await readBack(text);
    expect(read).toBeDefined();
    expect(asMap(read)).toEqual(big);
    // Nothing changed, one change in the middle, every tenth page removed: as written whole.
    expect([...updatedRecordsChunks(read!, KEYS, [])].join('')).toBe(text);
    const paths = sortedPaths(big.keys());
    const middle = paths[3_000]!;
    expect([...updatedRecordsChunks(read!, KEYS, [[middle, recordText(5)]])].join('')).toBe(serializePieceRecords({ keys: KEYS, pages: new Map([...big, [middle, recordText(5)]]) }));
    const removed = paths.filter((_, i) => i % 10 === 3);
    const chunks = [...updatedRecordsChunks(read!, KEYS, removed.map((path) => [path, undefined] as const))];
    expect(chunks.join('')).toBe(serializePieceRecords({ keys: KEYS, pages: new Map([...big].filter(([path]) => !removed.includes(path))) }));
    expect(chunks.length).toBeGreaterThan(2);
    // Closed, it is opened again when asked.
    read!.pages.close();
    expect(read!.pages.get(middle)).toBe(big.get(middle));
    read!.pages.close();
  });

  it('are an error when the file changed after it was read, never read as if it were the same', async () => {
    const read = await readBack(serializePieceRecords({ keys: KEYS, pages: pagesOf(20) }));
    const [first] = read!.pages.paths;
    // Another file at the path (as a build that replaced the output would leave it), of the same size.
    const file = join(dir!, PIECE_RECORDS_PATH);
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    writeFileSync(file, text.replace(recordText(0), recordText(0).replace('100', '9000')));
    expect(() => read!.pages.get(first!)).toThrow(/changed while the build used it/);
  });
});

describe('the piece records of pages rendered again', () => {
  // Paths that sort before, between and after each other, some of them escaped in JSON.
  const path = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((i) => `${['de', 'en', 'zh-TW'][i % 3]}/sip/${100 + i}-vs-${200 + i}`),
    fc.constantFrom('en/sip/"q"', 'en/sip/a\\b', 'en/sip/a": {b', 'ü/中文', 'a', 'zz'),
  );
  const records = fc.array(fc.tuple(path, fc.nat(999)), { maxLength: 30 }).map((pairs) => new Map(pairs.map(([p, i]) => [p, recordText(i)])));
  const changes = fc.array(fc.tuple(path, fc.option(fc.nat(999), { nil: undefined })), { maxLength: 12 }).map((pairs) => new Map(pairs.map(([p, i]) => [p, i === undefined ? undefined : recordText(i)])));

  it('written into the previous file give the file written whole: records replaced, removed and added', async () => {
    await fc.assert(
      fc.asyncProperty(records, changes, async (before, changed) => {
        const read = await readBack(serializePieceRecords({ keys: KEYS, pages: before }));
        expect(read).toBeDefined();
        const after = new Map(before);
        for (const [p, text] of changed) {
          if (text === undefined) after.delete(p);
          else after.set(p, text);
        }
        const keys = { ...KEYS, 'sip:ja': 'k3' };
        expect([...updatedRecordsChunks(read!, keys, sortedPaths(changed.keys()).map((p) => [p, changed.get(p)] as const))].join("")).toBe(serializePieceRecords({ keys, pages: after }));
        // The same from the records of a spill, given with the paths of the pages rendered again
        // (those without a record lose their line), in runs of a few records.
        const spill = new RecordSpill(join(dir!, 'spill'), 100);
        for (const [p, text] of changed) if (text !== undefined) spill.add([[p, text]]);
        const rendered = sortedPaths(changed.keys());
        expect([...updatedRecordsChunks(read!, keys, withRecords(rendered, spill.sorted()))].join('')).toBe(serializePieceRecords({ keys, pages: after }));
        expect(existsSync(join(dir!, 'spill'))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('merged with the pages rendered again: a record for a page not among them is an error, and the spill is gone all the same', () => {
    dir = mkdtempSync(join(tmpdir(), 'codepairs-spill-'));
    const spill = new RecordSpill(join(dir, 'spill'), 100);
    spill.add([...pagesOf(10)]);
    const paths = sortedPaths(pagesOf(10).keys());
    expect(() => [...withRecords(paths.slice(1), spill.sorted())]).toThrow(/not among the pages rendered/);
    expect(existsSync(join(dir, 'spill'))).toBe(false);
    const whole = new RecordSpill(join(dir, 'whole'), 100);
    whole.add([...pagesOf(10)].slice(0, 4));
    const merged = [...withRecords(paths, whole.sorted())];
    expect(merged.map(([path]) => path)).toEqual(paths);
    expect(merged.filter(([, record]) => record !== undefined)).toHaveLength(4);
  });
});

describe('piece records spilled to a file while render threads send them', () => {
  it('read back as added, in batches, whatever their paths, and the file is gone after', () => {
    dir = mkdtempSync(join(tmpdir(), 'codepairs-spill-'));
    const path = join(dir, 'spill');
    const spill = new RecordSpill(path);
    const pages = [...pagesOf(60), ['en/sip/"quoted"\tand\nbroken', recordText(7)], ['zh-CN/sip/一百', recordText(8)], ['"begins with a quote"', recordText(9)], ['en/sip/ends with one"', recordText(10)]] as Array<[string, string]>;
    for (let i = 0; i < pages.length; i += 25) spill.add(pages.slice(i, i + 25));
    spill.add([]);
    expect(existsSync(path)).toBe(true);
    expect(new Map(spill.sorted())).toEqual(new Map(pages));
    expect(existsSync(path)).toBe(false);
    expect(() => spill.add(pages.slice(0, 1))).toThrow(/already read/);
  });

  it('written as sorted runs and read back merged, in path order, as the records file lists them', () => {
    dir = mkdtempSync(join(tmpdir(), 'codepairs-spill-'));
    const pages = [...pagesOf(400), ['en/sip/"quoted"\tand\nbroken', recordText(7)], ['zh-CN/sip/一百', recordText(8)], ['zh-CN/sip/一百零一', 'x'.repeat(150_000)]] as Array<[string, string]>;
    // Runs of ~2,000 characters: dozens of them, a record longer than the 64 KB read at a time among them.
    const spill = new RecordSpill(join(dir, 'spill'), 2_000);
    for (let i = 0; i < pages.length; i += 25) spill.add(pages.slice(i, i + 25));
    spill.set('de/sip/late', recordText(9));
    const all = new Map([...pages, ['de/sip/late', recordText(9)] as [string, string]]);
    const sorted = [...spill.sorted()];
    expect(sorted.map(([path]) => path)).toEqual([...all.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Map(sorted)).toEqual(all);
    expect([...sortedRecordsChunks(KEYS, sorted)].join('')).toBe(serializePieceRecords({ keys: KEYS, pages: all }));
    expect(existsSync(join(dir, 'spill'))).toBe(false);

    // Left unfinished (a write of the records file failed), the file goes all the same.
    const stopped = new RecordSpill(join(dir, 'stopped'), 2_000);
    stopped.add(pages);
    const reading = stopped.sorted();
    reading.next();
    reading.return(undefined);
    expect(existsSync(join(dir, 'stopped'))).toBe(false);
  });

  it('removed unread, when the build fails', () => {
    dir = mkdtempSync(join(tmpdir(), 'codepairs-spill-'));
    const spill = new RecordSpill(join(dir, 'spill'));
    spill.add([...pagesOf(3)]);
    spill.remove();
    spill.remove();
    expect(existsSync(join(dir, 'spill'))).toBe(false);
  });
});
