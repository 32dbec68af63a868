// The runbook's cluster-DNS curls really run, from this host, and report what came back: the
// real curl against the real name (no cluster DNS here: exit 6, "000"), and against a test server
// on 127.0.0.1 to prove the 200 path runs curl too. Nothing is contacted off this host.
import { lookup } from 'node:dns/promises';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../journal/journal.ts';
import type { ProcedureContext } from '../model/context.ts';
import { clusterDnsHealthStep } from './emergency.ts';
import { runOperatorCurl } from './operator-curl.ts';
import { RUNBOOK } from './runbook-manifests.ts';
import { seedValidation } from './validation.ts';

const seen: { url: string; host: string; agent: string }[] = [];
let status = 200;
let base = '';
const server = http.createServer((req, res) => {
  seen.push({ url: req.url ?? '', host: req.headers.host ?? '', agent: req.headers['user-agent'] ?? '' });
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'healthy' : 'unhealthy' }));
});

let journal: Journal;
const ctx = () => ({ journal }) as unknown as ProcedureContext;
const signal = new AbortController().signal;
const findings = () => readJournal(journal.file).filter((e) => e.type === 'finding' && e.id === 'runbook-cluster-dns') as { detail: string; confirmed: boolean }[];
const HOST = new URL(RUNBOOK.healthUrl).hostname;
const resolvesHere = await lookup(HOST).then(
  () => true,
  () => false,
);

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  status = 200;
  journal = new Journal(path.join(mkdtempSync(path.join(tmpdir(), 'operator-curl-')), 'journal.jsonl'));
});

describe('step 5b: the runbook curl of the cluster DNS health URL, from the operator shell', () => {
  it.skipIf(resolvesHere)('no cluster DNS on this host: curl really runs and exits 6; the script would print HTTP 000000', async () => {
    const err = await clusterDnsHealthStep().run(ctx(), signal).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/^curl -f -s -o \/dev\/null -w "%\{http_code\}" --max-time 5 http:\/\/hyperpage-service\.hyperpage\.svc\.cluster\.local\/api\/health → exit 6 \(could not resolve host\), stdout "000"/);
    expect(err?.message).toContain('does not resolve on this host');
    expect(err?.message).toContain('the script prints "Health check failed - HTTP 000000"');
    expect(findings()).toEqual([expect.objectContaining({ confirmed: true, detail: expect.stringContaining('exit 6') })]);
  });

  it('a reachable health URL (test server on 127.0.0.1): curl runs, HTTP 200, the finding is not confirmed', async () => {
    const msg = await clusterDnsHealthStep(`${base}/api/health`).run(ctx(), signal);
    expect(msg).toMatch(/→ exit 0, stdout "200"; .*the script prints "Health check passed"$/);
    expect(seen).toEqual([expect.objectContaining({ url: '/api/health', agent: expect.stringMatching(/^curl\//) })]);
    expect(findings()).toEqual([expect.objectContaining({ confirmed: false })]);
  });

  it('an unhealthy answer is the app failing, not the URL being unreachable: exit 22, HTTP 503000, no confirmed finding', async () => {
    status = 503;
    const err = await clusterDnsHealthStep(`${base}/api/health`).run(ctx(), signal).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/→ exit 22 \(HTTP error ≥ 400 with -f\), stdout "503"/);
    expect(err?.message).toContain('"Health check failed - HTTP 503000"');
    expect(seen).toHaveLength(1);
    expect(findings()).toEqual([]);
  });
});

describe('runOperatorCurl: resolve first, contact only loopback', () => {
  it('a name resolving to 127.0.0.1 is pinned there with --resolve (curl cannot resolve it elsewhere)', async () => {
    const port = new URL(base).port;
    const r = await runOperatorCurl(['-s'], `http://${HOST}:${port}/api/health`, { lookup: async () => ['127.0.0.1'] });
    expect(r.command).toContain(`--resolve ${HOST}:${port}:127.0.0.1`);
    expect(r.exitCode).toBe(0);
    expect(seen).toEqual([expect.objectContaining({ host: `${HOST}:${port}` })]);
  });

  it('a name resolving off this host is never contacted: the outcome says what it resolved to', async () => {
    const r = await runOperatorCurl(['-s'], RUNBOOK.healthUrl, { lookup: async () => ['10.96.0.10'], curl: '/nonexistent/curl' });
    expect(r).toMatchObject({ ran: false, resolvedTo: ['10.96.0.10'] });
    // Not even spawned: a spawn of the missing binary would have said "not installed".
    expect(r.notInstalled).toBeUndefined();
    expect(r.outcome).toMatch(/resolves to 10\.96\.0\.10 on this host.*not contacted/);
  });

  it('no curl on this host is the outcome, said as such', async () => {
    const r = await runOperatorCurl(['-s'], `${base}/api/health`, { curl: 'curl-not-installed-here' });
    expect(r).toMatchObject({ ran: false, notInstalled: true });
    expect(r.outcome).toContain('curl is not installed on this host');
    expect(seen).toEqual([]);
  });
});

describe('validation checklist items 1, 3, 5: the same curls as validate-rollback.sh', () => {
  const items = (clusterUrl?: string) => seedValidation(clusterUrl).steps.filter((s) => /curl cluster DNS/.test(s.name));

  it('against a test server: each item runs curl and reports what the script prints', async () => {
    const [health, github, perf] = items(base);
    expect(await health!.run(ctx(), signal)).toMatch(/^curl -s --max-time 5 http:\/\/127\.0\.0\.1:\d+\/api\/health → exit 0, stdout "\{"status":"healthy"\}".*the script prints "Health: \{"status":"healthy"\}"$/);
    expect(await github!.run(ctx(), signal)).toMatch(/the script prints "GitHub: \{"status":"healthy"\}"$/);
    expect(await perf!.run(ctx(), signal)).toMatch(/-w "%\{time_total\}".*the script prints "Response time: 0\.\d+s"$/);
    expect(seen.map((s) => s.url)).toEqual(['/api/health', '/api/tools/github', '/api/health']);
  });

  it.skipIf(resolvesHere)('through cluster DNS on this host: each fails with exit 6 and a confirmed finding', async () => {
    for (const item of items()) {
      const err = await item.run(ctx(), signal).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/→ exit 6 \(could not resolve host\)/);
    }
    expect(findings().filter((f) => f.confirmed)).toHaveLength(3);
  });
});
