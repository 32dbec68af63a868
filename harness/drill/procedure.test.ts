import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../journal/journal.ts';
import { runProcedure, type Procedure } from './procedure.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runProcedure', () => {
  it('times every step, records over-budget steps and stops on an aborting failure', async () => {
    const journal = new Journal(path.join(dir, 'a.jsonl'));
    const order: string[] = [];
    const proc: Procedure<{ n: number }> = {
      name: 'emergency',
      variant: 'seed',
      steps: [
        { name: 'fast', budgetMs: 1000, run: async (c) => void order.push(`fast${c.n}`) },
        { name: 'slow', budgetMs: 5, run: async () => { await sleep(30); return 'done'; } },
        { name: 'soft-fail', budgetMs: 100, onFailure: 'continue', run: async () => { throw new Error('curl: 000'); } },
        { name: 'hard-fail', budgetMs: 100, run: async () => { throw new Error('boom'); } },
        { name: 'never', budgetMs: 100, run: async () => void order.push('never') },
      ],
    };
    const r = await runProcedure(proc, { n: 1 }, { journal });
    expect(order).toEqual(['fast1']);
    expect(r.steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'failed', 'failed', 'skipped']);
    expect(r.steps[1]!.overBudget).toBe(true);
    expect(r.steps[1]!.durationMs).toBeGreaterThanOrEqual(25);
    expect(r.steps[2]!.message).toBe('curl: 000');
    expect(r.completed).toBe(false);
    const ends = readJournal(journal.file).filter((e) => e.type === 'step.end');
    expect(ends).toHaveLength(5);
  });

  it('marks the running and remaining steps aborted when the drill is interrupted', async () => {
    const journal = new Journal(path.join(dir, 'b.jsonl'));
    const ac = new AbortController();
    const proc: Procedure<object> = {
      name: 'planned',
      variant: 'hardened',
      steps: [
        { name: 'wait', budgetMs: 10_000, run: (_c, signal) => new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('stopped')))) },
        { name: 'after', budgetMs: 100, run: async () => 'x' },
      ],
    };
    setTimeout(() => ac.abort(new Error('SIGINT')), 20);
    const r = await runProcedure(proc, {}, { journal, signal: ac.signal });
    expect(r.steps.map((s) => s.outcome)).toEqual(['aborted', 'aborted']);
  });
});
