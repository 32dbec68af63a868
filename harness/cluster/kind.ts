// A small wrapper of the `kind` and `docker` CLIs: create (or reuse) the drill's cluster from
// cluster/kind.yaml, build and load the images (images.ts says which), export logs, delete. Every call has a timeout and
// fails with one line; CLI output goes to `log` (journal/log file), progress lines to `progress`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT } from '../kit/repo.ts';
import { PlatformError } from '../platform/types.ts';
import { assertBuildable, dockerfileShown, POSTGRES_IMAGE, type ImageBuild, type KindImage } from './images.ts';
import { execaRunner, lastLine, type CommandRunner, type RunResult } from './runner.ts';

export { POSTGRES_IMAGE };

export const KIND_CONFIG_PATH = path.join(REPO_ROOT, 'cluster', 'kind.yaml');
/** NodePort of hyperpage-service (cluster/manifests/40-app.yaml), mapped to a 127.0.0.1 host port. */
export const APP_NODE_PORT = 30080;

export interface KindTimeouts {
  query: number;
  create: number;
  build: number;
  pull: number;
  load: number;
  exportLogs: number;
  delete: number;
}

export const DEFAULT_KIND_TIMEOUTS: KindTimeouts = {
  query: 30_000,
  // The first create pulls the node image (~1 GB); kind itself waits up to 120 s for the control plane.
  create: 600_000,
  build: 900_000,
  pull: 600_000,
  load: 300_000,
  exportLogs: 180_000,
  delete: 180_000,
};

export interface KindClusterOptions {
  /** Cluster name; the kube context is `kind-<name>`. */
  name: string;
  /** 127.0.0.1 host port mapped to the app's NodePort (default 30080). */
  hostPort?: number;
  configPath?: string;
  runner?: CommandRunner;
  /** Every CLI output line, prefixed by the command (for the journal/log file). */
  log?: (line: string) => void;
  /** Short progress lines for the terminal. */
  progress?: (line: string) => void;
  timeouts?: Partial<KindTimeouts>;
}

/** cluster/kind.yaml with the app NodePort's host port replaced (and always on 127.0.0.1). */
export function renderKindConfig(template: string, hostPort: number): string {
  const doc = parseDocument(template);
  const nodes = doc.get('nodes') as { items?: unknown[] } | undefined;
  let mapped = false;
  for (const node of nodes?.items ?? []) {
    const mappings = (node as { get(k: string): unknown }).get('extraPortMappings') as { items?: unknown[] } | undefined;
    for (const m of mappings?.items ?? []) {
      const map = m as { get(k: string): unknown; set(k: string, v: unknown): void };
      if (Number(map.get('containerPort')) === APP_NODE_PORT) {
        map.set('hostPort', hostPort);
        map.set('listenAddress', '127.0.0.1');
        mapped = true;
      }
    }
  }
  if (!mapped) throw new PlatformError(`cluster/kind.yaml maps no extraPortMappings containerPort ${APP_NODE_PORT} (the app's NodePort)`, 2);
  return doc.toString();
}

export class KindCluster implements AsyncDisposable {
  readonly name: string;
  readonly hostPort: number;
  /** True when this process created the cluster (only then is it deleted on dispose). */
  created = false;
  keep = false;
  private readonly runner: CommandRunner;
  private readonly timeouts: KindTimeouts;
  private readonly opts: KindClusterOptions;

  constructor(opts: KindClusterOptions) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(opts.name)) {
      throw new PlatformError(`kind cluster name "${opts.name}" must be a DNS label (lowercase letters, digits, "-")`, 2);
    }
    this.opts = opts;
    this.name = opts.name;
    this.hostPort = opts.hostPort ?? APP_NODE_PORT;
    this.runner = opts.runner ?? execaRunner;
    this.timeouts = { ...DEFAULT_KIND_TIMEOUTS, ...opts.timeouts };
  }

  /** The kube context kind creates for this cluster; the only one the kind platform accepts. */
  get context(): string {
    return `kind-${this.name}`;
  }

  private progress(line: string): void {
    this.opts.progress?.(`kind: ${line}`);
  }

  /** Run a CLI; a missing binary, timeout or non-zero exit becomes one PlatformError line. */
  private async run(file: string, args: string[], timeoutMs: number, what: string, extra: { input?: string; cwd?: string; allowFailure?: boolean } = {}): Promise<RunResult> {
    const cmd = [file, ...args].join(' ');
    this.opts.log?.(`$ ${cmd}`);
    const res = await this.runner(file, args, {
      timeoutMs,
      input: extra.input,
      cwd: extra.cwd,
      onLine: (line, stream) => this.opts.log?.(`[${file}${stream === 'stderr' ? ' stderr' : ''}] ${line}`),
    });
    if (res.notFound) {
      throw new PlatformError(`${file} not found on PATH while trying to ${what}`, 2);
    }
    if (res.timedOut) {
      throw new PlatformError(`${what} timed out after ${Math.round(timeoutMs / 1000)}s (\`${cmd}\`)`, 3);
    }
    if (res.exitCode !== 0 && !extra.allowFailure) {
      const why = lastLine(res.stderr) || lastLine(res.stdout) || 'no output';
      throw new PlatformError(`${what} failed (\`${cmd}\` exit ${res.exitCode}): ${why}`, 3);
    }
    return res;
  }

  async exists(): Promise<boolean> {
    const res = await this.run('kind', ['get', 'clusters'], this.timeouts.query, 'list kind clusters');
    return res.stdout.split(/\r?\n/).some((l) => l.trim() === this.name);
  }

  /** Create the cluster, or reuse it when it exists and `reuse` is set; an existing cluster is an error otherwise. */
  async ensure(opts: { reuse: boolean }): Promise<'created' | 'reused'> {
    if (await this.exists()) {
      if (!opts.reuse) {
        throw new PlatformError(
          `a kind cluster named "${this.name}" already exists: pass --reuse-cluster to drill on it, or --cluster-name to create another`,
          2,
        );
      }
      this.progress(`reusing cluster "${this.name}" (context ${this.context})`);
      return 'reused';
    }
    await this.create();
    return 'created';
  }

  async create(): Promise<void> {
    const template = await readFile(this.opts.configPath ?? KIND_CONFIG_PATH, 'utf8');
    const rendered = renderKindConfig(template, this.hostPort);
    // kind writes a kubeconfig; keep it out of the user's ~/.kube/config (we read it with `kind get kubeconfig`).
    const dir = await mkdtemp(path.join(tmpdir(), 'rollback-drill-kind-'));
    try {
      const configFile = path.join(dir, 'kind.yaml');
      await writeFile(configFile, rendered);
      this.progress(`creating cluster "${this.name}" (NodePort ${APP_NODE_PORT} → 127.0.0.1:${this.hostPort}); the first run pulls the node image`);
      const started = Date.now();
      await this.run(
        'kind',
        ['create', 'cluster', '--name', this.name, '--config', configFile, '--kubeconfig', path.join(dir, 'kubeconfig'), '--wait', '120s'],
        this.timeouts.create,
        `create kind cluster "${this.name}"`,
      );
      this.created = true;
      this.progress(`cluster "${this.name}" ready in ${seconds(started)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The cluster's kubeconfig (context `kind-<name>`), read without touching ~/.kube/config. */
  async kubeconfig(): Promise<string> {
    const res = await this.run('kind', ['get', 'kubeconfig', '--name', this.name], this.timeouts.query, `read the kubeconfig of kind cluster "${this.name}"`);
    return res.stdout;
  }

  /**
   * The 127.0.0.1 host port the cluster really maps to a node port (read from docker, so a reused
   * cluster created with another --host-port still works); undefined when that node port is not mapped.
   */
  async mappedHostPort(nodePort: number = APP_NODE_PORT): Promise<number | undefined> {
    const res = await this.runner('docker', ['port', `${this.name}-control-plane`, `${nodePort}/tcp`], { timeoutMs: this.timeouts.query });
    if (res.exitCode !== 0) return undefined;
    const m = /127\.0\.0\.1:(\d+)/.exec(res.stdout);
    return m ? Number(m[1]) : undefined;
  }

  /** One image of the list (images.ts): built and loaded, or taken from docker (pulled if missing) and loaded. */
  async provide(image: KindImage): Promise<void> {
    if (image.source === 'build') await this.buildAndLoad(image);
    else await this.pullAndLoad(image.image, image);
  }

  /** `docker build -f dockerfile -t image context`, then `kind load`; a missing context or Dockerfile is exit 2 before docker runs. */
  async buildAndLoad(b: ImageBuild): Promise<void> {
    await assertBuildable(b);
    this.progress(`building ${b.image} from ${dockerfileShown(b)} (context ${b.context})`);
    const started = Date.now();
    await this.run('docker', ['build', '-f', b.dockerfile, '-t', b.image, b.context], this.timeouts.build, `build image ${b.image}`, { cwd: b.context });
    this.progress(`built ${b.image} in ${seconds(started)}`);
    await this.load(b.image);
  }

  /**
   * Load an image docker has, pulling it first when it has none (no registry access from the cluster).
   * With a `remedy` (a profile's prebuilt app image), a failed pull is the user's to fix: one line, exit 2.
   */
  async pullAndLoad(image: string = POSTGRES_IMAGE, o: { what?: string; remedy?: string } = {}): Promise<void> {
    const have = await this.runner('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: this.timeouts.query });
    if (have.exitCode !== 0) {
      this.progress(`pulling ${image} (not in docker yet)`);
      const started = Date.now();
      const res = await this.run('docker', ['pull', image], this.timeouts.pull, `pull image ${image}`, { allowFailure: o.remedy !== undefined });
      if (res.exitCode !== 0) {
        const why = lastLine(res.stderr) || lastLine(res.stdout) || `exit ${res.exitCode}`;
        throw new PlatformError(`${o.what ?? `image ${image}`} (${image}) is not in docker and could not be pulled (${why}): ${o.remedy}`, 2);
      }
      this.progress(`pulled ${image} in ${seconds(started)}`);
    }
    await this.load(image);
  }

  async load(image: string): Promise<void> {
    this.progress(`loading ${image} into "${this.name}"`);
    const started = Date.now();
    await this.run('kind', ['load', 'docker-image', image, '--name', this.name], this.timeouts.load, `load image ${image} into kind cluster "${this.name}"`);
    this.progress(`loaded ${image} in ${seconds(started)}`);
  }

  /** `kind export logs` (node, kubelet, container logs) into a folder of the report. */
  async exportLogs(dir: string): Promise<void> {
    this.progress(`exporting cluster logs to ${dir}`);
    await this.run('kind', ['export', 'logs', dir, '--name', this.name], this.timeouts.exportLogs, `export logs of kind cluster "${this.name}"`);
  }

  async delete(): Promise<void> {
    this.progress(`deleting cluster "${this.name}"`);
    await this.run('kind', ['delete', 'cluster', '--name', this.name], this.timeouts.delete, `delete kind cluster "${this.name}"`);
    this.created = false;
  }

  /** Deletes the cluster if this process created it, unless `keep` (--keep-cluster). A reused cluster is never deleted. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.created) return;
    if (this.keep) {
      this.progress(`keeping cluster "${this.name}" (context ${this.context}); delete it with: kind delete cluster --name ${this.name}`);
      return;
    }
    await this.delete();
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
