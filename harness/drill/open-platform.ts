// The platform a scenario drills on, by the CLI's choice: the local processes, a kind cluster
// (created or reused, images built and loaded, deleted afterwards unless --keep-cluster) or an
// existing context the user named and allowed. Disposing it tears down what the run created.
import path from 'node:path';
import type { DrillConfig } from '../config/schema.ts';
import { openExistingPlatform, openKindPlatform } from '../cluster/index.ts';
import { createLocalPlatform } from '../platform/local/index.ts';
import { TOPOLOGY } from '../platform/manifests.ts';
import type { Platform } from '../platform/types.ts';

export type DrillPlatformName = 'local' | 'kind' | 'existing';

export interface OpenPlatformOptions {
  config: DrillConfig;
  /** Resolved by the CLI (`--cluster auto` → kind or local); default: config.cluster, auto → local. */
  platform?: DrillPlatformName;
  /** The run label is `<runIdPrefix>-<random>` (the CLI's run id: what a run created is found by it); default: random. */
  runIdPrefix?: string;
  /** The report folder: kind exports its logs under it. */
  runDir: string;
  progress(line: string): void;
  /** Tear the local platform down on SIGINT/SIGTERM (under the CLI, which forwards its signal). */
  handleSignals?: boolean;
}

export interface DrillPlatform extends AsyncDisposable {
  platform: Platform;
  /** The app image the baseline and procedures deploy. */
  image: string;
}

export function resolvePlatformName(config: DrillConfig, chosen?: DrillPlatformName): DrillPlatformName {
  return chosen ?? (config.cluster === 'auto' ? 'local' : config.cluster);
}

export async function openDrillPlatform(o: OpenPlatformOptions): Promise<DrillPlatform> {
  const name = resolvePlatformName(o.config, o.platform);
  const runId = o.runIdPrefix ? `${o.runIdPrefix}-${Math.random().toString(36).slice(2, 8)}` : `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  if (name === 'local') {
    const platform = await createLocalPlatform({ progress: o.progress, images: o.config.images, runId, keepRunDir: o.config.keepCluster, handleSignals: o.handleSignals ?? false });
    return { platform, image: TOPOLOGY.appImage, [Symbol.asyncDispose]: () => platform[Symbol.asyncDispose]() };
  }
  if (name === 'kind') {
    const handle = await openKindPlatform({
      clusterName: o.config.clusterName,
      runId,
      hostPort: o.config.hostPort,
      reuseCluster: o.config.reuseCluster,
      keepCluster: o.config.keepCluster,
      logsDir: path.join(o.runDir, 'kind-logs', runId),
      appImage: TOPOLOGY.appImage,
      progress: o.progress,
    });
    return { platform: handle.platform, image: TOPOLOGY.appImage, [Symbol.asyncDispose]: () => handle[Symbol.asyncDispose]() };
  }
  const platform = openExistingPlatform({ context: o.config.context, allowContext: o.config.allowContext, runId, progress: o.progress });
  return { platform, image: TOPOLOGY.appImage, [Symbol.asyncDispose]: () => platform[Symbol.asyncDispose]() };
}
