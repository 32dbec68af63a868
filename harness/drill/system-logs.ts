// The telling log lines of the system under drill (the app's pods, the scratch app, PostgreSQL)
// since a cursor: the drill's own Jobs (data-tool reads, psql) are measurements, not the system, so
// their lines are left out. Each line links the full log the finally stage copies under artifacts/.
import path from 'node:path';
import { logCursor, logsSince, tellingLines, type LogCursor } from '../kit/causes.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import type { Causes } from '../model/journal-events.ts';
import type { PodLog } from '../model/platform.ts';
import type { DrillState } from './state.ts';

const NS = TOPOLOGY.namespace;

/** Where the finally stage's collectArtifacts copies a container's log (logs/<namespace>/<pod>_<container>.log), relative to the run folder. */
export function artifactLog(s: Pick<DrillState, 'platform' | 'tag'>, l: PodLog): string | undefined {
  return s.platform.collectArtifacts ? path.posix.join('artifacts', s.tag, 'logs', NS, `${l.pod}_${l.container}.log`) : undefined;
}

export const systemLogCursor = (s: Pick<DrillState, 'platform'>): Promise<LogCursor> => logCursor(s.platform, NS);

/** The system's telling lines since `cursor`; `also` keeps a drill-owned deployment that is part of the system (the preflight's scratch app). */
export async function systemLinesSince(s: Pick<DrillState, 'platform' | 'tag'>, cursor: LogCursor, also?: string, max?: number): Promise<NonNullable<Causes['logs']>> {
  const logs = (await logsSince(s.platform, NS, cursor)).filter((l) => !l.owner?.startsWith('drill-') || l.owner === also);
  return tellingLines(logs, { file: (l) => artifactLog(s, l), ...(max ? { max } : {}) });
}
