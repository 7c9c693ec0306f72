/**
 * The same ladder as a Mermaid sequence diagram, for Markdown read on portals that render
 * Mermaid (`--diagrams mermaid`). Pure and deterministic. Participants get positional ids (p1,
 * p2 …: party ids may hold hyphens, which Mermaid reads as arrows) and their localized labels as
 * aliases; the code's step is framed in a `rect`; the title and description are Mermaid's
 * `title` and `accDescr`. Text is escaped with Mermaid's entity codes
 * where its syntax would read it: `#` and `;`.
 */
import type { Ladder } from './ladder-svg.js';

const text = (value: string) => value.replace(/[#;]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\s+/g, ' ').trim();

export function ladderMermaid(ladder: Ladder): string {
  const id = new Map(ladder.parties.map((p, i) => [p.id, `p${i + 1}`]));
  const lines = ['sequenceDiagram', `    title ${text(ladder.title)}`, `    accDescr: ${text(ladder.desc)}`];
  for (const party of ladder.parties) lines.push(`    participant ${id.get(party.id)} as ${text(party.label)}`);
  for (const step of ladder.steps) {
    const arrow = `${id.get(step.from)}->>${id.get(step.to)}: ${text(step.label)}`;
    if (step.highlight) lines.push('    rect rgba(31, 95, 191, 0.15)', `    ${arrow}`, '    end');
    else lines.push(`    ${arrow}`);
  }
  return `${lines.join('\n')}\n`;
}
