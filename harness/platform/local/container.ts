// One container of a local pod, as a kubelet runs it: resolve the image to a host command, start it
// as a process group with its log file and probes, apply the restart policy with back-off (reset
// after a long healthy run), stop it with its stop signal → grace period → SIGKILL, exec into its
// environment, and report its status in Kubernetes' shape.
import type { V1Container, V1ContainerState, V1ContainerStatus } from '@kubernetes/client-node';
import { closeSync, openSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { LocalImageSpec } from './config.ts';
import { ContainerProbes } from './container-probes.ts';
import { ContainerConfigError } from './env.ts';
import { lookupInImage, MISSING_TOOL_EXIT, ociExecFailure } from './image-tools.ts';
import { prepareLaunch, type Launch } from './launch.ts';
import type { LocalPod } from './pod.ts';
import { spawnGroup, stopGroup, type GroupProcess } from './process-group.ts';
import { runCommand, type CommandResult } from './run-command.ts';
import { translateLocalPorts, translatePaths, translateServiceDns } from './translate.ts';

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: Date }
  | { kind: 'terminated'; exitCode: number; signal?: string; reason: string; startedAt?: Date; finishedAt: Date };

export class ContainerNotRunningError extends Error {
  override readonly name = 'ContainerNotRunningError';
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
  private readonly probes: ContainerProbes;
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
    this.probes = new ContainerProbes(
      spec,
      {
        warning: (message) => this.event('Warning', 'Unhealthy', message),
        setReady: (ready) => {
          this.ready = ready;
          this.pod.changed();
        },
        setStarted: () => {
          this.started = true;
          this.pod.changed();
        },
        restart: (message) => void this.killForRestart(message),
      },
      (signal) => ({
        port: (p) => this.portOf(p),
        exec: async (command, timeoutMs) => {
          const r = await this.exec(command, { timeoutMs, signal });
          if (r.timedOut) throw new Error(`exec probe did not finish within ${timeoutMs} ms`);
          return r;
        },
      }),
    );
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.pod.node.eventLog.record(this.pod.namespace, type, reason, `Pod/${this.pod.name}`, message);
  }

  /**
   * Wait `ms`; the pod stopping always ends the wait, a poke (a Secret or image entry may have
   * appeared) only when `pokeable` — a crash-loop back-off is not cut short by unrelated changes.
   */
  private async pause(ms: number, pokeable: boolean): Promise<void> {
    const cut = new AbortController();
    this.wake = () => cut.abort();
    this.pokeable = pokeable;
    await delay(ms, undefined, { signal: cut.signal }).catch(() => undefined);
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
      let launch: Launch;
      try {
        launch = await prepareLaunch(this.pod, this, image);
      } catch (err) {
        if (!(err instanceof ContainerConfigError)) throw err;
        this.setState({ kind: 'waiting', reason: 'CreateContainerConfigError', message: err.message });
        this.event('Warning', 'Failed', `Error: ${err.message}`);
        await this.pause(1000, true);
        continue;
      }
      if (this.pod.terminating) break;
      const startedAt = new Date();
      const exitCode = await this.runOnce(launch, startedAt);
      if (this.pod.terminating) break;
      const policy = this.pod.spec.restartPolicy ?? 'Always';
      if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0 && !this.livenessKill)) break;
      await this.backOff(startedAt);
      if (this.pod.terminating) break;
      this.restartCount++;
    }
  }

  /** One start of the container, until its process group exits; returns the exit code. */
  private async runOnce(launch: Launch, startedAt: Date): Promise<number> {
    if (launch.startError) {
      // The image lacks the pod's command: nothing runs, the container ends as StartError (image-tools.ts).
      this.event('Warning', 'Failed', `Error: failed to start container "${this.spec.name}": ${launch.startError}`);
      this.setState({ kind: 'terminated', exitCode: MISSING_TOOL_EXIT, reason: 'StartError', startedAt, finishedAt: new Date() });
      return MISSING_TOOL_EXIT;
    }
    const fd = openSync(this.logPath, 'a');
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
    this.pod.node.progress(`  pod ${this.pod.namespace}/${this.pod.name}: container ${this.spec.name} started (pid ${this.proc.pid}, port ${launch.listenPort} → 127.0.0.1:${launch.hostPort})`);
    this.probes.start();
    const exit = await this.proc.exited;
    this.probes.stop();
    this.ready = false;
    this.started = false;
    const exitCode = exit.code ?? 128 + (exit.signal ? signalNumber(exit.signal) : 0);
    const reason = exit.startError ? 'StartError' : exitCode === 0 ? 'Completed' : 'Error';
    if (exit.startError) this.event('Warning', 'Failed', `Error: failed to start container "${this.spec.name}": ${exit.startError}`);
    this.proc = undefined;
    this.setState({ kind: 'terminated', exitCode, signal: exit.signal ?? undefined, reason, startedAt, finishedAt: new Date() });
    return exitCode;
  }

  /** CrashLoopBackOff before a restart: none for the first crash, then initial·2^n up to max (reset after 60 s of running). */
  private async backOff(startedAt: Date): Promise<void> {
    const ranMs = Date.now() - startedAt.getTime();
    this.crashStreak = ranMs > 60_000 ? 1 : this.crashStreak + 1;
    const { initial, max } = this.pod.node.restartBackoffMs;
    const ms = this.crashStreak <= 1 ? 0 : Math.min(max, initial * 2 ** (this.crashStreak - 2));
    if (ms <= 0) return;
    this.setState({ kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${Math.round(ms / 1000)}s restarting failed container=${this.spec.name} pod=${this.pod.name}` });
    this.event('Warning', 'BackOff', `Back-off restarting failed container ${this.spec.name} in pod ${this.pod.name}`);
    await this.pause(ms, false);
  }

  private setState(s: ContainerState): void {
    if (this.state.kind === 'terminated' || (this.state.kind === 'running' && s.kind !== 'running')) this.lastState = this.state;
    this.state = s;
    this.pod.changed();
  }

  /** Local port of a container port (by number or name). */
  portOf(port: number | string): number | undefined {
    if (typeof port === 'number' || /^\d+$/.test(port)) return this.ports.get(Number(port));
    const named = this.spec.ports?.find((p) => p.name === port)?.containerPort;
    return named === undefined ? undefined : this.ports.get(named);
  }

  private async killForRestart(message: string): Promise<void> {
    if (!this.proc || this.pod.terminating) return;
    this.livenessKill = true;
    this.probes.stop();
    this.ready = false;
    this.pod.changed();
    this.event('Normal', 'Killing', message);
    await stopGroup(this.proc, this.image?.stopSignal ?? 'SIGTERM', this.pod.graceMs());
  }

  /** Stop signal, grace period, SIGKILL. The run loop ends because the pod is terminating. */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= (async () => {
      this.probes.stop();
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
    let env = this.env;
    const image = this.image;
    if (image?.tools && command[0] !== undefined) {
      // Only the image's tools, on PATH and as argv[0] (image-tools.ts).
      const dir = this.pod.node.shimDir(image);
      const found = lookupInImage(command[0], image, dir, args[0] !== command[0]);
      if (!found.ok) return { exitCode: MISSING_TOOL_EXIT, stdout: '', stderr: ociExecFailure(found.reason), timedOut: false, aborted: false };
      if (command[0].includes('/')) args[0] = found.file; // a bare name is found on PATH, keeping its argv[0]
      env = { ...this.env, PATH: dir };
    }
    return runCommand(args, { env, cwd: this.cwd, timeoutMs: opts.timeoutMs, stdin: opts.stdin, signal: opts.signal });
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
