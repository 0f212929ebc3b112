import { describe, expect, it } from 'vitest';
import { can, ROLES, TokenRegistry, TokenSpecError, type Permission, type Principal, type Role } from './token-registry.js';

const VIEWER_TOKEN = 'viewer-token-0123456789';
const OPERATOR_TOKEN = 'operator-token-0123456789';
const EDITOR_TOKEN = 'editor-token-0123456789abc';
const ADMIN_TOKEN = 'admin-token-0123456789';

const bearer = (token: string) => `Bearer ${token}`;

function specError(spec: string): TokenSpecError {
  try {
    new TokenRegistry(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenSpecError);
    return error as TokenSpecError;
  }
  throw new Error(`expected ${spec} to be rejected`);
}

describe('TokenRegistry', () => {
  it('parses ROLE=token and ROLE:ns1|ns2=token entries, comma separated, roles case-insensitive', () => {
    const tokens = new TokenRegistry(` viewer=${VIEWER_TOKEN}, ADMIN=${ADMIN_TOKEN} ,EDITOR:company.team|acme=${EDITOR_TOKEN}`);

    expect(tokens.size).toBe(3);
    expect(tokens.authenticate(bearer(VIEWER_TOKEN))).toEqual({ role: 'VIEWER', namespaces: undefined, name: 'viewer-token-1' });
    expect(tokens.authenticate(bearer(ADMIN_TOKEN))).toMatchObject({ role: 'ADMIN', name: 'admin-token-2' });
    expect(tokens.authenticate(bearer(EDITOR_TOKEN))).toEqual({ role: 'EDITOR', namespaces: ['company.team', 'acme'], name: 'editor-token-3' });
  });

  it('keeps everything after the first "=" as the token', () => {
    const token = 'abc=def=0123456789xyz';
    expect(new TokenRegistry(`OPERATOR=${token}`).authenticate(bearer(token))).toMatchObject({ role: 'OPERATOR' });
  });

  it('has no tokens for an empty or missing spec', () => {
    expect(new TokenRegistry(undefined).size).toBe(0);
    expect(new TokenRegistry(' , ').size).toBe(0);
    expect(new TokenRegistry('').authenticate(bearer(ADMIN_TOKEN))).toBeUndefined();
  });

  it('rejects an unknown role, naming the entry and the roles allowed', () => {
    const error = specError(`ADMIN=${ADMIN_TOKEN},ROOT=${VIEWER_TOKEN}`);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toMatch(/entry 2: unknown role ROOT; use one of VIEWER, OPERATOR, EDITOR, ADMIN/);
  });

  it('rejects a token shorter than 16 characters, naming the entry without echoing the token', () => {
    const error = specError(`VIEWER=${VIEWER_TOKEN},ADMIN=short-secret`);
    expect(error.message).toMatch(/entry 2: a token must be at least 16 characters/);
    expect(error.message).not.toContain('short-secret');
  });

  it('rejects a namespace limit with no namespace instead of granting all of them', () => {
    expect(specError(`EDITOR:=${EDITOR_TOKEN}`).message).toMatch(/entry 1: no namespace after ":"/);
    expect(specError(`EDITOR: | =${EDITOR_TOKEN}`).message).toMatch(/entry 1: no namespace after ":"/);
  });

  it.each([
    ['two ":"', `EDITOR:acme:other=${EDITOR_TOKEN}`],
    ['no "="', `ADMIN${ADMIN_TOKEN}`],
    ['no role', `=${ADMIN_TOKEN}`],
    ['no token', 'ADMIN='],
  ])('rejects a malformed entry (%s), naming it', (_case, entry) => {
    const error = specError(`VIEWER=${VIEWER_TOKEN},${entry}`);
    expect(error.message).toMatch(/CHRONICLE_TOKENS entry 2: expected ROLE=token or ROLE:ns1\|ns2=token/);
  });

  describe('authenticate', () => {
    const tokens = new TokenRegistry(`VIEWER=${VIEWER_TOKEN},OPERATOR=${OPERATOR_TOKEN}`);

    it('returns the principal of a valid bearer token, whatever the scheme case and spacing', () => {
      expect(tokens.authenticate(bearer(OPERATOR_TOKEN))).toMatchObject({ role: 'OPERATOR' });
      expect(tokens.authenticate(`bearer   ${OPERATOR_TOKEN}  `)).toMatchObject({ role: 'OPERATOR' });
    });

    it('returns undefined for an unknown token, a missing header or a malformed one', () => {
      expect(tokens.authenticate(bearer('not-a-real-token-0000000000'))).toBeUndefined();
      expect(tokens.authenticate(bearer(`${OPERATOR_TOKEN}x`))).toBeUndefined();
      expect(tokens.authenticate(undefined)).toBeUndefined();
      expect(tokens.authenticate('')).toBeUndefined();
      expect(tokens.authenticate('Bearer')).toBeUndefined();
      expect(tokens.authenticate('Bearer    ')).toBeUndefined();
      expect(tokens.authenticate(OPERATOR_TOKEN)).toBeUndefined();
      expect(tokens.authenticate(`Basic ${OPERATOR_TOKEN}`)).toBeUndefined();
      expect(tokens.authenticate(`Token ${OPERATOR_TOKEN}`)).toBeUndefined();
    });
  });

  it('treats every caller as ADMIN when auth is disabled', () => {
    const tokens = new TokenRegistry(undefined, true);
    for (const header of [undefined, '', 'Bearer whatever']) {
      const principal = tokens.authenticate(header);
      expect(principal).toMatchObject({ role: 'ADMIN' });
      expect(principal!.namespaces).toBeUndefined();
      expect(can(principal!, 'admin', 'any.namespace')).toBe(true);
    }
  });
});

describe('can', () => {
  const principal = (role: Role, namespaces?: string[]): Principal => ({ role, namespaces, name: 'test' });
  const PERMISSIONS: Permission[] = ['read', 'execute', 'deploy', 'admin'];
  const ALLOWED: Record<Role, Permission[]> = {
    VIEWER: ['read'],
    OPERATOR: ['read', 'execute'],
    EDITOR: ['read', 'execute', 'deploy'],
    ADMIN: ['read', 'execute', 'deploy', 'admin'],
  };

  it.each(ROLES)('grants %s exactly its permissions, with or without a namespace', (role) => {
    for (const permission of PERMISSIONS) {
      const expected = ALLOWED[role].includes(permission);
      expect(can(principal(role), permission), `${role} ${permission}`).toBe(expected);
      expect(can(principal(role), permission, 'company.team'), `${role} ${permission} in company.team`).toBe(expected);
    }
  });

  it('limits a namespaced token to its namespaces and their children, not siblings or prefixes', () => {
    const editor = principal('EDITOR', ['company.team', 'acme']);

    expect(can(editor, 'deploy', 'company.team')).toBe(true);
    expect(can(editor, 'deploy', 'company.team.sub')).toBe(true);
    expect(can(editor, 'read', 'acme.a.b')).toBe(true);
    expect(can(editor, 'deploy', 'company')).toBe(false);
    expect(can(editor, 'deploy', 'company.other')).toBe(false);
    expect(can(editor, 'read', 'company.teammates')).toBe(false);
    expect(can(editor, 'read', 'acmeco')).toBe(false);
    expect(can(editor, 'read', 'other')).toBe(false);
  });

  it('never lets a namespace widen a role: a namespaced viewer still may not execute there', () => {
    expect(can(principal('VIEWER', ['company.team']), 'execute', 'company.team')).toBe(false);
    expect(can(principal('EDITOR', ['company.team']), 'admin', 'company.team')).toBe(false);
  });

  it('checks only the role when no namespace is given (the caller checks each namespace once known)', () => {
    expect(can(principal('OPERATOR', ['company.team']), 'execute')).toBe(true);
    expect(can(principal('OPERATOR', ['company.team']), 'deploy')).toBe(false);
  });
});
