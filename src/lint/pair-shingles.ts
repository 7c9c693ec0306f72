/**
 * A language's pair pages' shingle sets, as the similarity rules need them once every page was
 * read: a set back by its page's number (the exact similarity of a page and its most similar
 * candidate), and how many shingles of each page no other page has (the thin-page rule).
 *
 * A thread held the sets of all the pair pages of the language it read: ~3.3 KB a page, ~150 MB
 * for the 44,850 pages of a 300-code catalog. Each set is now written to a temporary file as it
 * comes (in writes of up to 1 MB) and read back when asked for; what the thin-page rule needs is
 * counted as the sets come: the page each shingle was met on while it was met on one only.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WRITE_BYTES = 1 << 20;
/** An owner that is no page: the shingle was met on two pages or more. */
const SHARED = -1;

export class PairShingles {
  readonly #dir = mkdtempSync(join(tmpdir(), 'codepairs-shingles-'));
  readonly #fd = openSync(join(this.#dir, 'sets'), 'w+');
  /** Each page's set: where it starts in the file, in bytes, and its number of shingles. */
  readonly #starts: number[] = [];
  readonly #sizes: number[] = [];
  #written = 0;
  #pending: Uint32Array[] = [];
  #pendingBytes = 0;
  /** Shingle → the page it was met on, or SHARED. */
  readonly #owners = new Map<number, number>();

  /** Add the next page's set (sorted, distinct shingles): it is page `count - 1` then. */
  add(set: Uint32Array): void {
    const page = this.#sizes.length;
    this.#starts.push(this.#written + this.#pendingBytes);
    this.#sizes.push(set.length);
    for (const shingle of set) {
      const owner = this.#owners.get(shingle);
      if (owner === undefined) this.#owners.set(shingle, page);
      else if (owner !== SHARED) this.#owners.set(shingle, SHARED);
    }
    this.#pending.push(set);
    this.#pendingBytes += set.byteLength;
    if (this.#pendingBytes >= WRITE_BYTES) this.#flush();
  }

  /** The number of shingles of page `page`. */
  size(page: number): number {
    return this.#sizes[page]!;
  }

  /** The set of page `page`, as it was added. */
  get(page: number): Uint32Array {
    this.#flush();
    const set = new Uint32Array(this.#sizes[page]!);
    if (set.byteLength) readSync(this.#fd, set, 0, set.byteLength, this.#starts[page]!);
    return set;
  }

  /** For each page, how many of its shingles no other page has. */
  own(): Uint32Array {
    const own = new Uint32Array(this.#sizes.length);
    for (const owner of this.#owners.values()) if (owner !== SHARED) own[owner]!++;
    return own;
  }

  /** Delete the file. */
  remove(): void {
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #flush(): void {
    for (const set of this.#pending) {
      if (set.byteLength) writeSync(this.#fd, set, 0, set.byteLength, this.#written);
      this.#written += set.byteLength;
    }
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
