import type { Principal } from '../auth/token-registry.js';

/** Per-request GraphQL context: who is calling. */
export interface GraphQLRequestContext {
  readonly principal?: Principal;
}
