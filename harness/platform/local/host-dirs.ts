// Where the run's things live on this host, under the run dir: a claim's directory (the volume of a
// PersistentVolumeClaim; writable by any pod user, as a fresh PV is; moved aside when the claim is
// deleted, so a claim created again starts empty) and an image's directory of bin shims and tool
// links (image-tools.ts) that is a container's PATH; and the run's memory-backed emptyDirs (tmpfs).
import { accessSync, chmodSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LocalImageSpec } from './config.ts';
import { writeImageDir } from './image-tools.ts';

const SHM = '/dev/shm';

export class HostDirs {
  private readonly shims = new Map<LocalImageSpec, string>();
  private memory: string | undefined;

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

  /**
   * Where memory-backed emptyDirs live: a directory of this run on /dev/shm (tmpfs, as a node mounts
   * medium: Memory), else under the run dir. Made on first use, removed at teardown (releaseMemory).
   */
  memoryRoot(): string {
    if (this.memory) return this.memory;
    let dir = path.join(this.runDir, 'memory');
    try {
      if (statSync(SHM).isDirectory()) {
        accessSync(SHM, constants.W_OK);
        dir = path.join(SHM, `rollback-drill-${path.basename(this.runDir)}`);
      }
    } catch {
      /* no writable /dev/shm: disk under the run dir */
    }
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    this.memory = dir;
    return dir;
  }

  async releaseMemory(): Promise<void> {
    if (this.memory) await rm(this.memory, { recursive: true, force: true, maxRetries: 3 });
    this.memory = undefined;
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
