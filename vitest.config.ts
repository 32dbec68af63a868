import { configDefaults, defineConfig } from 'vitest/config';

// Two groups, run one after the other (sequence.groupOrder).
//  - Group 0: the fast unit tests beside the code, two files at a time (the phase keeps both cores
//    busy), and beside them two drill files whose verdicts rest on no latency or rate (project
//    "beside-unit"): the settings app's seed runs, mostly the runbook's own waits, whose every
//    criterion fails by a declared finding; and the proofs that count, ask the database or read the
//    pods' status (suites/beside-unit/proofs.drill.ts, one after another). Its project's name sorts
//    before "unit", so both start first and overlap the unit tests; the group has four workers so
//    the unit tests keep two.
//  - Group 1: the tests that judge rates and latencies (project "alone", `*.alone.test.ts`), then
//    the drill suites, which stand up a whole platform (one embedded PostgreSQL per drill)
//    and run one file at a time: two drills at once on 2 cores pushed a healthy drill's p99 past the
//    500 ms criterion. Leak checks are scoped to their own run id, so another file's processes are
//    not mistaken for a leak.
// The drill files share one worker (isolate: false): it loads the harness once, and what a drill
// measures once per run and target (the preflight's premises: drill/preflight-phase.ts) is measured
// once, as in one CLI run. The unit files keep a fresh worker each: sharing gained nothing there
// (246 s against 224 s), and a worker that lives on keeps whatever a test left running.
const GROUP_0_WORKERS = 4;
const UNIT_FILES = ['app/**/*.test.ts', 'harness/**/*.test.ts', 'scripts/**/*.test.ts', 'datatool/**/*.test.ts', 'fixtures/**/*.test.ts', 'targets/**/*.test.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: UNIT_FILES,
          exclude: [...configDefaults.exclude, '**/*.alone.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: GROUP_0_WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'beside-unit',
          include: ['suites/beside-unit/**/*.drill.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          pool: 'forks',
          maxWorkers: GROUP_0_WORKERS,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Tests that judge rates and latencies of real servers: one file at a time, alone on the machine.
        test: {
          name: 'alone',
          include: UNIT_FILES.map((g) => g.replace(/\*\.test\.ts$/, '*.alone.test.ts')),
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'drill',
          include: ['suites/**/*.drill.ts'],
          exclude: [...configDefaults.exclude, 'suites/beside-unit/**'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          pool: 'forks',
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
