import type { Principal } from '../auth/token-registry.js';
import type { GatewayLoaders } from './loaders.js';

/** Per-request GraphQL context: who is calling, and the request's batch loaders. */
export interface GraphQLRequestContext {
  readonly principal?: Principal;
  readonly loaders?: GatewayLoaders;
}
