import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One full build of the shipped catalog, shared by the tests that read its output.
    globalSetup: ['test/helpers/global-build.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
