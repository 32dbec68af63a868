// Proof drills whose verdicts rest on counts, the database's own answers and the platform's pod
// status, never on a latency or a rate: they run here, one after another in one worker, beside the
// unit tests (project "beside-unit"), instead of alone in the drill group, where every second adds
// to `npm test`. Each proof is its own module (suites/proof/*.proof.ts), named for what it proves.
import '../proof/seed-loses-writes.proof.ts';
import '../proof/broken-engine-switch.proof.ts';
import '../proof/freeze-undo.proof.ts';
import '../proof/crash-after-start.proof.ts';
import '../proof/engine-liar.proof.ts';
import '../proof/blind-health.proof.ts';
