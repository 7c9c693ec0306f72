/**
 * Lists of [path, value] sorted by path, in the order the build's state files list them (the
 * manifest, the piece records): the order of `<` on strings (UTF-16 code units), which is also
 * the default order of `sort()`. Sorting them, and merging two that are sorted.
 */

export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Paths sorted as the state files list them. */
export const sortedPaths = (paths: Iterable<string>): string[] => [...paths].sort(byText);

/** The entries of a map, sorted by path. */
export function* sortedEntries(entries: ReadonlyMap<string, string>): Generator<[string, string]> {
  for (const path of sortedPaths(entries.keys())) yield [path, entries.get(path)!];
}

/**
 * Two lists sorted by path merged into one, sorted, each path once: a path in both has the value
 * the second gives it (as a map set from the first, then the second, would).
 */
export function* mergedEntries(first: Iterable<readonly [string, string]>, second: Iterable<readonly [string, string]>): Generator<readonly [string, string]> {
  const a = first[Symbol.iterator]();
  const b = second[Symbol.iterator]();
  try {
    let x = a.next();
    let y = b.next();
    while (!x.done || !y.done) {
      if (y.done || (!x.done && x.value[0] < y.value[0])) {
        yield x.value;
        x = a.next();
      } else {
        if (!x.done && x.value[0] === y.value[0]) x = a.next();
        yield y.value;
        y = b.next();
      }
    }
  } finally {
    // Ends the reading of both (a spill's file is closed and removed then).
    a.return?.();
    b.return?.();
  }
}
