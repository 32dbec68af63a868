// The one seam between the drill and wherever it runs. Procedures, probes and faults only ever
// talk to a Platform; the kind/existing platforms carry the calls out against a Kubernetes API
// server, the local platform runs the very same objects as child processes.
/** The label every object a run creates carries; teardown deletes only what has it. */
export const RUN_LABEL = 'drill.rollback/run';

/** Errors a user can cause or fix (missing docker, refused context): one clear line, exit code 2/3. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    message: string,
    readonly exitCode: 2 | 3 = 3,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

// One timeout error for every wait (platform/wait.ts): it carries the last state seen (`lastState`, alias `lastStatus`).
export { WaitTimeoutError } from './wait.ts';
