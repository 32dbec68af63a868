import { defineConfig } from 'vitest/config';

// Two projects, run one after the other (sequence.groupOrder): fast unit tests beside the code, two
// files at a time (they mostly wait on processes and sockets); then the drill suites, which stand
// up a whole platform (one embedded PostgreSQL per drill) and so need drill-length timeouts and run
// one file at a time on a 2-core machine. Leak checks are scoped to their own run id, so a parallel
// file's processes are not mistaken for a leak.
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['app/**/*.test.ts', 'harness/**/*.test.ts', 'scripts/**/*.test.ts', 'datatool/**/*.test.ts', 'fixtures/**/*.test.ts', 'targets/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          sequence: { groupOrder: 0 },
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
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
