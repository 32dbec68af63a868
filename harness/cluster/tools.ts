// Is docker (with a reachable daemon) and kind on this machine? The answer decides `--cluster auto`,
// lets drill suites skip with a reason, and gives `--cluster kind` one clear line when they are not.
import { PlatformError } from '../platform/types.ts';
import { execaRunner, lastLine, type CommandRunner } from './runner.ts';

/** kind release the project pins (cluster/kind.yaml uses its Kubernetes 1.33.1 node image). */
export const KIND_VERSION = 'v0.29.0';

export const INSTALL_DOCKER = 'install Docker: https://docs.docker.com/engine/install/';
export const INSTALL_KIND = `install kind ${KIND_VERSION}: https://kind.sigs.k8s.io/docs/user/quick-start/#installation or \`go install sigs.k8s.io/kind@${KIND_VERSION}\``;

export interface ToolStatus {
  docker: { installed: boolean; version?: string; daemon: boolean; daemonVersion?: string; problem?: string };
  kind: { installed: boolean; version?: string; problem?: string };
}

const DETECT_TIMEOUT_MS = 15_000;

export async function detectTools(runner: CommandRunner = execaRunner): Promise<ToolStatus> {
  const [client, daemon, kind] = await Promise.all([
    runner('docker', ['version', '--format', '{{.Client.Version}}'], { timeoutMs: DETECT_TIMEOUT_MS }),
    // `docker info` succeeds only when the daemon answers.
    runner('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: DETECT_TIMEOUT_MS }),
    runner('kind', ['version'], { timeoutMs: DETECT_TIMEOUT_MS }),
  ]);

  const docker: ToolStatus['docker'] = { installed: !client.notFound, daemon: false };
  if (client.notFound) {
    docker.problem = `docker not found on PATH (${INSTALL_DOCKER})`;
  } else {
    // `docker version` prints the client version even when it exits 1 for a missing daemon.
    docker.version = client.stdout.trim().split(/\r?\n/)[0] || undefined;
    if (daemon.exitCode === 0 && !daemon.timedOut) {
      docker.daemon = true;
      docker.daemonVersion = daemon.stdout.trim() || undefined;
    } else {
      const why = daemon.timedOut ? `no answer in ${DETECT_TIMEOUT_MS / 1000}s` : lastLine(daemon.stderr) || `exit ${daemon.exitCode}`;
      docker.problem = `docker${docker.version ? ` ${docker.version}` : ''} is installed but its daemon is not reachable (${why}); start Docker`;
    }
  }

  const kindStatus: ToolStatus['kind'] = { installed: !kind.notFound && kind.exitCode === 0 };
  if (kind.notFound) kindStatus.problem = `kind not found on PATH (${INSTALL_KIND})`;
  else if (kind.exitCode !== 0) kindStatus.problem = `\`kind version\` failed: ${lastLine(kind.stderr) || `exit ${kind.exitCode}`}`;
  else kindStatus.version = /v\d+\.\d+\.\d+\S*/.exec(kind.stdout)?.[0] ?? kind.stdout.trim();

  return { docker, kind: kindStatus };
}

export function toolsUsable(s: ToolStatus): boolean {
  return s.docker.installed && s.docker.daemon && s.kind.installed;
}

/** One line naming everything missing, or what was found. */
export function describeTools(s: ToolStatus): string {
  if (toolsUsable(s)) return `docker ${s.docker.version ?? '?'} (daemon ${s.docker.daemonVersion ?? 'up'}) and kind ${s.kind.version ?? '?'} found`;
  return [s.docker.problem, s.kind.problem].filter(Boolean).join('; ');
}

/** For drill suites: `it.skipIf(!available)` with the reason in the skip message. */
export async function kindAvailability(runner: CommandRunner = execaRunner): Promise<{ available: boolean; reason: string }> {
  const s = await detectTools(runner);
  return { available: toolsUsable(s), reason: describeTools(s) };
}

/** What `--cluster kind` calls first: throws one line (exit code 2) saying what is missing and how to install it. */
export async function assertKindUsable(runner: CommandRunner = execaRunner): Promise<ToolStatus> {
  const s = await detectTools(runner);
  if (!toolsUsable(s)) {
    throw new PlatformError(`--cluster kind needs docker and kind: ${describeTools(s)}. Or run with --cluster local.`, 2);
  }
  return s;
}

/** `--cluster auto`: kind when docker and kind answer, else local; says which and why. */
export async function detectCluster(runner: CommandRunner = execaRunner): Promise<{ platform: 'kind' | 'local'; reason: string }> {
  const s = await detectTools(runner);
  if (toolsUsable(s)) return { platform: 'kind', reason: describeTools(s) };
  return { platform: 'local', reason: `kind not usable (${describeTools(s)}): running the manifests as local processes` };
}
