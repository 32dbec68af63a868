// Data recovery (the runbook's "Recovery Strategies: Data Recovery from PostgreSQL to SQLite").
// seed: the runbook's recovery pod pg_dumps into /tmp of a throwaway pod and sleeps 300 s; nothing
//   reaches SQLite. Not executed (it would only leave a pod behind); its manifest is checked and the
//   finding recorded as read, not measured.
// hardened: drill-data copies every key PostgreSQL has and SQLite lacks into SQLite (upsert: on a key
//   both hold, SQLite's row is kept: the restored app has been taking writes, so it is the newer), from
//   the server or, when it is down or cut off, from its data directory; verified by every PostgreSQL
//   key found in SQLite, per table. A mapped table missing on PostgreSQL is left as SQLite has it.
import type { Procedure } from '../model/procedure.ts';
import { validateManifest } from '../platform/schema.ts';
import { postgresAcceptsConnections } from '../kit/pods.ts';
import { assertCopied, copyToSqlite, presentTablesOrAll, salvageToSqlite } from '../kit/data-tool.ts';
import { recordFinding } from '../kit/findings.ts';
import { type ProcedureContext } from '../model/context.ts';
import { recoveryPod } from './runbook-manifests.ts';


export function hardenedDataRecovery(): Procedure<ProcedureContext> {
  return {
    name: 'data-recovery',
    variant: 'hardened',
    steps: [
      {
        id: 'recover-postgres-to-sqlite',
        name: 'Recover PostgreSQL → SQLite (keys SQLite lacks; its own rows kept) and verify every PostgreSQL key is in SQLite',
        budgetMs: 120_000,
        async run(ctx, signal) {
          const up = await postgresAcceptsConnections(ctx.platform, signal);
          const tables = up ? await presentTablesOrAll(ctx, signal) : undefined;
          const r = up ? await copyToSqlite(ctx, { mode: 'upsert', tables: tables?.present, signal }) : await salvageToSqlite(ctx, { mode: 'upsert', signal });
          const out = assertCopied(`drill-data ${up ? 'copy' : 'salvage'} (upsert)`, r);
          const kept = tables?.missing.length ? `; missing on PostgreSQL, kept from SQLite: ${tables.missing.join(', ')}` : '';
          const keys = out.tables.map((t) => `${t.table} ${t.keys?.foundInSqlite ?? '?'}/${t.rows.postgres} (${t.keys?.inserted ?? '?'} inserted)`).join(', ');
          return `${up ? 'from the server' : 'from the data directory (server down)'}: every PostgreSQL key in SQLite after drill-data's upsert, SQLite's rows kept on a conflict: ${keys}${kept}`;
        },
      },
    ],
  };
}

export function seedDataRecovery(): Procedure<ProcedureContext> {
  return {
    name: 'data-recovery',
    variant: 'seed',
    steps: [
      {
        id: 'recovery-pod-as-written',
        name: 'Recovery pod as written (pg_dump to /tmp in the pod, sleep 300): manifest checked, not run',
        budgetMs: 5_000,
        onFailure: 'continue',
        async run(ctx) {
          const pod = recoveryPod();
          const v = validateManifest(pod);
          const script = pod.spec?.containers[0]?.command?.join(' ') ?? '';
          const claim = pod.spec?.volumes?.[0]?.persistentVolumeClaim?.claimName;
          recordFinding(ctx, 'recoveryToTmp', `the script writes ${/> (\S+)/.exec(script)?.[1] ?? '?'} inside the pod and mounts claim ${claim}; no step writes to SQLite (read from the manifest, not executed)`, false);
          if (!v.valid) throw new Error(`manifest invalid: ${v.errors.join('; ')}`);
          throw new Error('nothing reaches SQLite: the dump stays in /tmp of a throwaway pod');
        },
      },
    ],
  };
}
