import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The test files that read the background build of the shipped catalog (test/helpers/built-output.ts)
 * run last: until it is done they could only wait, so every other file runs first, beside it.
 */
const READS_FULL_BUILD = ['test/output.test.ts', 'test/browser.test.ts'];

class FullBuildLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (spec: TestSpecification) => READS_FULL_BUILD.some((name) => spec.moduleId.endsWith(name));
    return [...sorted.filter((spec) => !last(spec)), ...sorted.filter(last)];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One full build of the shipped catalog, shared by the tests that read its output.
    globalSetup: ['test/helpers/global-build.ts'],
    sequence: { sequencer: FullBuildLast },
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
