// The public entry for a user's own scenario and target files: everything such a file needs, from one
// import (`import { defineScenario, type Fault } from 'rollback-drill'`, or a path to this file). What
// is not exported here is the harness's inside and may change.

// Defining a row of the decision matrix, and a target profile.
export { defineScenario, ScenarioSpecError } from './scenarios/spec.ts';
export { defineTarget } from './targets/define.ts';
export { TargetProfileError } from './kit/errors.ts';

// The types a scenario file is written in.
export type { Method, OutcomeAssertion, PhaseContext, ScenarioPhase, ScenarioSpec, TriggerId, ValidationSet } from './model/scenario.ts';
export type { Fault, FaultContext, FaultEffect } from './model/fault.ts';
export type { Procedure, ProcedureResult, Step, StepResult } from './model/procedure.ts';
export type { ProcedureContext, ProcedureState } from './model/context.ts';
export type { ScenarioOutcome } from './model/outcome.ts';
export type { Verdict } from './model/verdict.ts';
export type { Criterion } from './model/criterion.ts';
export { defineCriterion } from './criteria/criterion.ts';
export type { CheckId, ExpectedFailure, FindingSpec } from './model/findings.ts';
export type { Platform } from './model/platform.ts';
export type { TargetProfile, TargetProfileInput } from './model/target-profile.ts';

// The runbook's procedures, to reuse or edit by step id.
export { hardenedEmergency, seedEmergency } from './procedures/emergency.ts';
export { hardenedPlanned, seedPlanned } from './procedures/planned.ts';
export { findStep, insertAfter, insertBefore, removeStep, replaceStep } from './kit/step-ids.ts';

// Helpers over the platform a fault or a phase is made of.
export { TOPOLOGY } from './kit/topology.ts';
export { POSTGRES_PODS, pgIsReady, scaleToZero, waitForNoPods } from './kit/pods.ts';
export { appLoginRefused } from './kit/postgres-checks.ts';
export { psql } from './kit/psql.ts';
export { sleep } from './kit/wait.ts';
export { waitFor, done, notYet } from './platform/wait.ts';
