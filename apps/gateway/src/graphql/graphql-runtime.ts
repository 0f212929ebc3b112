import { createRequire } from 'node:module';

/**
 * graphql-js, the one instance NestJS and Apollo use. graphql 16 ships a CommonJS and an ES
 * build; a bundler-style resolver (Vitest) may hand an `import` the ES one while the frameworks
 * `require` the CommonJS one, and graphql-js refuses objects from "another realm". Requiring it
 * here always gives the instance the frameworks hold.
 */
export const graphqlRuntime = createRequire(import.meta.url)('graphql') as typeof import('graphql');
