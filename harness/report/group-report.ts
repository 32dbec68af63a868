// One scenario × variant of a run: its journal events, in order, folded into a GroupReport (steps,
// criteria, checks, fault, probe summaries, samples, triggers, phases and key metrics).
import type { JournalEvent, StepRecord } from '../model/journal-events.ts';
import type { ProbeKind, ProbeSummaryOf } from '../model/probe-summaries.ts';
import { findingKindOf } from './finding-groups.ts';
import { keyMetrics } from './key-metrics.ts';
import type {
  CheckReport,
  CriterionReport,
  FaultReport,
  FindingReport,
  GroupReport,
  GroupStatus,
  MarkerReport,
  PhaseReport,
  ProbeSummaryReport,
  SamplesRef,
  StepReport,
  TriggerReport,
} from './model.ts';

/** A criterion or check judged again later replaces the earlier one, in its place. */
function upsert<T extends { id: string }>(list: T[], item: T): void {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

/** Folds one group's events (add, in journal order), then builds its GroupReport once the journal is read. */
export class GroupBuilder {
  readonly steps: StepReport[] = [];
  readonly open = new Map<string, Pick<StepRecord, 'procedure' | 'stepId' | 'step' | 'index' | 'budgetMs' | 'startedAt'>>();
  readonly criteria: CriterionReport[] = [];
  readonly checks: CheckReport[] = [];
  readonly findings: FindingReport[] = [];
  readonly probes: ProbeSummaryReport[] = [];
  readonly samples: SamplesRef[] = [];
  readonly triggers = new Map<string, TriggerReport>();
  readonly markers: MarkerReport[] = [];
  readonly phases: PhaseReport[] = [];
  readonly fault: FaultReport = { name: null, injectedAt: null, injectDetail: null, effective: null, verifiedAt: null, evidence: null, clearedAt: null };
  scenarioStart: { t: number; method: string; budgetMs: number; validation: string; fault: string } | null = null;
  scenarioEnd: { t: number; passed: boolean; durationMs: number } | null = null;
  firstAt: number | null = null;
  lastAt: number | null = null;

  constructor(
    readonly key: string,
    readonly scenario: string | null,
    readonly variant: string | null,
  ) {}

  add(e: JournalEvent): void {
    this.firstAt ??= e.t;
    this.lastAt = e.t;
    switch (e.type) {
      case 'scenario.start':
        this.scenarioStart = { t: e.t, method: e.method, budgetMs: e.budgetMs, validation: e.validation, fault: e.fault };
        if (e.fault && e.fault !== 'none') this.fault.name ??= e.fault;
        break;
      case 'scenario.end':
        this.scenarioEnd = { t: e.t, passed: e.passed, durationMs: e.durationMs };
        break;
      case 'phase.start':
        this.phases.push({ phase: e.phase, startedAt: e.t, durationMs: null });
        break;
      case 'phase.end': {
        const p = [...this.phases].reverse().find((x) => x.phase === e.phase && x.durationMs === null);
        if (p) p.durationMs = e.durationMs ?? e.t - p.startedAt;
        else this.phases.push({ phase: e.phase, startedAt: e.t - (e.durationMs ?? 0), durationMs: e.durationMs ?? 0 });
        break;
      }
      case 'step.start':
        this.open.set(`${e.procedure}#${e.index}`, { procedure: e.procedure, stepId: e.stepId, step: e.step, index: e.index, budgetMs: e.budgetMs, startedAt: e.t });
        break;
      case 'step.end':
        this.open.delete(`${e.procedure}#${e.index}`);
        this.steps.push({
          procedure: e.procedure,
          stepId: e.stepId,
          step: e.step,
          index: e.index,
          budgetMs: e.budgetMs,
          startedAt: e.startedAt,
          durationMs: e.durationMs,
          outcome: e.outcome,
          overBudget: e.outcome !== 'skipped' && e.outcome !== 'aborted' && e.durationMs > e.budgetMs,
          message: e.message,
        });
        break;
      case 'fault.inject':
        this.fault.name = e.fault;
        this.fault.injectedAt = e.t;
        this.fault.injectDetail = e.detail;
        break;
      case 'fault.effective':
      case 'fault.not-effective':
        this.fault.name ??= e.fault;
        this.fault.effective = e.type === 'fault.effective';
        this.fault.verifiedAt = e.t;
        this.fault.evidence = e.detail;
        break;
      case 'fault.clear':
        this.fault.clearedAt = e.t;
        break;
      case 'marker':
        this.markers.push({ t: e.t, name: e.name, detail: e.detail ?? null });
        break;
      case 'probe.summary':
        this.probes.push({ probe: e.probe, at: e.t, summary: e.summary } as ProbeSummaryReport);
        break;
      case 'probe.samples':
        this.samples.push({ probe: e.probe, file: e.file, count: e.count });
        break;
      case 'verdict': {
        const { id, title, passed, measured, budget, evidence } = e;
        // Journals from before expectations: a verdict must simply pass.
        const judged = { expected: e.expected ?? 'pass', expectedBecause: e.expectedBecause ?? null, matches: e.matches ?? passed };
        upsert(this.criteria, { id, title, passed, measured, budget, unit: e.unit ?? null, evidence, at: e.t, ...judged, maskReason: e.maskReason ?? null, says: e.says ?? null, notMeasured: e.notMeasured ?? null, causes: e.causes ?? null });
        break;
      }
      case 'check': {
        const { id, title, passed, measured, expected, matches } = e;
        upsert(this.checks, { id, title, passed, measured, expected, expectedBecause: e.expectedBecause ?? null, matches, at: e.t, procedure: e.procedure ?? null, stepId: e.stepId ?? null, maskReason: e.maskReason ?? null, says: e.says ?? null, causes: e.causes ?? null, provenance: e.provenance ?? null });
        break;
      }
      case 'finding': {
        const f: FindingReport = {
          id: e.id,
          title: e.title,
          detail: e.detail,
          confirmed: e.confirmed,
          at: e.t,
          scenario: this.scenario,
          variant: this.variant,
          kind: e.kind ?? findingKindOf(e.id),
          provenance: e.provenance ?? null,
          causes: e.causes ?? null,
        };
        this.findings.push(f);
        break;
      }
      case 'trigger': {
        const prev = this.triggers.get(e.trigger);
        this.triggers.set(e.trigger, {
          trigger: e.trigger,
          firedAt: e.firedAt ?? prev?.firedAt ?? null,
          clearedAt: e.clearedAt ?? prev?.clearedAt ?? null,
          detail: e.detail ?? prev?.detail ?? null,
        });
        break;
      }
      default:
        break;
    }
  }

  build(runAborted: boolean, lastEventAt: number | null): GroupReport {
    const steps = [...this.steps];
    for (const o of this.open.values()) {
      const durationMs = Math.max(0, (lastEventAt ?? o.startedAt) - o.startedAt);
      steps.push({ ...o, durationMs, outcome: 'interrupted', overBudget: durationMs > o.budgetMs, message: 'no step.end: the run stopped during this step' });
    }
    steps.sort((a, b) => a.startedAt - b.startedAt || a.index - b.index);

    const availability = this.last('availability');
    const integrity = this.last('ledger');
    const loadPhase = (phase: string) => this.all('load').findLast((s) => s.phase === phase) ?? null;
    const after = loadPhase('after');

    let status: GroupStatus;
    if (this.scenarioEnd) status = this.scenarioEnd.passed ? 'passed' : 'failed';
    else if (runAborted && this.scenario !== null) status = 'aborted';
    else if (this.criteria.length > 0) status = this.criteria.every((c) => c.passed) ? 'passed' : 'failed';
    else status = 'not-evaluated';

    const startedAt = this.scenarioStart?.t ?? this.firstAt;
    const endedAt = this.scenarioEnd?.t ?? this.lastAt;
    return {
      key: this.key,
      scenario: this.scenario,
      variant: this.variant,
      status,
      startedAt,
      endedAt,
      durationMs: this.scenarioEnd?.durationMs ?? (startedAt !== null && endedAt !== null ? endedAt - startedAt : null),
      method: this.scenarioStart?.method ?? null,
      validation: this.scenarioStart?.validation ?? null,
      budgetMs: this.scenarioStart?.budgetMs ?? null,
      fault: { ...this.fault },
      steps,
      criteria: this.criteria,
      checks: this.checks,
      matches: this.criteria.length + this.checks.length === 0 ? null : [...this.criteria, ...this.checks].every((x) => x.matches),
      findings: this.findings,
      probes: this.probes,
      latency: { baseline: loadPhase('baseline'), capacityBefore: loadPhase('capacityBefore'), faulted: loadPhase('faulted'), after, capacityAfter: loadPhase('capacityAfter') },
      integrity,
      availability,
      samples: this.samples,
      triggers: [...this.triggers.values()],
      markers: this.markers,
      phases: this.phases,
      metrics: keyMetrics(this.criteria, steps, availability, integrity, after, this.last('resilience')?.resilienceScore ?? null),
    };
  }

  /** Every summary of one probe kind, in journal order. */
  all<K extends ProbeKind>(kind: K): ProbeSummaryOf<K>[] {
    return this.probes.filter((p): p is Extract<ProbeSummaryReport, { probe: K }> => p.probe === kind).map((p) => p.summary as ProbeSummaryOf<K>);
  }

  last<K extends ProbeKind>(kind: K): ProbeSummaryOf<K> | null {
    return this.all(kind).at(-1) ?? null;
  }
}
