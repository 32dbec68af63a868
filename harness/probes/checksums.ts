// Seeded-table checksums: every table the app owns, counted and hashed on PostgreSQL before the
// fault and on SQLite after the rollback (the app's own `checksum` command, run as a Job), up to the
// highest user id acknowledged before the fault so the ledger's later writes do not blur the view.
import type { Platform } from '../platform/types.ts';
import { cliJob } from '../procedures/actions.ts';
import { ChecksumResultSchema, parseCliJson, type TableSum } from '../procedures/cli-contract.ts';

export interface ChecksumSnapshot {
  engine: 'sqlite' | 'postgres';
  tables: TableSum[];
  maxIds: Record<string, number>;
}

export interface ChecksumComparison {
  equal: boolean;
  /** Tables whose count or checksum differs: "users 2050→2000". */
  mismatched: string[];
  evidence: string;
  before?: ChecksumSnapshot;
  after?: ChecksumSnapshot;
}

export async function takeChecksums(
  platform: Platform,
  image: string,
  engine: 'sqlite' | 'postgres',
  maxIds: Record<string, number>,
  signal?: AbortSignal,
): Promise<ChecksumSnapshot> {
  const args = ['checksum', '--engine', engine, ...Object.entries(maxIds).flatMap(([t, n]) => ['--max-id', `${t}=${n}`]), '--json'];
  const res = await platform.runJob(cliJob({ name: `hyperpage-checksum-${engine}-${Date.now().toString(36)}`, image, args }), { timeoutMs: 120_000, signal });
  const out = parseCliJson(res.logs, ChecksumResultSchema, `hyperpage-cli checksum --engine ${engine}`);
  if (!res.succeeded || !out?.tables) throw new Error(`checksum on ${engine} failed (exit ${res.exitCode}): ${res.logs.trim().split('\n').pop() ?? ''}`);
  return { engine, tables: out.tables, maxIds };
}

export function compareChecksums(before: ChecksumSnapshot | undefined, after: ChecksumSnapshot | undefined, why?: string): ChecksumComparison {
  if (!before || !after) return { equal: false, mismatched: [], evidence: `seeded-table checksums not measured${why ? `: ${why}` : ''}`, before, after };
  const mismatched: string[] = [];
  for (const b of before.tables) {
    const a = after.tables.find((t) => t.name === b.name);
    if (!a) mismatched.push(`${b.name} missing on ${after.engine}`);
    else if (a.rows !== b.rows || a.checksum !== b.checksum) mismatched.push(`${b.name} ${b.rows}→${a.rows}${a.rows === b.rows ? ' (checksum differs)' : ''}`);
  }
  const scope = Object.entries(before.maxIds).map(([t, n]) => `${t} id ≤ ${n}`).join(', ');
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
