/**
 * What views compute once per language and code (or pair of codes) for the length of a build:
 * kept on the view context, so it lives and dies with the build.
 */

/** Memoize a per-language, per-code computation for the length of a build. */
export function cached<T>(ctx: { cache?: Map<string, unknown> }, key: string, make: () => T): T {
  const cache = (ctx.cache ??= new Map());
  // One lookup when the value is there (dozens a page); a second only for a value made undefined.
  let value = cache.get(key) as T | undefined;
  if (value === undefined && !cache.has(key)) {
    value = make();
    cache.set(key, value);
  }
  return value as T;
}
