import { appendFileSync, createWriteStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../journal/journal.ts';
import { BinnedSeries, MAX_BINS, forEachJsonLine, loadSamples } from './samples.ts';
import type { RunReport } from './model.ts';
import { FIXTURE_T0, writeFixtureRun } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';
import { writeReports } from './write.ts';

afterEach(cleanTmp);

async function lines(file: string): Promise<unknown[]> {
  const out: unknown[] = [];
  await forEachJsonLine(file, (x) => out.push(x));
  return out;
}

describe('forEachJsonLine', () => {
  it('reads lines across chunk boundaries; a torn line is passed as undefined, blank lines are skipped', async () => {
    const file = path.join(tmpDir(), 's.jsonl');
    // 1 MiB chunks: lines of ~100 bytes straddle every boundary.
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ t: i, latencyMs: i / 7, status: 200, pad: 'x'.repeat(i % 90) }));
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n\n{"t": 5, "lat`);
    const got = await lines(file);
    expect(got).toHaveLength(30_001);
    expect(got.slice(0, -1)).toEqual(rows);
    expect(got.at(-1)).toBeUndefined();
  });

  it('skips an overlong line (a corrupt file without newlines) instead of buffering it', async () => {
    const file = path.join(tmpDir(), 's.jsonl');
    writeFileSync(file, `{"t":1}\n${'y'.repeat(3_000_000)}\n{"t":2}\n`);
    expect(await lines(file)).toEqual([{ t: 1 }, undefined, { t: 2 }]);
  });
});

describe('BinnedSeries', () => {
  it('keeps at most MAX_BINS bins and loses no count, extreme or failure', () => {
    const s = new BinnedSeries();
    for (let i = 0; i < 200_000; i++) s.add(1_000_000 + i * 3, i % 1000 === 0 ? 503 : 200, i === 123_456 ? 4_000 : 1 + (i % 9), i < 100_000 ? 'postgres' : 'sqlite');
    expect(s.bins.size).toBeLessThanOrEqual(MAX_BINS);
    const bins = s.sorted();
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(200_000);
    expect(bins.reduce((a, b) => a + b.down, 0)).toBe(200);
    expect(Math.max(...bins.map((b) => b.maxMs))).toBe(4_000);
    expect([s.minT, s.maxT, s.maxMs]).toEqual([1_000_000, 1_000_000 + 199_999 * 3, 4_000]);
    expect(new Set(bins.flatMap((b) => b.failures ?? []))).toEqual(new Set(['HTTP 503']));
    // Bins stay narrower than the timeline's 400 columns (more than 2 per column).
    expect(s.width).toBeLessThanOrEqual((s.maxT - s.minT) / 1000);
    // Told the span up front, a series starts at that resolution (no finer bins than the picture needs).
    expect(new BinnedSeries(false, 600_000).width).toBe(Math.ceil(600_000 / (MAX_BINS - 2)));
  });
});

/** A load samples file as harness/probes/load.ts writes it, streamed to disk. */
async function writeLoadFile(file: string, n: number, t0: number, spanMs: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const ok = out.write(`${JSON.stringify({ t: t0 + Math.floor((i / n) * spanMs), latencyMs: 1 + (i % 97) / 10, status: i % 5 ? 200 : 503 })}\n`);
    if (!ok) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('reports at any size', () => {
  it('a run with 400,000 load samples (the size that crashed push(...spread)) renders every report, report.html < 1 MB', { timeout: 60_000 }, async () => {
    const dir = tmpDir();
    const journal = writeFixtureRun(dir, 'hardened-pass');
    await writeLoadFile(path.join(dir, 'load-after.jsonl'), 400_000, FIXTURE_T0 + 5_000, 20_000);
    const j = new Journal(journal);
    j.setContext({ scenario: 'database-corruption', variant: 'hardened' });
    j.write({ t: FIXTURE_T0 + 25_000, type: 'probe.samples', probe: 'load-after', file: 'load-after.jsonl', count: 400_000 });

    const { paths, report, failures } = await writeReports(journal, dir, { historyFile: null });
    expect(failures).toEqual([]);
    const html = readFileSync(paths.html, 'utf8');
    expect(statSync(paths.html).size).toBeLessThan(1_000_000);
    expect(html).toContain('class="lat-load"');
    const samples = await loadSamples(report, dir);
    const g = samples.get('database-corruption/hardened')!;
    expect(g.load.count).toBe(400_000);
    expect(g.load.maxMs).toBeCloseTo(10.6, 5);
  });

  it('counts unreadable lines and names missing files, without failing', async () => {
    const dir = tmpDir();
    const journal = writeFixtureRun(dir, 'hardened-pass');
    const report = (await writeReports(journal, dir, { historyFile: null })).report as RunReport;
    const g = report.groups.find((x) => x.key === 'database-corruption/hardened')!;
    appendFileSync(path.join(dir, g.samples[0]!.file), 'not json\n{"t":"soon","status":200}\n');
    g.samples.push({ probe: 'load-after', file: 'gone.jsonl', count: 1 });
    const s = (await loadSamples(report, dir)).get(g.key)!;
    expect(s.skipped).toBe(2);
    expect(s.missing).toEqual(['gone.jsonl']);
    expect(s.availability.count).toBe(g.samples[0]!.count);
  });

  it('an app that names no engine: the availability lane shows where the Service routed', async () => {
    const dir = tmpDir();
    const journal = writeFixtureRun(dir, 'hardened-pass');
    const report = (await writeReports(journal, dir, { historyFile: null })).report as RunReport;
    const g = report.groups.find((x) => x.key === 'database-corruption/hardened')!;
    const file = path.join(dir, g.samples[0]!.file);
    const t = FIXTURE_T0 + 1;
    writeFileSync(file, [{ t, status: 200, latencyMs: 3, route: 'postgres' }, { t: t + 1, status: 200, latencyMs: 3, engine: 'sqlite', route: 'postgres' }].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const s = (await loadSamples(report, dir)).get(g.key)!;
    expect(s.availability.sorted().flatMap((b) => b.enginesUp ?? [])).toEqual(['postgres', 'sqlite']);
  });
});
