/**
 * Large texts written a piece at a time: the build's state files (the manifest, the piece
 * records) have a line per file or page, 22 MB and 54 MB for a 300-code catalog of two
 * languages. Made whole, each was in memory up to three times at once (its lines, the lines
 * joined, the bytes written), at the end of the build: the main thread's heap went from ~150 MB
 * to ~360 MB there, the largest of the whole build.
 */

/** About how many characters a chunk holds (the lines are not cut). */
export const CHUNK_CHARS = 1 << 20;

/** `pieces` joined into chunks of about `size` characters, in order. */
export function* inChunks(pieces: Iterable<string>, size = CHUNK_CHARS): Generator<string> {
  let chunk: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    chunk.push(piece);
    length += piece.length;
    if (length >= size) {
      yield chunk.join('');
      chunk = [];
      length = 0;
    }
  }
  if (chunk.length) yield chunk.join('');
}

/** `pieces` with `separator` between them, in chunks (see inChunks). */
export function joinedChunks(pieces: Iterable<string>, separator: string, size = CHUNK_CHARS): Generator<string> {
  function* separated(): Generator<string> {
    let first = true;
    for (const piece of pieces) {
      yield first ? piece : `${separator}${piece}`;
      first = false;
    }
  }
  return inChunks(separated(), size);
}
