import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores on the build machines; integration suites start real servers.
    pool: 'forks',
    testTimeout: 30_000,
    // The JSON report lets .ci/run print one honest total.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
