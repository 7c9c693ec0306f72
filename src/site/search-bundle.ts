/**
 * Where the search index is in the output: `pagefind/`, a bundle per language in
 * `pagefind/<lang>/` (written by src/emit/search-index.ts, searched from the language's home page).
 */
export const SEARCH_DIR = 'pagefind';

/** Where a language's search bundle is in the output. */
export const searchBundle = (lang: string): string => `${SEARCH_DIR}/${lang}`;
