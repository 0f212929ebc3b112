import { createHash, timingSafeEqual } from 'node:crypto';
import { parseTokenSpec, ROLES, TokenSpecError, type Role } from '@chronicle/runtime';

// The grammar of CHRONICLE_TOKENS lives with the configuration (loadConfig checks it at start).
export { ROLES, TokenSpecError, type Role };

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

function parseTokens(spec: string): Array<{ digest: Buffer; principal: Principal }> {
  return parseTokenSpec(spec).map(({ role, namespaces, token, index }) => ({
    digest: sha256(token),
    principal: { role, ...(namespaces ? { namespaces } : {}), name: `${role.toLowerCase()}-token-${index}` },
  }));
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
