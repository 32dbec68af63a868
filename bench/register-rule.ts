// Bench `register-rule`: the register rule (harness/kit/register-rule.ts) over a settings-app-sized
// workload and ten times it: 8 keys, N acknowledged updates each (1 in 97 unknown), every one read
// back during the workload. The check must stay near-linear: a quadratic scan took 6 s at N = 5,000.
//   npx tsx bench/register-rule.ts [--updates 5000] [--runs 3]
import { parseArgs } from 'node:util';
import { checkRegister } from '../harness/kit/register-rule.ts';
import type { RegisterRead, RegisterWrite } from '../harness/model/measurements.ts';

const { values } = parseArgs({ options: { updates: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' } } });
const KEYS = ['theme', 'locale', 'timezone', 'page_size', 'beta', 'motd', 'retention_days', 'digest_hour'];
const TARGET_MS = 3_000;

function workload(updates: number): { writes: RegisterWrite[]; reads: RegisterRead[] } {
  const writes: RegisterWrite[] = [];
  const reads: RegisterRead[] = [];
  for (const key of KEYS)
    for (let i = 0; i < updates; i++) {
      writes.push({ key, value: `${key}-${i}`, startedAt: i * 10, endedAt: i * 10 + 8, outcome: i % 97 === 0 ? 'unknown' : 'ok' });
      reads.push({ key, value: `${key}-${i}`, startedAt: i * 10 + 9, endedAt: i * 10 + 9 });
    }
  return { writes, reads };
}

/** The median wall time of `runs` checks, and the last check's read count (to prove it did the work). */
function measure(updates: number, runs: number): { ms: number; reads: number } {
  const input = workload(updates);
  const times: number[] = [];
  let reads = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    reads = checkRegister(input).totals.reads;
    times.push(performance.now() - t0);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, reads };
}

const n = Number(values.updates);
const runs = Number(values.runs);
const base = measure(n, runs);
// Once: at ten times the size a run takes minutes while the check is super-linear (docs/benchmarks.md).
const big = measure(n * 10, 1);
console.log(`register rule, ${KEYS.length} keys × ${n.toLocaleString('en')} updates (${base.reads.toLocaleString('en')} reads): ${base.ms.toFixed(0)} ms (median of ${runs}; target < ${TARGET_MS} ms: ${base.ms < TARGET_MS ? 'met' : 'MISSED'})`);
console.log(`register rule, ${KEYS.length} keys × ${(n * 10).toLocaleString('en')} updates (${big.reads.toLocaleString('en')} reads): ${big.ms.toFixed(0)} ms (one run); 10× the input took ${(big.ms / base.ms).toFixed(1)}× the time (linear: 10×, quadratic: 100×)`);
