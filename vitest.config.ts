import { defineConfig } from 'vitest/config';

/**
 * The collector's contract tests that run a second time against PostgreSQL (a scratch schema
 * per collector, see test/support/collector.ts). Needs BLITZ_TEST_DATABASE_URL; without it the
 * second run is left out locally, and in CI the PostgreSQL tests fail (test/collector-pg).
 */
const CONTRACT_ON_POSTGRES = [
  'test/collector/api.test.ts',
  'test/collector/public.test.ts',
  'test/collector/sync.test.ts',
  'test/collector/visibility.test.ts',
  'test/collector/mailbox-signals.test.ts',
  'test/collector/tracking-domain.test.ts',
  'test/collector/tracking-domain-probe.test.ts',
  'test/collector/consent.test.ts',
];
const pgUrl = process.env.BLITZ_TEST_DATABASE_URL ?? '';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      // DATABASE_URL (exported for `npm run collector` by scripts/ci-postgres.sh) must not turn
      // every test collector into a PostgreSQL one: tests choose their store explicitly.
      {
        extends: true,
        test: {
          name: 'default',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          env: { DATABASE_URL: '' },
        },
      },
      ...(pgUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'contract-pg',
                include: CONTRACT_ON_POSTGRES,
                env: { DATABASE_URL: '', BLITZ_TEST_STORE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
