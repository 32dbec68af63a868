// Connection strings are never printed with their password: every message the tool writes goes
// through redact(), which masks the URL form and the keyword form.
const secrets = new Set<string>();

/** Remembers a password taken from a connection string so it is masked wherever it appears. */
export function rememberSecretsOf(url: string): void {
  try {
    const u = new URL(url);
    if (u.password) {
      secrets.add(u.password);
      secrets.add(decodeURIComponent(u.password));
    }
  } catch {
    /* not a URL: the patterns below still apply */
  }
}

export function redact(text: string): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1***@').replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***');
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}
