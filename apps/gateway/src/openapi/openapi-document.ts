import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { API_ROUTE_DOC, type QueryDoc, type RouteDoc } from './api-route.decorator.js';
import { OPENAPI_SCHEMAS } from './openapi-schemas.js';

// Nest's own metadata keys (@nestjs/common constants): the routes as Nest registers them.
const PATH = 'path';
const METHOD = 'method';
const ROUTE_ARGS = '__routeArguments__';
const HTTP_CODE = '__httpCode__';

/** One REST operation as Nest registers it: the route table the document and the tests share. */
export interface RestOperation {
  readonly method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** OpenAPI form: `/api/v1/executions/{id}`. */
  readonly path: string;
  readonly handler: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly headerParams: readonly string[];
  readonly status: number;
  readonly doc?: RouteDoc;
}

const METHODS: Partial<Record<RequestMethod, RestOperation['method'][]>> = {
  [RequestMethod.GET]: ['get'],
  [RequestMethod.POST]: ['post'],
  [RequestMethod.PUT]: ['put'],
  [RequestMethod.DELETE]: ['delete'],
  [RequestMethod.PATCH]: ['patch'],
  // Webhooks answer any method; Kestra documents GET, POST and PUT.
  [RequestMethod.ALL]: ['get', 'post', 'put'],
};

/** Every operation of these controllers, read from the decorators Nest routes by. */
export function restOperations(controllers: readonly Type[]): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const controller of controllers) {
    const prefixes = asArray(Reflect.getMetadata(PATH, controller) as string | string[] | undefined);
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name] as object;
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH, handler) as string | string[] | undefined;
      if (method === undefined || paths === undefined) continue;
      const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS, controller, name) ?? {}) as Record<string, { index: number; data?: unknown }>);
      const named = (type: RouteParamtypes) => args.filter(([key, a]) => key.startsWith(`${type}:`) && typeof a.data === 'string').map(([, a]) => a.data as string);
      const wholeQuery = args.some(([key, a]) => key.startsWith(`${RouteParamtypes.QUERY}:`) && a.data === undefined);
      const doc = Reflect.getMetadata(API_ROUTE_DOC, handler) as RouteDoc | undefined;
      const status = (Reflect.getMetadata(HTTP_CODE, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
      for (const prefix of prefixes) {
        for (const path of asArray(paths)) {
          for (const m of METHODS[method] ?? []) {
            operations.push({
              method: m,
              path: openApiPath(prefix, path),
              handler: `${controller.name}.${name}`,
              pathParams: named(RouteParamtypes.PARAM),
              // A handler that reads the whole query (`@Query()`) takes what its @ApiRoute documents.
              queryParams: wholeQuery ? [...new Set([...named(RouteParamtypes.QUERY), ...Object.keys(doc?.query ?? {})])] : named(RouteParamtypes.QUERY),
              headerParams: named(RouteParamtypes.HEADERS).filter((h) => h !== 'authorization'),
              status,
              doc,
            });
          }
        }
      }
    }
  }
  return operations.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** The REST API's version in the document (the paths are /api/v1). */
export const OPENAPI_VERSION = '1.0.0';

/** The OpenAPI 3.1 document of the REST API, built from the controllers (never kept by hand). */
export function openApiDocument(controllers: readonly Type[], version = OPENAPI_VERSION) {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationPaths = new Map<string, string>();
  for (const op of restOperations(controllers)) {
    const doc = op.doc;
    if (!doc) throw new Error(`${op.handler} (${op.method.toUpperCase()} ${op.path}) has no @ApiRoute: document it`);
    const undocumented = op.queryParams.filter((q) => !doc.query?.[q]);
    if (undocumented.length > 0) throw new Error(`${op.handler}: query parameter(s) ${undocumented.join(', ')} missing from its @ApiRoute query`);
    const parameters = [
      ...op.pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...op.queryParams.map((name) => ({ name, in: 'query', required: false, ...(doc.query![name]!.description ? { description: doc.query![name]!.description } : {}), schema: querySchema(doc.query![name]!) })),
      ...op.headerParams.map((name) => ({ name, in: 'header', required: false, ...(doc.headers?.[name] ? { description: doc.headers[name] } : {}), schema: { type: 'string' } })),
    ];
    // One handler on several methods (webhooks) or paths (events/follow): unique ids by method, then by path.
    let operationId = op.handler.replace('.', '_');
    const taken = operationPaths.get(operationId);
    if (taken !== undefined) operationId += taken === op.path ? `_${op.method}` : `_${op.path.split('/').filter((s) => s && !s.startsWith('{')).pop()}`;
    operationPaths.set(operationId, op.path);
    (paths[op.path] ??= {})[op.method] = {
      operationId,
      tags: [doc.tag],
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(doc.body ? { requestBody: requestBody(doc.body) } : {}),
      responses: {
        [String(doc.status ?? op.status)]: successResponse(doc.returns),
        ...Object.fromEntries(Object.entries(doc.errors ?? {}).map(([status, error]) => [status, typeof error === 'string' ? errorResponse(error) : errorResponse(error.description, error.schema)])),
        default: errorResponse('An error: BAD_USER_INPUT (400, naming the parameter), UNAUTHENTICATED (401), FORBIDDEN (403), NOT_FOUND (404), CONFLICT (409)...'),
      },
      ...(doc.public ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chronicle REST API',
      version,
      description: 'Kestra-compatible REST paths over the same commands and reads as the GraphQL API (/graphql). Reads of one execution by id are read-your-writes (`minRevision`); lists may lag the log briefly.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: ['Executions', 'Logs', 'Flows', 'KV', 'Triggers', 'Files', 'Webhooks', 'Admin', 'Health', 'OpenAPI'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from CHRONICLE_TOKENS.' } },
      schemas: OPENAPI_SCHEMAS,
    },
  };
}

function querySchema(q: QueryDoc): Record<string, unknown> {
  const base = q.type === 'date-time' ? { type: 'string', format: 'date-time' } : q.type === 'string[]' ? { type: 'array', items: { type: 'string', ...(q.enum ? { enum: q.enum } : {}) } } : { type: q.type };
  return { ...base, ...(q.enum && q.type !== 'string[]' ? { enum: q.enum } : {}), ...(q.minimum !== undefined ? { minimum: q.minimum } : {}), ...(q.maximum !== undefined ? { maximum: q.maximum } : {}) };
}

function requestBody(kind: NonNullable<RouteDoc['body']>) {
  const object = { type: 'object', additionalProperties: true };
  const content: Record<string, unknown> = {
    'json-object': { 'application/json': { schema: object } },
    'json-array': { 'application/json': { schema: { type: 'array', items: object } } },
    yaml: { 'application/x-yaml': { schema: { type: 'string', description: 'Flow YAML' } } },
    'json-or-form': { 'application/json': { schema: object }, 'multipart/form-data': { schema: object } },
    any: { '*/*': { schema: {} } },
    ndjson: { 'application/x-ndjson': { schema: { type: 'string' } } },
  }[kind];
  return { required: kind === 'yaml' || kind === 'json-array' || kind === 'ndjson', content };
}

function successResponse(returns: string) {
  switch (returns) {
    case 'none':
      return { description: 'Done (no body).' };
    case 'event-stream':
      return { description: 'Server-Sent Events: one per execution event, the stream revision as the SSE id.', content: { 'text/event-stream': { schema: { type: 'string' } } } };
    case 'boolean':
      return { description: 'true or false.', content: { 'application/json': { schema: { type: 'boolean' } } } };
    case 'text':
      return { description: 'Plain text.', content: { 'text/plain': { schema: { type: 'string' } } } };
    case 'binary':
      return { description: 'The file.', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } };
    case 'ndjson':
      return { description: 'Newline-delimited JSON.', content: { 'application/x-ndjson': { schema: { type: 'string' } } } };
    default:
      if (!(returns in OPENAPI_SCHEMAS) && !returns.endsWith('[]')) throw new Error(`unknown response schema ${returns}`);
      return { description: 'OK', content: { 'application/json': { schema: returns.endsWith('[]') ? { type: 'array', items: ref(returns.slice(0, -2)) } : ref(returns) } } };
  }
}

const errorResponse = (description: string, schema = 'Error') => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [''] as T[] : Array.isArray(value) ? value : [value]);

/** `:id` → `{id}`; Nest's escaped `\:` is a literal colon (`events:export`). */
function openApiPath(prefix: string, path: string): string {
  const joined = `/${[prefix, path].filter((p) => p !== '').join('/')}`.replace(/\/+/g, '/');
  return joined.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':').replace(/(.)\/$/, '$1');
}
