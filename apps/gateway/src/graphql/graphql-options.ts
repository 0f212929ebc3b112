import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ReadModelQueries } from '@chronicle/read-model';
import type { Logger } from '@chronicle/runtime';
import type { AccessControl } from '../auth/request-principal.js';
import { apiError, mapError } from '../errors/error-mapping.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { createLoaders } from './loaders.js';
import { graphqlWsConnections } from '../live/open-connections.js';
import { complexityLimitPlugin, DEFAULT_QUERY_LIMITS, depthLimitRules, type QueryLimits } from './query-limits.js';

export interface GraphQLSettings {
  readonly introspection: boolean;
  readonly limits?: QueryLimits;
}

/**
 * Apollo on `/graphql`, with graphql-ws on the same path. The caller is resolved once
 * per request (HTTP header) or per connection (`connectionParams.authorization`).
 * Errors carry `extensions.code` from the shared vocabulary and never a stack trace.
 * Depth and cost are limited before anything runs.
 */
export function graphqlOptions(access: AccessControl, readModel: ReadModelQueries, logger: Logger, settings: GraphQLSettings): ApolloDriverConfig {
  const limits = settings.limits ?? DEFAULT_QUERY_LIMITS;
  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Duck-typed: Apollo and Nest may each bring their own copy of graphql-js.
    const original = (error as { originalError?: unknown } | undefined)?.originalError;
    if (!original || (original as Error).name === 'GraphQLError') {
      // graphql-js's own errors (parse, validation, variable coercion, limits): the caller's mistake.
      const code = String(formatted.extensions?.code ?? '');
      const callersMistake = code.startsWith('GRAPHQL_') || code === 'BAD_REQUEST' || code === 'BAD_USER_INPUT';
      const mapped = apiError(callersMistake ? 'QUERY_INVALID' : 'INTERNAL', formatted.message);
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: mapped.code, reason: mapped.reason } };
    }
    const mapped = mapError(original);
    if (mapped.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: original }, 'GraphQL resolver failed');
    // The details first: `code` and `reason` are the contract and never overwritten by one.
    return { message: mapped.message, path: formatted.path, extensions: { ...(mapped.details ?? {}), code: mapped.code, reason: mapped.reason } };
  };
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: settings.introspection,
    playground: false,
    includeStacktraceInErrorResponses: false,
    validationRules: depthLimitRules(limits),
    plugins: [complexityLimitPlugin(limits)],
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onConnect: (context) => {
          const params = (context.connectionParams ?? {}) as Record<string, unknown>;
          const authorization = (params.authorization ?? params.Authorization) as string | undefined;
          const principal = access.principal(authorization);
          if (!principal) return false;
          (context.extra as Record<string, unknown>).principal = principal;
          graphqlWsConnections.opened();
          return true;
        },
        onDisconnect: () => graphqlWsConnections.closed(),
        // A subscription refused when it starts (FORBIDDEN, NOT_FOUND...) answers with the same codes as HTTP.
        onNext: (_ctx, _id, _payload, _args, result) =>
          'errors' in result && result.errors?.length
            ? { ...result, errors: result.errors.map((e) => formatError((e as GraphQLError).toJSON?.() ?? (e as GraphQLFormattedError), e)) }
            : undefined,
      },
    },
    context: (ctx: { req?: { headers: Record<string, string | undefined> }; extra?: { principal?: unknown } }): GraphQLRequestContext => {
      const loaders = createLoaders(readModel);
      if (ctx.extra) return { principal: ctx.extra.principal as GraphQLRequestContext['principal'], loaders };
      return { principal: access.principal(ctx.req?.headers.authorization), loaders };
    },
    formatError,
  };
}
