// A container's environment as the kubelet computes it: envFrom (Secret/ConfigMap, with prefix),
// then env (value with $(VAR) references, valueFrom secretKeyRef/configMapKeyRef/fieldRef), later
// entries winning. A reference to a missing Secret/ConfigMap/key is the kubelet's
// CreateContainerConfigError: the container does not start until it appears.
import type { V1Container, V1ObjectMeta } from '@kubernetes/client-node';
import { expandVars } from './translate.ts';

export interface EnvSources {
  /** Decoded data of a Secret, undefined when it does not exist. */
  secret(namespace: string, name: string): Record<string, string> | undefined;
  configMap(namespace: string, name: string): Record<string, string> | undefined;
}

export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function fieldValue(path: string, meta: V1ObjectMeta, podIP: string): string {
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) return meta.labels?.[label[1]!] ?? '';
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (annotation) return meta.annotations?.[annotation[1]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'status.podIP':
    case 'status.hostIP':
      return podIP;
    case 'spec.nodeName':
      return 'local';
    case 'spec.serviceAccountName':
      return 'default';
    default:
      throw new ContainerConfigError(`unsupported fieldRef fieldPath "${path}"`);
  }
}

/** The env a container spec declares (not yet translated to this host). Throws ContainerConfigError. */
export function containerEnv(container: V1Container, meta: V1ObjectMeta, sources: EnvSources, podIP = '127.0.0.1'): Record<string, string> {
  const ns = meta.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string> | undefined;
    if (from.secretRef) {
      data = sources.secret(ns, from.secretRef.name ?? '');
      if (!data && !from.secretRef.optional) throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
    } else if (from.configMapRef) {
      data = sources.configMap(ns, from.configMapRef.name ?? '');
      if (!data && !from.configMapRef.optional) throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
    }
    for (const [k, v] of Object.entries(data ?? {})) if (ENV_NAME.test(prefix + k)) env[prefix + k] = v;
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom) {
      const { secretKeyRef: s, configMapKeyRef: c, fieldRef: f } = e.valueFrom;
      if (s) {
        const v = keyRefValue('Secret', s, sources.secret(ns, s.name ?? ''), ns);
        if (v !== undefined) env[e.name] = v;
      } else if (c) {
        const v = keyRefValue('ConfigMap', c, sources.configMap(ns, c.name ?? ''), ns);
        if (v !== undefined) env[e.name] = v;
      } else if (f) {
        env[e.name] = fieldValue(f.fieldPath, meta, podIP);
      } else {
        throw new ContainerConfigError(`env ${e.name}: valueFrom of this kind is not supported locally`);
      }
    } else {
      env[e.name] = expandVars(String(e.value ?? ''), env);
    }
  }
  return env;
}

/** A secretKeyRef/configMapKeyRef's value; undefined when it is missing and optional (the variable is then unset). */
function keyRefValue(kind: 'Secret' | 'ConfigMap', ref: { name?: string; key: string; optional?: boolean }, data: Record<string, string> | undefined, ns: string): string | undefined {
  if (!data) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${kind.toLowerCase()} "${ref.name}" not found`);
  }
  if (!Object.hasOwn(data, ref.key)) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`);
  }
  return data[ref.key]!;
}
