// What a container sees vs. what this host has: paths under a volume's mountPath live in a run
// directory, cluster DNS names of Services are proxies on 127.0.0.1. Strings a pod is given (env
// values, command, args, exec arguments) are rewritten with these pure functions.

export interface Mount {
  /** Path inside the container, e.g. /data */
  containerPath: string;
  /** Directory on this host, e.g. /tmp/rollback-drill-x/pvc/hyperpage/hyperpage-data-pvc */
  hostPath: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrite every path under a mount (on path boundaries: /data, /data/x, not /database). Longest mount first. */
export function translatePaths(text: string, mounts: readonly Mount[]): string {
  if (mounts.length === 0 || !text.includes('/')) return text;
  const sorted = [...mounts].map((m) => ({ ...m, containerPath: m.containerPath.replace(/\/+$/, '') || '/' }));
  sorted.sort((a, b) => b.containerPath.length - a.containerPath.length);
  const usable = sorted.filter((m) => m.containerPath !== '/');
  if (usable.length === 0) return text;
  const re = new RegExp(`(?<![\\w.\\-/~$])(${usable.map((m) => escape(m.containerPath)).join('|')})(?=/|$|[^\\w.\\-])`, 'g');
  return text.replace(re, (match) => usable.find((m) => m.containerPath === match)!.hostPath);
}

/** Host path of a container path, if it lies under a mount. */
export function hostPathOf(containerPath: string, mounts: readonly Mount[]): string | undefined {
  const out = translatePaths(containerPath, mounts);
  return out === containerPath ? undefined : out;
}

export interface ServiceAddress {
  namespace: string;
  name: string;
  /** Service port → local port of its proxy on 127.0.0.1. */
  ports: ReadonlyMap<number, number>;
}

const SCHEME_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  redis: 6379,
  mysql: 3306,
};

/** The names a pod in `podNamespace` can use for a Service, longest first. */
function hostNames(svc: ServiceAddress, podNamespace: string): string[] {
  const fq = [`${svc.name}.${svc.namespace}.svc.cluster.local`, `${svc.name}.${svc.namespace}.svc`, `${svc.name}.${svc.namespace}`];
  return svc.namespace === podNamespace ? [...fq, svc.name] : fq;
}

/**
 * Rewrite cluster DNS names of Services to 127.0.0.1 and their ports to the local proxies:
 * `name:5432`, `name.ns.svc.cluster.local:80`, URLs without a port (`http://name.ns.svc/x` → the
 * scheme's port), and a value that is only a name (`PGHOST=name` → `127.0.0.1`). A name followed by
 * a port the Service does not have, or inside another word (`name-credentials`), is left alone.
 */
export function translateServiceDns(text: string, services: readonly ServiceAddress[], podNamespace: string): string {
  let out = text;
  for (const svc of services) {
    const names = hostNames(svc, podNamespace);
    if (!names.some((n) => out.includes(n))) continue;
    const host = `(${names.map(escape).join('|')})`;
    // name:port
    out = out.replace(new RegExp(`(?<![\\w.\\-])${host}:(\\d+)(?![\\w])`, 'g'), (m, _h: string, port: string) => {
      const local = svc.ports.get(Number(port));
      return local === undefined ? m : `127.0.0.1:${local}`;
    });
    // scheme://[user@]name[/...] with the port implied by the scheme
    out = out.replace(
      new RegExp(`([a-zA-Z][a-zA-Z0-9+.\\-]*)://([^\\s/?#@'"]*@)?${host}(?=[/?#\\s'"]|$)`, 'g'),
      (m, scheme: string, user: string | undefined) => {
        const port = SCHEME_PORTS[scheme.toLowerCase()];
        const local = port === undefined ? undefined : svc.ports.get(port);
        return local === undefined ? m : `${scheme}://${user ?? ''}127.0.0.1:${local}`;
      },
    );
    // the whole value is a name
    if (names.includes(out.trim())) out = '127.0.0.1';
  }
  return out;
}

/**
 * Inside a pod, `localhost:3000` is the pod's own container port; here each pod listens on its
 * own local port. Rewrites localhost/127.0.0.1/[::1] with a container port of the pod to it, and a
 * bind-all listen address (`0.0.0.0:5432`) to that port on 127.0.0.1 only.
 */
export function translateLocalPorts(text: string, ports: ReadonlyMap<number, number>): string {
  if (ports.size === 0 || !text.includes(':')) return text;
  return text.replace(/(?<![\w.\-])(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d+)(?!\d)/g, (m, _host: string, port: string) => {
    const local = ports.get(Number(port));
    return local === undefined ? m : `127.0.0.1:${local}`;
  });
}

/**
 * Kubernetes `$(VAR)` references in env values, command and args: replaced by the variable's
 * value when defined, left as written otherwise; `$$(VAR)` escapes to a literal `$(VAR)`.
 */
export function expandVars(text: string, env: Readonly<Record<string, string>>): string {
  if (!text.includes('$(')) return text;
  return text.replace(/\$\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, escaped: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return `$(${escaped})`;
    return name !== undefined && Object.hasOwn(env, name) ? env[name]! : m;
  });
}
