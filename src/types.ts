/** Shared data shapes of the pipeline: catalog in, jobs planned, articles out. */

export interface StatusClass {
  digit: number;
  id: string;
  name: string;
}

export interface FactSchema {
  /** Allowed values of an enumerated or list fact; absent for free lists and booleans. */
  values?: string[];
  type?: 'boolean' | 'list';
}

export interface Protocol {
  id: string;
  name: string;
  title: string;
  registry: string;
  classes: StatusClass[];
  facts: Record<string, FactSchema>;
  /** Present when every code carries an example exchange and message (see protocol.yaml). */
  example?: ExampleSchema;
}

/** The vocabulary of the codes' examples. */
export interface ExampleSchema {
  /** The start of every example response's status line, e.g. "SIP/2.0". */
  version: string;
  /** Party ids, in the order diagrams draw their lifelines. */
  parties: string[];
}

/** One message of an example exchange: a request method or a response ("183 Session Progress"). */
export interface ExchangeStep {
  from: string;
  to: string;
  message: string;
}

export interface CodeExample {
  /** The messages around the code, in order; at least one is this code's response. */
  exchange: ExchangeStep[];
  /** The example response, LF line ends (CRLF on the wire), ending in a line break. */
  message: string;
}

export interface CodeFacts {
  senders: string[];
  requests: string[];
  dialog: string;
  sdp: boolean;
  headers: string[];
  retry: string;
}

export interface Lifecycle {
  status: 'active' | 'deprecated';
  by?: string;
  note?: string;
}

/** The English text fields every code carries; translations carry the same keys. */
export const TEXT_FIELDS = ['description', 'when', 'fix', 'use'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface StatusCode {
  code: number;
  reason: string;
  reference: string;
  section: string;
  lifecycle: Lifecycle;
  aliases: string[];
  facts: CodeFacts;
  related: number[];
  text: Record<TextField, string>;
  /** A typical exchange and an example response; present when the protocol declares examples. */
  example?: CodeExample;
  /** Class id derived from the first digit, e.g. "provisional". */
  classId: string;
  /** Source file, relative to the project root. */
  file: string;
}

/** A curated pair of codes that readers often mix up (data/<protocol>/confusable.yaml). */
export interface ConfusablePair {
  /** The two codes, lowest first. */
  pair: [number, number];
  /** One English sentence: why readers confuse them. */
  why: string;
  /** Two to four English sentences: the deciding test, what a receiver does differently. */
  guidance: string;
}

export interface Catalog {
  protocol: Protocol;
  codes: StatusCode[];
  /** Curated confusable pairs, in file order (empty when the catalog has no confusable.yaml). */
  confusable: ConfusablePair[];
}

export interface Language {
  /** BCP 47 tag, also the folder name under locales/ and out/. */
  tag: string;
  /** The language's name in that language, for the language switcher. */
  name: string;
  /** Put a space between Han characters and Latin letters or digits (Simplified Chinese style). */
  cjkLatinSpacing?: boolean;
  /** Non-breaking spaces before « : ; ! ? » and inside « » (French style). */
  frenchSpacing?: boolean;
}

/** i18next resources: language → namespace → nested keys. */
export type Resources = Record<string, Record<string, unknown>>;

export interface Inputs {
  catalog: Catalog;
  languages: Language[];
  resources: Resources;
  templates: Record<string, string>;
  stylesheet: string;
}

export type PageKind = 'pair' | 'code' | 'index';

/** One page to write in one language, decided before anything renders. */
export interface Job {
  kind: PageKind;
  lang: string;
  /** Language-independent id shared by every translation of the page. */
  translationKey: string;
  /** Path relative to the output root without extension, e.g. "zh-CN/sip/183-vs-439". */
  path: string;
  codes: number[];
}

export interface Article {
  job: Job;
  markdown: string;
  html: string;
  /** Other files the page brings, written once by the page that owns them (a code page's diagram). */
  files?: Array<{ path: string; content: string }>;
  /** For a pair, the HTML page at the reversed URL (`439-vs-183`) that leads to this one. */
  redirect?: { path: string; html: string };
}

export interface BuildOptions {
  /** Project folder holding data/, locales/ and templates/. */
  root: string;
  outDir: string;
  langs?: string[];
  baseUrl?: string;
  /** Render threads; 1 renders on the main thread. Default: the number of cores, at most 8. */
  jobs?: number;
  /** Stale and missing translations fail the build instead of showing English. */
  strict?: boolean;
  /** Markdown shows call-flow diagrams as SVG images (default) or as Mermaid sequence diagrams. */
  diagrams?: 'svg' | 'mermaid';
  /** Build only shard `index` (1-based) of `count`: a contiguous 1/count of the planned pages. */
  shard?: Shard;
  /** Write the Pagefind full-text search index and show a search box on the home pages (default: off here; the CLI turns it on unless --no-search). Never with `shard`. */
  search?: boolean;
  /** Pair pages with a relevance below this get `noindex` and stay out of the sitemap (default: none). */
  noindexBelow?: number;
  /** Render every page, ignoring the manifest of the previous build (see src/emit/build-manifest.ts). */
  force?: boolean;
  /** Output layout: `plain` (default, codepairs' own site) or a portal's (src/layouts). */
  layout?: import('./layouts/types.js').LayoutName;
  onProgress?: (done: number, total: number) => void;
}

/** One of `count` deterministic parts of a build's pages (see planShard in src/plan/shard.ts). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Time spent per stage of a build, in milliseconds. `load`, `plan`, `commit` and `total` are
 * wall time of the main thread. `render`, `markdown` and `write` are thread time summed over the
 * threads that render (the main thread, or every worker), so with workers they can add up to
 * more than `total`; `workerLoad` is the inputs each worker loads again, summed.
 */
export interface StageTimings {
  load: number;
  plan: number;
  workerLoad: number;
  /** Filling the Handlebars templates (Markdown source) and the HTML layout. */
  render: number;
  /** unified: Markdown parse, typography, normalized Markdown and sanitized HTML out. */
  markdown: number;
  /** Waiting for page writes into the staging folder. */
  write: number;
  /**
   * Incremental builds: hashing every page's inputs, reading the previous manifest and carrying
   * unchanged files over into the staging folder (or, for a no-op, checking they are there).
   */
  keep: number;
  /** Stylesheet, root page, site files, last writes and the swap of the staging folder into place (search indexing excluded). */
  commit: number;
  /** Pagefind indexing the staging folder (0 without search). */
  search: number;
  total: number;
  /** Threads that rendered pages (1: the main thread; 0: nothing was rendered, a no-op). */
  threads: number;
}

/** Accumulators for the per-page stages of StageTimings, filled while rendering. */
export interface RenderTimings {
  render: number;
  markdown: number;
  write: number;
}
