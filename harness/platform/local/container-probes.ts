// A container's probes, wired as a kubelet wires them: a startup probe first (its failure restarts
// the container), then readiness (no probe: ready as soon as it runs) and liveness (its failure
// restarts the container). Exec probes still running are aborted when the probes stop.
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import { ProbeLoop, type ProbeKind, type ProbeTarget } from './probes.ts';

/** What the probes change on their container. */
export interface ProbeHooks {
  warning(message: string): void;
  setReady(ready: boolean): void;
  setStarted(): void;
  restart(message: string): void;
}

export class ContainerProbes {
  private loops: ProbeLoop[] = [];
  private abort = new AbortController();

  constructor(
    private readonly spec: V1Container,
    private readonly hooks: ProbeHooks,
    /** The container as a probe sees it; exec probes get the signal that stop() aborts. */
    private readonly target: (signal: AbortSignal) => ProbeTarget,
  ) {}

  start(): void {
    this.abort = new AbortController();
    if (this.spec.startupProbe) this.add('Startup', this.spec.startupProbe).start();
    else {
      this.hooks.setStarted();
      this.startMain();
    }
  }

  stop(): void {
    for (const p of this.loops) p.stop();
    this.loops = [];
    this.abort.abort();
  }

  private add(kind: ProbeKind, probe: V1Probe): ProbeLoop {
    const name = this.spec.name;
    const loop = new ProbeLoop(kind, probe, this.target(this.abort.signal), {
      onFailure: (r) => this.hooks.warning(`${kind} probe failed: ${r.message}`),
      onVerdict: (ok) => {
        if (kind === 'Readiness') this.hooks.setReady(ok);
        else if (kind === 'Startup') {
          if (ok) {
            this.hooks.setStarted();
            this.startMain();
          } else this.hooks.restart(`Container ${name} failed startup probe, will be restarted`);
        } else if (!ok) this.hooks.restart(`Container ${name} failed liveness probe, will be restarted`);
      },
    });
    this.loops.push(loop);
    return loop;
  }

  private startMain(): void {
    if (this.spec.readinessProbe) this.add('Readiness', this.spec.readinessProbe).start();
    else this.hooks.setReady(true); // no readiness probe: ready as soon as it runs
    if (this.spec.livenessProbe) this.add('Liveness', this.spec.livenessProbe).start();
  }
}
