// The run's objects as the API server would hold them (what was applied, with generation and
// the run label), by kind/namespace/name. Controllers read specs from here; pods live in the kubelet.
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { KubeKind, KubeObject } from '../../model/platform.ts';

export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();

  get<T extends KubeObject>(kind: KubeKind, namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(objectKey(kind, kind === 'Namespace' ? undefined : namespace, name)) as T | undefined;
  }

  list<T extends KubeObject>(kind: KubeKind, namespace?: string): T[] {
    const out: T[] = [];
    for (const o of this.objects.values()) {
      if (o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace)) out.push(o as T);
    }
    return out;
  }

  put(obj: KubeObject): void {
    this.objects.set(objectKey(obj.kind!, obj.kind === 'Namespace' ? undefined : obj.metadata?.namespace, obj.metadata!.name!), obj);
  }

  remove(kind: KubeKind, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = objectKey(kind, kind === 'Namespace' ? undefined : namespace, name);
    const o = this.objects.get(key);
    this.objects.delete(key);
    return o;
  }

  /** Secret data decoded (data is base64, stringData plain; stringData wins as on the API server). */
  secretData(namespace: string, name: string): Record<string, string> | undefined {
    const s = this.get<V1Secret>('Secret', namespace, name);
    if (!s) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
    for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = String(v);
    return out;
  }

  configMapData(namespace: string, name: string): Record<string, string> | undefined {
    const c = this.get<V1ConfigMap>('ConfigMap', namespace, name);
    if (!c) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.data ?? {})) out[k] = String(v);
    for (const [k, v] of Object.entries(c.binaryData ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
    return out;
  }
}
