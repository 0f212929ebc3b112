import { CodedError } from '@chronicle/errors';

export const ROLES = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** One entry of CHRONICLE_TOKENS: its role, the namespaces it is limited to (undefined = all), its token. */
export interface TokenEntry {
  readonly role: Role;
  readonly namespaces?: readonly string[];
  readonly token: string;
  /** 1-based position in the setting (tokens are named by it in audit logs). */
  readonly index: number;
}

/** CHRONICLE_TOKENS cannot be read: a configuration error, reported at start (before anything starts: loadConfig reads it). */
export class TokenSpecError extends CodedError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/** CHRONICLE_TOKENS: `ROLE=token` or `ROLE:ns1|ns2=token`, comma separated. */
export function parseTokenSpec(spec: string | undefined): TokenEntry[] {
  return (spec ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, i) => {
      const index = i + 1;
      const eq = part.indexOf('=');
      if (eq <= 0 || eq === part.length - 1) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index}: expected ROLE=token or ROLE:ns1|ns2=token`);
      const [rolePart, nsPart, extra] = part.slice(0, eq).split(':');
      if (extra !== undefined) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index}: expected ROLE=token or ROLE:ns1|ns2=token (one ":")`);
      const role = rolePart!.trim().toUpperCase() as Role;
      if (!ROLES.includes(role)) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index}: unknown role ${rolePart}; use one of ${ROLES.join(', ')}`);
      const token = part.slice(eq + 1).trim();
      if (token.length < 16) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index}: a token must be at least 16 characters`);
      const namespaces = nsPart === undefined ? undefined : nsPart.split('|').map((n) => n.trim()).filter(Boolean);
      // "ROLE:=token" meant a namespace limit: failing beats silently granting every namespace.
      if (namespaces?.length === 0) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index}: no namespace after ":"; drop the ":" for a token valid in all namespaces`);
      return { role, ...(namespaces ? { namespaces } : {}), token, index };
    });
}
