// The platform a scenario drills on, by the CLI's choice: the local processes, a kind cluster
// (created or reused, images built and loaded, deleted afterwards unless --keep-cluster) or an
// existing context the user named and allowed. Disposing it tears down what the run created.
// The target profile says which image the app runs and, locally, how each of its images runs.
import path from 'node:path';
import type { DrillConfig } from '../model/drill-config.ts';
import { kindImages, openExistingPlatform, openKindPlatform } from '../cluster/index.ts';
import { createLocalPlatform, drillImages } from '../platform/local/index.ts';
import { DATA_TOOL_IMAGE } from '../kit/topology.ts';
import type { Platform } from '../model/platform.ts';
import type { TargetProfile } from '../model/target-profile.ts';

export type DrillPlatformName = 'local' | 'kind' | 'existing';

export interface OpenPlatformOptions {
  config: DrillConfig;
  /** The app under drill: its image, and its images' local commands and tools. */
  target: TargetProfile;
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
  /** The app image the baseline and procedures deploy (the target's). */
  image: string;
  /** The drill's data tool image (its Jobs and the latency proxy). */
  dataToolImage: string;
}

export function resolvePlatformName(config: DrillConfig, chosen?: DrillPlatformName): DrillPlatformName {
  return chosen ?? (config.cluster === 'auto' ? 'local' : config.cluster);
}

export async function openDrillPlatform(o: OpenPlatformOptions): Promise<DrillPlatform> {
  const name = resolvePlatformName(o.config, o.platform);
  const runId = o.runIdPrefix ? `${o.runIdPrefix}-${Math.random().toString(36).slice(2, 8)}` : `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const image = o.target.app.image;
  const dataToolImage = DATA_TOOL_IMAGE;
  if (name === 'local') {
    // The harness's images < the target's < the config's `images` (target-images.ts).
    const images = drillImages(o.target, o.config.images);
    const platform = await createLocalPlatform({ progress: o.progress, images, runId, keepRunDir: o.config.keepCluster, handleSignals: o.handleSignals ?? false });
    return { platform, image, dataToolImage, [Symbol.asyncDispose]: () => platform[Symbol.asyncDispose]() };
  }
  if (name === 'kind') {
    const handle = await openKindPlatform({
      clusterName: o.config.clusterName,
      runId,
      hostPort: o.config.hostPort,
      reuseCluster: o.config.reuseCluster,
      keepCluster: o.config.keepCluster,
      logsDir: path.join(o.runDir, 'kind-logs', runId),
      // The profile's app image (built from its app.build, or prebuilt), the data tool's, postgres.
      images: kindImages({ target: o.target.name, app: o.target.app, dataToolImage }),
      progress: o.progress,
    });
    return { platform: handle.platform, image, dataToolImage, [Symbol.asyncDispose]: () => handle[Symbol.asyncDispose]() };
  }
  const platform = openExistingPlatform({ context: o.config.context, allowContext: o.config.allowContext, runId, progress: o.progress });
  return { platform, image, dataToolImage, [Symbol.asyncDispose]: () => platform[Symbol.asyncDispose]() };
}
