// What the local API server checks before it stores an object, in the API server's words: the
// shared identity check (objects.ts), the manifest schema, a Deployment's selector against its
// template labels (422 Invalid), and that the namespace exists (404 NotFound).
import type { V1Deployment } from '@kubernetes/client-node';
import { KubeApiError } from '../kube-errors.ts';
import { matchesSelector, objectRef, type ObjectRef } from '../objects.ts';
import { validateManifest } from '../schema.ts';
import type { KubeKind, KubeObject } from '../../model/platform.ts';
import type { ObjectStore } from './store.ts';

const RESOURCE: Record<KubeKind, string> = {
  Namespace: 'namespaces',
  Deployment: 'deployments.apps',
  Service: 'services',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Job: 'jobs.batch',
};

/** KubeApiError 404 NotFound as the API server words it: `deployments.apps "x" not found`. */
export function notFound(kind: KubeKind, name: string): KubeApiError {
  return new KubeApiError(`${RESOURCE[kind]} "${name}" not found`, 404, 'NotFound');
}

export function admit(obj: KubeObject, store: ObjectStore): ObjectRef {
  const ref = objectRef(obj);
  const { kind, name, namespace } = ref;
  const problems = [...validateManifest(obj).errors];
  if (kind === 'Deployment') {
    const d = obj as V1Deployment;
    const sel = d.spec?.selector?.matchLabels;
    const tpl = d.spec?.template?.metadata?.labels ?? {};
    if (sel && !matchesSelector(tpl, sel)) {
      problems.push(`spec.template.metadata.labels: Invalid value: ${JSON.stringify(tpl)}: \`selector\` does not match template \`labels\``);
    }
  }
  if (problems.length > 0) {
    const group = RESOURCE[kind].includes('.') ? `${kind}.${RESOURCE[kind].split('.').slice(1).join('.')}` : kind;
    throw new KubeApiError(`${group} "${name}" is invalid: ${problems.slice(0, 3).join(', ')}`, 422, 'Invalid');
  }
  if (namespace && !store.get('Namespace', undefined, namespace)) throw notFound('Namespace', namespace);
  return ref;
}
