import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, UnauthenticatedError } from '../errors/api-errors.js';
import { authorize, describeScope, type Permission, type Scope } from './authorization.js';
import { TokenRegistry, type Principal } from './token-registry.js';

export const TOKEN_REGISTRY = Symbol('TOKEN_REGISTRY');

/** Resolves and checks the caller of a request, for GraphQL and REST alike (see `authorize`). */
@Injectable()
export class AccessControl {
  constructor(@Inject(TOKEN_REGISTRY) private readonly tokens: TokenRegistry) {}

  principal(authorization: string | undefined): Principal | undefined {
    return this.tokens.authenticate(authorization);
  }

  /** For one namespace already known (a loaded execution, a listed flow). */
  allows(principal: Principal, permission: Permission, namespace: string): boolean {
    return authorize(principal, permission, { namespace });
  }

  require(principal: Principal | undefined, permission: Permission, scope: Scope): Principal {
    if (!principal) throw new UnauthenticatedError();
    if (!authorize(principal, permission, scope)) throw new ForbiddenError(`the ${principal.role} role may not ${permission}${describeScope(scope)}`);
    return principal;
  }
}
