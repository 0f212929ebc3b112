import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError } from '../errors/api-errors.js';
import { can, TokenRegistry, type Permission, type Principal } from './token-registry.js';

export const TOKEN_REGISTRY = Symbol('TOKEN_REGISTRY');

/** Resolves and checks the caller of a request, for GraphQL and REST alike. */
@Injectable()
export class AccessControl {
  constructor(@Inject(TOKEN_REGISTRY) private readonly tokens: TokenRegistry) {}

  principal(authorization: string | undefined): Principal | undefined {
    return this.tokens.authenticate(authorization);
  }

  allows(principal: Principal, permission: Permission, namespace?: string): boolean {
    return can(principal, permission, namespace);
  }

  require(principal: Principal | undefined, permission: Permission, namespace?: string): Principal {
    if (!principal) throw new UnauthenticatedError();
    if (!can(principal, permission, namespace)) {
      throw new ForbiddenError(`the ${principal.role} role may not ${permission}${namespace ? ` in namespace ${namespace}` : ''}`);
    }
    return principal;
  }
}
