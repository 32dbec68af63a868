// `--cluster existing --context NAME --allow-context`: the Kubernetes platform on a context of the
// user's kubeconfig ($KUBECONFIG or ~/.kube/config), used only when named and allowed explicitly.
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesPlatform } from '../platform/kubernetes.ts';
import { PlatformError } from '../platform/types.ts';

export interface ExistingPlatformOptions {
  context: string | undefined;
  allowContext: boolean;
  runId: string;
  /** Kubeconfig text; default: the user's ($KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string;
  progress?: (line: string) => void;
  pollIntervalMs?: number;
  /** Per API request; default 30 s. */
  requestTimeoutMs?: number;
}

export function openExistingPlatform(opts: ExistingPlatformOptions): KubernetesPlatform {
  if (!opts.context || !opts.allowContext) {
    throw new PlatformError('--cluster existing needs --context NAME and --allow-context (the drill changes and deletes objects there)', 2);
  }
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig !== undefined) kc.loadFromString(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new PlatformError(`cannot read the kubeconfig: ${(err as Error).message.split('\n')[0]}`, 2);
  }
  return new KubernetesPlatform({
    kubeConfig: kc,
    target: { platform: 'existing', context: opts.context, allowContext: opts.allowContext },
    runId: opts.runId,
    progress: opts.progress,
    pollIntervalMs: opts.pollIntervalMs,
    requestTimeoutMs: opts.requestTimeoutMs,
  });
}

/**
 * Before a drill on an existing context: the context is in the kubeconfig and its API server
 * answers. Either failure is the user's to fix: a PlatformError with exit code 2, one line.
 */
export async function preflightExistingContext(opts: Pick<ExistingPlatformOptions, 'context' | 'allowContext' | 'kubeconfig'>, timeoutMs = 10_000): Promise<string> {
  const platform = openExistingPlatform({ ...opts, runId: 'preflight', requestTimeoutMs: timeoutMs });
  try {
    await platform.ping();
  } catch (err) {
    throw new PlatformError(`${(err as Error).message}; check the context and that the cluster is up`, 2);
  }
  return platform.server;
}
