// The real runner against real child processes (node itself, so it runs anywhere the tests do).
import { describe, expect, it } from 'vitest';
import { execaRunner, lastLine } from './runner.ts';

const node = process.execPath;

describe('execaRunner', () => {
  it('returns exit code and output, streaming every line to onLine, stdin from input', async () => {
    const lines: string[] = [];
    const r = await execaRunner(
      node,
      ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log("got",s);console.error("warn 1\\nwarn 2");process.exit(3)})'],
      { timeoutMs: 20_000, input: 'abc', onLine: (l, s) => lines.push(`${s}:${l}`) },
    );
    expect(r).toEqual({ exitCode: 3, stdout: 'got abc', stderr: 'warn 1\nwarn 2', notFound: false, timedOut: false });
    expect(lines).toEqual(['stdout:got abc', 'stderr:warn 1', 'stderr:warn 2']);
  });

  it('a missing executable is notFound, not an exception', async () => {
    const r = await execaRunner('rollback-drill-no-such-binary', ['x'], { timeoutMs: 5_000 });
    expect(r.notFound).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it('kills a command that outlives its timeout', async () => {
    const started = Date.now();
    const r = await execaRunner(node, ['-e', 'setTimeout(()=>{},60000)'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('lastLine picks the last non-empty line', () => {
    expect(lastLine('a\n\nERROR: b  \n\n')).toBe('ERROR: b');
    expect(lastLine('')).toBe('');
  });
});
