// What both platforms check on an object and add to it before it goes anywhere: a kind a drill
// applies, a name and (but for a Namespace) a namespace; a copy with the run label on the object
// and on its pod template. One place, so the local and the Kubernetes platform cannot drift apart.
import type { V1Deployment, V1Job } from '@kubernetes/client-node';
import { PlatformError, RUN_LABEL } from './types.ts';
import { type KubeKind, type KubeObject } from '../model/platform.ts';

/** Every kind a drill applies (KubeObject), in the order a namespace's content is listed. */
export const KUBE_KINDS: readonly KubeKind[] = ['Namespace', 'Deployment', 'Service', 'PersistentVolumeClaim', 'Secret', 'ConfigMap', 'Job'];

export interface ObjectRef {
  kind: KubeKind;
  name: string;
  /** undefined for a Namespace. */
  namespace: string | undefined;
}

/** Kind, name and namespace of an object to apply; a PlatformError (exit 2) when one is missing or unknown. */
export function objectRef(obj: KubeObject): ObjectRef {
  const kind = obj.kind as KubeKind;
  const name = obj.metadata?.name;
  if (!kind || !KUBE_KINDS.includes(kind) || !name) throw new PlatformError(`cannot apply an object without a known kind and a name (${kind ?? '?'}/${name ?? '?'})`, 2);
  if (kind === 'Namespace') return { kind, name, namespace: undefined };
  const namespace = obj.metadata?.namespace;
  if (!namespace) throw new PlatformError(`cannot apply ${kind} ${name}: metadata.namespace is required`, 2);
  return { kind, name, namespace };
}

/**
 * A copy with RUN_LABEL=runId on the object and, for a Deployment or Job, on its pod template (so
 * pods carry it too: logs and teardown sweeps find them by it). The caller's object is not mutated.
 */
export function withRunLabel<T extends KubeObject>(obj: T, runId: string): T {
  const copy = structuredClone(obj);
  copy.metadata = { ...copy.metadata, labels: { ...copy.metadata?.labels, [RUN_LABEL]: runId } };
  if (copy.kind === 'Deployment' || copy.kind === 'Job') {
    const spec = (copy as V1Deployment | V1Job).spec;
    if (spec?.template) spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, [RUN_LABEL]: runId } };
  }
  return copy;
}

/** Equality-based label selector match (matchLabels, a Service's selector). */
export function matchesSelector(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
