// A pod's volumes as host directories: a claim's run-dir volume, an emptyDir (medium Memory: on
// tmpfs) and a hostPath as they are, Secret/ConfigMap keys written as files (items honoured); then each container's mounts (subPath
// included) as container path → host path, which path translation works from.
import type { LocalPod } from './pod.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Mount } from './translate.ts';

/** Throws (a FailedMount) when a Secret/ConfigMap is missing and not optional, or a volume type is unsupported. */
export function setUpVolumes(pod: LocalPod): Mount[] {
  const { node, namespace, homeDir, spec } = pod;
  mkdirSync(homeDir, { recursive: true });
  mkdirSync(path.join(node.runDir, 'logs', namespace), { recursive: true });
  const dirs = new Map<string, string>();
  for (const v of spec.volumes ?? []) {
    let dir: string;
    if (v.persistentVolumeClaim) dir = node.claimDir(namespace, v.persistentVolumeClaim.claimName)!;
    // medium Memory is a tmpfs on a node; here too where the host has one (HostDirs.memoryRoot).
    else if (v.emptyDir) dir = v.emptyDir.medium === 'Memory' ? path.join(node.memoryDir(), namespace, pod.name, v.name) : path.join(homeDir, 'volumes', v.name);
    else if (v.hostPath) dir = v.hostPath.path;
    else if (v.secret || v.configMap) {
      dir = path.join(homeDir, 'volumes', v.name);
      const data = v.secret ? node.sources.secret(namespace, v.secret.secretName ?? '') : node.sources.configMap(namespace, v.configMap!.name ?? '');
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
  for (const c of spec.containers) {
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
