/**
 * The build manifest (src/emit/build-manifest.ts): written a line per file, it must be the text
 * JSON.stringify gives the same object; read back, it gives the same files and hashes, and a
 * manifest that names a path outside the output (or in the manifest's own folder) is not trusted.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_MANIFEST_FORMAT, BUILD_MANIFEST_PATH, BUILD_MANIFEST_VERSION, buildManifestChunks, readBuildManifest, serializeBuildManifest, type InputsRecord } from '../src/emit/build-manifest.js';
import { mergedEntries, sortedEntries } from '../src/emit/sorted.js';
import { RecordSpill } from '../src/emit/piece-records.js';

const TOOL = 'tool-fingerprint';
const FILES = new Map([
  ['zh-TW/sip/183-vs-439.md', 'b'.repeat(64)],
  ['en/sip/183.md', 'a'.repeat(64)],
  ['assets/style.css', 'c'.repeat(64)],
  ['odd/"quoted" name\u2028.html', 'd'.repeat(64)],
  ['ü/中文.html', 'e'.repeat(64)],
]);
const INPUTS: InputsRecord = {
  key: 'k',
  pages: 2,
  languages: ['en', 'zh-TW'],
  sitemap: false,
  warnings: [{ path: 'locales/zh-TW/sip.json', messages: [{ reason: 'Stale "x"', place: { line: 3, column: 5 }, ruleId: 'stale-translation', source: 'codepairs' }] }],
};

/** The straightforward text: the whole manifest object through JSON.stringify. */
function byStringify(files: Map<string, string>, inputs?: InputsRecord): string {
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify({ format: BUILD_MANIFEST_FORMAT, version: BUILD_MANIFEST_VERSION, tool: TOOL, files: Object.fromEntries(sorted), ...(inputs ? { inputs } : {}) }, null, 1)}\n`;
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function written(text: string): string {
  dir = mkdtempSync(join(tmpdir(), 'codepairs-manifest-'));
  mkdirSync(join(dir, '.codepairs'));
  writeFileSync(join(dir, BUILD_MANIFEST_PATH), text);
  return dir;
}

describe('the build manifest', () => {
  it('is written as JSON.stringify writes the manifest object, with and without files and inputs', () => {
    const escaped = new Map([...FILES, ['back\\slash.md', 'f'.repeat(64)]]);
    for (const [files, inputs] of [[FILES, INPUTS], [escaped, undefined], [new Map(), INPUTS], [new Map(), undefined]] as const) {
      expect(serializeBuildManifest(TOOL, files, inputs)).toBe(byStringify(files, inputs));
    }
  });

  it("is the same written from files already sorted, as a full build gives them: its pages' files from a spill, merged with the site files", () => {
    dir = mkdtempSync(join(tmpdir(), 'codepairs-manifest-'));
    const escaped = new Map([...FILES, ['back\\slash.md', 'f'.repeat(64)], ['index.html', 'g'.repeat(64)]]);
    for (const [files, inputs] of [[FILES, INPUTS], [escaped, undefined], [new Map<string, string>(), INPUTS], [new Map<string, string>(), undefined]] as const) {
      // Half of the files spilled (in runs of a few), the other half in a map; one path in both, whose hash the map's is.
      const spill = new RecordSpill(join(dir, 'files'), 80);
      const site = new Map<string, string>();
      [...files].forEach(([path, hash], i) => (i % 2 ? site.set(path, hash) : spill.add([[path, hash]])));
      const [shared] = site.keys();
      if (shared !== undefined) spill.add([[shared, 'stale']]);
      const text = [...buildManifestChunks(TOOL, { sorted: mergedEntries(spill.sorted(), sortedEntries(site)) }, inputs)].join('');
      expect(text).toBe(byStringify(files, inputs));
      expect(existsSync(join(dir, 'files'))).toBe(false);
    }
  });

  it('reads back the files and hashes it was written with, and the inputs record', async () => {
    const read = await readBuildManifest(written(serializeBuildManifest(TOOL, FILES, INPUTS)), TOOL);
    expect(read?.files).toEqual(FILES);
    expect(read?.inputs).toEqual(INPUTS);
  });

  it('reads a manifest of plain paths line by line as JSON.parse reads it, and trusts none with a broken line', async () => {
    const plain = new Map([...FILES].filter(([path]) => !/["\u2028]/.test(path)));
    const text = serializeBuildManifest(TOOL, plain, INPUTS);
    const read = await readBuildManifest(written(text), TOOL);
    expect(read?.files).toEqual(plain);
    expect([...read!.files.keys()]).toEqual([...plain.keys()].sort());
    // The same manifest indented otherwise (a hand-edited file) is read by JSON.parse: the same files.
    rmSync(dir!, { recursive: true, force: true });
    expect((await readBuildManifest(written(`${JSON.stringify(JSON.parse(text), null, 2)}\n`), TOOL))?.files).toEqual(plain);
    const broken = [
      text.replace(`${'a'.repeat(64)}",\n`, `${'a'.repeat(64)}"\n`),
      text.replace('"en/sip/183.md": "', '"en/sip/183.md"; "'),
      text.replace('"en/sip/183.md"', '"en/sip/183.md'),
      text.replace('"en/sip/183.md', '"en/sip/\t183.md'),
      text.replace(`"${'a'.repeat(64)}"`, `"${'a'.repeat(64)}`),
    ];
    for (const damaged of broken) {
      expect(damaged).not.toBe(text);
      rmSync(dir!, { recursive: true, force: true });
      expect(await readBuildManifest(written(damaged), TOOL), damaged.slice(0, 400)).toBeUndefined();
    }
  });

  it('is not trusted when another tool, format or version wrote it, told from its first bytes, whatever follows them', async () => {
    const text = serializeBuildManifest(TOOL, FILES, INPUTS);
    const others = [
      serializeBuildManifest('another-release', FILES, INPUTS),
      text.replace(`"version": ${BUILD_MANIFEST_VERSION}`, `"version": ${BUILD_MANIFEST_VERSION + 1}`),
      // What follows the head is not looked at (a big build's manifest is not read for nothing).
      `${serializeBuildManifest('another-release', new Map()).split('"files": ')[0]}"files": not JSON at all`,
      text.slice(0, 20),
    ];
    for (const other of others) {
      expect(await readBuildManifest(written(other), TOOL), other.slice(0, 200)).toBeUndefined();
      rmSync(dir!, { recursive: true, force: true });
    }
    expect((await readBuildManifest(written(text), TOOL))?.files).toEqual(new Map(FILES));
  });

  it('is not trusted when it names a path outside the output or in its own folder', async () => {
    for (const path of ['', '/etc/passwd', '../up.md', 'en/../../up.md', 'en//x.md', 'en/./x.md', 'en/', '.', 'a\\b.md', 'a\0b.md', '.codepairs', '.codepairs/pieces.json']) {
      const files = new Map([...FILES, [path, 'f'.repeat(64)]]);
      expect(await readBuildManifest(written(serializeBuildManifest(TOOL, files)), TOOL), JSON.stringify(path)).toBeUndefined();
      rmSync(dir!, { recursive: true, force: true });
    }
    for (const path of ['...md', '.well-known/x.txt', 'x/.codepairs/y', '.codepairsy/z']) {
      const files = new Map([...FILES, [path, 'f'.repeat(64)]]);
      expect((await readBuildManifest(written(serializeBuildManifest(TOOL, files)), TOOL))?.files.get(path), path).toBe('f'.repeat(64));
      rmSync(dir!, { recursive: true, force: true });
    }
  });

  it('is written from the previous one by changing the lines of the files whose hash changed: the same text as written whole', async () => {
    // Paths in the order sort() gives and another, first and last lines among them.
    const paths = Array.from({ length: 300 }, (_, i) => `${['en', 'zh-CN', 'pt-BR'][i % 3]}/sip/${100 + i}-vs-${200 + (i % 7)}.${i % 2 ? 'md' : 'html'}`);
    const hashOf = (i: number, round: number) => ((i * 7919 + round * 104729) % 1_000_003).toString(16).padStart(64, '0');
    const files = new Map(paths.map((path, i) => [path, hashOf(i, 0)]));
    const read = await readBuildManifest(written(serializeBuildManifest(TOOL, files, INPUTS)), TOOL);
    expect(read?.lines).toBeDefined();
    const sortedPaths = [...files.keys()].sort();
    let spliced = 0;
    for (let round = 1; round <= 40; round++) {
      // Round by round: none, the first, the last, every one, and scattered files change.
      const changes = round === 1 ? [] : round === 2 ? [sortedPaths[0]!] : round === 3 ? [sortedPaths.at(-1)!] : round === 4 ? sortedPaths : sortedPaths.filter((_, i) => (i * round) % 17 === 0);
      const next = new Map(files);
      for (const path of changes) next.set(path, hashOf(paths.indexOf(path), round));
      const inputs = { ...INPUTS, key: `k${round}` };
      expect(serializeBuildManifest(TOOL, next, inputs, read)).toBe(byStringify(next, inputs));
      // Told which paths may differ (those changed and a few that did not): only those compared, the same text.
      expect(serializeBuildManifest(TOOL, next, inputs, read, [...changes, ...sortedPaths.slice(5, 9)])).toBe(byStringify(next, inputs));
      spliced++;
    }
    expect(spliced).toBe(40);
    // Another set of paths (one more, one fewer, one renamed) is written whole, and right.
    const more = new Map([...files, ['en/sip/new.md', 'f'.repeat(64)]]);
    const fewer = new Map([...files].slice(1));
    const renamed = new Map([...fewer, ['en/sip/renamed.md', 'f'.repeat(64)]]);
    for (const other of [more, fewer, renamed, new Map<string, string>()]) expect(serializeBuildManifest(TOOL, other, INPUTS, read)).toBe(byStringify(other, INPUTS));
    // A path that may differ and is new: written whole, as the same number of paths with one renamed must be.
    const swapped = new Map([...files].slice(1));
    swapped.set('en/sip/renamed.md', 'f'.repeat(64));
    expect(serializeBuildManifest(TOOL, swapped, INPUTS, read, ['en/sip/renamed.md'])).toBe(byStringify(swapped, INPUTS));
  });

  it('keeps no lines to change of a manifest whose lines are not in order (hand-edited): the next one is written whole', async () => {
    const text = serializeBuildManifest(TOOL, new Map([['a.md', 'a'.repeat(64)], ['b.md', 'b'.repeat(64)]]));
    const swapped = text.replace(/( {2}"a\.md": "a+"),\n( {2}"b\.md": "b+")/, '$2,\n$1');
    expect(swapped).not.toBe(text);
    const read = await readBuildManifest(written(swapped), TOOL);
    expect(read?.files.get('a.md')).toBe('a'.repeat(64));
    expect(read?.lines).toBeUndefined();
    const next = new Map([['a.md', 'c'.repeat(64)], ['b.md', 'b'.repeat(64)]]);
    expect(serializeBuildManifest(TOOL, next, undefined, read)).toBe(byStringify(next));
  });
});
