// One hardened drill of a row with the reference app's image mapped to a broken build
// (app/test-support/mutant-main.ts), as a user maps a build in through the drill config's `images`;
// its verdicts are judged and journalled as the suites do, and report.md rendered from the journal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Mutant } from '../../app/test-support/mutant-main.ts';
import { drillExitCode } from '../../harness/cli/exit-code.ts';
import { parseDrillConfig } from '../../harness/config/parse.ts';
import { applyExpectations } from '../../harness/criteria/expectations.ts';
import { loadCriteria } from '../../harness/criteria/registry.ts';
import { criterionVerdicts } from '../../harness/drill/judge.ts';
import { runScenario } from '../../harness/drill/run-scenario.ts';
import { Journal, readJournal } from '../../harness/journal/journal.ts';
import { REPO_ROOT } from '../../harness/kit/repo.ts';
import type { ProcedureContext } from '../../harness/model/context.ts';
import { type ScenarioName } from '../../harness/model/drill-config.ts';
import type { EventOf, JournalEvent } from '../../harness/model/journal-events.ts';
import type { ScenarioOutcome } from '../../harness/model/outcome.ts';
import type { Procedure } from '../../harness/model/procedure.ts';
import type { Verdict } from '../../harness/model/verdict.ts';
import { tsxNodeCommand } from '../../harness/platform/local/config.ts';
import { renderRunReports } from '../../harness/report/write.ts';
import { loadScenarios } from '../../harness/scenarios/registry.ts';
import { drillEnv, progress } from '../drill-env.ts';

export interface Drilled {
  outcome: ScenarioOutcome;
  verdicts: Map<string, Verdict>;
  events: JournalEvent[];
  exitCode: number;
  reportMd: string;
}

/** One hardened drill of `scenario` with the app image mapped to a broken build; verdicts journalled as the suites do. */
export async function drillMutant(scenario: ScenarioName, mutants: Mutant[], procedure?: Procedure<ProcedureContext>): Promise<Drilled> {
  const env = drillEnv();
  const runDir = path.join(env.runDir, `mutant-${mutants.join('+')}`);
  const images = {
    'hyperpage:*': {
      command: [...tsxNodeCommand(), path.join(REPO_ROOT, 'app', 'test-support', 'mutant-main.ts'), `--mutants=${mutants.join(',')}`, `--state=${path.join(runDir, 'mutant-state')}`],
      bins: { 'hyperpage-cli': path.join(REPO_ROOT, 'app', 'bin', 'hyperpage-cli') },
    },
  };
  const config = parseDrillConfig({ ...env.config, images });
  const journal = new Journal(path.join(runDir, 'journal.jsonl'));
  const outcome = await runScenario({ config, scenario, variant: 'hardened', runDir, progress, journal, procedure });
  const list = applyExpectations(criterionVerdicts(outcome, (await loadScenarios()).get(scenario), await loadCriteria()), scenario, 'hardened');
  for (const v of list) journal.write({ type: 'verdict', ...v });
  const events = readJournal(journal.file);
  await renderRunReports(journal, runDir, () => undefined);
  return { outcome, verdicts: new Map(list.map((v) => [v.id, v])), events, exitCode: drillExitCode({ failedTests: 0, unhandledErrors: 0, events }), reportMd: readFileSync(path.join(runDir, 'report.md'), 'utf8') };
}

export const findings = (events: JournalEvent[]) => events.filter((e): e is EventOf<'finding'> & JournalEvent => e.type === 'finding');
export const say = (v: Verdict) => `${v.id}: measured ${String(v.measured)} — ${v.evidence}`;
