import type { JsonValue } from '../shared/json.js';
import type { Env } from './expression.arguments.js';
import type { ExpressionFunction } from './expression.callables.js';
import { EvaluationFailure } from './expression.error.js';
import type { ExpressionHost } from './expression-host.js';
import { HostCallPending } from './expression-host.js';
import { isPlainObject, typeOf, type Value } from './expression.values.js';
import { slugify } from './expression.text-filters.js';

/**
 * Kestra's functions that read a store (KVStoreService, SecretService, StorageInterface): the
 * domain checks arguments and the file's scope as Kestra does, and asks the host for the value
 * (see expression-host.ts and docs/expression-host-functions.md).
 */
const KESTRA_SCHEME = 'kestra:///';

const hook = <K extends keyof ExpressionHost>(env: Env, name: K): NonNullable<ExpressionHost[K]> => {
  const fn = env.host?.[name];
  if (fn === undefined) throw new EvaluationFailure(`${name}() is not available in this context`);
  return fn as NonNullable<ExpressionHost[K]>;
};

/** Runs a host hook; its failure becomes the expression's error, a pending fetch passes through. */
const ask = <T>(name: string, run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof HostCallPending || error instanceof EvaluationFailure) throw error;
    throw new EvaluationFailure(`${name}(): ${error instanceof Error ? error.message : String(error)}`);
  }
};

const text = (value: Value, what: string): string => {
  if (typeof value !== 'string') throw new EvaluationFailure(`${what}, got ${typeOf(value)}`);
  return value;
};

const variable = (env: Env, name: string): Readonly<Record<string, JsonValue>> => {
  const value = Object.hasOwn(env.scope, name) ? env.scope[name] : undefined;
  return isPlainObject(value) ? value : {};
};

const flowNamespace = (env: Env): string => {
  const namespace = variable(env, 'flow').namespace;
  if (typeof namespace !== 'string') throw new EvaluationFailure('no flow namespace in this context');
  return namespace;
};

/** Kestra's check: an internal-storage file must belong to this execution, or to the one that triggered it. */
const executionFileUri = (env: Env, path: string, fn: string): string => {
  const flow = variable(env, 'flow');
  const execution = variable(env, 'execution');
  const trigger = variable(env, 'trigger');
  const base = (namespace: JsonValue | undefined, flowId: JsonValue | undefined, executionId: JsonValue | undefined): string | undefined =>
    typeof namespace === 'string' && typeof flowId === 'string' && typeof executionId === 'string'
      ? `${KESTRA_SCHEME}${namespace.replaceAll('.', '/')}/${slugify(flowId)}/executions/${executionId}/`
      : undefined;
  const allowed = [base(flow.namespace, flow.id, execution.id), base(trigger.namespace, trigger.flowId, trigger.executionId)];
  if (!allowed.some((prefix) => prefix !== undefined && path.startsWith(prefix))) {
    throw new EvaluationFailure(`${fn}(): unable to read the file '${path}' as it didn't belong to the current execution`);
  }
  return path;
};

const storagePath = (env: Env, path: Value, fn: string): string => {
  const uri = text(path, `${fn}() expects an argument 'path' that is an internal storage URI (kestra:///...)`);
  if (!uri.startsWith(KESTRA_SCHEME)) throw new EvaluationFailure(`${fn}(): unable to create the URI from the path ${uri}`);
  return executionFileUri(env, uri, fn);
};

export const HOST_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  kv: {
    params: ['key', 'namespace', 'errorOnMissing'],
    apply: ({ key, namespace, errorOnMissing }, env) => {
      const k = text(key, "kv() expects an argument 'key' of type string");
      const from = flowNamespace(env);
      const ns = namespace === undefined || namespace === null ? from : text(namespace, "kv() argument 'namespace' must be a string");
      const value = ask('kv', () => hook(env, 'kv')({ namespace: ns, key: k, fromNamespace: from }));
      if (value === undefined && errorOnMissing === true) {
        throw new EvaluationFailure(`kv(): The key '${k}' does not exist in the namespace '${ns}'.`);
      }
      return value ?? null;
    },
  },
  secret: {
    params: ['key'],
    apply: ({ key }, env) => {
      const k = text(key, "secret() expects an argument 'key' of type string");
      return ask('secret', () => hook(env, 'secret')({ namespace: flowNamespace(env), key: k }));
    },
  },
  read: {
    params: ['path'],
    apply: ({ path }, env) => {
      const p = text(path, "read() expects an argument 'path' that is a path to a namespace file or an internal storage URI");
      const request = p.startsWith(KESTRA_SCHEME)
        ? { kind: 'internal-storage' as const, uri: executionFileUri(env, p, 'read') }
        : { kind: 'namespace-file' as const, namespace: flowNamespace(env), path: p };
      return ask('read', () => hook(env, 'read')(request));
    },
  },
  fileSize: {
    params: ['path'],
    apply: ({ path }, env) => {
      const uri = storagePath(env, path, 'fileSize');
      return ask('fileSize', () => hook(env, 'fileSize')({ kind: 'internal-storage', uri }));
    },
  },
  fileExists: {
    params: ['path'],
    apply: ({ path }, env) => {
      const uri = storagePath(env, path, 'fileExists');
      return ask('fileExists', () => hook(env, 'fileExists')({ kind: 'internal-storage', uri }));
    },
  },
  /** Newer Kestra's IsFileEmptyFunction: whether an internal-storage file of this execution has no bytes (the host's fileSize). */
  isFileEmpty: {
    params: ['path'],
    apply: ({ path }, env) => {
      const uri = storagePath(env, path, 'isFileEmpty');
      return ask('fileSize', () => hook(env, 'fileSize')({ kind: 'internal-storage', uri })) === 0;
    },
  },
  /** Pure: the URI of a namespace file of the flow's namespace (Kestra's FileURIFunction). */
  fileURI: {
    params: ['path'],
    apply: ({ path }, env) => {
      let p = text(path, "fileURI() expects an argument 'path' that is a path to a namespace file");
      if (p.startsWith('/')) p = p.slice(1);
      if (p.includes('../')) throw new EvaluationFailure("fileURI(): path must not contain '../'");
      return `kestra:///${flowNamespace(env).replaceAll('.', '/')}/_files/${p}`;
    },
  },
};
