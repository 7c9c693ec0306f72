/** Shared data shapes of the pipeline: catalog in, jobs planned, articles out. */

export interface StatusClass {
  digit: number;
  id: string;
  name: string;
  /** Codes of this class leave the exchange open: a final code still follows (default: false). */
  provisional?: boolean;
  /** Codes of this class report a failure: their "fix" section is titled so (default: true). */
  failure?: boolean;
}

/**
 * How a catalog declares one fact its codes carry (protocol.yaml, `facts:`). The kind says what
 * a code file holds; the rest says how two codes compare on it and how the pages phrase it,
 * always through locale keys under `facts.<id>`, `compare.<id>` and `shared.<id>`:
 *
 *   enum     one value of `values`. Cell: `facts.<id>.values.<value>`. Equal when the same value.
 *   set      one or more values of `values`; `any` names a wildcard value that stands alone for
 *            every value. Equal when the same set. Cell: the values (their labels
 *            `facts.<id>.values.<value>` with `labels: true`) listed with `join`, put into
 *            `facts.<id>.<wrap>` as `{{<wrap>}}` when `wrap` is set; the wildcard: `facts.<id>.any`.
 *   boolean  true or false. Cell: `facts.<id>.yes` / `facts.<id>.no`.
 *   list     free text items (may be empty). Equal when the same set. Cell: the items listed with
 *            `join`, or `facts.<id>.none` when empty.
 *
 * Difference sentences (`sentence`):
 *   each     one sentence per code, `facts.<id>.sentences.<value>` with `{{code}}` (enum only).
 *   pair     `compare.<id>` with `{{a}}`, `{{b}}`, `{{<id>A}}`, `{{<id>B}}` (the cells); when one
 *            side of a list is empty, `compare.<id>_onlyOne` with `{{with}}`, `{{without}}`, `{{<id>}}`.
 *   yesNo    `compare.<id>` with `{{yes}}` and `{{no}}`, the codes for which it holds and not (boolean only).
 *
 * Shared-facts sentence: a shared fact is an item `shared.item` ("aspect (value)"), a boolean one
 * `shared.<id>_yes` / `shared.<id>_no`; an empty list is left out, and so is the fact with `shared: false`.
 */
export interface FactSchema {
  kind: 'enum' | 'set' | 'boolean' | 'list';
  /** The vocabulary of an enum or a set. */
  values?: string[];
  /** A set's wildcard value, e.g. "any". */
  any?: string;
  /** Set: show each value's label `facts.<id>.values.<value>` rather than the value itself. */
  labels?: boolean;
  /** Set, list: how a cell lists several values. */
  join?: 'and' | 'or';
  /** Set: the listed values go into `facts.<id>.<wrap>` as the variable `{{<wrap>}}`. */
  wrap?: string;
  sentence: 'each' | 'pair' | 'yesNo';
  /** Whether the shared-facts sentence names the fact when both codes agree (default: true). */
  shared?: boolean;
}

/** A share of the relevance score: `weight` when two codes have the same value of a fact, or overlap in it. */
export interface RelevanceRule {
  fact: string;
  when: 'same' | 'overlap';
  weight: number;
}

export interface Protocol {
  id: string;
  name: string;
  title: string;
  registry: string;
  classes: StatusClass[];
  /** The facts every code carries, in the order tables and sentences show them. */
  facts: Record<string, FactSchema>;
  /** Shares of the relevance score given by facts, added in this order (see src/compare/relevance.ts). */
  relevance: RelevanceRule[];
  /**
   * A provisional and a final code that overlap in this fact are not alternatives but may follow
   * one another in one exchange (locale key `choose.sequence`). Optional.
   */
  sequence?: string;
  /**
   * Provisional codes after which no final code of this protocol follows in the exchange, so
   * `sequence` never pairs them (HTTP's 101: the connection then speaks another protocol).
   */
  sequenceExcept?: number[];
  /**
   * The fact that says what a receiver of a code does (an enum fact with a sentence per value):
   * pair pages say it under "Which to use when", for each code where the two differ, else once
   * for both (locale keys `facts.<fact>.sentences.<value>` and `facts.<fact>.both.<value>`). Optional.
   */
  receiver?: string;
  /** Registered codes listed as reserved, without an article (a temporary registration, say). */
  reserved?: number[];
  /** Registered codes the registry marks unused: no code file, no article. */
  unused?: number[];
  /** Present when every code carries an example exchange and message (see protocol.yaml). */
  example?: ExampleSchema;
}

/** The vocabulary of the codes' examples. */
export interface ExampleSchema {
  /** The start of every example response's status line, e.g. "SIP/2.0". */
  version: string;
  /** Party ids, in the order diagrams draw their lifelines. */
  parties: string[];
  /** The set fact whose values (the wildcard left out) name the requests of an exchange. */
  methods: string;
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

/** A code's facts, as its protocol declares them: a value, a list of values or a flag per fact id. */
export type FactValue = string | string[] | boolean;
export type CodeFacts = Record<string, FactValue>;

export interface Lifecycle {
  /** `obsoleted`: the registry marks the code so (its specification moved to Historic, say). */
  status: 'active' | 'deprecated' | 'obsoleted';
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
  /**
   * `member`: the code is only ever the status of a member inside a multi-status body (HTTP 208,
   * inside a 207 response), never the status of a response. Otherwise its class says whether it
   * is provisional or final.
   */
  finality?: 'member';
  lifecycle: Lifecycle;
  aliases: string[];
  facts: CodeFacts;
  related: number[];
  text: Record<TextField, string>;
  /** A typical exchange and an example response; present when the protocol declares examples. */
  example?: CodeExample;
  /**
   * Codes of other protocols the code page links, each with the document that relates them
   * (never guessed: only what the code file says). Linked when the build holds that protocol.
   */
  seeAlso?: SeeAlso[];
  /** Class id derived from the first digit, e.g. "provisional". */
  classId: string;
  /** Source file, relative to the project root. */
  file: string;
}

/** A code of another protocol that corresponds to this one, and where that is stated. */
export interface SeeAlso {
  protocol: string;
  code: number;
  /** The document that states the correspondence ("RFC3261") and its section. */
  source: string;
  section: string;
  /** Where the entry is in the code file, for messages about it (a function: JSON of a code leaves it out). */
  placeOf: () => { line: number; column: number };
}

/**
 * The English text fields of a curated pair, in the order pages show them; each is a translation
 * unit `confusable.<low>-<high>.<field>`. `why` and `guidance` are required, `practice` optional.
 */
export const CONFUSABLE_TEXT_FIELDS = ['why', 'guidance', 'practice'] as const;
export type ConfusableTextField = (typeof CONFUSABLE_TEXT_FIELDS)[number];

/** The text fields a curated pair has, in CONFUSABLE_TEXT_FIELDS order (its English resources). */
export const confusableTexts = (entry: ConfusablePair): Partial<Record<ConfusableTextField, string>> =>
  Object.fromEntries(CONFUSABLE_TEXT_FIELDS.flatMap((field) => (entry[field] !== undefined ? [[field, entry[field]]] : [])));

/** A curated pair of codes that readers often mix up (data/<protocol>/confusable.yaml). */
export interface ConfusablePair {
  /** The two codes, lowest first. */
  pair: [number, number];
  /** One English sentence: why readers confuse them. */
  why: string;
  /** Two to four English sentences: the deciding test, what a receiver does differently. */
  guidance: string;
  /**
   * Optional: two to four English sentences on a concrete case, what a reader sees in a trace, a
   * log or a browser when one of the two turns up, and how to tell which one it is.
   */
  practice?: string;
}

export interface Catalog {
  protocol: Protocol;
  codes: StatusCode[];
  /** Curated confusable pairs, in file order (empty when the catalog has no confusable.yaml). */
  confusable: ConfusablePair[];
  /** The protocol's `reserved` codes with their registry names (the registry's remarks in parentheses left out). */
  reserved: Array<{ code: number; reason: string }>;
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
  /** Joins a list of two items in running text ("AとB") where Intl.ListFormat gives "A、B". */
  pairConjunction?: string;
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
  codes: readonly number[];
}

export interface Article {
  job: Job;
  markdown: string;
  html: string;
  /** Other files the page brings, written once by the page that owns them (a code page's diagram). */
  files?: Array<{ path: string; content: string }>;
  /** For a pair, the HTML page at the reversed URL (`439-vs-183`) that leads to this one. */
  redirect?: { path: string; html: string };
  /** Where each piece of the page is in its files (see PageRecord). */
  record?: PageRecord;
}

/**
 * The pieces of a page's Markdown and HTML (src/render/processors.ts): where the body starts in
 * the HTML file, and each piece's hash and lengths. The next build takes a piece that did not
 * change from the files instead of processing it again (src/emit/piece-records.ts).
 */
export interface PageRecord {
  bodyStart: number;
  pieces: PieceRecord[];
}

/**
 * A piece's place in a page's outputs: a hash of its text, and the lengths of its Markdown and
 * its HTML (each output is its pieces' outputs joined by line breaks, empty ones left out).
 */
export type PieceRecord = [hash: string, markdown: number, body: number];

export interface BuildOptions {
  /** Project folder holding data/, locales/ and templates/. */
  root: string;
  /**
   * A catalog folder to build instead of the project's data/sip (protocol.yaml, codes/,
   * locales/<lang>/<protocol>.json): absolute path. Only the languages it has locales for are built.
   */
  catalog?: string;
  /**
   * Several catalog folders built into one site (absolute paths; `catalogs` in
   * codepairs.config.json): each protocol's pages under `<lang>/<protocol>/`, its index at
   * `<lang>/<protocol>/index`, and a home page per language listing them. Overrides `catalog`.
   */
  catalogs?: string[];
  outDir: string;
  langs?: string[];
  baseUrl?: string;
  /** Render threads; 1 renders on the main thread. Default: the number of cores, at most 8. */
  jobs?: number;
  /**
   * The heap limit of a render thread in MB, in place of the one made from its number of pages
   * (see renderThreadLimits in src/build.ts). Tests give a small one to see a thread run out.
   */
  threadHeapMb?: number;
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
