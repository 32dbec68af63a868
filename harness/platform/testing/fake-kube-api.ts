// A small, real HTTP server on 127.0.0.1 that answers the Kubernetes API paths the kubernetes
// platform uses, keeps objects in memory and records every request, so tests check what was sent
// over the wire (paths, content types, bodies). Not a Kubernetes: controllers are simple stand-ins
// (a Deployment's status and pods follow spec.replicas after a delay; a Job "runs" a scripted result).
import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { discovery, matches, mergePatch, RESOURCES, status, type Obj } from './fake-kube-objects.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: unknown;
}

export interface FaultRule {
  method?: string;
  path: RegExp;
  status: number;
  reason?: string;
  message?: string;
  /** How many matching requests get the fault (default 1). */
  times?: number;
}

export type ExecHandler = (ctx: { namespace: string; pod: string; container: string; command: string[]; stdin: string }) => {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** A failure status without an exit code (e.g. the executable does not exist). */
  failureMessage?: string;
};

export class FakeKubeApi implements AsyncDisposable {
  readonly requests: RecordedRequest[] = [];
  readonly store = new Map<string, Obj>();
  /** Pod logs by "ns/pod/container". */
  readonly podLogs = new Map<string, string>();
  faults: FaultRule[] = [];
  /** Paths that never get an answer (to test request timeouts). */
  hang: RegExp[] = [];
  /** Deployment status/pods follow spec.replicas this long after each change; undefined = never. */
  deploymentReadyAfterMs: number | undefined = 50;
  /** What a created Job does; undefined = stays running. */
  jobOutcome: ((job: Obj) => { exitCode: number; logs: string; afterMs?: number }) | undefined;
  /** Exec: a handler, or 'forbidden' to refuse the websocket upgrade with 403. */
  exec: ExecHandler | 'forbidden' = () => ({ exitCode: 0 });
  serviceProxy: (ctx: { namespace: string; service: string; path: string; method: string }) => { status: number; body: string } = (c) => ({
    status: 200,
    body: JSON.stringify({ via: 'apiserver-proxy', ...c }),
  });

  private server?: http.Server;
  private wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : [...p][0] ?? false) });
  private timers = new Set<NodeJS.Timeout>();
  private uid = 0;
  private resourceVersion = 1;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as import('node:net').Socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A KubeConfig for this server, built in memory. */
  kubeConfig(contexts: string[] = ['kind-drill-test']): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'tester', token: 'test-token-not-a-secret' }],
      contexts: contexts.map((name) => ({ name, cluster: 'fake', user: 'tester', namespace: 'default' })),
      currentContext: contexts[0],
    });
    return kc;
  }

  key(resource: string, namespace: string | undefined, name: string): string {
    return `${resource}/${namespace ?? ''}/${name}`;
  }

  get(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.store.get(this.key(resource, namespace, name));
  }

  /** Put an object as if something else had created it (pods, events, pre-existing objects). */
  put(resource: string, obj: Obj): Obj {
    const r = RESOURCES[resource]!;
    const full: Obj = {
      apiVersion: r.group,
      kind: r.kind,
      ...obj,
      metadata: { uid: `uid-${++this.uid}`, creationTimestamp: new Date().toISOString(), generation: 1, resourceVersion: String(++this.resourceVersion), ...obj.metadata },
    };
    this.store.set(this.key(resource, r.namespaced ? full.metadata!.namespace : undefined, full.metadata!.name), full);
    return full;
  }

  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private send(res: http.ServerResponse, code: number, body: unknown, type = 'application/json'): void {
    res.writeHead(code, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const contentType = String(req.headers['content-type'] ?? '');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep text */
    }
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams, contentType, body });

    if (this.hang.some((h) => h.test(url.pathname))) return; // never answer
    const fault = this.faults.find((f) => (!f.method || f.method === method) && f.path.test(url.pathname));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return this.send(res, fault.status, status(fault.status, fault.reason ?? 'Injected', fault.message ?? 'injected fault'));
    }
    try {
      this.route(method, url, contentType, body as Obj, res);
    } catch (err) {
      this.send(res, 500, status(500, 'InternalError', (err as Error).message));
    }
  }

  private route(method: string, url: URL, contentType: string, body: Obj, res: http.ServerResponse): void {
    const p = url.pathname;
    if (method === 'GET' && (p === '/api/v1' || /^\/apis\/[^/]+\/v1$/.test(p))) {
      return this.send(res, 200, discovery(p === '/api/v1' ? 'v1' : p.slice('/apis/'.length)));
    }
    const m =
      /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+)(?:\/([^/]+)(\/.*)?)?)?$/.exec(p) ??
      /^\/apis\/[^/]+\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+)(?:\/([^/]+)(\/.*)?)?)?$/.exec(p);
    const nsOnly = /^\/api\/v1\/namespaces(?:\/([^/]+))?$/.exec(p);
    let resource: string;
    let namespace: string | undefined;
    let name: string | undefined;
    let sub: string | undefined;
    let rest = '';
    if (nsOnly) {
      resource = 'namespaces';
      name = nsOnly[1];
    } else if (m) {
      [, namespace, resource, name, sub, rest = ''] = m as unknown as [string, string, string, string | undefined, string | undefined, string | undefined];
    } else {
      return this.send(res, 404, status(404, 'NotFound', `no route ${p}`));
    }
    resource = decodeURIComponent(resource!);
    if (!RESOURCES[resource]) return this.send(res, 404, status(404, 'NotFound', `unknown resource ${resource}`));

    if (resource === 'services' && sub === 'proxy' && name) {
      const [service] = decodeURIComponent(name).split(':');
      const out = this.serviceProxy({ namespace: namespace!, service: service!, path: rest || '/', method });
      return this.send(res, out.status, out.body);
    }
    const { kind, group } = RESOURCES[resource]!;

    if (!name) {
      if (method === 'GET') {
        const items = [...this.store.entries()]
          .filter(([k]) => k.startsWith(`${resource}/${namespace ?? ''}/`))
          .map(([, v]) => v)
          .filter((o) => matches(o.metadata?.labels, url.searchParams.get('labelSelector')));
        return this.send(res, 200, { kind: `${kind}List`, apiVersion: group, metadata: { resourceVersion: String(this.resourceVersion) }, items });
      }
      if (method === 'POST') {
        const n = body.metadata?.name;
        if (this.get(resource, namespace, n)) return this.send(res, 409, status(409, 'AlreadyExists', `${resource} "${n}" already exists`));
        const created = this.put(resource, { ...body, metadata: { ...body.metadata, namespace } });
        this.afterWrite(resource, created);
        return this.send(res, 201, created);
      }
      return this.send(res, 405, status(405, 'MethodNotAllowed', method));
    }

    const existing = this.get(resource, namespace, name);
    if (sub === 'log') {
      const text = this.podLogs.get(`${namespace}/${name}/${url.searchParams.get('container') ?? ''}`);
      if (!existing) return this.send(res, 404, status(404, 'NotFound', `pods "${name}" not found`));
      return this.send(res, 200, text ?? '', 'text/plain');
    }
    if (sub === 'scale') {
      if (!existing) return this.send(res, 404, status(404, 'NotFound', `deployments.apps "${name}" not found`));
      if (method === 'PATCH') {
        if (!contentType.startsWith('application/merge-patch+json')) return this.send(res, 415, status(415, 'UnsupportedMediaType', contentType));
        const replicas = (body as { spec?: { replicas?: number } }).spec?.replicas;
        existing.spec = { ...existing.spec, replicas };
        this.bump(existing, true);
        this.afterWrite(resource, existing);
      }
      return this.send(res, 200, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace }, spec: { replicas: existing.spec?.replicas }, status: { replicas: existing.status?.replicas ?? 0 } });
    }

    switch (method) {
      case 'GET':
        return existing ? this.send(res, 200, existing) : this.send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`));
      case 'DELETE': {
        if (!existing) return this.send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`));
        this.store.delete(this.key(resource, namespace, name));
        if (resource === 'namespaces') for (const k of [...this.store.keys()]) if (k.split('/')[1] === name) this.store.delete(k);
        if (resource === 'deployments') this.removePods((o) => o.metadata?.labels?.['fake-owner'] === name);
        if (resource === 'jobs') this.removePods((o) => o.metadata?.labels?.['job-name'] === name);
        return this.send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', metadata: {} });
      }
      case 'PATCH': {
        if (contentType.startsWith('application/apply-patch+yaml')) {
          const applied: Obj = { ...body, metadata: { ...body.metadata } };
          if (existing) {
            applied.metadata = { ...existing.metadata, ...applied.metadata, labels: applied.metadata?.labels };
            applied.status = existing.status;
            const changed = JSON.stringify(existing.spec) !== JSON.stringify(applied.spec);
            this.store.set(this.key(resource, namespace, name), applied);
            this.bump(applied, changed);
            this.afterWrite(resource, applied);
            return this.send(res, 200, applied);
          }
          const created = this.put(resource, applied);
          this.afterWrite(resource, created);
          return this.send(res, 201, created);
        }
        if (contentType.startsWith('application/merge-patch+json')) {
          if (!existing) return this.send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`));
          const merged = mergePatch(existing, body) as Obj;
          const changed = JSON.stringify(existing.spec) !== JSON.stringify(merged.spec);
          this.store.set(this.key(resource, namespace, name), merged);
          this.bump(merged, changed);
          this.afterWrite(resource, merged);
          return this.send(res, 200, merged);
        }
        return this.send(res, 415, status(415, 'UnsupportedMediaType', `patch type ${contentType} not handled by the fake`));
      }
      default:
        return this.send(res, 405, status(405, 'MethodNotAllowed', method));
    }
  }

  private bump(obj: Obj, specChanged: boolean): void {
    obj.metadata!.resourceVersion = String(++this.resourceVersion);
    if (specChanged) obj.metadata!.generation = (obj.metadata!.generation ?? 1) + 1;
  }

  private removePods(pred: (o: Obj) => boolean): void {
    for (const [k, v] of [...this.store.entries()]) if (k.startsWith('pods/') && pred(v)) this.store.delete(k);
  }

  /** The stand-in controllers. */
  private afterWrite(resource: string, obj: Obj): void {
    const ns = obj.metadata?.namespace;
    const name = obj.metadata?.name;
    if (resource === 'deployments' && this.deploymentReadyAfterMs !== undefined) {
      const generation = obj.metadata?.generation;
      this.later(this.deploymentReadyAfterMs, () => {
        const dep = this.get('deployments', ns, name);
        if (!dep || dep.metadata?.generation !== generation) return;
        const n = dep.spec?.replicas ?? 1;
        dep.status = { observedGeneration: generation, replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n };
        this.removePods((o) => o.metadata?.labels?.['fake-owner'] === name && o.metadata?.namespace === ns);
        for (let i = 0; i < n; i++) {
          this.put('pods', {
            metadata: {
              name: `${name}-5d8f7-${i}`,
              namespace: ns,
              labels: { ...dep.spec?.template?.metadata?.labels, 'pod-template-hash': '5d8f7', 'fake-owner': name },
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5d8f7`, uid: 'rs', controller: true }],
            },
            spec: dep.spec?.template?.spec,
            status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: dep.spec?.template?.spec?.containers?.[0]?.name, ready: true, restartCount: 0, image: 'x', imageID: 'x' }] },
          });
        }
      });
    }
    if (resource === 'jobs' && this.jobOutcome) {
      const outcome = this.jobOutcome(obj);
      this.later(outcome.afterMs ?? 30, () => {
        const job = this.get('jobs', ns, name);
        if (!job) return;
        const container = job.spec?.template?.spec?.containers?.[0]?.name ?? 'job';
        const podName = `${name}-x7k2p`;
        this.put('pods', {
          metadata: { name: podName, namespace: ns, labels: { ...job.spec?.template?.metadata?.labels, 'job-name': name, 'batch.kubernetes.io/job-name': name } },
          spec: job.spec?.template?.spec,
          status: { phase: outcome.exitCode === 0 ? 'Succeeded' : 'Failed', containerStatuses: [{ name: container, ready: false, restartCount: 0, image: 'x', imageID: 'x', state: { terminated: { exitCode: outcome.exitCode } } }] },
        });
        this.podLogs.set(`${ns}/${podName}/${container}`, outcome.logs);
        job.status = outcome.exitCode === 0 ? { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } : { failed: 1, conditions: [{ type: 'Failed', status: 'True' }] };
      });
    }
  }

  private upgrade(req: http.IncomingMessage, socket: import('node:net').Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({ method: 'UPGRADE', path: url.pathname, query: url.searchParams, contentType: '', body: undefined });
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const refuse = (code: number, text: string) => {
      socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify(status(code, text, text))}`);
    };
    if (!m) return refuse(404, 'Not Found');
    if (this.exec === 'forbidden') return refuse(403, 'Forbidden');
    if (!this.get('pods', m[1], m[2]!)) return refuse(404, 'Not Found');
    const handler = this.exec;
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const command = url.searchParams.getAll('command');
      const wantsStdin = url.searchParams.get('stdin') === 'true';
      const stdin: Buffer[] = [];
      const run = () => {
        const out = handler({ namespace: m[1]!, pod: m[2]!, container: url.searchParams.get('container') ?? '', command, stdin: Buffer.concat(stdin).toString('utf8') });
        const frame = (ch: number, text: string) => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(text)]));
        if (out.stdout) frame(1, out.stdout);
        if (out.stderr) frame(2, out.stderr);
        const st = out.failureMessage
          ? { metadata: {}, status: 'Failure', message: out.failureMessage, reason: 'InternalError' }
          : out.exitCode
            ? { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: ${out.exitCode}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(out.exitCode) }] } }
            : { metadata: {}, status: 'Success' };
        frame(3, JSON.stringify(st));
        ws.close();
      };
      if (!wantsStdin) return run();
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0) stdin.push(data.subarray(1));
        else if (data[0] === 255 && data[1] === 0) run(); // v5: stdin closed
      });
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  return new FakeKubeApi().start();
}
