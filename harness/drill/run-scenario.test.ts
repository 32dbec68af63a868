// A platform that cannot be set up is journalled as a set-up failure (the CLI exits 3 on it, not 1):
// here an existing context the kubeconfig does not have, which fails before anything is changed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDrillConfig } from '../config/parse.ts';
import { readJournal } from '../journal/journal.ts';
import { runScenario } from './run-scenario.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'run-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runScenario on a platform that cannot be set up', () => {
  it('rethrows and journals the failure with cause "setup", naming the platform', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'other', context: { cluster: 'c', user: 'u' } }] }),
    );
    const prev = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    try {
      const config = parseDrillConfig({ cluster: 'existing', context: 'staging', allowContext: true });
      await expect(runScenario({ config, scenario: 'maintenance-window', variant: 'hardened', runDir: dir })).rejects.toThrow(/staging/);
    } finally {
      if (prev === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = prev;
    }
    const setup = readJournal(path.join(dir, 'journal.jsonl')).filter((e) => e.type === 'log' && e.cause === 'setup');
    expect(setup).toHaveLength(1);
    expect(setup[0]).toMatchObject({ level: 'error', scenario: 'maintenance-window', variant: 'hardened', message: expect.stringMatching(/^the existing platform could not be set up: .*staging/) });
  });
});
