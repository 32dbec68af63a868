// The ownership guard of the Kubernetes platform: it says where changes go (once per namespace,
// before the first one), changes only objects that are absent or carry a drill's label (an earlier
// run's are adopted), and remembers the namespaces the run touched and the ones it created, which
// are the only namespaces teardown sweeps and deletes.
import { PlatformError, RUN_LABEL } from '../types.ts';
import { type KubeKind } from '../../model/platform.ts';
import type { KubeSession } from './session.ts';

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export class OwnershipGuard {
  /** Namespaces this run changed something in (teardown sweeps them). */
  readonly touched = new Set<string>();
  /** Namespaces this run created (the only ones teardown deletes). */
  readonly createdNamespaces = new Set<string>();
  /** Objects known to carry this run's label (no ownership read needed before changing them). */
  private readonly owned = new Set<string>();
  private readonly announced = new Set<string>();

  constructor(private readonly s: KubeSession) {}

  /** Say where changes go, once per namespace, before the first change there. */
  announce(namespace: string): void {
    this.touched.add(namespace);
    if (this.announced.has(namespace)) return;
    this.announced.add(namespace);
    this.s.progress(`changing namespace "${namespace}" on context ${this.s.context}`);
  }

  /** A namespace this run created: announced already, swept and deleted by teardown. */
  created(namespace: string): void {
    this.createdNamespaces.add(namespace);
    this.touched.add(namespace);
    this.announced.add(namespace);
  }

  /**
   * May this run change the object? Yes when it does not exist, or carries a drill's label (this run's,
   * or an earlier run's that is adopted). An object nobody labelled is someone else's: refuse.
   */
  async assertOwned(kind: KubeKind, namespace: string, name: string): Promise<'absent' | 'owned'> {
    const k = key(kind, namespace, name);
    if (this.owned.has(k)) return 'owned';
    const obj = await this.s.read(kind, namespace, name);
    if (!obj) return 'absent';
    if (!obj.metadata?.labels?.[RUN_LABEL]) {
      throw new PlatformError(
        `refusing to change ${kind} ${namespace}/${name}: it exists on context ${this.s.context} without the ${RUN_LABEL} label, so the drill did not create it; use a namespace or cluster of its own`,
        2,
      );
    }
    this.owned.add(k);
    return 'owned';
  }

  /** Announce the namespace, then assertOwned: the guard in front of every change. */
  async guard(kind: KubeKind, namespace: string, name: string): Promise<'absent' | 'owned'> {
    this.announce(namespace);
    return this.assertOwned(kind, namespace, name);
  }

  markOwned(kind: KubeKind, namespace: string, name: string): void {
    this.owned.add(key(kind, namespace, name));
  }

  forget(kind: KubeKind, namespace: string, name: string): void {
    this.owned.delete(key(kind, namespace, name));
  }

  /** After teardown: nothing is known to be owned any more. */
  clear(): void {
    this.createdNamespaces.clear();
    this.owned.clear();
  }
}
