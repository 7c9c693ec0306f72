/**
 * Example messages and call-flow diagrams: every example in the shipped catalog is a valid SIP
 * response for its code (checked by a small strict parser written here, not the loader's), every
 * exchange agrees with the code's facts, and a real build draws, links and localizes the diagrams.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './helpers/paths.js';
import { makeProject, type Project } from './helpers/project.js';

interface Step {
  from: string;
  to: string;
  message: string;
}
interface Code {
  code: number;
  reason: string;
  facts: { senders: string[]; requests: string[]; sdp: boolean };
  example: { exchange: Step[]; message: string };
}

const CODES_DIR = join(ROOT, 'data/sip/codes');
const codes: Code[] = readdirSync(CODES_DIR)
  .filter((n) => n.endsWith('.yaml'))
  .sort()
  .map((n) => parseYaml(readFileSync(join(CODES_DIR, n), 'utf8')) as Code);
const registry = new Map(
  readFileSync(join(ROOT, 'data/sip/iana-registry.tsv'), 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => /^\d{3}$/.test(cells[0] ?? ''))
    .map((cells) => [Number(cells[0]), cells[1]!]),
);
const protocol = parseYaml(readFileSync(join(ROOT, 'data/sip/protocol.yaml'), 'utf8')) as { example: { parties: string[] }; facts: { requests: { values: string[] } } };

interface Response {
  code: number;
  reason: string;
  headers: Array<[string, string]>;
  body: string;
}

/**
 * RFC 3261 section 7.2 and 25.1, strictly: the status line, then header fields `token ":" value`
 * (long names only: the examples are for reading, so compact forms such as `l:` are refused),
 * no line folding, CRLF line ends, an empty line, and the body.
 */
function parseResponse(wire: string): Response {
  const end = wire.indexOf('\r\n\r\n');
  if (end === -1) throw new Error('no empty line after the header');
  const [statusLine, ...lines] = wire.slice(0, end).split('\r\n');
  const status = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]+)$/.exec(statusLine!);
  if (!status) throw new Error(`bad status line ${statusLine}`);
  const headers = lines.map((line): [string, string] => {
    const field = /^([!%'*+\-.0-9A-Z^_`a-z|~]+): ?(\S.*)$/.exec(line);
    if (!field) throw new Error(`bad header line ${JSON.stringify(line)}`);
    if (field[1]!.length === 1) throw new Error(`compact header form ${field[1]}`);
    if (/[\r\n\t]/.test(field[2]!)) throw new Error(`control character in ${field[1]}`);
    return [field[1]!, field[2]!];
  });
  return { code: Number(status[1]), reason: status[2]!, headers, body: wire.slice(end + 4) };
}

const header = (r: Response, name: string) => r.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
/**
 * The message as sent (see protocol.yaml): every line, the body's included, ends in CRLF, and
 * the empty line after the header is there even when the file leaves it out for want of a body.
 */
function wire(message: string): string {
  const [head, ...body] = message.replace(/\n$/, '').split('\n\n');
  const lines = (text: string) => text.split('\n').map((l) => `${l}\r\n`).join('');
  return `${lines(head!)}\r\n${body.length ? lines(body.join('\n\n')) : ''}`;
}

/** What RFCs require of particular codes (not copied from the data: from the RFCs). */
const REQUIRED_HEADERS: Record<number, RegExp[]> = {
  183: [/^Require: 100rel$/, /^RSeq: \d+$/, /^Content-Type: application\/sdp$/],
  200: [/^Contact: </],
  300: [/^Contact: </],
  301: [/^Contact: </],
  302: [/^Contact: </],
  305: [/^Contact: </],
  401: [/^WWW-Authenticate: Digest (?=.*realm=")(?=.*nonce=")/],
  405: [/^Allow: [A-Z]+(, [A-Z]+)*$/],
  407: [/^Proxy-Authenticate: Digest (?=.*realm=")(?=.*nonce=")/],
  415: [/^Accept: /],
  420: [/^Unsupported: [\w.-]+$/],
  421: [/^Require: [\w.-]+$/],
  422: [/^Min-SE: \d+$/],
  423: [/^Min-Expires: \d+$/],
  469: [/^Recv-Info: /],
  485: [/^Contact: </],
  489: [/^Allow-Events: /],
  494: [/^Security-Server: /],
  503: [/^Retry-After: \d+/],
};

/** RFC 2606/6761 names, RFC 5737 IPv4 and RFC 3849 IPv6 documentation addresses only. */
function foreignAddresses(text: string): string[] {
  const bad: string[] = [];
  for (const [ip] of text.matchAll(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g)) {
    if (!/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/.test(ip)) bad.push(ip);
  }
  for (const [host] of text.matchAll(/\b(?:[a-z0-9-]+\.)+(?:com|net|org|invalid|io|de|arpa)\b/gi)) {
    if (!/(^|\.)example\.(com|net|org)$/i.test(host) && host !== 'anonymous.invalid') bad.push(host);
  }
  for (const [ip] of text.matchAll(/\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b/gi)) {
    if (!/^2001:db8:/i.test(ip)) bad.push(ip);
  }
  return bad;
}

describe('the example message of every code', () => {
  it('covers the whole catalog', () => {
    expect(codes.length).toBe(registry.size);
    for (const code of codes) expect(code.example, String(code.code)).toBeDefined();
  });

  it.each(codes.map((c) => [c.code, c] as const))('%i parses as a SIP response with its code, reason and Content-Length', (_, code) => {
    const response = parseResponse(wire(code.example.message));
    expect(response.code).toBe(code.code);
    expect(response.reason).toBe(registry.get(code.code));
    for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Content-Length']) expect(header(response, name), name).toHaveLength(name === 'Via' ? header(response, 'Via').length || 1 : 1);
    expect(header(response, 'Via').length).toBeGreaterThan(0);
    expect(Number(header(response, 'Content-Length')[0])).toBe(Buffer.byteLength(response.body, 'utf8'));
    expect(header(response, 'Content-Type').length > 0).toBe(response.body.length > 0);
    // A response from a UAS core carries a To tag; only 100 Trying, hop by hop, may lack one.
    expect(/;tag=[\w.~+-]+/.test(header(response, 'To')[0]!)).toBe(code.code !== 100);
    expect(header(response, 'From')[0]).toMatch(/;tag=[\w.~+-]+/);
    expect(header(response, 'Via')[0]).toMatch(/^SIP\/2\.0\/(UDP|TCP|TLS) [\w.:[\]-]+;branch=z9hG4bK[\w.-]+/);
    const lines = code.example.message.split('\n');
    for (const pattern of REQUIRED_HEADERS[code.code] ?? []) expect(lines.some((l) => pattern.test(l)), `${code.code} ${pattern}`).toBe(true);
    if (header(response, 'Content-Type')[0] === 'application/sdp') {
      // RFC 4566: v, o, s, then c, t and at least one m line.
      expect(response.body).toMatch(/^v=0\r\no=\S+ \d+ \d+ IN IP[46] \S+\r\ns=.*\r\n(?:.*\r\n)*c=IN IP[46] \S+\r\nt=\d+ \d+\r\n(?:.*\r\n)*m=\w+ \d+ [\w/]+ \d+/);
      expect(code.facts.sdp).toBe(true);
    }
    expect(foreignAddresses(code.example.message)).toEqual([]);
  });

  it('refuses a wrong Content-Length, a folded header and a compact form in the parser itself', () => {
    const good = wire(codes.find((c) => c.code === 183)!.example.message);
    expect(() => parseResponse(good)).not.toThrow();
    expect(() => parseResponse(good.replace('RSeq: 1', 'RSeq 1'))).toThrow(/bad header/);
    expect(() => parseResponse(good.replace('RSeq: 1\r\n', 'RSeq: 1\r\n  2\r\n'))).toThrow(/bad header/);
    expect(() => parseResponse(good.replace('Content-Length', 'l'))).toThrow(/compact/);
    expect(foreignAddresses('Contact: <sip:bob@10.0.0.1>, <sip:bob@example.co>, <sip:a@[2001:db9::1]>, sip.example.com.evil.org')).toHaveLength(3);
  });
});

describe('the exchange of every code', () => {
  const methods = protocol.facts.requests.values.filter((m) => m !== 'any');
  it.each(codes.map((c) => [c.code, c] as const))('%i: the code is sent by one of its senders, in answer to one of its requests', (_, code) => {
    const steps = code.example.exchange;
    const own = `${code.code} ${registry.get(code.code)}`;
    const index = steps.findIndex((s) => s.message === own);
    expect(index).toBeGreaterThan(0);
    const step = steps[index]!;
    expect(code.facts.senders).toContain(step.from);
    const method = /^\d+ ([A-Z]+)$/.exec(header(parseResponse(wire(code.example.message)), 'CSeq')[0]!)![1]!;
    if (!code.facts.requests.includes('any')) expect(code.facts.requests).toContain(method);
    // The request it answers went the other way before it, on the same hop.
    const request = steps.slice(0, index).findLast((s) => s.message === method && s.from === step.to && s.to === step.from);
    expect(request, `${code.code}: ${method} from ${step.to} to ${step.from}`).toBeDefined();
    for (const s of steps) {
      expect(protocol.example.parties).toContain(s.from);
      expect(protocol.example.parties).toContain(s.to);
      expect(s.from).not.toBe(s.to);
      expect(methods.includes(s.message) || registry.get(Number(s.message.slice(0, 3))) === s.message.slice(4), s.message).toBe(true);
    }
    // RFC 3261 17.1.1.3: a final non-2xx answer to INVITE is acknowledged on the same hop.
    if (method === 'INVITE' && code.code >= 300) {
      expect(steps.slice(index + 1).some((s) => s.message === 'ACK' && s.from === step.to && s.to === step.from), `${code.code} ACK`).toBe(true);
    }
  });
});

describe('diagrams in a build', () => {
  let project: Project;
  const CODES = [183, 401, 486];
  const LANGS = ['en', 'de'];
  beforeAll(() => {
    project = makeProject(CODES, LANGS);
    const result = project.run('build', '--jobs', '1');
    expect(result.status, result.stderr).toBe(0);
  });
  afterAll(() => project.remove());

  const svgOf = (lang: string, code: number) => new DOMParser().parseFromString(project.read('out', lang, 'sip', 'diagrams', `${code}.svg`), 'image/svg+xml');

  it.each(LANGS.flatMap((lang) => CODES.map((code) => [lang, code] as const)))('%s %i: an accessible SVG whose arrows are the exchange, the code highlighted', (lang, code) => {
    const data = codes.find((c) => c.code === code)!;
    const doc = svgOf(lang, code);
    const svg = doc.documentElement!;
    expect(svg.getAttribute('role')).toBe('img');
    const [titleId, descId] = svg.getAttribute('aria-labelledby')!.split(' ');
    const sip = JSON.parse(project.read('locales', lang, 'sip.json')) as { ladder: { title: string; parties: Record<string, string> } };
    const title = doc.getElementById(titleId!)!;
    expect(title.tagName).toBe('title');
    expect(title.textContent).toBe(sip.ladder.title.replace('{{code}}', String(code)).replace('{{reason}}', data.reason));
    expect(doc.getElementById(descId!)!.tagName).toBe('desc');
    // One arrow per step, in order, with the message as written and the code's step highlighted.
    const steps = Array.from(svg.getElementsByTagName('g')).filter((g) => /\bstep\b/.test(g.getAttribute('class') ?? ''));
    expect(steps).toHaveLength(data.example.exchange.length);
    const parties = Array.from(svg.getElementsByTagName('g')).filter((g) => g.getAttribute('class') === 'party');
    const columnOf = new Map(parties.map((g) => [g.getElementsByTagName('text')[0]!.textContent, Number(g.getElementsByTagName('line')[0]!.getAttribute('x1'))]));
    data.example.exchange.forEach((s, i) => {
      const g = steps[i]!;
      const texts = Array.from(g.getElementsByTagName('text')).map((t) => t.textContent);
      expect(texts).toContain(s.message);
      expect(/\bhl\b/.test(g.getAttribute('class')!)).toBe(s.message === `${code} ${data.reason}` && data.example.exchange.findIndex((x) => x.message === s.message) === i);
      const line = g.getElementsByTagName('line')[0]!;
      expect(Number(line.getAttribute('x1'))).toBe(columnOf.get(sip.ladder.parties[s.from]!));
      const toward = Math.sign(Number(line.getAttribute('x2')) - Number(line.getAttribute('x1')));
      expect(toward).toBe(Math.sign(columnOf.get(sip.ladder.parties[s.to]!)! - columnOf.get(sip.ladder.parties[s.from]!)!));
    });
    // Light and dark palettes in the file itself, on an opaque background.
    const style = svg.getElementsByTagName('style')[0]!.textContent!;
    expect(style).toMatch(/@media \(prefers-color-scheme:dark\)\{\.bg\{fill:#/);
  });

  it('shows the diagram, the steps and the example message on the code page, in Markdown and HTML', () => {
    const md = project.read('out/de/sip/183.md');
    const data = codes.find((c) => c.code === 183)!;
    expect(md).toContain('](diagrams/183.svg)');
    expect(md).toContain(`\`\`\`\n${data.example.message}\`\`\``);
    expect(md).toMatch(/\| 2 +\| UAS +\| UAC +\| \*\*183 Session Progress\*\* +\|/);
    const html = project.read('out/de/sip/183.html');
    const title = (JSON.parse(readFileSync(join(ROOT, 'locales/de/sip.json'), 'utf8')) as { ladder: { title: string } }).ladder.title;
    const alt = title.replace('{{code}}', '183').replace('{{reason}}', 'Session Progress');
    expect(alt).not.toContain('{{');
    expect(html).toContain(`<img src="diagrams/183.svg" alt="${alt}">`);
    expect(html).toContain('<h2 id="call-flow">Ablauf</h2>');
    expect(html).toContain('<h2 id="example">Beispielantwort</h2>');
    expect(html).toContain('SIP/2.0 183 Session Progress\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=');
  });

  it.each(LANGS)('%s: sets the steps of a pair side by side, a column per code, a resent message marked', (lang) => {
    const sip = JSON.parse(project.read('locales', lang, 'sip.json')) as { ladder: { step: string; step_repeat: string; parties: Record<string, string> } };
    const lines = project.read('out', lang, 'sip', '183-vs-401.md').split('\n');
    const start = lines.findIndex((l) => l.startsWith('|') && l.includes('183 Session Progress') && l.includes('401 Unauthorized'));
    expect(start).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
    const [head, , ...body] = lines.slice(start, end).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
    expect(head).toHaveLength(3);
    const [a, b] = [183, 401].map((code) => codes.find((c) => c.code === code)!) as [Code, Code];
    expect(body).toHaveLength(Math.max(a.example.exchange.length, b.example.exchange.length));
    const repeated = (data: Code, i: number) =>
      data.example.exchange.slice(0, i).some((x) => JSON.stringify(x) === JSON.stringify(data.example.exchange[i]));
    const cell = (data: Code, i: number) => {
      const s = data.example.exchange[i];
      if (!s) return '';
      const own = data.example.exchange.findIndex((x) => x.message === `${data.code} ${data.reason}`) === i;
      return (repeated(data, i) ? sip.ladder.step_repeat : sip.ladder.step)
        .replace('{{from}}', sip.ladder.parties[s.from]!)
        .replace('{{to}}', sip.ladder.parties[s.to]!)
        .replace('{{message}}', own ? `**${s.message}**` : s.message);
    };
    body.forEach((row, i) => expect(row).toEqual([String(i + 1), cell(a, i), cell(b, i)]));
    // 401's flow resends its request with credentials, so the marked form was checked too.
    expect(b.example.exchange.some((_, i) => repeated(b, i))).toBe(true);
  });

  it('puts the two diagrams of a pair in one paragraph, and the lint finds every image', () => {
    const html = project.read('out/en/sip/401-vs-486.html');
    expect(html).toMatch(/<p><img src="diagrams\/401\.svg" alt="[^"]+"> <img src="diagrams\/486\.svg" alt="[^"]+"><\/p>/);
    const lint = project.run('check', '--output', '--lang', 'en');
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    project.edit('out/en/sip/401-vs-486.md', (t) => t.replace('diagrams/486.svg', 'diagrams/487.svg'));
    const broken = project.run('check', '--output', '--lang', 'en');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/401-vs-486\.md\n\s*\d+:\d+\s+error\s+Broken link `diagrams\/487\.svg`.*broken-link/);
  });

  it('reports broken examples at their line in the YAML, with their rule ids', () => {
    const bad = makeProject([183, 486], ['en']);
    try {
      bad.edit('data/sip/codes/486.yaml', (t) =>
        t
          .replace('SIP/2.0 486 Busy Here', 'SIP/2.0 486 Busy')
          .replace('Content-Length: 0', 'Content-Length: 12')
          .replace('Retry-After: 1200', 'Retry-After 1200')
          .replace(/\{ ?from: uas, to: uac, message: 486 Busy Here ?\}/, '{from: callee, to: uac, message: 486 Busy}'),
      );
      const lines = bad.read('data/sip/codes/486.yaml').split('\n');
      const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
      const result = bad.run('check');
      expect(result.status).toBe(1);
      const at = (text: string, rule: string) => new RegExp(`\\n\\s*${lineOf(text)}:\\d+\\s+error .*${rule}`);
      expect(result.stderr).toMatch(at('SIP/2.0 486 Busy', 'example-status-line'));
      expect(result.stderr).toMatch(at('Content-Length: 12', 'example-content-length'));
      expect(result.stderr).toMatch(at('Retry-After 1200', 'example-header'));
      expect(result.stderr).toMatch(at('from: callee', 'unknown-value'));
      expect(result.stderr).toMatch(/example-missing-step/);
      expect(result.stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
    } finally {
      bad.remove();
    }
  });
});

describe('Mermaid diagrams in the Markdown (--diagrams mermaid)', () => {
  let project: Project;
  beforeAll(() => {
    project = makeProject([183, 486], ['en']);
    const result = project.run('build', '--diagrams', 'mermaid', '--jobs', '1');
    expect(result.status, result.stderr).toBe(0);
  });
  afterAll(() => project.remove());

  const mermaidBlocks = (md: string) => [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('shows each code page a sequence diagram of its exchange instead of the image; the HTML keeps the SVG', () => {
    for (const code of [183, 486]) {
      const data = codes.find((c) => c.code === code)!;
      const md = project.read(`out/en/sip/${code}.md`);
      expect(md).not.toContain(`diagrams/${code}.svg`);
      const [block, ...others] = mermaidBlocks(md);
      expect(others).toEqual([]);
      const lines = block!.trimEnd().split('\n').map((l) => l.trim());
      expect(lines.slice(0, 2)).toEqual(['sequenceDiagram', `title Call flow for ${code} ${data.reason}`]);
      expect(lines[2]).toMatch(new RegExp(`^accDescr: The messages exchanged between .+ with the ${code} response highlighted\\.$`));
      const participants = new Map(lines.filter((l) => l.startsWith('participant ')).map((l) => /^participant (\w+) as (.+)$/.exec(l)!.slice(1) as [string, string]));
      const arrows = lines.filter((l) => l.includes('->>')).map((l) => /^(\w+)->>(\w+): (.+)$/.exec(l)!);
      expect(arrows.map((a) => `${participants.get(a[1]!)}>${participants.get(a[2]!)} ${a[3]}`)).toEqual(data.example.exchange.map((s) => `${s.from.toUpperCase()}>${s.to.toUpperCase()} ${s.message}`));
      // The code's step, and only it, is framed.
      const framed = lines.findIndex((l) => l.startsWith('rect '));
      expect(lines[framed + 1]).toMatch(new RegExp(`: ${code} ${data.reason}$`));
      expect(lines[framed + 2]).toBe('end');
      expect(lines.filter((l) => l.startsWith('rect '))).toHaveLength(1);
      const html = project.read(`out/en/sip/${code}.html`);
      expect(html).toContain(`<img src="diagrams/${code}.svg"`);
      expect(html).not.toContain('sequenceDiagram');
      expect(project.read(`out/en/sip/diagrams/${code}.svg`)).toMatch(/^<svg /);
    }
    expect(mermaidBlocks(project.read('out/en/sip/183-vs-486.md'))).toEqual([183, 486].map((c) => mermaidBlocks(project.read(`out/en/sip/${c}.md`))[0]));
    const lint = project.run('check', '--output');
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  });

  it('refuses an unknown diagram format as a usage error', () => {
    const result = project.run('build', '--diagrams', 'png');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/invalid --diagrams `png`: expected `svg` or `mermaid`/);
    expect(project.run('check', '--diagrams', 'svg').status).toBe(2);
  });
});

describe('diagram labels whose translation is stale', () => {
  it('show the new English in the SVG and the alt text, and the page lists them as shown in English', () => {
    const project = makeProject([183, 486], ['en', 'de']);
    try {
      project.edit('locales/en/sip.json', (t) => t.replace('"title": "Call flow for {{code}} {{reason}}"', '"title": "Message flow for {{code}} {{reason}}"'));
      const result = project.run('build', '--jobs', '1');
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/stale-translation/);
      const svg = project.read('out/de/sip/diagrams/183.svg');
      expect(svg).toMatch(/<title id="[\w-]+">Message flow for 183 Session Progress<\/title>/);
      expect(project.read('out/de/sip/183.html')).toContain('alt="Message flow for 183 Session Progress"');
      const front = parseYaml(project.read('out/de/sip/183.md').split('---\n')[1]!) as { fallback?: { keys: string[] } };
      expect(front.fallback?.keys).toContain('sip:ladder.title');
      expect(project.run('build', '--strict').status).toBe(1);
    } finally {
      project.remove();
    }
  });
});
