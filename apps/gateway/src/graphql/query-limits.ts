import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { graphqlRuntime } from './graphql-runtime.js';

export interface QueryLimits {
  /** Deepest selection allowed (fragments flattened). */
  readonly maxDepth: number;
  /** Largest estimated cost: 1 per field, lists multiplied by their page size. */
  readonly maxComplexity: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxComplexity: 100_000 };

/** Default page sizes the estimator assumes when `first` is not given. */
const PAGE_DEFAULTS: Record<string, number> = { executions: 50, logs: 100 };
/** Lists without `first` whose length is bounded but unknown: counted as this many items. */
const UNPAGED_LIST_ESTIMATE = 5;

/** A list field costs its children times its page size; anything else 1 plus its children. */
const pagedEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : PAGE_DEFAULTS[field.name];
  if (first !== undefined) return 1 + childComplexity * Math.max(first, 1);
  // A connection's edges are its page: the connection field already counted the page size.
  if (field.name === 'edges') return 1 + childComplexity;
  if (field.type.toString().includes('[')) return 1 + childComplexity * UNPAGED_LIST_ESTIMATE;
  return undefined;
};

export function depthLimitRules(limits: QueryLimits): ValidationRule[] {
  // Reported as a validation error (BAD_USER_INPUT), not thrown (which Apollo would call a 500).
  const rule = maxDepthRule({
    n: limits.maxDepth,
    ignoreIntrospection: true,
    flattenFragments: true,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(error)],
  });
  return [rule as unknown as ValidationRule];
}

/** Refuses an operation whose estimated cost is over the limit, before anything runs. */
export function complexityLimitPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: schema as GraphQLSchema,
              operationName: request.operationName,
              query: document,
              variables: request.variables,
              estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Missing or mistyped variables: the caller's mistake, said as such (a plugin that
            // throws anything else would make Apollo answer 500).
            throw new graphqlRuntime.GraphQLError((error as Error).message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
          if (complexity > limits.maxComplexity) {
            throw new graphqlRuntime.GraphQLError(
              `query too complex: estimated cost ${complexity} is over the limit ${limits.maxComplexity}; ask for fewer fields or smaller pages (first)`,
              { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
