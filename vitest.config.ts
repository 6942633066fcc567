import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The integration suites start real servers; two cores, so keep it modest.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
