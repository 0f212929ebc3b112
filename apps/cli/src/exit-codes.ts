/**
 * How the CLI ends on an error, by the error's code (the API's category, or the CLI's own
 * USAGE): the exit code scripts test, and a hint for the codes a person can fix right away.
 * 0 done; 1 the API refused or failed, or the server was unreachable; 2 a usage error.
 */
export const EXIT_CODES = { done: 0, failed: 1, usage: 2 } as const;

export function exitCodeFor(code: string | undefined): number {
  return code === 'USAGE' ? EXIT_CODES.usage : EXIT_CODES.failed;
}

const HINTS: Readonly<Record<string, string>> = {
  UNAUTHENTICATED: 'pass --token or set CHRONICLE_TOKEN (the standalone writes its admin token to CHRONICLE_DATA_DIR/admin-token)',
  FORBIDDEN: "the token's role or namespaces do not allow this: use a token that does",
  NETWORK_ERROR: 'is Chronicle running there? Set --url or CHRONICLE_URL',
  SERVICE_UNAVAILABLE: 'a server Chronicle depends on is down or catching up: retry in a moment',
  TOO_MANY_REQUESTS: 'rate limited: retry in a moment',
};

/** The line(s) on stderr: `error: CODE: message (REASON)`, and a hint when there is one. */
export function errorLines(code: string | undefined, message: string, reason?: string): string[] {
  const head = `${code ? `${code}: ` : ''}${message}${reason && reason !== code ? ` (${reason})` : ''}`;
  const hint = code ? HINTS[code] : undefined;
  return hint ? [head, `hint: ${hint}`] : [head];
}
