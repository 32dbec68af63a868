// Services of the local platform: one proxy on 127.0.0.1 per Service port (HTTP or TCP by the port's
// name/appProtocol), routing only to ready, not terminating pods that match the Service's current
// selector; the selector merge patch; the host URL of a port; the addresses pods resolve names to.
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { matchesSelector } from '../objects.ts';
import { PlatformError } from '../types.ts';
import { notFound } from './admission.ts';
import type { PodTable } from './pod-table.ts';
import { startHttpProxy, startTcpProxy, type Endpoint, type ServicePortProxy } from './service-proxy.ts';
import type { ObjectStore } from './store.ts';
import type { ServiceAddress } from './translate.ts';

function isHttpPort(p: V1ServicePort): boolean {
  const proto = p.appProtocol?.toLowerCase();
  return proto === 'http' || proto === 'kubernetes.io/h2c' || p.name === 'http' || (p.name ?? '').startsWith('http-');
}

export class ServiceProxies {
  /** namespace/name → service port → its proxy. */
  private readonly runtimes = new Map<string, Map<number, ServicePortProxy>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly pods: PodTable,
    private readonly progress: (line: string) => void,
  ) {}

  /** Proxies for the Service's ports as applied: new ports get one, gone or re-typed ones are closed. */
  async sync(svc: V1Service): Promise<void> {
    const ns = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const key = `${ns}/${name}`;
    const proxies = this.runtimes.get(key) ?? new Map<number, ServicePortProxy>();
    this.runtimes.set(key, proxies);
    const wanted = new Map((svc.spec?.ports ?? []).map((p) => [p.port, p]));
    for (const [port, proxy] of proxies) {
      const p = wanted.get(port);
      if (!p || (isHttpPort(p) ? 'http' : 'tcp') !== proxy.protocol) {
        proxies.delete(port);
        await proxy.close();
      }
    }
    for (const [port, p] of wanted) {
      if (proxies.has(port)) continue;
      const endpoints = () => this.endpoints(ns, name, port);
      const proxy = isHttpPort(p) ? await startHttpProxy(key, endpoints) : await startTcpProxy(key, endpoints);
      proxies.set(port, proxy);
      this.progress(`  service ${key}:${port} → 127.0.0.1:${proxy.localPort} (${proxy.protocol})`);
    }
  }

  /** Ready, not terminating pods matching the Service's current selector, with the local port of its targetPort. */
  private endpoints(ns: string, service: string, port: number): Endpoint[] {
    const svc = this.store.get<V1Service>('Service', ns, service);
    const selector = svc?.spec?.selector;
    if (!svc || !selector || Object.keys(selector).length === 0) return [];
    const target = svc.spec?.ports?.find((p) => p.port === port)?.targetPort ?? port;
    const out: Endpoint[] = [];
    for (const pod of this.pods.list()) {
      if (pod.namespace !== ns || !pod.ready || !matchesSelector(pod.labels, selector)) continue;
      const local = pod.portOf(target as number | string);
      if (local !== undefined) out.push({ pod: pod.name, port: local });
    }
    return out;
  }

  /** JSON merge patch of spec.selector: keys are merged into the existing selector; a null value removes one. */
  patchSelector(namespace: string, service: string, selector: Record<string, string | null>): Record<string, string> {
    const svc = this.store.get<V1Service>('Service', namespace, service);
    if (!svc) throw notFound('Service', service);
    const merged: Record<string, string> = { ...(svc.spec!.selector ?? {}) };
    for (const [k, v] of Object.entries(selector)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    svc.spec!.selector = merged;
    return merged;
  }

  /** Contract (types.ts): the default is the first port, as on Kubernetes; a missing port is the caller's mistake. */
  url(namespace: string, service: string, port?: number): string {
    const svc = this.store.get<V1Service>('Service', namespace, service);
    if (!svc) throw notFound('Service', service);
    const ports = svc.spec?.ports ?? [];
    const sp = port !== undefined ? ports.find((p) => p.port === port) : ports[0];
    const proxy = sp ? this.runtimes.get(`${namespace}/${service}`)?.get(sp.port) : undefined;
    if (!proxy) throw new PlatformError(`service ${namespace}/${service} has no port ${port ?? ''}`.trim(), 2);
    return `http://127.0.0.1:${proxy.localPort}`;
  }

  /** Services with their local proxy ports (what a pod's service DNS names translate to). */
  addresses(): ServiceAddress[] {
    const out: ServiceAddress[] = [];
    for (const svc of this.store.list<V1Service>('Service')) {
      const proxies = this.runtimes.get(`${svc.metadata!.namespace!}/${svc.metadata!.name!}`);
      if (!proxies) continue;
      out.push({ namespace: svc.metadata!.namespace!, name: svc.metadata!.name!, ports: new Map([...proxies].map(([port, proxy]) => [port, proxy.localPort])) });
    }
    return out;
  }

  localPorts(): number[] {
    return [...this.runtimes.values()].flatMap((proxies) => [...proxies.values()].map((p) => p.localPort));
  }

  async close(namespace: string, service: string): Promise<void> {
    const proxies = this.runtimes.get(`${namespace}/${service}`);
    this.runtimes.delete(`${namespace}/${service}`);
    for (const p of proxies?.values() ?? []) await p.close();
  }

  async closeAll(): Promise<void> {
    for (const proxies of this.runtimes.values()) for (const p of proxies.values()) await p.close().catch(() => undefined);
    this.runtimes.clear();
  }
}
