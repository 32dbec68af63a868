// Command-line flags of `npm run drill` / `rollback-drill`, parsed strictly (unknown flags and
// malformed numbers are usage errors, never ignored).
import { parseArgs } from 'node:util';
import { UsageError } from '../config/load.ts';
import type { DrillConfigInput } from '../model/drill-config.ts';

export const FLAGS = {
  profile: { type: 'string', help: 'monthly | quarterly | pre-release | post-incident (default monthly)' },
  scenario: { type: 'string', help: 'one scenario: a row of the decision matrix or one of --scenario-file (required by post-incident)' },
  target: { type: 'string', help: 'the app under drill: a profile name in targets/ (reference, settings-app) or a profile file (default reference)' },
  'app-dir': { type: 'string', help: 'your checkout of the app, for a profile that runs one (e.g. --target hyperpage)' },
  'scenario-file': { type: 'string', multiple: true, help: 'a scenario of your own (export default defineScenario({...})); repeatable' },
  variant: { type: 'string', help: 'seed | hardened | both (default hardened, pre-release both; a given value always wins)' },
  cluster: { type: 'string', help: 'auto | kind | local | existing (default auto: kind when docker+kind answer, else local)' },
  context: { type: 'string', help: 'kubeconfig context for --cluster existing' },
  'allow-context': { type: 'boolean', help: 'confirm drilling the named --context' },
  'cluster-name': { type: 'string', help: 'kind cluster name (default rollback-drill)' },
  'host-port': { type: 'string', help: '127.0.0.1 port mapped to the app NodePort on kind (default 30080)' },
  'keep-cluster': { type: 'boolean', help: 'leave the cluster/processes and objects after the drill' },
  'reuse-cluster': { type: 'boolean', help: 'reuse an existing kind cluster of that name' },
  'dataset-size': { type: 'string', help: 'users in the pre-migration SQLite dataset (default 10000)' },
  'post-migration-writes': { type: 'string', help: 'writes on PostgreSQL after the migration (default 500)' },
  'load-duration': { type: 'string', help: 'seconds of autocannon load per phase (default 10)' },
  'load-connections': { type: 'string', help: 'autocannon connections of the closed-loop phases (default 10)' },
  'load-rate-share': { type: 'string', help: "fixed rate after the fault: this share of the baseline's throughput (default 0.5)" },
  'load-rate': { type: 'string', help: 'fixed rate after the fault, requests/s (overrides the share and the profile)' },
  'write-ratio': { type: 'string', help: 'share of the load that is writes, checked in the database (default 0.25)' },
  'write-rate': { type: 'string', help: 'ledger writes/s after the restore, through the monitoring window (default 200)' },
  'min-writes-per-pod': { type: 'string', help: 'acknowledged writes per pod after the restore for data integrity to count (default 300)' },
  'error-budget': { type: 'string', help: 'largest error + non-2xx share of the load after the rollback (default 0.01)' },
  'time-scale': { type: 'string', help: 'divide trigger windows by this (default 60: 5 min → 5 s)' },
  'value-seed': { type: 'string', help: 'seed of the generated write values (default: random, printed in the report to replay a run)' },
  soak: { type: 'string', help: 'seconds the restored service is watched for restarts and readiness flaps (default: 1 h / time-scale, at least 30)' },
  'report-dir': { type: 'string', help: 'where reports go (default reports)' },
  allure: { type: 'boolean', help: 'also generate the Allure HTML report' },
  config: { type: 'string', help: 'config file (default ./drill.config.json|ts if present)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export interface ParsedArgs {
  help: boolean;
  configFile?: string;
  flags: DrillConfigInput;
}

export function parseCliArgs(argv: string[]): ParsedArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries(FLAGS).map(([k, v]) => [k, { type: v.type, ...('short' in v ? { short: v.short } : {}), ...('multiple' in v ? { multiple: v.multiple } : {}) }]),
    ) as Parameters<typeof parseArgs>[0] extends infer P ? (P extends { options?: infer O } ? O : never) : never;
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as { values: typeof values });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see --help)`);
  }
  const num = (flag: string): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag}: "${String(raw)}" is not a number`);
    return n;
  };
  const str = (flag: string) => values[flag] as string | undefined;
  const bool = (flag: string) => (values[flag] === undefined ? undefined : Boolean(values[flag]));
  return {
    help: Boolean(values.help),
    configFile: str('config'),
    flags: {
      profile: str('profile') as DrillConfigInput['profile'],
      scenario: str('scenario'),
      scenarioFiles: values['scenario-file'] as string[] | undefined,
      target: str('target'),
      appDir: str('app-dir'),
      variant: str('variant') as DrillConfigInput['variant'],
      cluster: str('cluster') as DrillConfigInput['cluster'],
      context: str('context'),
      allowContext: bool('allow-context'),
      clusterName: str('cluster-name'),
      hostPort: num('host-port'),
      keepCluster: bool('keep-cluster'),
      reuseCluster: bool('reuse-cluster'),
      datasetSize: num('dataset-size'),
      postMigrationWrites: num('post-migration-writes'),
      loadDurationSec: num('load-duration'),
      loadConnections: num('load-connections'),
      loadRateShare: num('load-rate-share'),
      loadRate: num('load-rate'),
      writeRatio: num('write-ratio'),
      postRestoreWriteRate: num('write-rate'),
      minWritesPerPod: num('min-writes-per-pod'),
      errorBudget: num('error-budget'),
      timeScale: num('time-scale'),
      valueSeed: num('value-seed'),
      soakSec: num('soak'),
      reportDir: str('report-dir'),
      allure: bool('allure'),
    },
  };
}

export function helpText(): string {
  const lines = Object.entries(FLAGS).map(([k, v]) => {
    const name = `--${k}${v.type === 'string' ? ' VALUE' : ''}${'short' in v ? `, -${v.short}` : ''}`;
    return `  ${name.padEnd(30)} ${v.help}`;
  });
  return [
    'rollback-drill: drill the PostgreSQL → SQLite rollback runbook for real',
    '',
    'usage: npm run drill -- [flags]      (or: npx rollback-drill [flags])',
    '',
    ...lines,
    '',
    'exit codes: 0 every verdict matches its expectation (seed runbook defects fail as declared, all else passes),',
    '            1 a verdict does not (an unexpected failure, or an expected failure that passed), 2 usage/config error,',
    '            3 platform or baseline could not be set up, 130/143 interrupted',
  ].join('\n');
}
