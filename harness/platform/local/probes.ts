// Readiness/liveness/startup probes as the kubelet runs them: httpGet (2xx/3xx passes, a fresh
// connection each time), tcpSocket (connect), exec (exit 0), with initialDelaySeconds,
// periodSeconds, timeoutSeconds, successThreshold and failureThreshold, and its failure messages.
import type { V1Probe } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface ProbeTarget {
  /** Local port of a container port (number or name), undefined when the container does not expose it. */
  port(port: number | string): number | undefined;
  /** Runs a command in the container's environment. */
  exec(command: string[], timeoutMs: number): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

export function probeTimeoutMs(p: V1Probe): number {
  return Math.max(1, p.timeoutSeconds ?? 1) * 1000;
}

function httpGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = lib.get(url, { headers: { 'user-agent': 'kube-probe/1.33', ...headers }, agent: false, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true, message: `HTTP ${code}` } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.code === 'ECONNRESET' ? 'read: connection reset by peer' : err.message;
      resolve({ ok: false, message: `Get "${url}": dial tcp ${new URL(url).host}: ${why}` });
    });
  });
}

function tcpConnect(port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (r: ProbeResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, message: `dial tcp 127.0.0.1:${port}: i/o timeout` }));
    socket.once('connect', () => done({ ok: true, message: 'connected' }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, message: `dial tcp 127.0.0.1:${port}: ${err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.message}` }));
  });
}

/** Run one probe once. */
export async function runProbe(p: V1Probe, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = probeTimeoutMs(p);
  if (p.httpGet) {
    const port = target.port(p.httpGet.port);
    const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
    const path = p.httpGet.path ?? '/';
    if (port === undefined) return { ok: false, message: `Get "${scheme}://127.0.0.1:${p.httpGet.port}${path}": port not exposed by the container` };
    const headers = Object.fromEntries((p.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value]));
    return httpGet(`${scheme}://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`, headers, timeoutMs);
  }
  if (p.tcpSocket) {
    const port = target.port(p.tcpSocket.port);
    if (port === undefined) return { ok: false, message: `dial tcp: port ${p.tcpSocket.port} not exposed by the container` };
    return tcpConnect(port, timeoutMs);
  }
  if (p.exec?.command?.length) {
    try {
      const r = await target.exec(p.exec.command, timeoutMs);
      const out = `${r.stdout}${r.stderr}`.trim();
      return r.exitCode === 0 ? { ok: true, message: out } : { ok: false, message: out || `command exited with ${r.exitCode}` };
    } catch (err) {
      return { ok: false, message: `command timed out: ${(err as Error).message}` };
    }
  }
  return { ok: false, message: 'probe has no handler (httpGet, tcpSocket or exec)' };
}

export type ProbeKind = 'Readiness' | 'Liveness' | 'Startup';

export interface ProbeLoopEvents {
  /** The probe's verdict changed (successThreshold successes / failureThreshold failures in a row). */
  onVerdict(ok: boolean, last: ProbeResult): void;
  /** Every failed attempt (the kubelet's "Unhealthy" event). */
  onFailure(result: ProbeResult): void;
}

/** One probe on its period. The verdict starts as failed (a pod is not ready until a probe passes). */
export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  verdict = false;

  constructor(
    readonly kind: ProbeKind,
    private readonly probe: V1Probe,
    private readonly target: ProbeTarget,
    private readonly events: ProbeLoopEvents,
  ) {}

  start(): void {
    this.schedule(Math.max(0, this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    const result = await runProbe(this.probe, this.target);
    if (this.stopped) return;
    if (result.ok) {
      this.failures = 0;
      this.successes++;
      if (!this.verdict && this.successes >= Math.max(1, this.probe.successThreshold ?? 1)) {
        this.verdict = true;
        this.events.onVerdict(true, result);
      }
    } else {
      this.successes = 0;
      this.failures++;
      this.events.onFailure(result);
      if (this.failures >= Math.max(1, this.probe.failureThreshold ?? 3) && (this.verdict || this.kind !== 'Readiness')) {
        this.verdict = false;
        this.failures = 0;
        this.events.onVerdict(false, result);
      }
    }
    const period = Math.max(1, this.probe.periodSeconds ?? 10) * 1000;
    this.schedule(Math.max(0, period - (Date.now() - started)));
  }
}
