// The runbook's curls, run as the runbook runs them: from the operator's shell, a process on this
// host. Only the outcome that really came back is reported. Safety: the name is resolved first
// and curl is only run when it resolves to loopback (pinned there with --resolve) or not at all
// (curl then fails to resolve it too); a name resolving elsewhere is never contacted.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { execa } from 'execa';

export interface OperatorCurlResult {
  /** The command line as run (the runbook's options, then --max-time and any --resolve pin). */
  command: string;
  /** false: not run, because the name resolved to a non-loopback address, or curl is not installed. */
  ran: boolean;
  /** curl is not on this host's PATH: that is the outcome. */
  notInstalled?: boolean;
  /** What the name resolved to on this host ([] when it does not resolve). */
  resolvedTo: string[];
  /** curl's exit code; undefined when it did not run or is not installed. */
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** One sentence with what ran and what came back (or why nothing ran). */
  outcome: string;
}

/** What curl's exit codes mean (man curl), for the ones a health check meets. */
const CURL_EXIT: Record<number, string> = {
  6: 'could not resolve host',
  7: 'failed to connect',
  22: 'HTTP error ≥ 400 with -f',
  28: 'timed out',
  52: 'empty reply from server',
  56: 'failure receiving data',
};

const PROXY_VARS = ['http_proxy', 'https_proxy', 'all_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'];

export const isLoopback = (addr: string): boolean => /^127\.\d+\.\d+\.\d+$/.test(addr) || addr === '::1' || /^::ffff:127\./i.test(addr);

const shellQuote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`);

export interface OperatorCurlOptions {
  /** curl's --max-time, seconds (the runbook sets none; the drill will not hang on it). */
  maxTimeSec?: number;
  signal?: AbortSignal;
  /** Name resolution (tests substitute it); default node:dns lookup, as curl resolves. */
  lookup?: (host: string) => Promise<string[]>;
  /** The curl binary (tests point it at a missing one). */
  curl?: string;
}

async function resolveAll(host: string): Promise<{ addresses: string[]; error?: string }> {
  try {
    return { addresses: (await dnsLookup(host, { all: true })).map((a) => a.address) };
  } catch (err) {
    return { addresses: [], error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

export async function runOperatorCurl(args: readonly string[], url: string, opts: OperatorCurlOptions = {}): Promise<OperatorCurlResult> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const curl = opts.curl ?? 'curl';
  let resolvedTo: string[];
  let lookupError: string | undefined;
  if (isIP(host)) resolvedTo = [host];
  else if (opts.lookup) resolvedTo = await opts.lookup(host).catch(() => []);
  else ({ addresses: resolvedTo, error: lookupError } = await resolveAll(host));

  const argv = [...args, '--max-time', String(opts.maxTimeSec ?? 5)];
  const outside = resolvedTo.filter((a) => !isLoopback(a));
  if (outside.length > 0) {
    return {
      command: [curl, ...argv, url].map(shellQuote).join(' '),
      ran: false,
      resolvedTo,
      stdout: '',
      stderr: '',
      outcome: `${host} resolves to ${resolvedTo.join(', ')} on this host, so the runbook's URL is resolvable here; not contacted (the drill sends traffic only to 127.0.0.1)`,
    };
  }
  // Resolved to loopback: pin curl to the address checked, so it cannot resolve differently.
  if (resolvedTo.length > 0 && !isIP(host)) {
    const a = resolvedTo[0]!;
    argv.push('--resolve', `${host}:${u.port || (u.protocol === 'https:' ? 443 : 80)}:${a.includes(':') ? `[${a}]` : a}`);
  }
  argv.push(url);
  const command = [curl, ...argv].map(shellQuote).join(' ');
  // No proxy from the environment: it would carry the request off this host.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PROXY_VARS.includes(k)));
  const r = await execa(curl, argv, { reject: false, extendEnv: false, env, timeout: ((opts.maxTimeSec ?? 5) + 5) * 1000, cancelSignal: opts.signal, stdin: 'ignore' });
  const resolved = resolvedTo.length ? `${host} → ${resolvedTo.join(', ')}` : `${host} does not resolve on this host${lookupError ? ` (${lookupError})` : ''}`;
  if ((r as { code?: string }).code === 'ENOENT' || (r.exitCode === undefined && /ENOENT/.test(r.message ?? ''))) {
    return { command, ran: false, notInstalled: true, resolvedTo, stdout: '', stderr: '', outcome: `${resolved}; curl is not installed on this host (${curl}: not found), so the runbook's command cannot run here` };
  }
  const stdout = String(r.stdout ?? '');
  const stderr = String(r.stderr ?? '').trim();
  const code = r.exitCode ?? -1;
  const meaning = CURL_EXIT[code] ? ` (${CURL_EXIT[code]})` : '';
  const outcome = `${command} → exit ${code}${meaning}, stdout "${stdout.trim().slice(0, 120)}"${stderr ? `, stderr "${stderr.split('\n')[0]!.slice(0, 160)}"` : ''}; ${resolved}`;
  return { command, ran: true, resolvedTo, exitCode: code, stdout, stderr, outcome };
}

/** Exit codes that say the URL is not reachable from here (as opposed to an app answering an error). */
export const UNREACHABLE_EXITS: ReadonlySet<number> = new Set([6, 7, 28]);
