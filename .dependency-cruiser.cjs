// The library's layers (docs/architecture.md): model ← kit ← (faults, probes, procedures, criteria)
// ← drill ← cli, with platform beside kit. Checked by `npm test` (harness/layers.test.ts) and by
// `npx depcruise harness --config .dependency-cruiser.cjs`. Tests and test support are outside the
// rules: a test may import whatever it exercises.
const notTests = '(\\.test\\.ts$|/testing/|/fixtures/)';
const harness = (folders) => `^harness/(${folders.join('|')})/`;
const layer = (name, folders, allowed) => ({
  name,
  severity: 'error',
  comment: `${folders.join(', ')} may import only ${allowed.join(', ')} from harness/`,
  from: { path: harness(folders), pathNot: notTests },
  to: { path: '^harness/', pathNot: [harness([...folders, ...allowed])] },
});

module.exports = {
  forbidden: [
    {
      name: 'model-imports-nothing',
      severity: 'error',
      comment: 'model holds types and the schemas they are inferred from: nothing else of harness',
      from: { path: '^harness/model/', pathNot: notTests },
      to: { path: '^harness/', pathNot: '^harness/model/' },
    },
    layer('kit-layer', ['kit'], ['model', 'platform']),
    ...['faults', 'probes', 'procedures', 'criteria'].map((f) => layer(`${f}-layer`, [f], ['model', 'kit', 'platform'])),
    {
      name: 'platform-below-kit',
      severity: 'error',
      comment: 'the platform carries objects out; it knows model types only',
      from: { path: '^harness/platform/', pathNot: notTests },
      to: { path: '^harness/', pathNot: ['^harness/(platform|model)/'] },
    },
    {
      name: 'data-tool-contract-only',
      severity: 'error',
      comment: 'the harness uses the data tool through its published contract (datatool/contract.ts), never its internals',
      from: { path: '^(harness|suites|targets)/' },
      to: { path: '^datatool/', pathNot: '^datatool/contract\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles between modules (a cycle closed only by a type import is erased at run time and allowed)',
      from: { path: '^harness/', pathNot: notTests },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
