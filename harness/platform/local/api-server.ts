// The local API server's writes. apply: admission, the run label, uid/creationTimestamp/generation
// kept across updates, then what the kind sets off (a claim's volume, a Service's proxies, the
// controllers, pods waiting on a Secret or claim retried). delete: the kind's resources released,
// a Namespace's content first, as Kubernetes cascades.
import type { V1Deployment, V1Job, V1PersistentVolumeClaim, V1Service } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { KubeApiError } from '../kube-errors.ts';
import { withRunLabel } from '../objects.ts';
import type { KubeKind, KubeObject } from '../../model/platform.ts';
import { admit } from './admission.ts';
import type { HostDirs } from './host-dirs.ts';
import type { ServiceProxies } from './services.ts';
import type { LocalState } from './state.ts';

export interface ApiServerParts {
  readonly st: LocalState;
  readonly dirs: HostDirs;
  readonly services: ServiceProxies;
  readonly runId: string;
}

/** What a namespace holds, deleted before the namespace itself. */
const NAMESPACED: KubeKind[] = ['Job', 'Deployment', 'Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim'];

const specOf = (o: KubeObject | undefined) => JSON.stringify((o as { spec?: unknown } | undefined)?.spec);

export async function applyObject(a: ApiServerParts, input: KubeObject): Promise<void> {
  const { st } = a;
  const { kind, name, namespace } = admit(input, st.store);
  const obj = withRunLabel(input, a.runId);
  const existing = st.store.get(kind, namespace, name);
  obj.metadata!.uid = existing?.metadata?.uid ?? randomUUID();
  obj.metadata!.creationTimestamp = existing?.metadata?.creationTimestamp ?? new Date();
  // The generation moves on when the spec changed (a new object starts at 1).
  obj.metadata!.generation = (existing?.metadata?.generation ?? 0) + (existing && specOf(existing) === specOf(obj) ? 0 : 1);
  switch (kind) {
    case 'Namespace':
    case 'Secret':
    case 'ConfigMap':
      st.store.put(obj);
      for (const pod of st.pods.list()) pod.sync(); // waiting on a missing Secret/ConfigMap?
      break;
    case 'PersistentVolumeClaim': {
      a.dirs.provisionClaim(namespace!, name);
      const pvc = obj as V1PersistentVolumeClaim;
      pvc.status = { phase: 'Bound', accessModes: pvc.spec?.accessModes, capacity: pvc.spec?.resources?.requests };
      st.store.put(pvc);
      for (const pod of st.pods.list()) pod.sync();
      break;
    }
    case 'Service':
      st.store.put(obj);
      await a.services.sync(obj as V1Service);
      break;
    case 'Deployment':
      st.store.put(obj);
      st.progress(`  deployment ${namespace}/${name}: ${(obj as V1Deployment).spec?.replicas ?? 1} replicas`);
      st.deployments.reconcile(obj as V1Deployment);
      break;
    case 'Job':
      if (existing) {
        if (JSON.stringify((existing as V1Job).spec?.template) !== JSON.stringify((obj as V1Job).spec?.template)) {
          throw new KubeApiError(`Job.batch "${name}" is invalid: spec.template: Invalid value: field is immutable`, 422, 'Invalid');
        }
        return;
      }
      st.store.put(obj);
      st.jobs.reconcile(obj as V1Job);
      break;
  }
  st.changes.emit();
}

export async function deleteObject(a: ApiServerParts, kind: KubeKind, namespace: string, name: string): Promise<void> {
  const { st } = a;
  if (kind === 'Namespace') {
    for (const k of NAMESPACED) for (const o of st.store.list(k, name)) await deleteObject(a, k, name, o.metadata!.name!);
    st.store.remove('Namespace', undefined, name);
    return;
  }
  const obj = st.store.remove(kind, namespace, name);
  if (!obj) return;
  switch (kind) {
    case 'Deployment':
      st.deployments.deleteAll(obj as V1Deployment);
      break;
    case 'Job':
      st.jobs.forget(obj as V1Job);
      break;
    case 'Service':
      await a.services.close(namespace, name);
      break;
    case 'PersistentVolumeClaim':
      await a.dirs.releaseClaim(namespace, name);
      break;
    default:
      break;
  }
  st.changes.emit();
}
