import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../journal/journal.ts';
import { seedDataRecovery, hardenedDataRecovery } from '../procedures/data-recovery.ts';
import { hardenedEmergency, hardenedSecurityEmergency, seedEmergency } from '../procedures/emergency.ts';
import { hardenedPlanned, seedPlanned } from '../procedures/planned.ts';
import { hardenedValidation, seedValidation } from '../procedures/validation.ts';
import { runProcedure } from './procedure.ts';
import { findStep, insertAfter, insertBefore, removeStep, replaceStep } from '../kit/step-ids.ts';
import { type Procedure, type Step } from '../model/procedure.ts';

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
        { id: 'fast', name: 'fast', budgetMs: 1000, run: async (c) => void order.push(`fast${c.n}`) },
        { id: 'slow', name: 'slow', budgetMs: 5, run: async () => { await sleep(30); return 'done'; } },
        { id: 'soft-fail', name: 'soft-fail', budgetMs: 100, onFailure: 'continue', run: async () => { throw new Error('curl: 000'); } },
        { id: 'hard-fail', name: 'hard-fail', budgetMs: 100, run: async () => { throw new Error('boom'); } },
        { id: 'never', name: 'never', budgetMs: 100, run: async () => void order.push('never') },
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
        { id: 'wait', name: 'wait', budgetMs: 10_000, run: (_c, signal) => new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('stopped')))) },
        { id: 'after', name: 'after', budgetMs: 100, run: async () => 'x' },
      ],
    };
    setTimeout(() => ac.abort(new Error('SIGINT')), 20);
    const r = await runProcedure(proc, {}, { journal, signal: ac.signal });
    expect(r.steps.map((s) => s.outcome)).toEqual(['aborted', 'aborted']);
  });
});

describe('step ids', () => {
  const step = (id: string): Step<object> => ({ id, name: `The ${id} step, in prose`, budgetMs: 100, run: async () => id });
  const proc = (): Procedure<object> => ({ name: 'p', variant: 'v', steps: [step('a'), step('b'), step('c')] });
  const ids = (p: Procedure<object>) => p.steps.map((s) => s.id);

  it('every procedure has kebab-case step ids, unique within it', () => {
    const all = [seedEmergency(), hardenedEmergency(), hardenedSecurityEmergency(), seedPlanned(), hardenedPlanned(), seedValidation(), hardenedValidation(), seedDataRecovery(), hardenedDataRecovery()];
    for (const p of all) {
      const list = p.steps.map((s) => s.id);
      expect(new Set(list).size, `${p.name}/${p.variant}: ${list.join(', ')}`).toBe(list.length);
      for (const id of list) expect(id, `${p.name}/${p.variant}`).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('the security-incident emergency cuts PostgreSQL off right before the switch', () => {
    const list = ids(hardenedSecurityEmergency());
    expect(list.slice(list.indexOf('cut-off-postgres'), list.indexOf('cut-off-postgres') + 2)).toEqual(['cut-off-postgres', 'switch-to-sqlite']);
    expect(ids(hardenedEmergency())).not.toContain('cut-off-postgres');
  });

  it('replace, insert before/after and remove by id; the input procedure is left as it was', () => {
    const p = proc();
    expect(ids(replaceStep(p, 'b', step('x')))).toEqual(['a', 'x', 'c']);
    expect(ids(insertBefore(p, 'a', step('x'), step('y')))).toEqual(['x', 'y', 'a', 'b', 'c']);
    expect(ids(insertAfter(p, 'c', step('x')))).toEqual(['a', 'b', 'c', 'x']);
    expect(ids(removeStep(p, 'b'))).toEqual(['a', 'c']);
    expect(findStep(p, 'c').name).toBe('The c step, in prose');
    expect(ids(p)).toEqual(['a', 'b', 'c']);
  });

  it('an unknown id throws, naming the ids the procedure has', () => {
    const p = proc();
    for (const edit of [() => replaceStep(p, 'nope', step('x')), () => insertBefore(p, 'nope', step('x')), () => insertAfter(p, 'nope', step('x')), () => removeStep(p, 'nope'), () => findStep(p, 'nope')]) {
      expect(edit).toThrow('unknown step id "nope" (known: a, b, c)');
    }
  });

  it('an edit that would duplicate an id or break kebab-case throws', () => {
    expect(() => insertAfter(proc(), 'a', step('c'))).toThrow('step id "c" is used twice');
    expect(() => replaceStep(proc(), 'a', step('Step 1'))).toThrow('is not kebab-case');
  });

  it('runProcedure refuses a procedure with duplicate ids before running anything, and journals each step id', async () => {
    const journal = new Journal(path.join(dir, 'c.jsonl'));
    await expect(runProcedure({ name: 'p', variant: 'v', steps: [step('a'), step('a')] }, {}, { journal })).rejects.toThrow('used twice');
    const r = await runProcedure(proc(), {}, { journal });
    expect(r.steps.map((s) => [s.stepId, s.step])).toEqual(ids(proc()).map((id) => [id, `The ${id} step, in prose`]));
    const events = readJournal(journal.file).filter((e) => e.type === 'step.start' || e.type === 'step.end');
    expect(events.map((e) => (e.type === 'step.start' || e.type === 'step.end' ? e.stepId : ''))).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });
});
