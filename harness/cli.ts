// `npm run drill` / `rollback-drill`: flags + config file → a validated plan → the platform →
// the drill suites. Exit codes: 0 every verdict matches its expectation, 1 one does not, 2 usage/config error,
// 3 infrastructure error, 130 interrupted.
import path from 'node:path';
import { helpText, parseCliArgs } from './cli/args.ts';
import { assertWritableDir, readConfigFile, resolveConfig, UsageError } from './config/load.ts';
import { planDrill, type DrillPlan } from './config/plan.ts';
import type { DrillConfig } from './model/drill-config.ts';
// Only the tool checks: the Kubernetes client behind the cluster providers is loaded by the suites.
import { assertKindUsable, detectCluster } from './cluster/tools.ts';
import { assertImagesBuildable, kindImages } from './cluster/images.ts';
import { PlatformError } from './platform/types.ts';
import { loadScenarios } from './scenarios/registry.ts';
import { ScenarioSpecError } from './scenarios/spec.ts';
import { loadTarget } from './targets/load.ts';
import { TargetProfileError } from './kit/errors.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Which platform runs the drill, and why (said before anything is changed). */
async function choosePlatform(c: DrillConfig): Promise<{ platform: 'kind' | 'local' | 'existing'; reason: string }> {
  switch (c.cluster) {
    case 'kind':
      await assertKindUsable();
      return { platform: 'kind', reason: '--cluster kind' };
    case 'local':
      return { platform: 'local', reason: '--cluster local' };
    case 'existing': {
      // Loaded only here: the Kubernetes client is slow to import and other platforms do not need it.
      const { preflightExistingContext } = await import('./cluster/existing.ts');
      const server = await preflightExistingContext({ context: c.context, allowContext: c.allowContext });
      return { platform: 'existing', reason: `--cluster existing --context ${c.context}, API server ${server} answers` };
    }
    case 'auto':
      return detectCluster();
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.help) {
    out(helpText());
    return 0;
  }
  const file = await readConfigFile(args.configFile);
  const config = resolveConfig(file.values, args.flags, file.file ? path.basename(file.file) : 'flags');
  const reportDir = assertWritableDir(config.reportDir);
  // Files are named relative to where the drill is started; the suites run elsewhere.
  config.scenarioFiles = config.scenarioFiles.map((f) => path.resolve(f));
  if (/[\\/]|\.m?[jt]s$/.test(config.target)) config.target = path.resolve(config.target);
  if (config.appDir) config.appDir = path.resolve(config.appDir);
  const target = await loadTarget(config.target, config.appDir).catch((err: unknown) => {
    throw err instanceof TargetProfileError ? new UsageError(err.message) : err;
  });
  // The built-in rows and the user's scenario files; an unknown name or a bad file is a usage error.
  let plan: DrillPlan;
  try {
    plan = planDrill(config, await loadScenarios(config.scenarioFiles));
  } catch (err) {
    throw err instanceof ScenarioSpecError ? new UsageError(err.message) : err;
  }
  const chosen = await choosePlatform(config);
  // On kind, a build context or Dockerfile that is not there is a usage error, said before anything runs.
  if (chosen.platform === 'kind') await assertImagesBuildable(kindImages({ target: target.name, app: target.app }));
  out(`rollback-drill: profile ${config.profile}: ${plan.scenarios.join(', ')} × ${plan.variants.join(', ')} on ${chosen.platform} (${chosen.reason}); reports → ${reportDir}`);
  const { runSuites } = await import('./cli/run-suites.ts');
  return runSuites({ config, plan, platform: chosen.platform, platformReason: chosen.reason, reportDir, target: { name: target.name, description: target.description } }, out);
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError || (err instanceof PlatformError && err.exitCode === 2)) {
        process.stderr.write(`rollback-drill: ${err.message}\n`);
        process.exit(2);
      }
      if (err instanceof PlatformError) {
        process.stderr.write(`rollback-drill: ${err.message}\n`);
        process.exit(err.exitCode);
      }
      process.stderr.write(`rollback-drill: internal error: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(3);
    },
  );
}
