// Opens report.html in real headless Chromium (Debian's package) and checks the timeline rendered,
// nothing was fetched and nothing errored. The screenshot is kept for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createRunDir } from '../folder.ts';
import { FIXTURE_T0, writeFixtureRun } from '../test-journals.ts';
import { writeReports } from '../write.ts';

// The journal of a real pre-release run (10 drills on the local platform, its folders made
// placeholders; no sample files): what a report of that size has to fit.
const PRE_RELEASE_JOURNAL = fileURLToPath(new URL('./fixtures/pre-release.journal.jsonl.gz', import.meta.url));

// Debian's chromium; REPORT_TEST_CHROMIUM points elsewhere (or at nothing, to see the skip).
const CHROMIUM = process.env['REPORT_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const skipReason = existsSync(CHROMIUM) ? null : `${CHROMIUM} not installed (apt-get install -y chromium)`;
if (skipReason) console.warn(`report.html browser test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)(`report.html in headless Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('renders the timeline SVG with samples, step bars and markers, without network or console errors', { timeout: 90_000 }, async () => {
    // Kept after the test: the screenshot is evidence.
    const root = mkdtempSync(path.join(tmpdir(), 'report-html-'));
    const dir = createRunDir(path.join(root, 'reports'), FIXTURE_T0, 'monthly');
    const { paths, report } = await writeReports(writeFixtureRun(dir, 'seed-lost'), dir);
    const html = readFileSync(paths.html, 'utf8');
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\ssrc=|@import|url\(/i);
    // The only links are a person's: to a full log under the run folder (a cause's log line).
    expect(html.match(/\shref="(?!artifacts\/)/g)).toBeNull();

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(paths.html).href;
      await page.goto(url, { waitUntil: 'load' });

      const g = report.groups[0]!;
      const svg = page.locator('section[data-group="database-corruption/seed"] svg.timeline');
      await expect.poll(() => svg.count()).toBe(1);
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(800);
      expect(box!.height).toBeGreaterThan(200);
      const counts = await svg.evaluate((el) => ({
        samples: Number(el.getAttribute('data-samples')),
        av: el.querySelectorAll('rect.av').length,
        down: el.querySelectorAll('rect.av.down').length,
        latencyPoints: Array.from(el.querySelectorAll('polyline.lat-av')).flatMap((p) => (p.getAttribute('points') ?? '').trim().split(/\s+/)).length,
        failedDots: el.querySelectorAll('circle.lat-fail').length,
        steps: el.querySelectorAll('rect.step').length,
        budgets: el.querySelectorAll('rect.budget').length,
        over: el.querySelectorAll('rect.step.over').length,
        failed: el.querySelectorAll('rect.step.failed').length,
        faults: el.querySelectorAll('line.mark.fault').length,
        switches: el.querySelectorAll('line.mark.switch').length,
        scripts: document.scripts.length,
      }));
      expect(counts.samples).toBeGreaterThan(200);
      // up on postgres, down, up on sqlite at least (alike columns are merged into one bar)
      expect(counts.av).toBeGreaterThanOrEqual(3);
      expect(counts.down).toBeGreaterThanOrEqual(1);
      expect(counts.latencyPoints).toBeGreaterThan(100);
      expect(counts.failedDots).toBeGreaterThan(50);
      expect(counts).toMatchObject({ steps: g.steps.length, budgets: g.steps.length, over: 1, failed: 1, faults: 1, switches: 1, scripts: 0 });
      // Each availability column is really drawn (non-zero size on screen).
      const avBox = await svg.locator('rect.av').first().boundingBox();
      expect(avBox!.width * avBox!.height).toBeGreaterThan(0);
      // Grouped by kind, one row per finding id (plus each table's header row).
      const grouped = Object.values(report.findingGroups).filter((rows) => rows.length);
      await expect.poll(() => page.locator('table.findings tr').count()).toBe(grouped.reduce((n, rows) => n + rows.length + 1, 0));
      expect(await page.locator('table.criteria tr.failed').first().textContent()).toContain('537 writes');

      const shot = path.join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`report.html screenshot: ${shot}`);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });

  it('a pre-release-sized report fits 1280 px without scrolling sideways, and a cut cell opens to its whole text', { timeout: 90_000 }, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'report-html-wide-'));
    const dir = path.join(root, 'reports', '20261204-190152-pre-release');
    mkdirSync(dir, { recursive: true });
    const journal = path.join(dir, 'journal.jsonl');
    const text = gunzipSync(readFileSync(PRE_RELEASE_JOURNAL)).toString('utf8').replaceAll('{{runDir}}', dir).replaceAll('{{reportDir}}', path.dirname(dir));
    // As a machine without Docker says why kind was not used, and a premise broken with its causes
    // (the answers, PostgreSQL's and the app's log lines, the fix) as Hyperpage's run journals them.
    const events = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const start = events.find((e) => e['type'] === 'run.start')!;
    start['platformReason'] =
      'kind not usable (docker 28.2.2 is installed but its daemon is not reachable (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?); start Docker; kind not found on PATH (install kind v0.29.0: https://kind.sigs.k8s.io/docs/user/quick-start/#installation or `go install sigs.k8s.io/kind@v0.29.0`)): running the manifests as local processes';
    // Journalled right after the fixture's own (passing) premise of that id, so it stands.
    const first = events.find((e) => e['type'] === 'check' && e['id'] === 'preflight-baseline-acknowledges-writes')!;
    const log = (line: string) => ({ pod: 'hyperpage-postgres-s2rh86vxlw-tzxlq', line, count: 3, file: 'artifacts/database-corruption-seed/logs/hyperpage/hyperpage-postgres-s2rh86vxlw-tzxlq_postgres.log' });
    events.push({
      t: first['t'],
      scenario: first['scenario'],
      variant: first['variant'],
      type: 'check',
      id: 'preflight-baseline-acknowledges-writes',
      title: 'The PostgreSQL baseline acknowledges writes, and they land in PostgreSQL',
      passed: false,
      measured: '0 of 3 writes acknowledged (HTTP 500 ×3); 0 of 3 found in PostgreSQL',
      expected: 'pass',
      matches: false,
      procedure: 'preflight',
      stepId: 'baseline-acknowledges-writes',
      says: 'the PostgreSQL baseline acknowledged 0 of 3 writes (HTTP 500 ×3)',
      causes: {
        answers: [{ request: 'POST /api/tools/config', status: 500, body: '{"error":"Failed to update tool configuration","detail":"' + 'x'.repeat(150) + '"}', count: 3 }],
        logs: [log('ERROR: column "tool_name" of relation "tool_configs" does not exist at character 29'), log('Failed_to_update_tool_configuration·SQLSTATE_42703·checkInsertTargets'.repeat(4))],
        fix: 'make PostgreSQL mode write to PostgreSQL before drilling a rollback from it',
      },
    });
    writeFileSync(journal, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const { paths, report } = await writeReports(journal, dir);
    expect(report.groups.filter((g) => g.scenario !== null)).toHaveLength(10);
    expect(report.scoreCap?.failedPremises.map((p) => p.id)).toEqual(['preflight-baseline-acknowledges-writes']);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(paths.html).href, { waitUntil: 'load' });
      const width = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        // What sticks out, for the message.
        over: Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} right ${Math.round(e.getBoundingClientRect().right)}: ${(e.textContent ?? '').slice(0, 60)}`),
      }));
      expect(width.scroll, `scrollWidth ${width.scroll} > innerWidth ${width.inner}: ${width.over.join(' | ')}`).toBeLessThanOrEqual(width.inner);

      // A long cell shows its head; a click opens the whole text, nothing is lost.
      const cut = page.locator('details.cut:not(.parts)').first();
      await expect.poll(() => page.locator('details.cut').count()).toBeGreaterThan(0);
      const closed = (await cut.boundingBox())!.height;
      const whole = await cut.evaluate((el) => el.textContent ?? '');
      await cut.locator('summary').click();
      expect(await cut.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      expect((await cut.boundingBox())!.height, 'the opened cell is taller than the closed one').toBeGreaterThan(closed);
      // Open, the visible text runs to the whole text's end.
      expect(await cut.innerText()).toContain(whole.trim().slice(-60));
      await page.screenshot({ path: path.join(dir, 'report-1280.png'), fullPage: false });
    } finally {
      await browser.close();
    }
  });
});
