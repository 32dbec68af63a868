// `kubectl exec` through client-node's Exec (websocket, channel.k8s.io protocols): collects stdout,
// stderr and the exit status the API server reports on the status channel.
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { PassThrough, Readable, Writable } from 'node:stream';
import { PlatformError } from './types.ts';

export interface PodExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

class Collector extends Writable {
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Exit code from the status channel: Success → 0, NonZeroExitCode → its code; anything else → undefined. */
export function exitCodeFromStatus(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    return Number.isInteger(code) ? code : undefined;
  }
  return undefined;
}

export async function execInPod(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  command: string[],
  opts: { timeoutMs: number; stdin?: string | Uint8Array; signal?: AbortSignal },
): Promise<PodExecResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  let stdin: Readable | null = null;
  if (opts.stdin !== undefined) {
    const s = new PassThrough();
    s.end(typeof opts.stdin === 'string' ? Buffer.from(opts.stdin) : Buffer.from(opts.stdin));
    stdin = s;
  }
  const where = `exec into pod ${namespace}/${pod} (${command[0] ?? ''})`;

  return await new Promise<PodExecResult>((resolve, reject) => {
    let status: V1Status | undefined;
    let ws: { close(): void; on?(ev: string, fn: (...a: unknown[]) => void): void; onclose?: unknown } | undefined;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        ws?.close();
        reject(err);
        return;
      }
      const code = status ? exitCodeFromStatus(status) : undefined;
      let errText = stderr.text();
      let exitCode = code ?? -1;
      if (code === undefined && status) {
        // The runtime could not start the command (e.g. executable not found): kubectl reports it and exits non-zero.
        errText += (errText && !errText.endsWith('\n') ? '\n' : '') + (status.message ?? 'exec failed');
        exitCode = /not found|no such file/i.test(status.message ?? '') ? 127 : -1;
      } else if (!status) {
        errText += (errText ? '\n' : '') + 'exec stream closed without an exit status';
      }
      resolve({ exitCode, stdout: stdout.text(), stderr: errText });
    };
    const timer = setTimeout(() => finish(new PlatformError(`${where}: no exit status within ${Math.round(opts.timeoutMs / 1000)}s`, 3)), opts.timeoutMs);
    const onAbort = () => finish(new Error(`${where}: aborted`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    new Exec(kc)
      .exec(namespace, pod, container, command, stdout, stderr, stdin, false, (s) => {
        status = s;
      })
      .then((socket) => {
        ws = socket as unknown as typeof ws;
        if (settled) {
          socket.close();
          return;
        }
        socket.addEventListener('close', () => finish());
        socket.addEventListener('error', (ev) => finish(new Error(`${where}: ${(ev as { message?: string }).message ?? 'websocket error'}`)));
      })
      .catch((err: unknown) => {
        // A refused upgrade surfaces as a ws error "Unexpected server response: 403".
        const msg = (err as { message?: string })?.message ?? String(err);
        const m = /Unexpected server response: (\d+)/.exec(msg);
        const hint = m?.[1] === '403' ? ' (forbidden: the credentials may not create pods/exec)' : m?.[1] === '404' ? ' (pod or container not found)' : '';
        finish(new PlatformError(`${where}: the API server refused the exec connection: ${msg}${hint}`, 3));
      });
  });
}
