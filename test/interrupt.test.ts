/**
 * A build killed at any moment leaves the previous output complete and unchanged, and two builds
 * started at once do not write the same output: the second one is refused with a clear message.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CLI } from './helpers/paths.js';
import { makeProject, snapshotTree, type Project } from './helpers/project.js';

// Enough pages that a build has a start-up, a rendering phase and a swap to kill it in; few enough
// that the fifteen builds below stay cheap (the moments are shares of a measured build).
const CODES = [100, 180, 183, 200, 401, 404, 407, 486, 600, 603];

let project: Project;
let before: Map<string, string>;
/** The output of the changed inputs (see 'an incremental build killed with SIGKILL'). */
let after: Map<string, string> | undefined;
/** How long one build of the project takes here, in ms. */
let duration = 0;

beforeAll(() => {
  project = makeProject(CODES);
  const started = performance.now();
  const first = project.run('build');
  duration = performance.now() - started;
  expect(first.status, first.stderr).toBe(0);
  before = snapshotTree(project.path('out'));
});

afterAll(() => project.remove());

/** A build of the project; `--force` by default, so it renders every page (nothing changed since the last). */
function startBuild(args = ['--force']) {
  const child = spawn(process.execPath, [CLI, 'build', ...args, '--root', project.dir], { env: { ...process.env, CI: 'true' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

/** Change the related codes of `code` in its YAML file. */
function setRelated(code: number, change: (related: number[]) => number[]) {
  project.edit(`data/sip/codes/${code}.yaml`, (text) => {
    const doc = parseDocument(text);
    doc.set('related', change(doc.toJS().related as number[]));
    return String(doc);
  });
}

/**
 * What builds left beside the output: nothing but `.out.previous`, the output a commit replaced,
 * kept for the next build to recycle (src/emit/output.ts), which is a whole output of earlier inputs.
 */
const leftovers = (...outputs: Array<ReturnType<typeof snapshotTree> | undefined>) => {
  const previous = project.path('.out.previous');
  if (existsSync(previous)) {
    // Less the note the build that replaced it left there for the next build.
    const tree = snapshotTree(previous);
    tree.delete('.codepairs/recycle.json');
    expect(outputs).toContainEqual(tree);
  }
  return readdirSync(project.dir).filter((name) => name.startsWith('.out.') && name !== '.out.previous');
};

/**
 * The output a killed build left: the output folder, or, when the kill fell between the two
 * renames of its commit (the output folder is then missing for an instant), the previous output
 * as the killed build left it aside (`.out.staging-<pid>.old`), which the next build puts back
 * (removeAbandoned in src/emit/output.ts; its own test is in staged-output.test.ts).
 */
const outputLeft = () => {
  if (existsSync(project.path('out'))) return snapshotTree(project.path('out'));
  const aside = readdirSync(project.dir).filter((name) => /^\.out\.staging-\d+\.old$/.test(name));
  expect(aside).toHaveLength(1);
  return snapshotTree(project.path(aside[0]!));
};

describe('a build killed with SIGKILL', () => {
  // Moments as shares of a measured build: start-up, rendering, and densely around the swap at the end.
  const shares = [0.1, 0.5, 0.9, 0.97, 0.99, 1, 1.01, 1.03, 1.06];

  it.each(shares)('at %f of a build leaves the previous output complete and unchanged', async (share) => {
    const { child, done } = startBuild();
    setTimeout(() => child.kill('SIGKILL'), share * duration);
    const result = await done;
    // A build that finished before the kill must have written the same bytes.
    if (result.signal === null) expect(result.code, result.stderr).toBe(0);
    expect(outputLeft()).toEqual(before);
  });

  it('does not stop the next build, which clears what the killed ones left', () => {
    const result = project.run('build');
    expect(result.status, result.stderr).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(before);
    expect(leftovers(before)).toEqual([]);
  });
});

describe('an incremental build killed with SIGKILL', () => {
  // The inputs change (one code's text) after \`before\` was built: a build renders that code's
  // pages and carries the other files over as hard links of the previous output's files.
  let incremental = 0;
  const saved = () => project.path('saved-out');

  beforeAll(() => {
    cpSync(project.path('out'), saved(), { recursive: true });
    setRelated(183, (related) => [...related, 486]);
    const started = performance.now();
    const result = project.run('build');
    incremental = performance.now() - started;
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ [1-9]\d* kept/);
    after = snapshotTree(project.path('out'));
    expect(after).not.toEqual(before);
  });

  /** Put the output of the old inputs back, as a fresh copy (no file shared with another folder). */
  const restore = () => {
    rmSync(project.path('out'), { recursive: true, force: true });
    cpSync(saved(), project.path('out'), { recursive: true });
  };

  const shares = [0.2, 0.6, 0.9, 0.95, 1, 1.05];

  it.each(shares)('at %f of a build leaves the previous output complete and unchanged, or the new one', async (share) => {
    restore();
    const { child, done } = startBuild([]);
    setTimeout(() => child.kill('SIGKILL'), share * incremental);
    const result = await done;
    if (result.signal === null) {
      expect(result.code, result.stderr).toBe(0);
      expect(snapshotTree(project.path('out'))).toEqual(after);
    } else {
      // Killed after the swap but before the exit, the new output is whole.
      expect([before, after]).toContainEqual(outputLeft());
    }
  });

  it('the next build finishes the job: the output of the new inputs, no leftovers', () => {
    const result = project.run('build');
    expect(result.status, result.stderr).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(after);
    expect(leftovers(before, after)).toEqual([]);
    rmSync(saved(), { recursive: true, force: true });
    // Back to the old inputs and their output, for the tests below.
    setRelated(183, (related) => related.filter((code) => code !== 486));
    expect(project.run('build').status).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(before);
  });
});

describe('two builds started at once', () => {
  it('refuse the second one with a clear message, and the first one completes', async () => {
    const first = startBuild();
    const lock = project.path('.out.lock');
    while (!existsSync(lock)) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = project.run('build');
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/error Cannot write output to `.*out`: another build \(process \d+\) is writing it; wait for it to finish, or delete `.*\.out\.lock` if no build is running\s+output-locked/);
    const result = await first.done;
    expect(result.code, result.stderr).toBe(0);
    expect(snapshotTree(project.path('out'))).toEqual(before);
    expect(leftovers(before, after)).toEqual([]);
  });
});
