/**
 * Incremental builds, the pure part: what each page is made from, as one hash per page.
 *
 * A page's hash covers exactly the inputs its bytes can depend on, so an unchanged hash means an
 * unchanged page and the build can keep the file it wrote before (see src/emit/build-manifest.ts).
 * The inputs are cut into slices, each hashed once per build, and a page hashes the slices it
 * reads:
 *
 * - every page: the site (languages with their names and typography, the protocol, the base URL),
 *   its own template with the partials and the HTML layout, and the resources of its language
 *   without the per-code and per-pair texts ("labels": section titles, sentences, the layout's
 *   words). A page never reads another language's resources: English shown for a stale or
 *   missing unit is already in the language's resources (src/translations/fallback.ts).
 * - a pair article (a, b): all data of a and b (facts, reason, text, related …), their texts in
 *   the language, whether the pair is curated and its curated text, the reason and gloss of
 *   every related code it links to, and the heading ids its two code sections get.
 * - a code page and the index: the data of the code (a code page), its texts, and every code's
 *   heading (number, reason, gloss) and relations (class, facts, related, lifecycle, the curated
 *   pairs), because their lists link to every code in order of relevance.
 *
 * So editing a code's English text changes its code page and its pair articles in every language
 * (the translations shown next to it are then stale, shown in English), and nothing else; a fact
 * or reason also reorders or relabels every code page and index. A wrong slice would skip a page
 * that changed, so slices err on the side of too much. Fallback marks are hashed without the
 * number they carry (which depends on every other stale unit of the build): a mark names the unit
 * of the value it sits in, so its position in the resources already says which unit it is.
 *
 * A build records every slice's hash (InputHashes.slices) in its manifest. The next build of the
 * same pages compares them first and hashes only the pages that read a slice that changed
 * (changedPages, which must read the slices parts() reads); the others keep their recorded hash.
 */
import { sha256 } from '../hash.js';
import { unnumberedMarks } from '../translations/fallback.js';
import type { Catalog, Job, Language, PageKind, Resources, StatusCode } from '../types.js';

/** Bump when the hashing scheme changes: every page is then rebuilt. */
export const INPUT_HASH_SCHEME = 2;

/** JSON of a value with every fallback start mark made the same (see above). */
const stable = (value: unknown): string => unnumberedMarks(JSON.stringify(value) ?? 'undefined');

export interface HashInputs {
  catalog: Catalog;
  languages: Language[];
  /** The resources the renderer uses: English fallbacks already in place. */
  resources: Resources;
  templates: { pages: Record<string, string>; partials: Record<string, string> };
  baseUrl: string | undefined;
  /** Build settings that change what pages say (JSON-serializable), hashed into every page. */
  settings: Record<string, unknown>;
  /**
   * The key of the heading of `code`'s section on pages of `lang` (`code-183`, unless another
   * heading of the language has the same text): computed by the renderer, which owns headings.
   */
  headingKey: (lang: string, code: StatusCode) => string;
}

export interface InputHashes {
  /** The hash of everything the page of `job` is made from, as hex (made once a build). */
  page(job: Job): string;
  /** The hash of the page of `job`, as `page` gives it, but not kept (a full build hashes each page once, as it gives it out to a render thread). */
  once(job: Job): string;
  /** Take the hash of the page at `path` as already made (a render thread is given those of its pages). */
  know(path: string, hash: string): void;
  /** Forget the hashes of the pages made or known so far (a render thread keeps those of the batch it renders, not of every page it was given). */
  forgetPages(): void;
  /**
   * Every slice the pages of `languages` read, by key (`in-pair:de:183`), with its hash: a build
   * records them, and the next one tells from them which pages read a slice that changed
   * (changedPages) instead of hashing every page.
   */
  slices(languages: readonly string[]): Record<string, string>;
}

export function inputHashes(inputs: HashInputs): InputHashes {
  const { catalog, resources } = inputs;
  const protocol = catalog.protocol.id;
  const byCode = new Map(catalog.codes.map((c) => [c.code, c]));
  const memo = new Map<string, string>();
  const once = (key: string, make: () => string): string => {
    let value = memo.get(key);
    if (value === undefined) {
      value = make();
      memo.set(key, value);
    }
    return value;
  };

  const site = once('site', () => sha256(stable([INPUT_HASH_SCHEME, inputs.languages, catalog.protocol, inputs.baseUrl ?? null, inputs.settings])));
  const partials = Object.keys(inputs.templates.partials).sort().map((name) => [name, inputs.templates.partials[name]]);
  const template = (kind: PageKind) =>
    once(`template:${kind}`, () => sha256(stable([inputs.templates.pages[`${kind}.md`] ?? null, inputs.templates.pages['layout.html'] ?? null, partials])));

  const protoOf = (lang: string) => (resources[lang]?.[protocol] ?? {}) as Record<string, unknown>;
  const textsOf = (lang: string, group: 'codes' | 'confusable') => (protoOf(lang)[group] ?? {}) as Record<string, unknown>;
  /** The language's resources without the texts of codes and curated pairs. */
  const labels = (lang: string) =>
    once(`labels:${lang}`, () => {
      const { codes: _codes, confusable: _confusable, ...proto } = protoOf(lang);
      return sha256(stable({ ...resources[lang], [protocol]: proto }));
    });
  const gloss = (lang: string, code: number) => (textsOf(lang, 'codes')[code] as Record<string, unknown> | undefined)?.gloss ?? null;
  const codeData = (code: number) => once(`code:${code}`, () => sha256(stable(byCode.get(code))));
  const codeTexts = (lang: string, code: number) => once(`texts:${lang}:${code}`, () => sha256(stable(textsOf(lang, 'codes')[code] ?? null)));
  const headings = (lang: string) => once(`headings:${lang}`, () => sha256(stable(catalog.codes.map((c) => [c.code, c.reason, gloss(lang, c.code)]))));
  const relations = once('relations', () =>
    sha256(stable([catalog.codes.map((c) => [c.code, c.classId, c.finality ?? null, c.facts, c.related, c.lifecycle]), catalog.confusable.map((e) => e.pair)])),
  );
  const curated = new Set(catalog.confusable.map((e) => `${e.pair[0]}-${e.pair[1]}`));
  const curatedText = (lang: string, key: string) => sha256(stable(textsOf(lang, 'confusable')[key] ?? null));

  /** What every page of a kind and language starts with. */
  const common = (kind: PageKind, lang: string) => once(`common:${kind}:${lang}`, () => [kind, site, template(kind), labels(lang)].join('\n'));
  /**
   * A code on a pair article of `lang`: all its data, its texts in the language, the id its
   * heading gets, and the reason and gloss of every related code it links to (the article links
   * the related codes of both). A pair article hashes two of these and its own few parts.
   */
  const inPair = (lang: string, code: StatusCode) =>
    once(`in-pair:${lang}:${code.code}`, () => {
      const links = code.related.map((c) => stable([c, byCode.get(c)?.reason ?? null, gloss(lang, c)]));
      return sha256([codeData(code.code), codeTexts(lang, code.code), inputs.headingKey(lang, code), ...links].join('\n'));
    });

  function parts(job: Job): string[] {
    const { lang } = job;
    const start = [common(job.kind, lang), job.path];
    if (job.kind === 'pair') {
      const [a, b] = job.codes.map((c) => byCode.get(c)!) as [StatusCode, StatusCode];
      const key = `${a.code}-${b.code}`;
      return [...start, inPair(lang, a), inPair(lang, b), curated.has(key) ? curatedText(lang, key) : 'not curated'];
    }
    const lists = [headings(lang), relations];
    if (job.kind === 'code') return [...start, ...lists, codeData(job.codes[0]!), codeTexts(lang, job.codes[0]!)];
    return [...start, ...lists];
  }

  // The build hashes every page to decide what to render, and the front matter of a page
  // rendered shows its hash again.
  const pages = new Map<string, string>();
  return {
    page(job) {
      let hash = pages.get(job.path);
      if (hash === undefined) pages.set(job.path, (hash = sha256(parts(job).join('\n'))));
      return hash;
    },
    once: (job) => pages.get(job.path) ?? sha256(parts(job).join('\n')),
    know: (path, hash) => void pages.set(path, hash),
    forgetPages: () => pages.clear(),
    // The slices of parts(), under the keys changedPages reads.
    slices(languages) {
      const slices: Record<string, string> = { relations };
      for (const code of catalog.codes) slices[`code:${code.code}`] = codeData(code.code);
      for (const lang of languages) {
        for (const kind of PAGE_KINDS) slices[`common:${kind}:${lang}`] = common(kind, lang);
        slices[`headings:${lang}`] = headings(lang);
        for (const code of catalog.codes) {
          slices[`in-pair:${lang}:${code.code}`] = inPair(lang, code);
          slices[`texts:${lang}:${code.code}`] = codeTexts(lang, code.code);
        }
        for (const key of curated) slices[`curated:${lang}:${key}`] = curatedText(lang, key);
      }
      return slices;
    },
  };
}

const PAGE_KINDS: readonly PageKind[] = ['pair', 'code', 'index'];

/**
 * Whether the page of a job may have changed since the build that recorded the slices `before`
 * (InputHashes.slices), given this build's `now`: true when a slice it reads (as parts() reads
 * them) is not as it was, or was not recorded. A page for which it is false has the hash that
 * build recorded for it, provided that build made the same pages. Costs a few look-ups a page,
 * against hashing each (~2.6 µs a page, 28,510 pages for ten languages of SIP).
 */
export function changedPages(before: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): (job: Job) => boolean {
  const changed = changedSlices(before, now);
  const none = new Set<string>();
  const of = (kind: string) => changed.get(kind) ?? none;
  const [common, inPair, curatedPairs, headings, code, texts] = ['common', 'in-pair', 'curated', 'headings', 'code', 'texts'].map(of) as [Set<string>, Set<string>, Set<string>, Set<string>, Set<string>, Set<string>];
  const relations = changed.has('relations');
  // A key of two parts (`de:183`, `pair:de`) is made only when a slice of the kind changed: most jobs make no string.
  const has = (set: Set<string>, first: string, second: number | string) => set.size > 0 && set.has(`${first}:${second}`);
  return (job) => {
    const { lang } = job;
    if (has(common, job.kind, lang)) return true;
    if (job.kind === 'pair') {
      const [a, b] = job.codes as [number, number];
      return has(inPair, lang, a) || has(inPair, lang, b) || has(curatedPairs, lang, `${a}-${b}`);
    }
    if (relations || headings.has(lang)) return true;
    return job.kind === 'code' && (code.has(String(job.codes[0])) || has(texts, lang, job.codes[0]!));
  };
}

/**
 * Whether a slice every page of a kind and language reads (`common:pair:de`: the site, the
 * template, the labels) is not as it was: the settings, the layout or the languages may have
 * changed which files a page writes, not only its bytes.
 */
export function commonChanged(before: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): boolean {
  return changedSlices(before, now).has('common');
}

/** The keys whose hash differs (or that only one side has), by kind of slice: `common:pair:de` → common, [`pair:de`]. */
function changedSlices(before: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): Map<string, Set<string>> {
  const changed = new Map<string, Set<string>>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    if (before[key] === now[key]) continue;
    const colon = key.indexOf(':');
    const kind = colon < 0 ? key : key.slice(0, colon);
    if (!changed.has(kind)) changed.set(kind, new Set());
    changed.get(kind)!.add(colon < 0 ? '' : key.slice(colon + 1));
  }
  return changed;
}
