/**
 * Lines kept on disk as they come, in streams that are read back whole in the order asked for:
 * the knowledge-base export's JSON lines, one stream per language and thread share, so that no
 * thread holds the export (the shipped project's is ~200 MB of JSON). Lines are buffered in
 * memory up to BUFFER_CHARS a stream, then appended to the stream's file in a temporary folder,
 * which `remove` deletes.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUFFER_CHARS = 1 << 18;

export class LineSpill {
  private readonly dir = mkdtempSync(join(tmpdir(), 'codepairs-lines-'));
  private readonly buffers = new Map<string, { lines: string[]; chars: number; file: string }>();

  /** Add a line (without its line break) to the stream `stream`. */
  add(stream: string, line: string): void {
    let buffer = this.buffers.get(stream);
    if (!buffer) this.buffers.set(stream, (buffer = { lines: [], chars: 0, file: join(this.dir, String(this.buffers.size)) }));
    buffer.lines.push(line);
    buffer.chars += line.length + 1;
    if (buffer.chars >= BUFFER_CHARS) this.write(buffer);
  }

  /** The text of each stream in `streams`, in that order, each line ended by a line break (a stream with no line gives nothing). */
  *text(streams: Iterable<string>): Iterable<string> {
    for (const stream of streams) {
      const buffer = this.buffers.get(stream);
      if (!buffer) continue;
      this.write(buffer);
      if (existsSync(buffer.file)) yield readFileSync(buffer.file, 'utf8');
    }
  }

  /** The path of a file of another name in the temporary folder (removed with it). */
  file(name: string): string {
    return join(this.dir, `${name}.spill`);
  }

  /** Delete the files. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private write(buffer: { lines: string[]; chars: number; file: string }): void {
    if (!buffer.lines.length) return;
    appendFileSync(buffer.file, `${buffer.lines.join('\n')}\n`);
    buffer.lines = [];
    buffer.chars = 0;
  }
}
