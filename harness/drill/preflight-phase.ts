// The preflight phase (right after setup, before any drill traffic): the runbook's premises about the
// app, measured on the drill's own platform for every target (harness/probes/preflight.ts measures,
// this file provides the app starts, the database reads and the PostgreSQL stop they need).
// Each premise becomes a `check` (the gate judges it: a rollback that leans on a premise the app
// breaks cannot be trusted) and a `finding` (confirmed when it does not hold), both carrying the
// measured line. A premise that cannot be measured here (say, no host URL for the scratch Service on
// kind) is a finding "not measured" with the reason, and no check. The runbook's own tools (curl,
// sqlite3, exec'd in the app pods) are a finding only: a runbook defect for images without them.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { psql } from '../kit/psql.ts';
import { appLoginRefused, postgresStartFailures } from '../kit/postgres-checks.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import type { Platform } from '../model/platform.ts';
import { done, notYet, poll, waitFor } from '../platform/wait.ts';
import { sqliteDeployment } from '../procedures/actions.ts';
import { POSTGRES_PODS, scaleToZero, waitForNoPods } from '../kit/pods.ts';
import { backupSqlite } from '../kit/data-tool.ts';
import { answeredHealthy, describeHealth, healthCheck } from '../kit/health.ts';
import {
  checkBaselineAcknowledgesWrites,
  checkEngineValueStrict,
  checkHealthReflectsDatabase,
  checkSqliteSchemaBeforeTraffic,
  type DatabaseReader,
  type PreflightId,
  type PreflightResult,
  type StartOutcome,
} from '../probes/preflight.ts';
import { sqliteQueryJob } from '../kit/sqlite-query.ts';
import { causesOf, distinctAnswers } from '../kit/causes.ts';
import { systemLinesSince, systemLogCursor } from './system-logs.ts';
import type { Causes } from '../model/journal-events.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import type { Phase } from './phases.ts';
import type { DrillState } from './state.ts';

const NS = TOPOLOGY.namespace;

/** The scratch app deployment and its Service (labels no Service of the baseline selects). */
export const PREFLIGHT_APP = 'drill-preflight';
const LABELS = { app: PREFLIGHT_APP } as const;
/** Files on the SQLite claim, beside (never instead of) the drill's own. */
export const PREFLIGHT_FILES = { fresh: '/data/drill-preflight-fresh.db', copy: '/data/drill-preflight-engine.db' } as const;
/** Tools the runbook execs in the app pods (its validation: `kubectl exec … -- curl`, `… -- sqlite3`). */
export const RUNBOOK_EXEC_TOOLS = [
  { tool: 'curl', argv: ['curl', '--version'] },
  { tool: 'sqlite3', argv: ['sqlite3', '-version'] },
] as const;

/** What a premise's breach means (the finding's title) and what to fix; the check keeps the premise's own title. */
export const PREMISE_FINDINGS: Record<PreflightId | 'runbook-exec-tools', { id: string; title: string; fix: string }> = {
  'engine-value-strict': {
    id: 'premise-engine-value-strict',
    title: 'A mistyped engine value is not refused at start: the app serves from some engine anyway',
    fix: 'refuse to start on any engine value but the exact ones, naming the value (a non-zero exit is what the rollback can see)',
  },
  'health-reflects-database': {
    id: 'premise-health-reflects-database',
    title: 'The health check answers 2xx while PostgreSQL is down: "health check passed" proves nothing about the database',
    fix: "make the health check query the database it serves from (a SELECT 1 on the engine in use), so the runbook's triggers can see PostgreSQL go down",
  },
  'baseline-acknowledges-writes': {
    id: 'premise-baseline-acknowledges-writes',
    title: 'The PostgreSQL baseline does not acknowledge writes (or they do not land in PostgreSQL): there is nothing on PostgreSQL to roll back from',
    fix: 'make PostgreSQL mode write to PostgreSQL (the answers and log lines say what it sends instead) before drilling a rollback from it',
  },
  'sqlite-schema-before-traffic': {
    id: 'premise-sqlite-schema-before-traffic',
    title: 'A SQLite deployment on a new file serves without its schema: nothing creates the tables before traffic arrives',
    fix: 'create the SQLite schema on start, before the first request is served (or have the rollback migrate the file before it switches the Service)',
  },
  'runbook-exec-tools': {
    id: 'premise-runbook-exec-tools',
    title: "The runbook's exec of curl and sqlite3 in the app pods fails: the image lacks them",
    fix: "put curl and sqlite3 in the app image, or run the runbook's checks from a pod of their own",
  },
};

/** The outcome of one premise: measured (a PreflightResult, with the pods' telling log lines), or why it could not be. */
export type PremiseOutcome = { id: PreflightId; title: string; result: PreflightResult; logs?: Causes['logs'] } | { id: PreflightId; title: string; notMeasured: string };

const TITLES: Record<PreflightId, string> = {
  'baseline-acknowledges-writes': 'The PostgreSQL baseline acknowledges writes, and they land in PostgreSQL',
  'sqlite-schema-before-traffic': 'The SQLite schema exists before traffic reaches it',
  'engine-value-strict': 'The engine variable is honoured strictly',
  'health-reflects-database': 'The health check reflects the database',
};

/** Journal one premise: a check (measured only) and a finding, both with the measured line, and, when it broke, its causes. */
export function journalPremise(journal: DrillState['journal'], o: PremiseOutcome): void {
  const f = PREMISE_FINDINGS[o.id];
  if ('notMeasured' in o) {
    journal.write({ type: 'log', level: 'warn', message: `preflight ${o.id} not measured: ${o.notMeasured}` });
    journal.write({ type: 'finding', id: f.id, title: f.title, detail: `not measured: ${o.notMeasured}`, confirmed: false, kind: 'note' });
    return;
  }
  const r = o.result;
  const causes = r.holds ? undefined : causesOf({ answers: distinctAnswers(r.answers ?? []), logs: o.logs, fix: f.fix });
  const provenance = { kind: 'measured' as const, source: r.evidence.slice(0, 3).join('; ').slice(0, 300) || 'the preflight' };
  journal.write({
    type: 'check',
    id: `preflight-${r.id}`,
    title: r.title,
    passed: r.holds,
    measured: r.measured,
    expected: 'pass',
    matches: r.holds,
    procedure: 'preflight',
    stepId: r.id,
    says: r.says,
    provenance,
    ...(causes ? { causes } : {}),
  });
  journal.write({ type: 'finding', id: f.id, title: f.title, detail: `${r.holds ? 'premise holds' : 'premise broken'}: ${r.measured}`, confirmed: !r.holds, kind: 'premise', provenance, ...(causes ? { causes } : {}) });
}

/** What the profile declares about its image's tools, when the platform runs only those (local): then nothing was exec'd in the real image. */
export function declaredImageTools(target: Pick<TargetProfile, 'images'>, image: string): { pattern: string; tools: readonly string[] } | undefined {
  for (const [pattern, spec] of Object.entries(target.images ?? {})) {
    const hit = pattern === image || (pattern.endsWith('*') && image.startsWith(pattern.slice(0, -1)));
    if (hit && spec.tools) return { pattern, tools: spec.tools };
  }
  return undefined;
}

/** Exec of each runbook tool in the app pods; a finding (confirmed when one is missing) with every exit code. */
export async function runbookExecTools(platform: Platform, deployment: string, signal?: AbortSignal): Promise<{ missing: string[]; measured: string }> {
  const parts: string[] = [];
  const missing: string[] = [];
  for (const t of RUNBOOK_EXEC_TOOLS) {
    const r = await platform.exec(NS, deployment, [...t.argv], { timeoutMs: 10_000, signal }).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message, pod: '?' }));
    const line = (r.exitCode === 0 ? r.stdout : r.stderr || r.stdout).trim().split('\n')[0]?.slice(0, 160) ?? '';
    if (r.exitCode !== 0) missing.push(t.tool);
    parts.push(`exec ${t.argv.join(' ')} in deployment/${deployment} (pod ${r.pod}): exit ${r.exitCode}${line ? ` (${line})` : ''}`);
  }
  return { missing, measured: parts.join('; ') };
}

/** Databases read from outside: SQLite `file` by a data-tool Job on the claim (any image), PostgreSQL by psql in its pod. */
export function drillReader(platform: Platform, file: string, signal?: AbortSignal): DatabaseReader {
  return {
    async query(engine, sql) {
      if (engine === 'sqlite') return (await sqliteQueryJob(platform, file, sql, signal)).stdout;
      return (await psql({ platform, signal }, sql)) + '\n';
    },
  };
}

/** The app in the given engine mode on `file`, 1 replica, with the PostgreSQL URL from the app secret (a mistyped engine may use either). */
export function preflightDeployment(target: Pick<TargetProfile, 'app' | 'health'>, image: string, engineValue: string, file: string): V1Deployment {
  const dep = sqliteDeployment({ name: PREFLIGHT_APP, image, target, replicas: 1, labels: { ...LABELS }, readiness: { initialDelaySeconds: 0, periodSeconds: 1, failureThreshold: 1 } });
  const c = dep.spec!.template.spec!.containers[0]!;
  c.env = [
    ...(c.env ?? []).filter((e) => e.name !== target.app.env.engine && e.name !== target.app.env.sqlitePath),
    { name: target.app.env.engine, value: engineValue },
    { name: target.app.env.sqlitePath, value: file },
    { name: target.app.env.databaseUrl, valueFrom: { secretKeyRef: { name: TOPOLOGY.appSecret, key: 'DATABASE_URL' } } },
  ];
  return dep;
}

function preflightService(port: number): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: PREFLIGHT_APP, namespace: NS, labels: { ...LABELS } },
    spec: { selector: { ...LABELS }, ports: [{ name: 'http', port: 80, targetPort: port }] },
  };
}

/** Why a pod of the scratch deployment is not serving: a container that exited, with its code and last log line. */
async function whyNotServing(platform: Platform): Promise<string | null> {
  const pods = await platform.listPods(NS, { ...LABELS }).catch(() => []);
  for (const p of pods)
    for (const c of p.status?.containerStatuses ?? []) {
      const t = c.state?.terminated ?? c.lastState?.terminated;
      if (t && t.exitCode !== 0) {
        const logs = await platform.logs(NS).catch(() => []);
        const last = logs.find((l) => l.pod === p.metadata?.name)?.text.trim().split('\n').at(-1)?.slice(0, 200);
        return `exit code ${t.exitCode}${last ? `: ${last}` : ''}`;
      }
    }
  return null;
}

/** Starts the scratch app (replacing a previous one) and waits until it serves, exits, or `timeoutMs` passes. */
async function startScratch(s: DrillState, engineValue: string, file: string, timeoutMs: number): Promise<StartOutcome> {
  const { platform, target, image, signal } = s;
  await platform.delete('Deployment', NS, PREFLIGHT_APP);
  await waitForNoPods(platform, NS, { ...LABELS }, 30_000, signal);
  await platform.apply([preflightDeployment(target, image, engineValue, file), preflightService(target.app.port)]);
  const t0 = Date.now();
  const r = await poll(
    async () => {
      const st = await platform.getDeploymentStatus(NS, PREFLIGHT_APP);
      if (st.readyReplicas >= 1) return done('ready' as const);
      const why = await whyNotServing(platform);
      return why ? done(why) : notYet(`${st.readyReplicas}/1 ready`);
    },
    { describe: `${PREFLIGHT_APP} ready`, timeoutMs, intervalMs: 200, signal },
  );
  const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (!r.done) return { refused: true, detail: `not ready after ${took} (${r.state})` };
  if (r.value !== 'ready') return { refused: true, detail: `${r.value} (after ${took})` };
  const baseUrl = await platform.serviceUrl(NS, PREFLIGHT_APP);
  return { refused: false, baseUrl, stop: () => platform.delete('Deployment', NS, PREFLIGHT_APP) };
}

/** The baseline could not be restored after a premise was measured: the drill cannot go on (exit 3). */
export class PreflightBrokeBaseline extends Error {
  override readonly name = 'PreflightBrokeBaseline';
}

/** Scales PostgreSQL to 0 and back, and waits until the app Service answers healthy again. */
function postgresHooks(s: DrillState) {
  const { platform, signal } = s;
  return {
    async stopDatabase() {
      await scaleToZero(platform, TOPOLOGY.postgresDeployment, POSTGRES_PODS, 60_000, signal);
    },
    async databaseDown() {
      // On the component: no pod left, and a login with the app's credentials refused.
      const st = await platform.getDeploymentStatus(NS, TOPOLOGY.postgresDeployment);
      const login = await appLoginRefused({ platform, target: s.target, signal });
      return st.readyReplicas === 0 && login.refused ? `deployment/${TOPOLOGY.postgresDeployment} ${st.readyReplicas}/${st.replicas} ready; a Job with the app's credentials: ${login.detail}` : null;
    },
    async startDatabase() {
      await platform.scale(NS, TOPOLOGY.postgresDeployment, 1);
      await platform.waitForReady(NS, TOPOLOGY.postgresDeployment, 1, { timeoutMs: 60_000, signal }).catch(async (err: Error) => {
        throw new PreflightBrokeBaseline(`PostgreSQL did not come back after the preflight: ${err.message} ${(await postgresStartFailures(platform)).join('; ')}`);
      });
      // The app's pools reconnect: the drill starts only once the baseline answers healthy again.
      const h0 = Date.now();
      await waitFor(
        async () => {
          const h = await healthCheck(s.serviceUrl, 2_000, s.target);
          return answeredHealthy(h) ? done(true) : notYet(describeHealth(h));
        },
        { describe: `${s.target.health.path} healthy again after PostgreSQL restarted`, timeoutMs: 60_000, intervalMs: 200, signal },
      ).catch((err: Error) => {
        throw new PreflightBrokeBaseline(`the app did not answer healthy after PostgreSQL came back: ${err.message}`);
      });
      s.progress(`  PostgreSQL back, ${s.target.health.path} healthy again ${((Date.now() - h0) / 1000).toFixed(1)} s later`);
    },
  };
}

async function measure(s: DrillState, id: PreflightId, fn: () => Promise<PreflightResult>): Promise<PremiseOutcome> {
  const { signal } = s;
  const cursor = await systemLogCursor(s);
  try {
    const result = await fn();
    if (result.holds) return { id, title: TITLES[id], result };
    // The pods that served or refused the premise's requests: the app, the scratch app, PostgreSQL.
    return { id, title: TITLES[id], result, logs: await systemLinesSince(s, cursor, PREFLIGHT_APP) };
  } catch (err) {
    signal.throwIfAborted();
    if (err instanceof PreflightBrokeBaseline) throw err;
    return { id, title: TITLES[id], notMeasured: (err as Error).message.split('\n')[0]!.slice(0, 300) };
  }
}

/** Runs every premise on the drill's platform, journals each, and leaves the baseline as it found it. */
export async function runPreflight(s: DrillState): Promise<PremiseOutcome[]> {
  const { platform, target, journal, signal, image } = s;
  const t0 = Date.now();
  const tag = `${platform.runId}-${s.variant}`.slice(-24);
  const out: PremiseOutcome[] = [];
  const done1 = (o: PremiseOutcome) => {
    out.push(o);
    journalPremise(journal, o);
    s.progress(`  ${'notMeasured' in o ? '?' : o.result.holds ? '✓' : '✗'} premise ${o.id}: ${'notMeasured' in o ? `not measured: ${o.notMeasured}` : o.result.measured}`);
  };
  try {
    // Through the baseline itself, before any other drill write (a register's initial values are read after this).
    done1(await measure(s, 'baseline-acknowledges-writes', () => checkBaselineAcknowledgesWrites({ target, baseUrl: s.serviceUrl, reader: drillReader(platform, TOPOLOGY.sqlitePath, signal), tag: `pre-${tag}` })));

    // A SQLite deployment on a new file: does anything create the schema before traffic?
    done1(
      await measure(
        s,
        'sqlite-schema-before-traffic',
        async () => {
          const started = await startScratch(s, target.app.engines.sqlite, PREFLIGHT_FILES.fresh, 30_000);
          if (started.refused) {
            const reader = drillReader(platform, PREFLIGHT_FILES.fresh, signal);
            const r = await checkSqliteSchemaBeforeTraffic({ target, reader });
            return { ...r, holds: false, measured: `the SQLite deployment on a new file did not serve: ${started.detail}; ${r.measured}`, says: `a SQLite deployment on a new file did not serve (${started.detail})` };
          }
          return checkSqliteSchemaBeforeTraffic({ target, reader: drillReader(platform, PREFLIGHT_FILES.fresh, signal), baseUrl: started.baseUrl, tag: `fresh-${tag}` });
        },
      ),
    );

    // A mistyped engine value, on a copy of the baseline's SQLite file (a write it serves lands there, not in the drill's file).
    done1(
      await measure(
        s,
        'engine-value-strict',
        async () => {
          const copy = await backupSqlite({ platform, target }, PREFLIGHT_FILES.copy, signal);
          if (!copy.res.succeeded) throw new Error(`copy of the SQLite file for the scratch app failed: exit ${copy.res.exitCode}`);
          return checkEngineValueStrict({ target, reader: drillReader(platform, PREFLIGHT_FILES.copy, signal), start: (v) => startScratch(s, v, PREFLIGHT_FILES.copy, 20_000) });
        },
      ),
    );
    await platform.delete('Deployment', NS, PREFLIGHT_APP);

    // Last: PostgreSQL stopped under the running baseline, then back (the drill waits until the app is healthy again).
    const health = await measure(s, 'health-reflects-database', () => checkHealthReflectsDatabase({ target, baseUrl: s.serviceUrl, ...postgresHooks(s), samples: 5, intervalMs: 200 }));
    done1(health);
    if ('result' in health) journalHealthDeclaration(journal, target, health.result);

    const tools = await runbookExecTools(platform, TOPOLOGY.appDeployment, signal);
    const f = PREMISE_FINDINGS['runbook-exec-tools'];
    // On the local platform an exec runs only the tools the profile lists for its image: the outcome
    // follows from that declaration, and nothing ran in the real image (kind execs in it).
    const declared = platform.name === 'local' ? declaredImageTools(target, image) : undefined;
    const provenance = declared
      ? { kind: 'declared' as const, source: `target profile ${target.name}: images['${declared.pattern}'].tools = [${declared.tools.join(', ')}] (the local platform execs only an image's declared tools; nothing ran in the real image)` }
      : { kind: 'measured' as const, source: `exec in deployment/${TOPOLOGY.appDeployment} on ${platform.name}` };
    journal.write({
      type: 'finding',
      id: f.id,
      title: f.title,
      detail: `${tools.missing.length ? `missing ${tools.missing.join(', ')}` : 'both present'}: ${tools.measured}`,
      confirmed: tools.missing.length > 0,
      kind: 'premise',
      provenance,
      ...(tools.missing.length ? { causes: { fix: f.fix } } : {}),
    });
    s.progress(`  ${tools.missing.length ? '✗' : '✓'} runbook exec tools${declared ? ` (declared by the profile: images['${declared.pattern}'].tools)` : ''}: ${tools.measured}`);
  } finally {
    await platform.delete('Deployment', NS, PREFLIGHT_APP).catch(() => undefined);
    await platform.delete('Service', NS, PREFLIGHT_APP).catch(() => undefined);
    s.progress(`  preflight took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return out;
}

/**
 * The profile declares whether its health check reflects the database (health.reflectsDatabase);
 * the premise measured it. A declaration the measurement contradicts is a note: the profile is wrong.
 */
export function journalHealthDeclaration(journal: DrillState['journal'], target: Pick<TargetProfile, 'name' | 'health'>, r: PreflightResult): void {
  const declared = target.health.reflectsDatabase;
  if (r.measured.startsWith('inconclusive')) return;
  const agrees = declared === r.holds;
  journal.write({
    type: 'finding',
    id: 'profile-health-declaration',
    title: `The profile's health.reflectsDatabase (${declared}) ${agrees ? 'agrees with' : 'contradicts'} the measured health check`,
    detail: `declared ${declared}; measured: ${r.measured}`,
    confirmed: !agrees,
    kind: 'note',
    provenance: { kind: 'inferred', source: `target profile ${target.name}: health.reflectsDatabase (declared) compared with the health premise (measured)` },
  });
}

/** The target profile's own findings, journalled once per run as declared (each reads "declared by the profile"). */
export function journalProfileFindings(journal: DrillState['journal'], target: Pick<TargetProfile, 'name' | 'findings'>): void {
  for (const f of target.findings ?? []) {
    const masks = (f.masks ?? []).map((m) => `masks ${m.finding} on ${m.check} (${m.variant}): ${m.because}`);
    const expects = (f.expectedFailures ?? []).map((x) => `expected to fail ${x.check} (${x.variant})`);
    journal.write({
      type: 'finding',
      id: f.id,
      title: f.title,
      detail: [...masks, ...expects].join('; ') || 'declared by the profile',
      confirmed: false,
      kind: 'premise',
      provenance: { kind: 'declared', source: `target profile ${target.name}: findings` },
      ...(f.fix ? { causes: { fix: f.fix } } : {}),
    });
  }
}

/** The phase entry (phases.ts): after setup, before any load or ledger write. */
export const PREFLIGHT_PHASE: Phase = {
  id: 'preflight',
  // Once per run and target: the premises are the app build's, not a scenario's, and each costs a
  // PostgreSQL restart and two scratch pods (6–8 s): a pre-release run of 10 drills measures them once.
  // Only PostgreSQL not coming back is a set-up failure; a premise that cannot be measured is a finding.
  setup: 'the baseline after the preflight (PostgreSQL restarted, the app healthy again)',
  async run(s) {
    const first = premisesMeasured.get(premiseKey(s));
    if (first !== undefined) {
      s.journal.write({ type: 'log', level: 'info', message: `preflight: the premises of ${s.target.name} were measured in ${first} of this run` });
      s.progress(`  premises of ${s.target.name} measured in ${first} of this run`);
      return;
    }
    premisesMeasured.set(premiseKey(s), s.tag);
    journalProfileFindings(s.journal, s.target);
    await runPreflight(s);
  },
};

/** Run (the CLI's run id, or this process under `npm test`) + target → the drill that measured its premises. */
const premisesMeasured = new Map<string, string>();
const premiseKey = (s: DrillState) => `${s.o.runIdPrefix ?? ''}\n${s.target.name}`;
