// Seeded-table checksums: every table of the profile's mapping, counted and hashed over the mapped
// columns by drill-data (engine-independent) on PostgreSQL before the fault and on SQLite after the
// rollback, each as a Job in the data tool's image; bounded by key (the largest id acknowledged before
// the fault, on the table the profile's set workload writes) so the ledger's later writes do not blur the view.
import type { ChecksumSnapshot, ChecksumComparison } from '../model/measurements.ts';
import { checksum, lastLine, mappedPostgresTables, type DataToolContext } from '../kit/data-tool.ts';
import type { TargetProfile } from '../model/target-profile.ts';

/**
 * The key bounds of a snapshot, from the profile: a set workload's writes land in its
 * readBack.postgres.table, so that table is counted up to the largest acknowledged id; a register
 * workload adds no rows (it updates fixed keys): no bound.
 */
export function checksumBounds(target: Pick<TargetProfile, 'workload' | 'mapping'>, maxAckedId: number): Record<string, number> {
  if (target.workload.model !== 'set') return {};
  const table = target.workload.readBack.postgres.table;
  // Only a table of the mapping: a bound on another would not be applied (and must not be reported as applied).
  const mapped = mappedPostgresTables(target.mapping);
  return mapped.some((m) => m.sqlite === table || m.postgres.split('.')[1] === table) ? { [table]: maxAckedId } : {};
}

/**
 * `bound`: the largest acknowledged id (turned into the profile's bounds by checksumBounds), or the
 * bounds of an earlier snapshot to compare with (`before.maxIds`).
 */
export async function takeChecksums(ctx: DataToolContext & { target: Pick<TargetProfile, 'mapping' | 'workload'> }, engine: 'sqlite' | 'postgres', bound: number | Record<string, number>, signal?: AbortSignal): Promise<ChecksumSnapshot> {
  const bounds = typeof bound === 'number' ? checksumBounds(ctx.target, bound) : bound;
  const { res, out } = await checksum(ctx, engine, { maxKeys: bounds, signal });
  if (!res.succeeded || !out) throw new Error(`drill-data checksum on ${engine} failed (exit ${res.exitCode}): ${lastLine(res.logs)}`);
  return { engine, tables: out.tables.map((t) => ({ name: t.table, rows: t.rows, checksum: t.checksum })), maxIds: bounds };
}

export function compareChecksums(before: ChecksumSnapshot | undefined, after: ChecksumSnapshot | undefined, why?: string): ChecksumComparison {
  if (!before || !after) return { equal: false, mismatched: [], evidence: `seeded-table checksums not measured${why ? `: ${why}` : ''}`, before, after };
  const mismatched: string[] = [];
  for (const b of before.tables) {
    const a = after.tables.find((t) => t.name === b.name);
    if (!a) mismatched.push(`${b.name} missing on ${after.engine}`);
    else if (a.rows !== b.rows || a.checksum !== b.checksum) mismatched.push(`${b.name} ${b.rows}→${a.rows}${a.rows === b.rows ? ' (checksum differs)' : ''}`);
  }
  const scope = Object.entries(before.maxIds).map(([t, n]) => `${t} key ≤ ${n}`).join(', ');
  return {
    equal: mismatched.length === 0,
    mismatched,
    evidence:
      mismatched.length === 0
        ? `seeded tables equal on ${before.engine} before and ${after.engine} after (${before.tables.map((t) => `${t.name}=${t.rows}`).join(' ')}; ${scope})`
        : `seeded tables differ ${before.engine}→${after.engine}: ${mismatched.join(', ')} (${scope})`,
    before,
    after,
  };
}
