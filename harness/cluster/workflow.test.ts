// The CI gate cannot run here (no Docker daemon); this keeps it consistent with the code it drives.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../kit/repo.ts';
import { KIND_VERSION } from './tools.ts';

describe('.github/workflows/drill.yml', () => {
  it('installs the pinned kind, runs the pre-release drill on kind, always uploads and summarises reports', async () => {
    const wf = parse(await readFile(path.join(REPO_ROOT, '.github', 'workflows', 'drill.yml'), 'utf8'));
    expect(wf.env.KIND_VERSION).toBe(KIND_VERSION);
    expect(wf.env.KIND_SHA256).toMatch(/^[0-9a-f]{64}$/);
    const job = wf.jobs.drill;
    expect(job['runs-on']).toBe('ubuntu-latest');
    const steps: { uses?: string; run?: string; if?: string; with?: Record<string, unknown> }[] = job.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('sha256sum -c -');
    expect(runs).toContain('npm ci');
    expect(runs).toMatch(/npm run drill -- --cluster kind --profile "\$\{\{ inputs\.profile \|\| 'pre-release' \}\}"/);
    // No --variant: pre-release drills both, the seed runbook's declared defects as expected failures.
    expect(runs).not.toContain('--variant');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toMatchObject({ if: 'always()', with: { path: 'reports/' } });
    const summary = steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'));
    expect(summary?.if).toBe('always()');
    expect(summary?.run).toContain('reports/*/report.md');
  });

  it('says what the gate checks: every verdict matches its expectation, seed defects declared next to their findings', async () => {
    const text = await readFile(path.join(REPO_ROOT, '.github', 'workflows', 'drill.yml'), 'utf8');
    expect(text).toMatch(/every verdict matches its expected outcome/);
    expect(text).toMatch(/expected failures, declared next to the finding/);
    expect(text).toMatch(/hardened must pass every success criterion/);
    expect(text).toMatch(/expected failure that passes fails the job/);
  });
});
