import { describe, expect, it } from 'vitest';
import { drilledOutcome } from '../drill/testing/outcome.ts';
import { stabilityVerdict } from './stability.criterion.ts';

const healthy = drilledOutcome().stability;
const report = healthy.report!;

describe('stability', () => {
  it('passes when every serving pod stayed Ready with no restart through a soak it was watched for', () => {
    const v = stabilityVerdict({ stability: healthy });
    expect(v.passed, v.evidence).toBe(true);
    expect(v.evidence).toMatch(/^watched 3 serving pod\(s\) for 31\.0 s after the switch \(soak 30 s \(the runbook's hour/);
  });

  it('fails on a restart, naming the pod, the exit code and the last lines; on an unready period and on a pod that came', () => {
    const pods = [
      { ...report.pods[0]!, restarts: [{ at: 112_300, container: 'app', count: 1, exitCode: 137, reason: 'OOMKilled', lastLines: ['heap out of memory'] }] },
      { ...report.pods[1]!, unready: [{ from: 110_000, to: 112_000 }] },
      { ...report.pods[2]!, appeared: true, firstSeenAt: 120_000 },
    ];
    const v = stabilityVerdict({ stability: { ...healthy, report: { ...report, pods, restarts: 1, unreadyPeriods: 1, unreadyMs: 2_000, churn: 1 } } });
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('1 restart(s), 1 unready period(s), 2.0 s in all, 1 pod(s) came or went');
    expect(v.evidence).toContain('pod-0 container app restarted 7.3 s after the switch: exit 137 (OOMKilled); last lines: "heap out of memory"');
    expect(v.evidence).toContain('pod-1 not Ready from 5.0 s to 7.0 s after the switch');
    expect(v.evidence).toContain('pod-2 appeared 15.0 s after the switch');
  });

  it("an unready period that began in the drill's own capacity burst is shown, not failed; a restart there still fails", () => {
    const pods = [{ ...report.pods[0]!, unready: [{ from: 118_500, to: 118_800 }] }, report.pods[1]!, report.pods[2]!];
    const shed = stabilityVerdict({ stability: { ...healthy, report: { ...report, pods, unreadyPeriods: 1, unreadyMs: 300 } } });
    expect(shed.passed, shed.evidence).toBe(true);
    expect(shed.evidence).toContain('0 unready periods (and 1 in the capacity burst, not counted)');
    expect(shed.evidence).toContain('pod-0 not Ready from 13.5 s to 13.8 s after the switch, in the capacity burst');
    const crashed = [{ ...pods[0]!, restarts: [{ at: 118_600, container: 'app', count: 1, lastLines: [] }] }, pods[1]!, pods[2]!];
    expect(stabilityVerdict({ stability: { ...healthy, report: { ...report, pods: crashed, restarts: 1 } } }).passed).toBe(false);
  });

  it('a watch shorter than the soak, or none, is not measured (never a pass); an explicit short soak is said', () => {
    const short = stabilityVerdict({ stability: { ...healthy, report: { ...report, watchedMs: 10_000 } } });
    expect(short).toMatchObject({ passed: false, measured: 'not measured', notMeasured: 'watched only 10.0 s of the 30 s soak' });
    const none = stabilityVerdict({ stability: { soakSec: 30, explicit: false, overload: [], notWatched: 'no deployment hyperpage-sqlite to watch (the rollback did not complete)' } });
    expect(none).toMatchObject({ passed: false, measured: 'not measured' });
    const explicit = stabilityVerdict({ stability: { ...healthy, soakSec: 3, explicit: true } });
    expect(explicit.passed).toBe(true);
    expect(explicit.evidence).toContain('soak 3 s (--soak, shorter than the 30 s default minimum)');
  });
});
