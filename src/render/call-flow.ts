/**
 * What pages show of a code's example: its call-flow diagram (an SVG file beside the pages of
 * the language), the same steps as a table, and the example message. Only what the catalog says:
 * the parties come from the protocol's example vocabulary, their labels from
 * `<protocol>:ladder.parties.<id>`, and messages stay protocol tokens. No disk I/O.
 */
import { posix } from 'node:path';
import type { CodeExample, ExampleSchema, StatusCode } from '../types.js';
import { stripFallbackMarks } from '../translations/fallback.js';
import { translator } from './i18n.js';
import { ladderMermaid } from './ladder-mermaid.js';
import { ladderSvg, type Ladder } from './ladder-svg.js';
import { escapeMarkdown, formatList, listStyleOf } from './markdown-text.js';
import { cached } from './view-cache.js';
import type { ViewContext } from './views.js';

/** Where a code's diagram goes, relative to the folder of the language's protocol pages. */
export const diagramPath = (code: number): string => `diagrams/${code}.svg`;

export interface CallFlowView {
  /** Alt text of the image (escaped for Markdown). */
  alt: string;
  /** The diagram, relative to the page. */
  src: string;
  /** "The call flow for 183 Session Progress, step by step:" (escaped for Markdown). */
  intro: string;
  /** The steps as a table for the facts-table partial. */
  table: { head: string[]; rows: Array<{ label: string; cells: string[] }> };
  /**
   * Not printed: the texts the diagram file and the alt text show, as translated (with the
   * marks of English shown for a stale or missing translation), so that the page lists those
   * units as shown in English. The alt text and the SVG cannot carry the marks themselves.
   */
  shown: string[];
}

export interface CallFlow {
  view: CallFlowView;
  /** The example response, as written in the catalog (LF line ends). */
  message: string;
  /** The diagram (drawn when first read). */
  readonly svg: string;
  /** The same diagram as a Mermaid sequence diagram (for `--diagrams mermaid`; drawn when first read). */
  readonly mermaid: string;
}

const raw = { interpolation: { escapeValue: false } };

/** The call flow of `code` in `lang`, or undefined when the code has no example. */
export function callFlow(ctx: ViewContext, lang: string, code: StatusCode): CallFlow | undefined {
  const example = code.example;
  const schema = ctx.catalog.protocol.example;
  if (!example || !schema) return undefined;
  return cached(ctx, lang, `callFlow:${code.code}`, () => makeCallFlow(ctx, lang, code, example, schema));
}

/** What callFlow keeps for the build, made for a code with an example. */
function makeCallFlow(ctx: ViewContext, lang: string, code: StatusCode, example: CodeExample, schema: ExampleSchema): CallFlow {
  const proto = translator(ctx.i18n, lang, ctx.catalog.protocol.id);
  const partyLabel = (id: string) => proto.t(`ladder.parties.${id}`);
  const used = new Set(example.exchange.flatMap((s) => [s.from, s.to]));
  const parties = schema.parties.filter((p) => used.has(p));
  const own = `${code.code} ${code.reason}`;
  const highlighted = example.exchange.findIndex((s) => s.message === own);
  const params = { code: code.code, reason: code.reason };
  // Unescaped text for the SVG (which escapes it as XML) and the table cells (escaped below).
  const title = proto.t('ladder.title', { ...params, ...raw });
  const desc = proto.t('ladder.desc', { ...params, parties: formatList(listStyleOf(ctx.languages, lang), parties.map(partyLabel)), ...raw });
  const plain = (text: string) => stripFallbackMarks(text);
  const ladder: Ladder = {
    id: `ladder-${ctx.catalog.protocol.id}-${code.code}-${lang}`.replace(/[^A-Za-z0-9-]/g, '-'),
    lang,
    title: plain(title),
    desc: plain(desc),
    parties: parties.map((id) => ({ id, label: plain(partyLabel(id)) })),
    steps: example.exchange.map((s, i) => ({ from: s.from, to: s.to, label: s.message, highlight: i === highlighted })),
  };
  const column = (name: string) => escapeMarkdown(proto.t(`ladder.columns.${name}`));
  const view: CallFlowView = {
    alt: escapeMarkdown(plain(title)),
    src: diagramPath(code.code),
    intro: proto.t('ladder.steps', params),
    table: {
      head: [column('step'), column('from'), column('to'), column('message')],
      rows: example.exchange.map((s, i) => {
        // A request sent again (after a challenge, say) is marked so: "REGISTER (again)".
        const again = example.exchange.slice(0, i).some((p) => p.from === s.from && p.to === s.to && p.message === s.message);
        const message = again ? proto.t('ladder.message_repeat', { message: escapeMarkdown(s.message), interpolation: { escapeValue: false } }) : escapeMarkdown(s.message);
        return { label: String(i + 1), cells: [escapeMarkdown(partyLabel(s.from)), escapeMarkdown(partyLabel(s.to)), i === highlighted ? `**${message}**` : message] };
      }),
    },
    shown: [title, desc, ...parties.map(partyLabel)],
  };
  // Drawn when first asked: a pair page needs neither drawing, and an edit makes the call flow
  // of every (language, code) that a changed pair page shows (750 for one code of SIP).
  let svg: string | undefined;
  let mermaid: string | undefined;
  return {
    view,
    message: example.message,
    get svg() {
      return (svg ??= ladderSvg(ladder));
    },
    get mermaid() {
      return (mermaid ??= ladderMermaid(ladder));
    },
  };
}

/** The steps of two call flows side by side, for a pair page. */
export interface PairStepsView {
  /** "The two call flows side by side, step by step:" (escaped for Markdown). */
  intro: string;
  table: CallFlowView['table'];
}

/**
 * The two codes' exchanges as one table, a column per code and a row per step, so that a reader
 * sees where the flows part; undefined unless both codes have an example. Each cell is one
 * translatable unit ("UAC → UAS: INVITE", or with the `_repeat` context "… INVITE (again)"), the
 * code's own response in bold.
 */
export function pairSteps(ctx: ViewContext, lang: string, codes: [StatusCode, StatusCode], headings: [string, string]): PairStepsView | undefined {
  const [a, b] = codes;
  if (!a.example || !b.example || !ctx.catalog.protocol.example) return undefined;
  const proto = translator(ctx.i18n, lang, ctx.catalog.protocol.id);
  // A code's column is the same on every pair page of the language that shows it.
  const cellsOf = (code: StatusCode): string[] => cached(ctx, lang, `stepCells:${code.code}`, () => stepCells(code));
  const stepCells = (code: StatusCode) => {
    const exchange = code.example!.exchange;
    const highlighted = exchange.findIndex((s) => s.message === `${code.code} ${code.reason}`);
    // A message sent again (a request resent with credentials, say) says so: the rows differ.
    const sent = new Set<string>();
    return exchange.map((s, i) => {
      const message = escapeMarkdown(s.message);
      const step = `${s.from} ${s.to} ${s.message}`;
      const context = sent.has(step) ? 'repeat' : undefined;
      sent.add(step);
      return proto.t('ladder.step', { context, from: escapeMarkdown(proto.t(`ladder.parties.${s.from}`)), to: escapeMarkdown(proto.t(`ladder.parties.${s.to}`)), message: i === highlighted ? `**${message}**` : message, interpolation: { escapeValue: false } });
    });
  };
  const [left, right] = [cellsOf(a), cellsOf(b)];
  const rows = Array.from({ length: Math.max(left.length, right.length) }, (_, i) => ({ label: String(i + 1), cells: [left[i] ?? '', right[i] ?? ''] }));
  return {
    intro: proto.t('ladder.stepsPair'),
    table: { head: [escapeMarkdown(proto.t('ladder.columns.step')), ...headings], rows },
  };
}

/** The output path of a code page's diagram, from the page's path ("en/sip/183"). */
export function diagramFile(pagePath: string, code: number): string {
  return posix.join(posix.dirname(pagePath), diagramPath(code));
}
