// Teardown on the API server: in every namespace the run touched, delete each object carrying this
// run's label (checked on the object itself, never on a selector's word alone), workloads first;
// then delete the namespaces the run created. What could not be deleted is one PlatformError.
import type { KubernetesObject } from '@kubernetes/client-node';
import { PlatformError, RUN_LABEL } from '../types.ts';
import { type KubeKind } from '../../model/platform.ts';
import type { OwnershipGuard } from './ownership.ts';
import { API_VERSION, type KubeSession, type Labeled } from './session.ts';

/** Teardown order: workloads first (they hold claims), claims and namespaces last. */
const TEARDOWN_ORDER: (KubeKind | 'Pod')[] = ['Job', 'Deployment', 'Pod', 'Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim'];

export async function teardownRun(s: KubeSession, guard: OwnershipGuard): Promise<void> {
  const selector = `${RUN_LABEL}=${s.runId}`;
  const errors: string[] = [];
  for (const namespace of guard.touched) {
    if (guard.createdNamespaces.has(namespace)) continue; // deleting the namespace removes its content
    for (const kind of TEARDOWN_ORDER) {
      try {
        const list = await s.objects.list(API_VERSION[kind], kind, namespace, undefined, undefined, undefined, undefined, selector);
        for (const item of list.items as (KubernetesObject & Labeled)[]) {
          const name = item.metadata?.name;
          if (name && item.metadata?.labels?.[RUN_LABEL] === s.runId) await s.deleteObject(kind, namespace, name);
        }
      } catch (err) {
        errors.push(s.error(err, `teardown ${kind} in ${namespace}`).message);
      }
    }
  }
  for (const ns of guard.createdNamespaces) {
    try {
      const obj = await s.read('Namespace', undefined, ns);
      if (obj?.metadata?.labels?.[RUN_LABEL] === s.runId) {
        s.progress(`deleting namespace "${ns}" (created by this run)`);
        await s.deleteObject('Namespace', undefined, ns);
      }
    } catch (err) {
      errors.push(s.error(err, `delete namespace ${ns}`).message);
    }
  }
  guard.clear();
  if (errors.length > 0) throw new PlatformError(`teardown left objects behind: ${errors.join('; ')}`, 3);
}
