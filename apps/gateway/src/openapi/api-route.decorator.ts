import { SetMetadata } from '@nestjs/common';

export type ParamType = 'string' | 'integer' | 'boolean' | 'date-time' | 'string[]';

export interface QueryDoc {
  readonly type: ParamType;
  readonly description?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
}

/** What the OpenAPI document says about one route besides what Nest knows (path, method, parameters' names). */
export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tag: 'Executions' | 'Logs' | 'Flows' | 'KV' | 'Triggers' | 'Files' | 'Webhooks' | 'Admin' | 'Health' | 'OpenAPI';
  /** Every `@Query('name')` of the handler, typed; a query parameter left out fails the OpenAPI test. */
  readonly query?: Readonly<Record<string, QueryDoc>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: 'json-object' | 'json-array' | 'yaml' | 'json-or-form' | 'any' | 'ndjson';
  /** The success answer: a component schema name, or a media kind. */
  readonly returns: string;
  /** The success status when it is not Nest's default (200; 201 for POST without @HttpCode). */
  readonly status?: number;
  /** Extra documented answers (status: description). */
  readonly errors?: Readonly<Record<number, string | { readonly description: string; readonly schema: string }>>;
  /** No token needed (health probes, metrics). */
  readonly public?: boolean;
}

export const API_ROUTE_DOC = 'chronicle:api-route-doc';

/** Documents a REST route for the generated OpenAPI document (openapi.json). */
export const ApiRoute = (doc: RouteDoc) => SetMetadata(API_ROUTE_DOC, doc);
