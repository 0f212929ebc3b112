import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { graphqlRuntime } from './graphql-runtime.js';
import { GATEWAY_RESOLVERS } from './resolvers.js';

/**
 * The schema as the code declares it (code-first), printed sorted: what `schema.graphql` at
 * the repository root must hold. Builds no server and connects to nothing.
 */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  try {
    await app.init();
    const schema = await app.get(GraphQLSchemaFactory).create(GATEWAY_RESOLVERS);
    return `${graphqlRuntime.printSchema(graphqlRuntime.lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
