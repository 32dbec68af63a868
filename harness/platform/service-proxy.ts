// A host-reachable URL for a Service of a cluster the drill cannot reach by NodePort (`--cluster
// existing`): a local HTTP server on 127.0.0.1 that forwards each request to the API server's
// service proxy (/api/v1/namespaces/NS/services/NAME:PORT/proxy/...). Unlike `kubectl port-forward`
// (which pins one pod), the API server picks a ready endpoint of the Service per request, so a
// selector switch during a rollback shows in the probes exactly as it happens.
import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'te', 'trailer']);

export class ApiServerServiceProxy implements AsyncDisposable {
  private server?: http.Server;
  private agent?: http.Agent;
  url = '';

  constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string,
    readonly service: string,
    readonly port: number | string,
  ) {}

  async start(): Promise<string> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in the kubeconfig');
    const base = new URL(cluster.server);
    const tls: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(tls);
    const isHttps = base.protocol === 'https:';
    this.agent = isHttps
      ? new https.Agent({ keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized })
      : new http.Agent({ keepAlive: true });
    const authHeaders = (tls.headers ?? {}) as Record<string, string>;
    const prefix = `${base.pathname.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(this.namespace)}/services/${encodeURIComponent(this.service)}:${this.port}/proxy`;

    this.server = http.createServer((req, res) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      const upstream = (isHttps ? https : http).request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          method: req.method,
          path: prefix + (req.url ?? '/'),
          headers: { ...headers, ...authHeaders },
          agent: this.agent,
        },
        (up) => {
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
          res.writeHead(up.statusCode ?? 502, out);
          up.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`api server proxy: ${err.message}`);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${addr.port}`;
    return this.url;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.agent?.destroy();
  }
}
