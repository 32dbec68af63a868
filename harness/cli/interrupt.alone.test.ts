// Ctrl-C (SIGINT to the CLI's process group) in the middle of a real drill: exit 130, the report marked aborted with the steps done so
// far, and nothing of the run left running (no process carrying the run marker, no listening port).
// The check is scoped to this run's label prefix (its report folder's name), so drills of other test
// files running meanwhile are not counted. It runs alone (project "alone"): beside the unit tests and
// two drills on 2 cores, its run once had no process of its own to find at the first step's end.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markedProcesses } from '../platform/local/leaks.ts';
import { startCli } from './testing/start-cli.ts';
import { REPO_ROOT } from '../kit/repo.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runDirOf(reportDir: string): string | undefined {
  const d = existsSync(reportDir) ? readdirSync(reportDir).find((n) => /^\d{8}T\d{6}/.test(n) || n.includes('monthly')) : undefined;
  return d ? path.join(reportDir, d) : undefined;
}

describe('SIGINT during a drill (npm run drill, local platform)', () => {
  it('exits 130, marks the report aborted with the steps so far, leaves nothing running', { timeout: 240_000 }, async () => {
    const reportDir = mkdtempSync(path.join(tmpdir(), 'drill-int-'));
    const cli = startCli(['--cluster', 'local', '--dataset-size', '500', '--post-migration-writes', '20', '--load-duration', '1'], reportDir, {
      ownGroup: true,
      // As on a fresh clone: nothing compiled ahead, so whatever is imported after the Ctrl-C needs esbuild, which the Ctrl-C ended.
      env: { TSX_DISABLE_CACHE: '1' },
    });
    const { child, exited } = cli;

    // Wait until a step of the rollback procedure has started, then interrupt.
    const deadline = Date.now() + 150_000;
    let journal = '';
    while (Date.now() < deadline) {
      const dir = runDirOf(reportDir);
      journal = dir && existsSync(path.join(dir, 'journal.jsonl')) ? readFileSync(path.join(dir, 'journal.jsonl'), 'utf8') : '';
      if (journal.includes('"type":"step.end"')) break;
      await sleep(200);
    }
    expect(journal, `no procedure step started; output:\n${cli.output().slice(-2000)}`).toContain('"type":"step.end"');
    const runPrefix = `${path.basename(runDirOf(reportDir)!)}-`;
    // The scope is right: the run's pods carry the prefix while it runs.
    expect(markedProcesses(runPrefix).length, `no process labelled ${runPrefix}*`).toBeGreaterThan(0);
    // As Ctrl-C in a terminal: the whole foreground group (CLI, vitest workers, esbuild) gets SIGINT.
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, sleep(90_000).then(() => 'timeout' as const)]);
    expect(code, cli.output().slice(-2000)).toBe(130);

    const dir = runDirOf(reportDir)!;
    const tail = () => `${readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').split('\n').slice(-4).join('\n')}\n${cli.output().slice(-2000)}`;
    expect(existsSync(path.join(dir, 'report.json')), `no report.json; the journal ends:\n${tail()}`).toBe(true);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { run: { status: string }; groups: { status: string; steps: { step: string; outcome: string }[] }[] };
    expect(report.run.status).toBe('aborted');
    const steps = report.groups.flatMap((g) => g.steps);
    expect(steps.length, JSON.stringify(report.groups.map((g) => g.status))).toBeGreaterThan(0);
    expect(steps.some((s) => s.outcome === 'ok')).toBe(true);
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toMatch(/aborted/i);
    // The drill stopped where it was: nothing was judged on the platform it was tearing down.
    const after = readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"verdict"'));
    expect(after, 'verdicts journalled after the interrupt').toEqual([]);

    // Nothing of the run left: every process carrying the run's marker is gone.
    let left = markedProcesses(runPrefix);
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await sleep(500);
      left = markedProcesses(runPrefix);
    }
    expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
  });
});
