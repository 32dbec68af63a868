// Where the run's things live on this host, under the run dir: a claim's directory (the volume of a
// PersistentVolumeClaim; writable by any pod user, as a fresh PV is; moved aside when the claim is
// deleted, so a claim created again starts empty) and an image's directory of bin shims and tool
// links (image-tools.ts) that is a container's PATH.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { LocalImageSpec } from './config.ts';
import { writeImageDir } from './image-tools.ts';

export class HostDirs {
  private readonly shims = new Map<LocalImageSpec, string>();

  constructor(readonly runDir: string) {}

  claimPath(namespace: string, claim: string): string {
    return path.join(this.runDir, 'pvc', namespace, claim);
  }

  /** The claim's volume, created 0777 (any pod user, e.g. postgres, may write it). */
  provisionClaim(namespace: string, claim: string): void {
    const dir = this.claimPath(namespace, claim);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
  }

  /** The volume goes with its claim: moved aside, so a claim created again under the same name starts empty. */
  async releaseClaim(namespace: string, claim: string): Promise<void> {
    const dir = this.claimPath(namespace, claim);
    if (existsSync(dir)) await rename(dir, `${dir}.deleted-${Date.now()}`).catch(() => undefined);
  }

  /** Directory with the image's bin shims and tool links (one per image, written once; image-tools.ts). */
  shimDir(image: LocalImageSpec): string {
    let dir = this.shims.get(image);
    if (dir) return dir;
    dir = path.join(this.runDir, 'bin', String(this.shims.size));
    writeImageDir(dir, image);
    this.shims.set(image, dir);
    return dir;
  }
}
