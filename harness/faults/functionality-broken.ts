// functionality-broken (high, emergency, < 15 min, feature test): a table the app needs is dropped
// from PostgreSQL. Health (SELECT 1) stays green; the tool integrations break. The proof it took
// effect is the feature check failing, measured through the service.
import { request } from 'undici';
import { sleep } from '../procedures/actions.ts';
import { psql } from './psql.ts';
import type { Fault, FaultContext } from './types.ts';

export const DROPPED_TABLE = 'tool_configs';

async function status(url: string): Promise<number> {
  try {
    const res = await request(url, { headersTimeout: 3_000, bodyTimeout: 3_000 });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

export const functionalityBroken: Fault = {
  name: 'functionality-broken',
  description: `a table the app needs (${DROPPED_TABLE}) dropped from PostgreSQL`,
  async inject(ctx: FaultContext) {
    await psql(ctx, `DROP TABLE ${DROPPED_TABLE};`);
    return `DROP TABLE ${DROPPED_TABLE} on PostgreSQL`;
  },
  async verify(ctx: FaultContext) {
    const deadline = Date.now() + (ctx.verifyTimeoutMs ?? 20_000);
    let streak = 0;
    let last = { tools: 0, health: 0 };
    let checks = 0;
    while (Date.now() < deadline) {
      checks++;
      last = { tools: await status(`${ctx.serviceUrl}/api/tools/github`), health: await status(`${ctx.serviceUrl}/api/health`) };
      streak = last.tools !== 200 ? streak + 1 : 0;
      if (streak >= 3) {
        return { effective: true, evidence: `GET /api/tools/github failed 3 times in a row (HTTP ${last.tools}) while /api/health answered HTTP ${last.health}` };
      }
      await sleep(200, ctx.signal);
    }
    return { effective: false, evidence: `the feature check kept passing: GET /api/tools/github HTTP ${last.tools} (${checks} checks)` };
  },
  async clear() {
    // The rollback moves the service to SQLite, whose tool_configs is intact; PostgreSQL is left as the incident left it.
    return `nothing restored on PostgreSQL (${DROPPED_TABLE} stays dropped for the post-mortem)`;
  },
};
