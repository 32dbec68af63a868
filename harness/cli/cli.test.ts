// Bad input to `npm run drill`: each gives exactly one clear line on stderr and exit code 2.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../kit/repo.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'bad.json'), '{ "profile": ');
writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ datasetSize: 'lots' }));
writeFileSync(path.join(dir, 'array.json'), '[1,2]');
writeFileSync(path.join(dir, 'no-default.scenario.mts'), 'export const spec = {};\n');
writeFileSync(path.join(dir, 'bad.scenario.mts'), "export default { name: 'Bad Name', severity: 'severe' };\n");
// A kubeconfig whose only context points at a port nothing listens on.
writeFileSync(
  path.join(dir, 'kubeconfig'),
  JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'staging', context: { cluster: 'c', user: 'u' } }] }),
);
mkdirSync(path.join(dir, 'readonly-parent'));
writeFileSync(path.join(dir, 'readonly-parent', 'file'), 'not a dir');

function drill(args: string[], PATH = '/usr/bin:/bin'): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs'), path.join(REPO_ROOT, 'harness', 'cli.ts'), ...args], { cwd: dir, env: { ...process.env, PATH, KUBECONFIG: path.join(dir, 'kubeconfig') }, timeout: 30_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('rollback-drill bad input', () => {
  it.each([
    [['--profile', 'weekly'], /profile: Invalid option.*"monthly"\|"quarterly"\|"pre-release"\|"post-incident"/],
    [['--scenario', 'meteor-strike'], /unknown scenario "meteor-strike" \(known: database-corruption, security-incident, performance-issues, functionality-broken, maintenance-window\)/],
    [['--scenario', 'Meteor Strike'], /scenario: a scenario name: lowercase letters/],
    [['--target', 'nope'], /unknown target "nope" \(known: reference, hyperpage, settings-app; or a path to a profile file\)/],
    [['--target', 'missing-profile.ts'], /target profile .*missing-profile\.ts does not exist/],
    [['--target', 'hyperpage'], /target hyperpage runs a checkout of its app: give its folder with --app-dir PATH/],
    [['--scenario-file', 'missing.scenario.ts'], /scenario file .*missing\.scenario\.ts: could not load/],
    [['--scenario-file', 'no-default.scenario.mts'], /scenario file .*no-default\.scenario\.mts: needs `export default defineScenario/],
    [['--scenario-file', 'bad.scenario.mts'], /scenario file .*bad\.scenario\.mts: scenario Bad Name: name: lowercase letters, digits and "-"; title: .*severity: /],
    [['--variant', 'improved'], /variant: Invalid option.*"seed"\|"hardened"\|"both"/],
    [['--cluster', 'minikube'], /cluster: Invalid option.*"auto"\|"kind"\|"local"\|"existing"/],
    [['--dataset-size=-10'], /datasetSize: Too small/],
    [['--dataset-size', '-10'], /--dataset-size' argument is ambiguous/],
    [['--dataset-size', 'ten'], /--dataset-size: "ten" is not a number/],
    [['--load-duration', '0'], /loadDurationSec: Too small/],
    [['--time-scale', '0.5'], /timeScale: Too small/],
    [['--host-port', '80'], /hostPort: Too small/],
    [['--profile', 'post-incident'], /scenario: profile post-incident needs --scenario NAME/],
    [['--profile', 'pre-release', '--soak', '5'], /soakSec: the pre-release profile refuses a soak under 30 s \(got 5 s\)/],
    [['--value-seed', '0'], /valueSeed: Too small/],
    [['--value-seed', 'x'], /--value-seed: "x" is not a number/],
    [['--cluster', 'existing', '--context', 'prod'], /context: --cluster existing needs --context NAME and --allow-context/],
    [['--context', 'staging'], /context: --context goes with --cluster existing/],
    [['--cluster-name', 'Bad_Name'], /clusterName: a DNS label/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--config', 'missing.json'], /--config: missing.json does not exist/],
    [['--config', 'bad.json'], /invalid JSON/],
    [['--config', 'wrong.json'], /wrong.json: datasetSize: Invalid input: expected number/],
    [['--config', 'array.json'], /must be an object/],
    [['--report-dir', 'readonly-parent/file/reports'], /--report-dir readonly-parent\/file\/reports: not writable \(cannot create .*readonly-parent\/file\/reports \(ENOTDIR: .*readonly-parent\/file is not a directory\)\)/],
    // Node 20's recursive mkdir spun at 100 % CPU here; the 5 s bound is asserted below.
    [['--report-dir', '/proc/rollback-drill-reports'], /--report-dir \/proc\/rollback-drill-reports: not writable \(cannot create \/proc\/rollback-drill-reports \(ENOENT: \/proc does not allow new directories\)\)/],
    [['--report-dir', '/sys/rollback-drill-reports/x'], /--report-dir \/sys\/rollback-drill-reports\/x: not writable \(cannot create \/sys\/rollback-drill-reports \(EPERM\)\)/],
    [['--cluster', 'kind'], /--cluster kind needs docker and kind.*Or run with --cluster local/],
    [['--cluster', 'existing', '--context', 'prod', '--allow-context'], /kube context "prod" not found in the kubeconfig \(known: staging\)/],
    [['--cluster', 'existing', '--context', 'staging', '--allow-context'], /context staging: API server at https:\/\/127\.0\.0\.1:1 unreachable \(ECONNREFUSED\); check the context/],
  ])('%j → exit 2, one line', async (args, message) => {
    const started = performance.now();
    const r = await drill(args);
    // At once: a bad --report-dir must not start (or hang) anything.
    if (args[0] === '--report-dir') expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rollback-drill: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--cluster kind with a profile whose app.build names a missing Dockerfile: exit 2, one line, before any cluster command", async () => {
    // docker (daemon up) and kind that answer the tool checks and log anything else they are asked.
    const bin = path.join(dir, 'fake-bin');
    mkdirSync(bin, { recursive: true });
    const calls = path.join(dir, 'fake-calls.log');
    writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho "docker $*" >> ${calls}\ncase "$1" in version|info) echo 28.2.2;; esac\n`);
    writeFileSync(path.join(bin, 'kind'), `#!/bin/sh\necho "kind $*" >> ${calls}\n[ "$1" = version ] && echo "kind v0.29.0 go1.24.2 linux/amd64"\nexit 0\n`);
    for (const f of ['docker', 'kind']) chmodSync(path.join(bin, f), 0o755);
    writeFileSync(
      path.join(dir, 'shop.target.mts'),
      `import ref from ${JSON.stringify(path.join(REPO_ROOT, 'targets', 'reference.ts'))};\nexport default { ...ref, name: 'shop', app: { ...ref.app, build: { context: '.', dockerfile: 'deploy/Dockerfile' } } };\n`,
    );
    const r = await drill(['--cluster', 'kind', '--target', 'shop.target.mts'], `${bin}:/usr/bin:/bin`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`rollback-drill: cannot build the app image of target shop: deploy/Dockerfile not found in ${dir} (the profile's app.build)\n`);
    const ran = readFileSync(calls, 'utf8').trim().split('\n');
    expect(ran.sort()).toEqual(['docker info --format {{.ServerVersion}}', 'docker version --format {{.Client.Version}}', 'kind version']);
  });

  it('--help lists every flag and the exit codes', async () => {
    const r = await drill(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--profile', '--scenario', '--variant', '--cluster', '--context', '--allow-context', '--keep-cluster', '--reuse-cluster', '--dataset-size', '--load-duration', '--time-scale', '--report-dir', '--allure'])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('130/143 interrupted');
  });
});
