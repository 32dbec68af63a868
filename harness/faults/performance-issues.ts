// performance-issues (high, planned, < 30 min, performance test): latency between the app and
// PostgreSQL. The app's own fault proxy (hyperpage-cli fault-proxy) runs as a deployment; the
// PostgreSQL Service is pointed at it and the proxy forwards to the database pod through a direct
// Service, then the app's pooled connections are ended so every new one pays the latency both ways.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { request } from 'undici';
import { TOPOLOGY } from '../platform/manifests.ts';
import { POSTGRES_PODS } from '../procedures/actions.ts';
import { END_APP_SESSIONS_SQL, psql } from './psql.ts';
import type { Fault, FaultContext } from './types.ts';

const NS = TOPOLOGY.namespace;
export const PROXY = 'hyperpage-pg-latency';
export const DIRECT = 'hyperpage-postgres-direct';
/** Added in each direction: a query round trip pays at least twice this. */
export const LATENCY_MS = 300;
const PROXY_LABELS = { app: 'hyperpage', component: 'pg-latency' };

function objects(image: string): [V1Service, V1Deployment] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: DIRECT, namespace: NS, labels: { app: 'hyperpage', component: 'database-direct' } },
      spec: { selector: { ...POSTGRES_PODS }, ports: [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: PROXY, namespace: NS, labels: { ...PROXY_LABELS } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...PROXY_LABELS } },
        template: {
          metadata: { labels: { ...PROXY_LABELS } },
          spec: {
            containers: [
              {
                name: 'fault-proxy',
                image,
                command: ['hyperpage-cli', 'fault-proxy', '--listen', '0.0.0.0:5432', '--target', `${DIRECT}:5432`, '--latency-ms', String(LATENCY_MS)],
                ports: [{ containerPort: 5432, name: 'postgres' }],
                readinessProbe: { tcpSocket: { port: 5432 }, initialDelaySeconds: 1, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
  ];
}

/** p50/p99 of N sequential requests to a database-backed endpoint. */
export async function sampleLatency(serviceUrl: string, n: number, signal?: AbortSignal): Promise<{ p50: number; p99: number; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  for (let i = 0; i < n && !signal?.aborted; i++) {
    const t0 = performance.now();
    try {
      const res = await request(`${serviceUrl}/api/tools/github`, { headersTimeout: 10_000, bodyTimeout: 10_000 });
      await res.body.dump();
      if (res.statusCode !== 200) failed++;
    } catch {
      failed++;
    }
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] ?? 0);
  return { p50: at(50), p99: at(99), failed };
}

export const performanceIssues: Fault = {
  name: 'performance-issues',
  description: `${LATENCY_MS} ms added each way between the app and PostgreSQL (fault proxy)`,
  async inject(ctx: FaultContext) {
    await ctx.platform.apply(objects(ctx.image));
    await ctx.platform.waitForReady(NS, PROXY, 1, { timeoutMs: 60_000, signal: ctx.signal });
    await ctx.platform.patchServiceSelector(NS, TOPOLOGY.postgresService, { ...PROXY_LABELS });
    // Pooled connections were opened before the switch: end them, so the app's pools reconnect
    // through the Service — now the proxy.
    const ended = await psql(ctx, END_APP_SESSIONS_SQL);
    return `service/${TOPOLOGY.postgresService} → deployment/${PROXY} (+${LATENCY_MS} ms each way) → service/${DIRECT}; ${ended} pooled connection(s) ended to reconnect through it`;
  },
  async verify(ctx: FaultContext) {
    const deadline = Date.now() + (ctx.verifyTimeoutMs ?? 60_000);
    let last = { p50: 0, p99: 0, failed: 0 };
    while (Date.now() < deadline && !ctx.signal?.aborted) {
      last = await sampleLatency(ctx.serviceUrl, 10, ctx.signal);
      if (last.p99 > 500) return { effective: true, evidence: `GET /api/tools/github p50 ${last.p50} ms, p99 ${last.p99} ms over 10 requests (> 500 ms), ${last.failed} failed` };
    }
    return { effective: false, evidence: `responses stayed fast: p50 ${last.p50} ms, p99 ${last.p99} ms over 10 requests` };
  },
  async clear(ctx: FaultContext) {
    await ctx.platform.patchServiceSelector(NS, TOPOLOGY.postgresService, { ...POSTGRES_PODS });
    await ctx.platform.delete('Deployment', NS, PROXY);
    await ctx.platform.delete('Service', NS, DIRECT);
    return `service/${TOPOLOGY.postgresService} back on the database pod, proxy removed`;
  },
};
