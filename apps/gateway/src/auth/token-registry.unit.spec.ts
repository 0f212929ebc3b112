import { describe, expect, it } from 'vitest';
import { authorize, EACH_RESULT, GLOBAL, type Permission } from './authorization.js';
import { ROLES, TokenRegistry, TokenSpecError, type Principal, type Role } from './token-registry.js';

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
    expect(error.code).toBe('CONFIG_INVALID');
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
      expect(authorize(principal!, 'admin', { namespace: 'any.namespace' })).toBe(true);
      expect(authorize(principal!, 'admin', GLOBAL)).toBe(true);
    }
  });
});

describe('authorize', () => {
  const principal = (role: Role, namespaces?: string[]): Principal => ({ role, namespaces, name: 'test' });
  const PERMISSIONS: Permission[] = ['read', 'execute', 'deploy', 'admin'];
  const ALLOWED: Record<Role, Permission[]> = {
    VIEWER: ['read'],
    OPERATOR: ['read', 'execute'],
    EDITOR: ['read', 'execute', 'deploy'],
    ADMIN: ['read', 'execute', 'deploy', 'admin'],
  };

  it.each(ROLES)('grants an unrestricted %s exactly its permissions, in a namespace, globally and per result', (role) => {
    for (const permission of PERMISSIONS) {
      const expected = ALLOWED[role].includes(permission);
      expect(authorize(principal(role), permission, EACH_RESULT), `${role} ${permission}`).toBe(expected);
      expect(authorize(principal(role), permission, GLOBAL), `${role} ${permission} globally`).toBe(expected);
      expect(authorize(principal(role), permission, { namespace: 'company.team' }), `${role} ${permission} in company.team`).toBe(expected);
    }
  });

  it('limits a namespaced token to its namespaces and their children, not siblings or prefixes', () => {
    const editor = principal('EDITOR', ['company.team', 'acme']);

    expect(authorize(editor, 'deploy', { namespace: 'company.team' })).toBe(true);
    expect(authorize(editor, 'deploy', { namespace: 'company.team.sub' })).toBe(true);
    expect(authorize(editor, 'read', { namespace: 'acme.a.b' })).toBe(true);
    expect(authorize(editor, 'deploy', { namespace: 'company' })).toBe(false);
    expect(authorize(editor, 'deploy', { namespace: 'company.other' })).toBe(false);
    expect(authorize(editor, 'read', { namespace: 'company.teammates' })).toBe(false);
    expect(authorize(editor, 'read', { namespace: 'acmeco' })).toBe(false);
    expect(authorize(editor, 'read', { namespace: 'other' })).toBe(false);
  });

  it('never lets a namespace widen a role: a namespaced viewer still may not execute there', () => {
    expect(authorize(principal('VIEWER', ['company.team']), 'execute', { namespace: 'company.team' })).toBe(false);
    expect(authorize(principal('EDITOR', ['company.team']), 'admin', { namespace: 'company.team' })).toBe(false);
  });

  it('checks only the role per result (the caller then checks each namespace once known)', () => {
    expect(authorize(principal('OPERATOR', ['company.team']), 'execute', EACH_RESULT)).toBe(true);
    expect(authorize(principal('OPERATOR', ['company.team']), 'deploy', EACH_RESULT)).toBe(false);
  });

  it('refuses a global operation to a namespace-limited token, whatever its role', () => {
    for (const permission of PERMISSIONS) expect(authorize(principal('ADMIN', ['company.team']), permission, GLOBAL), permission).toBe(false);
    expect(authorize(principal('ADMIN'), 'admin', GLOBAL)).toBe(true);
  });
});
