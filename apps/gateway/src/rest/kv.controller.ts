import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { parseIsoDuration, type JsonValue } from '@chronicle/domain';
import type { Clock } from '@chronicle/runtime';
import { AccessControl } from '../auth/request-principal.js';
import { BadUserInputError, KvKeyNotFoundError } from '../errors/api-errors.js';
import { CLOCK, KV_STORE, type KvEntries } from '../gateway.tokens.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { kvTypedValue } from './kv-typed-value.js';

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
/** Kestra writes an unquoted ISO date or instant as an Ion timestamp: accepted bare, kept as its text. */
const BARE_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Kestra's KV store API (`/api/v1/namespaces/{namespace}/kv`, KVController) over the store the
 * kv.* tasks and `kv()` use. Reading needs `read` on the namespace; writing and deleting,
 * `deploy` (as namespace files). A value is JSON text; `ttl` (header, ISO-8601 duration) makes it expire.
 */
@Controller('api/v1/namespaces')
export class KvController {
  constructor(@Inject(KV_STORE) private readonly kv: KvEntries, @Inject(CLOCK) private readonly clock: Clock, @Inject(AccessControl) private readonly access: AccessControl) {}

  @ApiRoute({ tag: 'KV', summary: 'The keys of a namespace (unexpired), by key', returns: 'KVEntry[]' })
  @Get(':namespace/kv')
  async list(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string) {
    this.access.require(this.access.principal(authorization), 'read', { namespace: namespaceOf(namespace) });
    const entries = await this.kv.list(namespace, this.now());
    return entries.map((e) => ({ key: e.key, updateDate: e.updatedAt, expirationDate: e.expiresAt ?? null }));
  }

  /** Kestra's `TypedValue { type, value }`. */
  @ApiRoute({ tag: 'KV', summary: 'The value of a key, with its type', returns: 'KVTypedValue', errors: { 404: 'No such key (or it expired)' } })
  @Get(':namespace/kv/:key')
  async get(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('key') key: string) {
    this.access.require(this.access.principal(authorization), 'read', { namespace: namespaceOf(namespace) });
    const entry = await keyed(() => this.kv.get(namespace, key, this.now()));
    if (!entry) throw new KvKeyNotFoundError(`No value found for key '${key}' in namespace '${namespace}'`);
    return kvTypedValue(entry.value);
  }

  /** The body is the value as JSON (`"text"`, `42`, `{"a":1}`), or an unquoted ISO date; header `ttl: PT1H` makes it expire. */
  @ApiRoute({ tag: 'KV', summary: 'Set a key (replaces its value)', body: 'any', returns: 'none', headers: { ttl: 'ISO-8601 duration (PT1H, P1D) after which the key expires' } })
  @Put(':namespace/kv/:key')
  @HttpCode(200)
  async put(
    @Headers('authorization') authorization: string | undefined,
    @Headers('ttl') ttl: string | undefined,
    @Param('namespace') namespace: string,
    @Param('key') key: string,
    @Body() body: unknown,
  ): Promise<void> {
    this.access.require(this.access.principal(authorization), 'deploy', { namespace: namespaceOf(namespace) });
    const ttlMs = ttl === undefined || ttl === '' ? undefined : parseIsoDuration(ttl);
    if (ttl !== undefined && ttl !== '' && (ttlMs === undefined || ttlMs === 0)) throw new BadUserInputError(`header ttl must be a positive ISO-8601 duration such as PT1H or P1D (got "${ttl}")`, { header: 'ttl' });
    await keyed(() => this.kv.put(namespace, key, valueOf(body), { now: this.now(), ...(ttlMs !== undefined ? { ttlMs } : {}) }));
  }

  /** Kestra answers whether the key existed. */
  @ApiRoute({ tag: 'KV', summary: 'Delete a key: true when it existed', returns: 'boolean' })
  @Delete(':namespace/kv/:key')
  async remove(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('key') key: string): Promise<boolean> {
    this.access.require(this.access.principal(authorization), 'deploy', { namespace: namespaceOf(namespace) });
    return keyed(() => this.kv.delete(namespace, key, this.now()));
  }

  /** Kestra's bulk delete: `{ keys: [...] }`, answers the keys that existed. */
  @ApiRoute({ tag: 'KV', summary: 'Delete several keys: answers those that existed', body: 'json-object', returns: 'KVDeletedKeys' })
  @Delete(':namespace/kv')
  async removeKeys(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Body() body: unknown) {
    this.access.require(this.access.principal(authorization), 'deploy', { namespace: namespaceOf(namespace) });
    const keys = (body as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new BadUserInputError('the body must be { "keys": ["key", ...] }', { field: 'keys' });
    const deleted: string[] = [];
    for (const key of keys as string[]) if (await keyed(() => this.kv.delete(namespace, key, this.now()))) deleted.push(key);
    return { keys: deleted };
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function namespaceOf(namespace: string): string {
  if (!NAMESPACE.test(namespace)) throw new BadUserInputError(`${JSON.stringify(namespace)} is not a namespace name`, { parameter: 'namespace' });
  return namespace;
}

/** The store refuses a key against Kestra's rule (code KV.INVALID): a 400 naming the key, the store's message. */
async function keyed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'KV_INVALID') throw new BadUserInputError((error as Error).message, { parameter: 'key' });
    throw error;
  }
}

/** The request body as the value: JSON text (read raw: `42` and `"text"` are values too), or a bare ISO date. */
function valueOf(body: unknown): JsonValue {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  if (text === undefined || text.trim() === '') throw new BadUserInputError('the body must be the value as JSON ("text", 42, true, {"a": 1}...)', { field: 'body' });
  const trimmed = text.trim();
  if (BARE_DATE.test(trimmed)) return trimmed;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    throw new BadUserInputError(`Invalid JSON value for: ${trimmed.slice(0, 200)} (quote a text: "${trimmed.slice(0, 20)}")`, { field: 'body' });
  }
}
