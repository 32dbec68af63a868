// Stability: the runbook's first post-rollback action is "Monitor application stability". The
// restored service's pods, watched through the platform from the switch to the end of the run
// (at least the soak), must not restart, go unready, or come and go. A crash loop that starts some
// seconds after the switch passes every other criterion; this one fails on it.
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { MIN_SOAK_SEC } from '../model/drill-config.ts';
import { defineCriterion } from './criterion.ts';

const TITLE = 'Stability: the restored pods stay up through the soak (no restart, no readiness flap)';
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function stabilityVerdict(o: Pick<ScenarioOutcome, 'stability'>): Verdict {
  const st = o.stability;
  const soak = `soak ${st.soakSec} s${st.explicit ? (st.soakSec < MIN_SOAK_SEC ? ` (--soak, shorter than the ${MIN_SOAK_SEC} s default minimum)` : ' (--soak)') : " (the runbook's hour of stability monitoring / --time-scale, at least 30 s)"}`;
  const base = { id: 'stability', title: TITLE, budget: '0 restarts, 0 unready periods' };
  const r = st.report;
  if (!r) return { ...base, passed: false, measured: 'not measured', evidence: `NOT MEASURED: ${st.notWatched}; ${soak}`, notMeasured: st.notWatched, says: `stability not measured: ${st.notWatched}` };
  // Watched shorter than the soak (an interrupted run, a platform that did not answer): not measured, never a pass.
  const short = r.watchedMs < st.soakSec * 1000 * 0.95 ? `watched only ${s1(r.watchedMs)} of the ${st.soakSec} s soak` : r.polls === 0 ? `the platform never answered the watch (${r.errors} errors${r.lastError ? `: ${r.lastError}` : ''})` : undefined;
  // An unready period that began inside the drill's own capacity burst (or the second after it) is the
  // readiness probe shedding a deliberate overload: shown, not failed. Restarts always count.
  const inOverload = (u: { from: number }) => st.overload.some((w) => u.from >= w.from && u.from <= w.to + 1_000);
  const shed = r.pods.flatMap((p) => p.unready.filter(inOverload).map((u) => `${p.pod} not Ready from ${s1(u.from - r.startedAt)} to ${s1(u.to - r.startedAt)} after the switch, in the capacity burst (overload the drill made; not counted)`));
  const unready = r.pods.reduce((n, p) => n + p.unready.filter((u) => !inOverload(u)).length, 0);
  const unreadyMs = r.pods.reduce((n, p) => n + p.unready.filter((u) => !inOverload(u)).reduce((m, u) => m + (u.to - u.from), 0), 0);
  const events = r.pods.flatMap((p) => [
    ...p.restarts.map((x) => `${p.pod} container ${x.container} restarted ${x.count > 1 ? `${x.count}× ` : ''}${s1(x.at - r.startedAt)} after the switch${x.exitCode !== undefined ? `: exit ${x.exitCode}` : ''}${x.reason ? ` (${x.reason})` : ''}${x.lastLines.length ? `; last lines: ${x.lastLines.map((l) => JSON.stringify(l)).join(' / ')}` : ''}`),
    ...p.unready.filter((u) => !inOverload(u)).map((u) => `${p.pod} not Ready from ${s1(u.from - r.startedAt)} to ${s1(u.to - r.startedAt)} after the switch`),
    ...(p.appeared ? [`${p.pod} appeared ${s1(p.firstSeenAt - r.startedAt)} after the switch`] : []),
    ...(p.gone ? [`${p.pod} was gone ${s1(p.lastSeenAt - r.startedAt)} after the switch`] : []),
  ]);
  const anomalies = [...(r.restarts ? [`${r.restarts} restart(s)`] : []), ...(unready ? [`${unready} unready period(s), ${s1(unreadyMs)} in all`] : []), ...(r.churn ? [`${r.churn} pod(s) came or went`] : [])];
  const listed = [...events, ...shed];
  const evidence = `watched ${r.pods.length} serving pod(s) for ${s1(r.watchedMs)} after the switch (${soak}; ${r.polls} looks at the platform${r.errors ? `, ${r.errors} unanswered` : ''}): ${r.restarts} restarts, ${unready} unready periods${shed.length ? ` (and ${shed.length} in the capacity burst, not counted)` : ''}, ${r.churn} pods came or went${listed.length ? ` — ${listed.slice(0, 6).join('; ')}${listed.length > 6 ? `; … ${listed.length - 6} more` : ''}` : ''}`;
  if (anomalies.length) return { ...base, passed: false, measured: anomalies.join(', '), evidence, says: `the restored service did not stay up: ${anomalies.join(', ')} (wanted: none through the ${st.soakSec} s soak)` };
  if (short) return { ...base, passed: false, measured: 'not measured', evidence: `NOT MEASURED: ${short}; ${evidence}`, notMeasured: short, says: `stability not measured: ${short}` };
  return { ...base, passed: true, measured: '0 restarts, 0 unready periods', evidence };
}

export default defineCriterion({
  id: 'stability',
  title: TITLE,
  weight: 10,
  judge: stabilityVerdict,
});
