/**
 * The benchmark's synthetic catalog: a copy of the shipped project (data, locales, templates,
 * assets) in a temp folder, cut down or grown to `codes` codes and `langs` languages.
 *
 * - Fewer codes than shipped: an even spread of the shipped codes is kept (related codes,
 *   registry lines and translations of the others are removed).
 * - More codes than shipped (at most 600, every number from 100 to 699): each new code is a clone
 *   of a shipped code of the same class under a free number of that class, with its registry
 *   line, its translations in every language and the sources records that keep those
 *   translations current. The code number is replaced in its texts and in its example (the
 *   steps that show its response, and the status line).
 * - Fewer languages than shipped: the first ones of locales/languages.json.
 * - More languages than shipped: region variants of shipped translations (ja-AA, fr-AB …), each a
 *   copy of that language's locale folder under a tag the loader accepts.
 * The result passes validation like the shipped catalog; nothing here touches the repository.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, stringify as stringifyYaml } from 'yaml';
import { isSafeLanguageTag } from '../dist/load/locales.js';
import { hashSource } from '../dist/translations/units.js';

const TEXT_FIELDS = ['description', 'when', 'fix', 'use'];
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

/** Make the catalog; returns its folder, its codes and its language tags. */
export function makeCatalog(repo, { codes: codeCount, langs: langCount }) {
  const dir = mkdtempSync(join(tmpdir(), 'codepairs-bench-'));
  for (const folder of ['data', 'locales', 'templates', 'assets']) cpSync(join(repo, folder), join(dir, folder), { recursive: true });
  const languages = chooseLanguages(dir, langCount);
  const codes = chooseCodes(dir, codeCount, languages.map((l) => l.tag));
  return { dir, codes, langs: languages.map((l) => l.tag) };
}

function chooseLanguages(dir, count) {
  const path = join(dir, 'locales/languages.json');
  const shipped = readJson(path);
  const chosen = shipped.slice(0, count);
  // Region variants of the shipped translations whose tag has no region of its own (not of
  // English: a copy of it would be a translation with every unit missing).
  const bases = shipped.filter((l) => /^[a-z]{2,3}$/.test(l.tag) && l.tag !== 'en');
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const regions = [...letters].flatMap((a) => [...letters].map((b) => a + b));
  for (let i = 0; chosen.length < count; i++) {
    if (i >= regions.length * bases.length) throw new Error(`cannot make ${count} languages`);
    const base = bases[i % bases.length];
    const tag = `${base.tag}-${regions[Math.floor(i / bases.length)]}`;
    if (!isSafeLanguageTag(tag) || chosen.some((l) => l.tag.toLowerCase() === tag.toLowerCase())) continue;
    cpSync(join(dir, 'locales', base.tag), join(dir, 'locales', tag), { recursive: true });
    chosen.push({ ...base, tag, name: `${base.name} (${tag.slice(base.tag.length + 1)})` });
  }
  for (const entry of readdirSync(join(dir, 'locales'), { withFileTypes: true })) {
    if (entry.isDirectory() && !chosen.some((l) => l.tag === entry.name)) rmSync(join(dir, 'locales', entry.name), { recursive: true });
  }
  writeFileSync(path, `[\n${chosen.map((l) => `  ${JSON.stringify(l)}`).join(',\n')}\n]\n`);
  return chosen;
}

function chooseCodes(dir, count, langs) {
  const codesDir = join(dir, 'data/sip/codes');
  const registryPath = join(dir, 'data/sip/iana-registry.tsv');
  const shipped = readdirSync(codesDir).filter((n) => /^\d{3}\.yaml$/.test(n)).map((n) => Number(n.slice(0, 3))).sort((a, b) => a - b);
  if (!Number.isInteger(count) || count < 2 || count > 600) throw new Error(`--codes must be from 2 to 600 (every number from 100 to 699), not ${count}`);
  const registry = readFileSync(registryPath, 'utf8').split('\n').filter(Boolean);
  const rowOf = new Map(registry.slice(1).map((line) => [Number(line.slice(0, 3)), line]));
  const localeFile = (lang, name) => join(dir, 'locales', lang, name);
  const nonEnglish = langs.filter((l) => l !== 'en');

  if (count <= shipped.length) {
    const kept = Array.from({ length: count }, (_, i) => shipped[Math.floor((i * shipped.length) / count)]);
    for (const code of shipped) {
      const path = join(codesDir, `${code}.yaml`);
      if (!kept.includes(code)) {
        rmSync(path);
        continue;
      }
      const doc = parseDocument(readFileSync(path, 'utf8'));
      doc.set('related', doc.toJS().related.filter((r) => kept.includes(r)));
      writeFileSync(path, String(doc));
    }
    writeFileSync(registryPath, `${[registry[0], ...kept.map((c) => rowOf.get(c))].join('\n')}\n`);
    // Curated confusable pairs (data/sip/confusable.yaml, where the catalog has it): only those
    // whose two codes are both kept, and their translations.
    const confusablePath = join(dir, 'data/sip/confusable.yaml');
    let keptPairs;
    if (existsSync(confusablePath)) {
      const entries = parseDocument(readFileSync(confusablePath, 'utf8')).toJS() ?? [];
      const kept2 = entries.filter((e) => e.pair.every((c) => kept.includes(c)));
      keptPairs = new Set(kept2.map((e) => e.pair.join('-')));
      writeFileSync(confusablePath, stringifyYaml(kept2, { lineWidth: 0 }));
    }
    for (const lang of langs) {
      const sip = readJson(localeFile(lang, 'sip.json'));
      if (keptPairs && sip.confusable) for (const key of Object.keys(sip.confusable)) if (!keptPairs.has(key)) delete sip.confusable[key];
      if (lang === 'en') {
        writeJson(localeFile(lang, 'sip.json'), sip);
        continue;
      }
      for (const key of Object.keys(sip.codes ?? {})) if (!kept.includes(Number(key))) delete sip.codes[key];
      writeJson(localeFile(lang, 'sip.json'), sip);
      const sources = readJson(localeFile(lang, 'sources.json'));
      for (const id of Object.keys(sources)) {
        const code = /^sip:codes\.(\d{3})\./.exec(id);
        const pair = /^sip:confusable\.(\d{3}-\d{3})\./.exec(id);
        if ((code && !kept.includes(Number(code[1]))) || (pair && keptPairs && !keptPairs.has(pair[1]))) delete sources[id];
      }
      writeJson(localeFile(lang, 'sources.json'), sources);
    }
    return kept;
  }

  // Free numbers, taken class by class in turn so the clones spread over the classes.
  const byClass = [1, 2, 3, 4, 5, 6].map((digit) => ({
    shipped: shipped.filter((c) => Math.floor(c / 100) === digit),
    free: Array.from({ length: 100 }, (_, i) => digit * 100 + i).filter((c) => !shipped.includes(c)),
  }));
  const clones = [];
  for (let round = 0; clones.length < count - shipped.length; round++) {
    for (const cls of byClass) {
      if (clones.length === count - shipped.length) break;
      const number = cls.free[round];
      if (number === undefined || cls.shipped.length === 0) continue;
      clones.push({ code: number, from: cls.shipped[round % cls.shipped.length] });
    }
  }
  const renumber = (text, from, code) => text.replace(new RegExp(`\\b${from}\\b`, 'g'), String(code));
  const locales = new Map(nonEnglish.map((lang) => [lang, { sip: readJson(localeFile(lang, 'sip.json')), sources: readJson(localeFile(lang, 'sources.json')) }]));
  for (const { code, from } of clones) {
    const doc = parseDocument(readFileSync(join(codesDir, `${from}.yaml`), 'utf8'));
    doc.set('code', code);
    doc.set('aliases', []);
    const english = {};
    for (const field of TEXT_FIELDS) {
      english[field] = renumber(String(doc.getIn(['text', field])).trim(), from, code);
      doc.setIn(['text', field], english[field]);
    }
    // Its example shows its own response: the original's status in the steps and the status line.
    const exchange = doc.getIn(['example', 'exchange']);
    for (const step of exchange?.items ?? []) {
      const message = String(step.get('message'));
      if (message.startsWith(`${from} `)) step.set('message', `${code}${message.slice(String(from).length)}`);
    }
    const message = doc.getIn(['example', 'message']);
    if (typeof message === 'string') doc.setIn(['example', 'message'], message.replace(new RegExp(`^(SIP/2\\.0 )${from}\\b`), `$1${code}`));
    writeFileSync(join(codesDir, `${code}.yaml`), String(doc));
    rowOf.set(code, rowOf.get(from).replace(/^\d{3}/, String(code)));
    for (const { sip, sources } of locales.values()) {
      const translated = sip.codes?.[from];
      if (!translated) continue;
      sip.codes[code] = Object.fromEntries(Object.entries(translated).map(([key, value]) => [key, renumber(String(value), from, code)]));
      for (const field of TEXT_FIELDS) {
        // Only a translation that is current for its English stays current for the clone.
        const record = sources[`sip:codes.${from}.${field}`];
        if (record && sip.codes[code][field] !== undefined && record.source === renumber(english[field], code, from)) {
          sources[`sip:codes.${code}.${field}`] = { hash: hashSource(english[field]), source: english[field] };
        }
      }
    }
  }
  for (const [lang, { sip, sources }] of locales) {
    writeJson(localeFile(lang, 'sip.json'), sip);
    writeJson(localeFile(lang, 'sources.json'), Object.fromEntries(Object.keys(sources).sort().map((id) => [id, sources[id]])));
  }
  const all = [...rowOf.keys()].sort((a, b) => a - b);
  writeFileSync(registryPath, `${[registry[0], ...all.map((c) => rowOf.get(c))].join('\n')}\n`);
  return all;
}

/** Change one code's English description, as an author editing the catalog would. */
export function editCode(dir, code) {
  const path = join(dir, 'data/sip/codes', `${code}.yaml`);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  doc.setIn(['text', 'description'], `${String(doc.getIn(['text', 'description'])).trim()} This sentence was added by the benchmark.`);
  writeFileSync(path, String(doc));
}
