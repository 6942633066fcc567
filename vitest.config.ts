import { defineConfig } from 'vitest/config';

/**
 * Tests outside test/server and test/e2e that are not unit tests: they start
 * the compiled CLI or a server, read the built bundles in dist/, or (the
 * hostile-input scans) spend a minute or more of CPU on 1 MB inputs.
 */
const NOT_UNIT = [
  'test/detect/adversarial.test.ts',
  'test/cli/check-tls.test.ts',
  'test/cli/manifest.test.ts',
  'test/cli/scan-command.test.ts',
  'test/cli/scan-documents.test.ts',
  'test/addin/addin-files.test.ts',
  'test/addin/commands-bundle.test.ts',
];

export default defineConfig({
  test: {
    // Two cores on the build machines; integration suites start real servers.
    pool: 'forks',
    testTimeout: 30_000,
    // The JSON report lets .ci/run print one honest total over every tier.
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results/vitest.json' },
    // Four tiers, each runnable alone (`npm run test:unit` and so on);
    // `vitest run` with no --project runs them all.
    projects: [
      {
        // No services, no child processes, no browser, no build output.
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/server/**', 'test/e2e/**', 'test/fleet/**', ...NOT_UNIT],
        },
      },
      {
        // PostgreSQL, Redis, SMTP sinks, spawned servers and CLIs, built bundles, 1 MB scans.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/server/**/*.test.ts', ...NOT_UNIT],
        },
      },
      {
        // Several spawned servers on one PostgreSQL, Redis, S3 bucket and relay, with faults injected.
        extends: true,
        test: {
          name: 'fleet',
          include: ['test/fleet/**/*.test.ts'],
        },
      },
      {
        // Chromium driven through playwright-core.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
        },
      },
    ],
  },
});
