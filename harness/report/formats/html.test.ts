// report.html without a browser: the tables a person reads, cell by cell (html.browser.test.ts
// checks how it renders and fits in Chromium).
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../journal/journal.ts';
import { buildReport } from '../build-report.ts';
import { writeFixtureRun } from '../test-journals.ts';
import { cleanTmp, tmpDir } from '../test-tmp.ts';
import { renderHtml } from './html.format.ts';

afterEach(cleanTmp);

/** The cells of each row of the first table with this class, tags stripped, entities kept. */
function tableCells(html: string, cls: string): string[][] {
  const table = html.match(new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`))?.[1];
  expect(table, `a table.${cls}`).toBeDefined();
  return [...table!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!));
}

describe('report.html', () => {
  it('shows each load phase with how it was sent: the closed loop, and the fixed rate with target, achieved, corrected p99 and late share', () => {
    const html = renderHtml(buildReport(readJournal(writeFixtureRun(tmpDir(), 'seed-lost'))));
    const rows = tableCells(html, 'latency');
    expect(rows[0]).toEqual(['phase', 'load', 'p50', 'p90', 'p95', 'p99', 'corrected p99', 'max', 'req/s', 'late', 'errors', 'non-2xx']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[5], r[6], r[8], r[9]])).toEqual([
      ['baseline', 'closed loop, 10 connections', '14.9 ms', '–', '812.4', '–'],
      ['after', 'open loop: 405.9 of 406 req/s (the baseline&#39;s 812.4 req/s × 0.5 (--load-rate-share))', '18.7 ms', '23.3 ms', '405.9', '12 (0.59 %)'],
    ]);
  });
});
