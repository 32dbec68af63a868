// Ctrl-C or a CI cancel must not leave pods behind: on SIGINT/SIGTERM every live local platform of
// this process is torn down, then the process exits 130/143. Handlers are installed once; a
// second signal during teardown SIGKILLs every process group at once and exits immediately.
import { killAllGroupsNow } from './process-group.ts';

interface Disposable {
  teardown(): Promise<void>;
}

const live = new Set<Disposable>();
let installed = false;
let shuttingDown = false;

/** Longest a signal-triggered teardown may take before everything is SIGKILLed. */
const SIGNAL_TEARDOWN_CAP_MS = 20_000;

const CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

function onSignal(signal: NodeJS.Signals): void {
  const code = CODES[signal] ?? 1;
  if (shuttingDown) {
    killAllGroupsNow();
    process.exit(code);
  }
  shuttingDown = true;
  if (live.size > 0) process.stderr.write(`\n${signal}: tearing down ${live.size} local platform run(s)\n`);
  const cap = setTimeout(() => {
    killAllGroupsNow();
    process.exit(code);
  }, SIGNAL_TEARDOWN_CAP_MS);
  void Promise.allSettled([...live].map((p) => p.teardown())).then(() => {
    clearTimeout(cap);
    killAllGroupsNow();
    process.exit(code);
  });
}

export function registerForSignals(p: Disposable): void {
  live.add(p);
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export function unregisterForSignals(p: Disposable): void {
  live.delete(p);
}
