// The fake API server's object store rules: which resources it serves, discovery, merge patch,
// label selectors and Status bodies.

export type Obj = { apiVersion?: string; kind?: string; metadata?: Record<string, any>; spec?: any; status?: any; [k: string]: any };

export const RESOURCES: Record<string, { kind: string; namespaced: boolean; group: string }> = {
  namespaces: { kind: 'Namespace', namespaced: false, group: 'v1' },
  services: { kind: 'Service', namespaced: true, group: 'v1' },
  secrets: { kind: 'Secret', namespaced: true, group: 'v1' },
  configmaps: { kind: 'ConfigMap', namespaced: true, group: 'v1' },
  persistentvolumeclaims: { kind: 'PersistentVolumeClaim', namespaced: true, group: 'v1' },
  pods: { kind: 'Pod', namespaced: true, group: 'v1' },
  events: { kind: 'Event', namespaced: true, group: 'v1' },
  deployments: { kind: 'Deployment', namespaced: true, group: 'apps/v1' },
  jobs: { kind: 'Job', namespaced: true, group: 'batch/v1' },
};

export function discovery(groupVersion: string): Obj {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: Object.entries(RESOURCES)
      .filter(([, r]) => r.group === groupVersion)
      .map(([name, r]) => ({ name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'] })),
  };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function matches(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return (labels ?? {})[k!] === v;
  });
}

export function status(code: number, reason: string, message: string): Obj {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, metadata: {} };
}
