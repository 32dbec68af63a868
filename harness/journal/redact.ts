// Secrets never reach a log or a report: every string that leaves the harness passes through
// a Redactor that knows the run's secret values and the shapes secrets come in.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]+):([^@/\s]+)@/gi;
const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|authorization|credential)/i;
const MASK = '***';

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a secret value (e.g. a generated database password); short values are refused to avoid masking noise. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  text(input: string): string {
    let out = input.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`);
    for (const s of this.#secrets) out = out.split(s).join(MASK);
    return out;
  }

  /** Deep copy with secret-named keys masked and every string scrubbed. */
  value<T>(input: T): T {
    return this.#walk(input, undefined) as T;
  }

  #walk(v: unknown, key: string | undefined): unknown {
    if (typeof v === 'string') return key && SECRET_KEY.test(key) && v.length > 0 ? MASK : this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.#walk(x, undefined));
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = this.#walk(x, k);
      return o;
    }
    return v;
  }
}
