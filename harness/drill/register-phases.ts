// The phases' work for a target whose workload is a register (a few fixed keys, updated in place):
// the ledger is opened with each key's value before any write (read from PostgreSQL itself), makes
// the post-migration writes, and at the end the final values are read back (register-read-back.ts).
// phases.ts calls these where the set model does its own; probes-on/procedure/probes-off are shared.
import { RegisterLedger } from '../probes/register-ledger.ts';
import { ledgerKeys, registerWorkload } from '../kit/register-workload.ts';
import { queryPostgresRegister, readRegisterBack } from './register-read-back.ts';
import type { DrillState } from './state.ts';

/**
 * The register ledger of this drill, opened by the first phase that writes: each key's value before
 * any write is read from PostgreSQL (the profile's direct query through psql), or through the app
 * when that read fails. Without initial values the seeded values would read as never written, so
 * neither read answering stops the drill.
 */
export async function openRegisterLedger(s: DrillState): Promise<RegisterLedger> {
  if (s.ledger) return s.registerLedger;
  // Read-your-write pairs: each write is read back by its worker, so each acknowledged one is checked
  // (round-robin reads pinned only 246 of 1,144 post-restore writes in a settings-app drill). The
  // ledger writes keys of its own (the load's unanswered writes would leave its writes unpinnable);
  // one worker per key, up to 4, keeps up with postRestoreWriteRate pairs/s where a pair takes a few ms.
  const w = registerWorkload(s.target);
  const own = ledgerKeys(w);
  const ledger = new RegisterLedger({ baseUrl: s.serviceUrl, target: s.target, runId: s.platform.runId, rate: 20, keys: own, concurrency: Math.min(4, own.length), valueSeed: s.valueSeed });
  s.ledger = s.use('register ledger', ledger);
  s.progress(`  register: ledger pairs on ${ledger.ownKeys.join(', ')}; the load writes ${ledger.loadKeys.join(', ')}`);
  const keys = ledger.keys.length;
  try {
    const q = await queryPostgresRegister(s.platform, w, s.signal);
    const initial = ledger.initialFromDirect(q.stdout);
    s.progress(`  register: initial values of ${Object.keys(initial).length} of ${keys} keys read by ${q.how}`);
  } catch (err) {
    s.journal.write({ type: 'log', level: 'warn', message: `register initial values not read from PostgreSQL (${(err as Error).message}): read through the app` });
    const initial = await ledger.captureInitial();
    s.progress(`  register: initial values of ${Object.values(initial).filter((v) => v !== null).length} of ${keys} keys read through the app`);
  }
  return ledger;
}

/** pre-fault-writes for a register: writes on PostgreSQL after the forward migration, each a new value. */
export async function registerPreFaultWrites(s: DrillState): Promise<void> {
  const ledger = await openRegisterLedger(s);
  s.progress(`  ${s.config.postMigrationWrites} post-migration writes on PostgreSQL (register of ${ledger.keys.length} keys)`);
  for (let i = 0; i < s.config.postMigrationWrites; i++) await ledger.write();
  // The seeded table IS the register here: the writes change it on purpose, so a before/after
  // checksum would differ by design. The register rule judges it instead.
  s.before = new Error(`not compared for a register target (its writes change the seeded table; the register rule judges it)`);
}

/** read-back for a register: the final values from the SQLite file, PostgreSQL when it runs, and the app. */
export async function registerReadBackPhase(s: DrillState): Promise<void> {
  const w = registerWorkload(s.target);
  s.registerReadBack = await readRegisterBack({ platform: s.platform, journal: s.journal, ledger: s.registerLedger, w, sqliteDep: s.sqliteDeployment, signal: s.signal });
}
