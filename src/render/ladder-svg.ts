/**
 * A ladder (sequence) diagram as a standalone SVG document: one lifeline per party, one arrow
 * per message, top to bottom, the step the page is about highlighted. Pure and deterministic:
 * the same ladder gives the same bytes (ids come from `ladder.id`, coordinates are integers).
 *
 * The file stands alone (pages show it with <img>, Markdown portals with an image link), so it
 * carries its own colours: a light and a dark palette chosen by `prefers-color-scheme`, on an
 * opaque background so it stays readable whatever page it is placed on. <title> and <desc> name
 * it for assistive technology; the pages also list the steps as text.
 */

export interface LadderParty {
  id: string;
  label: string;
}

export interface LadderStep {
  from: string;
  to: string;
  /** The message as written on the wire: a method or a status code and reason phrase. */
  label: string;
  highlight: boolean;
}

export interface Ladder {
  /** Letters, digits and hyphens: the prefix of every id in the document. */
  id: string;
  lang: string;
  title: string;
  desc: string;
  /** Left to right. */
  parties: LadderParty[];
  steps: LadderStep[];
}

const COLUMN = 180;
const MARGIN = 100;
const TOP = 16;
const HEAD = 34;
const BOX = COLUMN - 14;
const FIRST = TOP + HEAD + 40;
const STEP = 42;
const FONT = 13;
const LOOP = 36;

const xml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A rough width of a label: wide (CJK, Hangul) characters take a full em, others about 0.6. */
export function estimateWidth(text: string, size: number): number {
  let em = 0;
  for (const char of text) em += /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u.test(char) ? 1 : 0.6;
  return Math.ceil(em * size);
}

/** A text element, squeezed to `max` pixels when it would be wider. */
function label(text: string, x: number, y: number, attrs: string, max: number): string {
  const fit = estimateWidth(text, FONT) > max ? ` textLength="${max}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text x="${x}" y="${y}"${attrs}${fit}>${xml(text)}</text>`;
}

const STYLE = [
  '.bg{fill:#fdfdfc}',
  'text{fill:#1d1f23;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","PingFang SC","Hiragino Sans","Microsoft YaHei",sans-serif;font-size:13px}',
  '.party rect{fill:#f2f4f7;stroke:#5b6270}',
  '.life{stroke:#a2a9b4;stroke-dasharray:4 4}',
  '.msg{stroke:#1d1f23;stroke-width:1.25;fill:none}',
  '.head{fill:#1d1f23}',
  '.num{fill:#5b6270;font-size:11px}',
  '.hl .msg{stroke:#1f5fbf;stroke-width:2.5}',
  '.hl .head{fill:#1f5fbf}',
  '.hl text{fill:#1f5fbf;font-weight:700}',
  '.hl rect{fill:#e3ecfa}',
  '@media (prefers-color-scheme:dark){',
  '.bg{fill:#16181c}',
  'text{fill:#e6e8eb}',
  '.party rect{fill:#1f2329;stroke:#a2a9b4}',
  '.life{stroke:#5b6270}',
  '.msg{stroke:#e6e8eb}',
  '.head{fill:#e6e8eb}',
  '.num{fill:#a2a9b4}',
  '.hl .msg{stroke:#7fb0ff}',
  '.hl .head{fill:#7fb0ff}',
  '.hl text{fill:#7fb0ff}',
  '.hl rect{fill:#1d2f4d}',
  '}',
].join('');

export function ladderSvg(ladder: Ladder): string {
  const { id, parties, steps } = ladder;
  const column = new Map(parties.map((p, i) => [p.id, MARGIN + i * COLUMN]));
  const width = MARGIN * 2 + Math.max(parties.length - 1, 0) * COLUMN;
  const height = FIRST + steps.length * STEP;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" lang="${xml(ladder.lang)}">`,
    `<title id="${id}-title">${xml(ladder.title)}</title>`,
    `<desc id="${id}-desc">${xml(ladder.desc)}</desc>`,
    `<style>${STYLE}</style>`,
    `<rect class="bg" width="${width}" height="${height}"/>`,
  );
  for (const party of parties) {
    const x = column.get(party.id)!;
    out.push(
      `<g class="party">`,
      `<line class="life" x1="${x}" y1="${TOP + HEAD}" x2="${x}" y2="${height - 10}"/>`,
      `<rect x="${x - BOX / 2}" y="${TOP}" width="${BOX}" height="${HEAD}" rx="4"/>`,
      label(party.label, x, TOP + HEAD / 2 + 5, ' text-anchor="middle"', BOX - 10),
      `</g>`,
    );
  }
  steps.forEach((step, i) => {
    const y = FIRST + i * STEP;
    const from = column.get(step.from) ?? MARGIN;
    const to = column.get(step.to) ?? MARGIN;
    const parts: string[] = [label(String(i + 1), 12, y + 4, ' class="num"', 40)];
    if (from === to) {
      // A message a party sends itself: a small loop to the right.
      parts.push(`<path class="msg" d="M${from} ${y - 8}H${from + LOOP}V${y + 8}H${from + 6}"/>`, `<path class="head" d="M${from} ${y + 8}l8 -4v8z"/>`);
      parts.push(label(step.label, from + LOOP + 6, y + 4, '', COLUMN));
    } else {
      const dir = to > from ? 1 : -1;
      const tip = to;
      parts.push(`<line class="msg" x1="${from}" y1="${y}" x2="${tip - dir * 8}" y2="${y}"/>`, `<path class="head" d="M${tip} ${y}l${-dir * 10} -5v10z"/>`);
      const mid = (from + to) / 2;
      const text = estimateWidth(step.label, FONT);
      // Keep the label inside the picture when it is wider than the arrow.
      const max = width - 8;
      const half = Math.min(text, max) / 2;
      const x = Math.round(Math.min(Math.max(mid, half + 4), width - half - 4));
      if (step.highlight) parts.unshift(`<rect x="${Math.round(x - half - 6)}" y="${y - 24}" width="${Math.round(half * 2 + 12)}" height="20" rx="3"/>`);
      parts.push(label(step.label, x, y - 9, ' text-anchor="middle"', max));
    }
    out.push(`<g class="step${step.highlight ? ' hl' : ''}">`, ...parts, `</g>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
