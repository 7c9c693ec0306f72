/**
 * LineSpill (src/emit/line-spill.ts): the export's JSON lines kept on disk as they come, read back
 * stream by stream in the order asked for, whatever was buffered and whatever already written.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineSpill } from '../src/emit/line-spill.js';

describe('LineSpill', () => {
  it('gives each stream its lines in order, streams in the order asked for, across buffer writes', () => {
    const spill = new LineSpill();
    const expected = new Map<string, string[]>([['en\t0', []], ['en\t1', []], ['ja\t0', []]]);
    // Lines of ~1 KB, interleaved between streams: each stream's buffer is written several times.
    for (let i = 0; i < 1500; i++) {
      const stream = [...expected.keys()][i % 3]!;
      const line = `{"n":${i},"text":"${'é語'.repeat(300)}"}`;
      spill.add(stream, line);
      expected.get(stream)!.push(line);
    }
    const text = (streams: string[]) => [...spill.text(streams)].join('');
    const lines = (streams: string[]) => streams.flatMap((s) => expected.get(s)!).map((l) => `${l}\n`).join('');
    expect(text(['en\t0', 'en\t1'])).toBe(lines(['en\t0', 'en\t1']));
    expect(text(['ja\t0'])).toBe(lines(['ja\t0']));
    // A stream with no line gives nothing; a stream read twice gives the same text.
    expect(text(['ko\t0'])).toBe('');
    expect(text(['en\t1', 'en\t0'])).toBe(lines(['en\t1', 'en\t0']));
    const dir = (spill as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    spill.remove();
    expect(existsSync(dir)).toBe(false);
  });
});
