/**
 * What views compute once per language and code (or pair of codes) for the length of a build:
 * kept on the view context, so it lives and dies with the build.
 */

/** Memoize a per-language, per-code computation for the length of a build. */
export function cached<T>(ctx: { cache?: Map<string, unknown> }, key: string, make: () => T): T {
  ctx.cache ??= new Map();
  if (!ctx.cache.has(key)) ctx.cache.set(key, make());
  return ctx.cache.get(key) as T;
}
