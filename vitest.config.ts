import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and drill suites that stand up a whole
// platform and so need drill-length timeouts and must not run in parallel (2-core machines,
// one embedded PostgreSQL per drill).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['app/**/*.test.ts', 'harness/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'drill',
          include: ['suites/**/*.drill.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
