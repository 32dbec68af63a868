// The library's layers (.dependency-cruiser.cjs, docs/architecture.md), checked on the real tree with
// dependency-cruiser, plus the folder graph (type imports included) free of cycles. Each rule is
// also shown to fail: a small tree with one violating import per rule is cruised with the same rules.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './kit/repo.ts';

const config = createRequire(import.meta.url)(path.join(REPO_ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

async function cruiseTree(baseDir: string, tsConfig?: string): Promise<ICruiseResult> {
  const r = await cruise(['harness'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden }, tsConfig: tsConfig ? { fileName: tsConfig } : undefined } as never);
  return r.output as ICruiseResult;
}

const violations = (r: ICruiseResult) => r.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

/** harness/<folder> of a module path, or undefined outside harness/'s folders. */
const folderOf = (p: string) => /^harness\/([^/]+)\//.exec(p)?.[1];

function folderCycles(r: ICruiseResult): string[] {
  const edges = new Map<string, Set<string>>();
  for (const m of r.modules) {
    const a = folderOf(m.source);
    if (!a || /\.test\.ts$|\/testing\/|\/fixtures\//.test(m.source)) continue;
    for (const d of m.dependencies) {
      const b = folderOf(d.resolved);
      if (b && b !== a) (edges.get(a) ?? edges.set(a, new Set()).get(a)!).add(b);
    }
  }
  const back: string[] = [];
  for (const [a, tos] of edges) for (const b of tos) if (a < b && edges.get(b)?.has(a)) back.push(`${a} ⇄ ${b}`);
  return back;
}

describe('layers: model ← kit ← (faults, probes, procedures, criteria) ← drill ← cli; platform beside kit', () => {
  it('the tree breaks no rule, and no two folders of harness/ import each other', async () => {
    const r = await cruiseTree(REPO_ROOT, path.join(REPO_ROOT, 'tsconfig.json'));
    expect(r.summary.totalCruised, 'modules cruised').toBeGreaterThan(200);
    expect(violations(r)).toEqual([]);
    expect(folderCycles(r)).toEqual([]);
  }, 60_000);

  it('each rule fails on a violating import (a planted tree)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'layers-'));
    const file = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), text);
    };
    file('harness/model/outcome.ts', "import { x } from '../drill/judge.ts';\nexport type T = typeof x;\n");
    file('harness/drill/judge.ts', "import { y } from '../probes/load.ts';\nexport const x = y;\n");
    file('harness/kit/wait.ts', "import { j } from '../journal/journal.ts';\nexport const w = j;\n");
    file('harness/journal/journal.ts', 'export const j = 1;\n');
    file('harness/probes/load.ts', "import { p } from '../procedures/emergency.ts';\nexport const y = p;\n");
    file('harness/procedures/emergency.ts', "import { c } from '../../datatool/src/copy.ts';\nexport const p = c;\n");
    file('datatool/src/copy.ts', 'export const c = 1;\n');
    file('harness/platform/types.ts', "import { w } from '../kit/wait.ts';\nexport const t = w;\n");
    file('harness/criteria/a.ts', "import { b } from './b.ts';\nexport const a = b;\n");
    file('harness/criteria/b.ts', "import { a } from './a.ts';\nexport const b = a;\n");
    const rules = new Set(violations(await cruiseTree(dir)).map((v) => v.split(':')[0]));
    expect([...rules].sort()).toEqual(['data-tool-contract-only', 'kit-layer', 'model-imports-nothing', 'no-circular', 'platform-below-kit', 'probes-layer'].sort());
  }, 60_000);
});
