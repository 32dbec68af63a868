// Host-reachable URLs (127.0.0.1 only) for Service ports: the caller's mapping when given (kind's
// NodePort), else one API-server service proxy per port, started once and reused.
import { ApiServerServiceProxy } from '../service-proxy.ts';
import { KubeApiError } from '../kube-errors.ts';
import { PlatformError } from '../types.ts';
import type { KubeSession } from './session.ts';
import { getService } from './workloads.ts';

export class ServiceUrls implements AsyncDisposable {
  private readonly proxies = new Map<string, ApiServerServiceProxy>();

  constructor(private readonly s: KubeSession) {}

  async url(namespace: string, service: string, port?: number): Promise<string> {
    const svc = await getService(this.s, namespace, service);
    if (!svc) throw new KubeApiError(`service ${namespace}/${service}: not found`, 404, 'NotFound');
    const ports = svc.spec?.ports ?? [];
    const p = port === undefined ? ports[0] : ports.find((x) => x.port === port);
    if (!p) throw new PlatformError(`service ${namespace}/${service} has no port ${port ?? ''}`.trim(), 2);
    if (this.s.opts.serviceUrl) return this.s.opts.serviceUrl(svc, p);
    const k = `${namespace}/${service}:${p.port}`;
    let proxy = this.proxies.get(k);
    if (!proxy) {
      proxy = new ApiServerServiceProxy(this.s.kc, namespace, service, p.port);
      await proxy.start();
      this.proxies.set(k, proxy);
      this.s.progress(`service ${k} reachable at ${proxy.url} (through the API server's service proxy)`);
    }
    return proxy.url;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const p of this.proxies.values()) await p[Symbol.asyncDispose]();
    this.proxies.clear();
  }
}
