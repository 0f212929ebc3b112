import { GraphQLJSON, GraphQLDateTime } from 'graphql-scalars';

/** `JSON` and `DateTime` (ISO-8601 UTC) as the contract names them. */
export const JSONScalar = GraphQLJSON;
export const DateTimeScalar = GraphQLDateTime;
