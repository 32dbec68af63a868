// The kubelet's pod table: the live pods by namespace/name, and every pod the run had (the logs of
// ended pods stay readable, which a Kubernetes API server cannot offer).
import { matchesSelector } from '../objects.ts';
import type { LocalPod } from './pod.ts';

export class PodTable {
  private readonly live = new Map<string, LocalPod>();
  private readonly history: LocalPod[] = [];

  add(pod: LocalPod): void {
    this.live.set(`${pod.namespace}/${pod.name}`, pod);
    this.history.push(pod);
  }

  /** Called on every pod change: a pod that is gone leaves the live table (not the history). */
  changed(pod: LocalPod): void {
    if (pod.gone) this.live.delete(`${pod.namespace}/${pod.name}`);
  }

  get(namespace: string, name: string): LocalPod | undefined {
    return this.live.get(`${namespace}/${name}`);
  }

  /** Live pods (not gone; terminating ones included). */
  list(): LocalPod[] {
    return [...this.live.values()];
  }

  /** Every pod the run had, in creation order. */
  all(): readonly LocalPod[] {
    return this.history;
  }

  ownedBy(kind: 'ReplicaSet' | 'Job', uid: string, pods: Iterable<LocalPod> = this.live.values()): LocalPod[] {
    return [...pods].filter((p) => p.owner?.kind === kind && p.owner.uid === uid);
  }

  matching(namespace: string, selector: Record<string, string>): LocalPod[] {
    return this.list().filter((p) => p.namespace === namespace && matchesSelector(p.labels, selector));
  }
}
