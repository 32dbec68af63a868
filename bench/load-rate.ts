// Bench `load-rate`: does the open-loop sender hold its rate on this machine? Against a fast
// service in its own process (an answer costs no CPU), at several rates, per second: requests due,
// sent on time, answered; and the corrected p99 beside the p99 from the actual send. Then the same
// rate through autocannon's overallRate, per 100 ms, to show why it is not the fixed-rate sender
// (a per-second quota per connection: bursts at each second's start).
//   npx tsx bench/load-rate.ts [--seconds 5] [--rates 250,500,1000,2000]
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { LatencyRecorder } from '../harness/probes/latency-recorder.ts';
import { runOpenLoop } from '../harness/probes/open-loop.ts';
import { startCpuServer } from '../harness/probes/test-cpu-server.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rates: { type: 'string', default: '250,500,1000,2000' } } });
const seconds = Number(values.seconds);
const rates = values.rates.split(',').map(Number);
await using srv = await startCpuServer(0);

console.log(`open-loop sender against a fast service (127.0.0.1, its own process), ${seconds} s per rate`);
for (const rate of rates) {
  const rec = new LatencyRecorder();
  const perSecond = Array.from({ length: seconds + 2 }, () => ({ due: 0, late: 0, answered: 0 }));
  let t0 = Infinity;
  const r = await runOpenLoop({
    baseUrl: srv.url,
    rate,
    durationSec: seconds,
    slots: [{ read: '/api/health' }],
    maxConnections: 1024,
    timeoutMs: 10_000,
    onAnswer(a) {
      t0 = Math.min(t0, a.intendedAt);
      rec.record(a.latencyMs, a.correctedMs, a.status);
      const due = perSecond[Math.min(perSecond.length - 1, Math.floor((a.intendedAt - t0) / 1000))]!;
      due.due++;
      if (a.late) due.late++;
      perSecond[Math.min(perSecond.length - 1, Math.floor((a.intendedAt + a.correctedMs - t0) / 1000))]!.answered++;
    },
  });
  const s = rec.summary();
  rec.destroy();
  const held = r.achievedRate / rate;
  console.log(
    `  target ${String(rate).padStart(5)} req/s: sent ${r.sentRate.toFixed(0).padStart(5)}, answered ${r.achievedRate.toFixed(0).padStart(5)} req/s (${(held * 100).toFixed(1)} % of target, ${held >= 0.95 ? 'holds' : 'DOES NOT hold'} the 95 %), late ${r.late} (${((r.late / r.sent) * 100).toFixed(2)} %), in flight ≤ ${r.maxInFlight}; p99 ${s.p99} ms from the send, ${s.corrected!.p99} ms corrected (gap ×${(s.corrected!.p99 / s.p99).toFixed(2)})`,
  );
  console.log(`    per second (due/answered): ${perSecond.filter((x) => x.due || x.answered).map((x) => `${x.due}/${x.answered}`).join('  ')}`);
}

// autocannon's overallRate, bucketed per 100 ms by answer time: the quota goes out at each second's start.
const rate = rates[1] ?? rates[0]!;
const buckets = new Map<number, number>();
const start = Date.now();
await new Promise<void>((resolve, reject) => {
  const inst = autocannon({ url: `${srv.url}/api/health`, connections: 50, overallRate: rate, duration: Math.min(seconds, 3) }, (err) => (err ? reject(err) : resolve()));
  inst.on('response', () => {
    const b = Math.floor((Date.now() - start) / 100);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  });
});
const counts = Array.from({ length: Math.max(...buckets.keys()) + 1 }, (_, i) => buckets.get(i) ?? 0);
const busy = counts.filter((c) => c > 0).length;
console.log(`autocannon overallRate ${rate} req/s, 50 connections, answers per 100 ms: ${counts.join(' ')}`);
console.log(`  ${busy} of ${counts.length} tenths of a second carried any request; a fixed rate would put ${rate / 10} in each`);
