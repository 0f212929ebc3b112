import { createHash, timingSafeEqual } from 'node:crypto';
import { CodedError } from '@chronicle/errors';

export const ROLES = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly role: Role;
  /** Namespaces the token is limited to; undefined = all. */
  readonly namespaces?: readonly string[];
  /** A name for audit logs that does not reveal the token. */
  readonly name: string;
}

/**
 * API tokens from CHRONICLE_TOKENS: `ROLE=token` or `ROLE:ns1|ns2=token`, comma separated.
 * Tokens are kept only as SHA-256 digests and compared in constant time.
 */
export class TokenRegistry {
  private readonly entries: Array<{ digest: Buffer; principal: Principal }>;

  constructor(spec: string | undefined, readonly disabled = false) {
    this.entries = parseTokens(spec ?? '');
  }

  get size(): number {
    return this.entries.length;
  }

  authenticate(authorization: string | undefined): Principal | undefined {
    if (this.disabled) return { role: 'ADMIN', name: 'auth-disabled' };
    const token = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim();
    if (!token) return undefined;
    const digest = sha256(token);
    let found: Principal | undefined;
    // Compare with every entry, so the time taken does not tell which one matched.
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    return found;
  }
}

/** CHRONICLE_TOKENS cannot be read: a configuration error, reported at start. */
export class TokenSpecError extends CodedError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

function parseTokens(spec: string): Array<{ digest: Buffer; principal: Principal }> {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const eq = part.indexOf('=');
      if (eq <= 0 || eq === part.length - 1) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index + 1}: expected ROLE=token or ROLE:ns1|ns2=token`);
      const [rolePart, nsPart, extra] = part.slice(0, eq).split(':');
      if (extra !== undefined) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index + 1}: expected ROLE=token or ROLE:ns1|ns2=token (one ":")`);
      const role = rolePart!.trim().toUpperCase() as Role;
      if (!ROLES.includes(role)) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index + 1}: unknown role ${rolePart}; use one of ${ROLES.join(', ')}`);
      const token = part.slice(eq + 1).trim();
      if (token.length < 16) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index + 1}: a token must be at least 16 characters`);
      const namespaces = nsPart === undefined ? undefined : nsPart.split('|').map((n) => n.trim()).filter(Boolean);
      // "ROLE:=token" meant a namespace limit: failing beats silently granting every namespace.
      if (namespaces?.length === 0) throw new TokenSpecError(`CHRONICLE_TOKENS entry ${index + 1}: no namespace after ":"; drop the ":" for a token valid in all namespaces`);
      return { digest: sha256(token), principal: { role, namespaces, name: `${role.toLowerCase()}-token-${index + 1}` } };
    });
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
