// performance-issues (high, planned, < 30 min, performance test): latency between the app and
// PostgreSQL. The drill's latency proxy (drill-data proxy, in the data tool's image: no app's CLI
// needed) runs as a deployment; the PostgreSQL Service is pointed at it and the proxy forwards to the database pod through a direct
// Service, then the app's pooled connections are ended so every new one pays the latency both ways.
// Proven at the proxy: SELECT 1 through the app's path (the PostgreSQL Service) vs the direct Service.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { TOPOLOGY } from '../kit/topology.ts';
import { done, notYet, poll } from '../platform/wait.ts';
import { POSTGRES_PODS } from '../kit/pods.ts';
import { DATA_TOOL_IMAGE } from '../kit/data-tool.ts';
import { selectOneMs } from '../kit/postgres-checks.ts';
import { END_APP_SESSIONS_SQL, psql } from '../kit/psql.ts';
import type { Fault, FaultContext } from '../model/fault.ts';

const NS = TOPOLOGY.namespace;
export const PROXY = 'hyperpage-pg-latency';
export const DIRECT = 'hyperpage-postgres-direct';
/** Added in each direction: a query round trip pays at least twice this. */
export const LATENCY_MS = 300;
const PROXY_LABELS = { app: 'hyperpage', component: 'pg-latency' };

function objects(): [V1Service, V1Deployment] {
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
                name: 'latency-proxy',
                image: DATA_TOOL_IMAGE,
                command: ['drill-data', 'proxy', '--listen', '0.0.0.0:5432', '--to', `${DIRECT}:5432`, '--latency-ms', String(LATENCY_MS)],
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

export const performanceIssues: Fault = {
  name: 'performance-issues',
  description: `${LATENCY_MS} ms added each way between the app and PostgreSQL (drill-data proxy)`,
  cutsAppFromDatabase: false,
  async inject(ctx: FaultContext) {
    await ctx.platform.apply(objects());
    await ctx.platform.waitForReady(NS, PROXY, 1, { timeoutMs: 60_000, signal: ctx.signal });
    await ctx.platform.patchServiceSelector(NS, TOPOLOGY.postgresService, { ...PROXY_LABELS });
    // Pooled connections were opened before the switch: end them, so the app's pools reconnect
    // through the Service — now the proxy.
    const ended = await psql(ctx, END_APP_SESSIONS_SQL);
    return `service/${TOPOLOGY.postgresService} → deployment/${PROXY} (+${LATENCY_MS} ms each way) → service/${DIRECT}; ${ended} pooled connection(s) ended to reconnect through it`;
  },
  async verify(ctx: FaultContext) {
    const latencyAdded = async (signal: AbortSignal | undefined) => {
      const via = await selectOneMs(ctx.platform, TOPOLOGY.postgresService, 3, signal);
      const direct = await selectOneMs(ctx.platform, DIRECT, 3, signal);
      // A round trip pays the latency both ways; counting it once leaves room for jitter.
      // Without the direct path the whole query time counts as added (said so in the evidence).
      const added = via.ms === undefined ? undefined : via.ms - (direct.ms ?? 0);
      const vs = direct.ms === undefined ? `; ${direct.detail}, so compared with 0 ms` : ` vs ${direct.detail} (the server directly)`;
      const seen = `${via.detail} (the app's path)${vs}${added === undefined ? '' : `: +${added} ms`}`;
      return added !== undefined && added >= LATENCY_MS ? done(seen) : notYet(seen);
    };
    const r = await poll(latencyAdded, {
      describe: `≥ ${LATENCY_MS} ms added on the app's path to PostgreSQL`,
      timeoutMs: ctx.verifyTimeoutMs ?? 60_000,
      intervalMs: 500,
      signal: ctx.signal,
    });
    if (r.done) return { effective: true, evidence: `${r.value} added at the proxy (${LATENCY_MS} ms injected each way)` };
    return { effective: false, evidence: `no added latency of ≥ ${LATENCY_MS} ms on the app's path to PostgreSQL: ${r.state}` };
  },
  async clear(ctx: FaultContext) {
    await ctx.platform.patchServiceSelector(NS, TOPOLOGY.postgresService, { ...POSTGRES_PODS });
    await ctx.platform.delete('Deployment', NS, PROXY);
    await ctx.platform.delete('Service', NS, DIRECT);
    return `service/${TOPOLOGY.postgresService} back on the database pod, proxy removed`;
  },
};
