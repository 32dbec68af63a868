// What the local platform observed, for procedures and reports: container logs of every pod the run
// had (ended ones included), the event log, and a copy of logs, events and pod states into a
// report folder.
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlatformEvent, PodLog } from '../../model/platform.ts';
import type { LocalState } from './state.ts';

export async function podLogs(st: LocalState, namespace: string): Promise<PodLog[]> {
  const out: PodLog[] = [];
  for (const pod of st.pods.all()) {
    if (pod.namespace !== namespace) continue;
    for (const c of pod.containers) {
      const text = await readFile(c.logPath, 'utf8').catch(() => '');
      out.push({ pod: pod.name, container: c.spec.name, owner: pod.owner?.controller, text });
    }
  }
  return out;
}

export function namespaceEvents(st: LocalState, namespace: string): PlatformEvent[] {
  return st.eventLog.list(namespace).map(({ time, type, reason, object, message, count }) => ({ time, type, reason, object, message, count }));
}

/** Copies the run's logs, events.json and pods.json into `dir`; returns the paths written. */
export async function collectArtifacts(st: LocalState, runDir: string, dir: string): Promise<string[]> {
  const written: string[] = [];
  const logsDir = path.join(runDir, 'logs');
  if (existsSync(logsDir)) {
    await cp(logsDir, path.join(dir, 'logs'), { recursive: true });
    written.push(path.join(dir, 'logs'));
  }
  const events = path.join(dir, 'events.json');
  await writeFile(events, `${JSON.stringify(st.eventLog.list(), null, 2)}\n`);
  written.push(events);
  const pods = path.join(dir, 'pods.json');
  await writeFile(pods, `${JSON.stringify(st.pods.all().map((p) => p.toV1()), null, 2)}\n`);
  written.push(pods);
  return written;
}
