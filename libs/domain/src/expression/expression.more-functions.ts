import { parse } from 'yaml';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Args, Env } from './expression.arguments.js';
import { EvaluationFailure, ExpressionError } from './expression.error.js';
import type { ExpressionFunction } from './expression.callables.js';
import { fromIonText } from './expression.ion.js';
import { randomDouble, randomId, randomKsuid, randomUuid } from './expression.random.js';
import { compareValues, isPlainObject, typeOf, type Value } from './expression.values.js';

/**
 * Kestra's functions that need no store (Extension.java) and Pebble's `max`/`min`. The random
 * ones draw from the context's seeded source (expression.random.ts), never from the machine.
 */
const MAX_RENDERINGS = 100;

/** Kestra's RenderFunction: renders text (every string inside a map or list) again, until it no longer changes when recursive. */
const renderValue = (value: JsonValue, env: Env, recursive: boolean): JsonValue => {
  if (typeof value === 'string') {
    let current = value;
    for (let count = 0; ; count++) {
      if (!current.includes('{')) return current;
      if (count > MAX_RENDERINGS) throw new EvaluationFailure('render(): too many rendering attempts');
      let next: string;
      try {
        next = env.render(current, env.scope);
      } catch (error) {
        if (error instanceof ExpressionError) throw new EvaluationFailure(`render(): ${error.message}`);
        throw error;
      }
      if (!recursive || next === current) return next;
      current = next;
    }
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, env, recursive));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderValue(k, env, recursive) as string, renderValue(v, env, recursive)]));
  }
  return value;
};

const render = (toRender: Value, recursive: Value, env: Env): JsonValue => {
  if (toRender === undefined) throw new EvaluationFailure("The 'render' function expects an argument 'toRender'.");
  const deep = recursive ?? true;
  if (typeof deep !== 'boolean') throw new EvaluationFailure("The 'render' function expects an optional argument 'recursive' with type boolean.");
  return renderValue(toRender, env, deep);
};

const integer = (value: Value, name: string): number => {
  if (value === undefined) throw new EvaluationFailure(`randomInt() expects an argument '${name}'`);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new EvaluationFailure(`randomInt() expects an argument '${name}' with type Integer, got ${typeOf(value)}`);
  }
  return value;
};

/** Pebble's max/min over any number of arguments. */
const extreme = (name: string, pick: 1 | -1): ExpressionFunction => ({
  params: [],
  variadic: true,
  apply: (args: Args) => {
    const values = Object.values(args).filter((v): v is JsonValue => v !== undefined);
    if (values.length === 0) throw new EvaluationFailure(`${name}() expects at least one argument`);
    return values.reduce((best, v) => (compareValues(v, best, name) * pick > 0 ? v : best));
  },
});

/** Every variable the expression sees, for `printContext()`. */
const contextOf = (env: Env): JsonObject =>
  Object.fromEntries(Object.keys(env.scope).flatMap((k) => (env.scope[k] === undefined ? [] : [[k, env.scope[k] as JsonValue]])));

const NANO_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

export const MORE_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  render: { params: ['toRender', 'recursive'], apply: ({ toRender, recursive }, env) => render(toRender, recursive, env) },
  renderOnce: { params: ['toRender'], apply: ({ toRender }, env) => render(toRender, false, env) },
  yaml: {
    params: ['yaml'],
    apply: ({ yaml }) => {
      if (typeof yaml !== 'string') throw new EvaluationFailure(`The 'yaml' function expects an argument 'yaml' with type string, got ${typeOf(yaml)}`);
      try {
        return (parse(yaml) ?? null) as JsonValue;
      } catch (error) {
        throw new EvaluationFailure(`Invalid yaml: ${(error as Error).message}`);
      }
    },
  },
  fromIon: {
    params: ['ion'],
    apply: ({ ion }) => {
      if (ion === undefined) throw new EvaluationFailure("The 'fromIon' function expects an argument 'ion'.");
      if (ion === null) return null;
      if (typeof ion !== 'string') throw new EvaluationFailure("The 'fromIon' function expects an argument 'ion' with type string.");
      return fromIonText(ion);
    },
  },
  printContext: { params: [], apply: (_, env) => contextOf(env) },
  fetchContext: { params: [], apply: (_, env) => contextOf(env) },
  uuid: { params: [], apply: (_, env) => randomUuid(env.random) },
  id: { params: [], apply: (_, env) => randomId(env.random) },
  /** Newer Kestra's KSUIDFunction: a K-sortable id from the decision's clock and the context's seeded randomness. */
  ksuid: {
    params: [],
    apply: (_, env) => {
      if (env.now === undefined) throw new EvaluationFailure('ksuid() is not available here (no clock in this context)');
      return randomKsuid(env.random, Date.parse(env.now));
    },
  },
  /** Newer Kestra's NanoIDFunction: `length` (21, at most 1000) characters of `alphabet`, each a draw's byte masked by the alphabet's size minus one. */
  nanoId: {
    params: ['length', 'alphabet'],
    apply: ({ length, alphabet }, env) => {
      const size = typeof length === 'number' && Number.isInteger(length) ? length : 21;
      if (size > 1000) throw new EvaluationFailure("The 'nanoId()' function field 'length' must be lower than: 1000");
      const chars = typeof alphabet === 'string' && alphabet !== '' ? alphabet : NANO_ID_ALPHABET;
      let out = '';
      for (let bytes = env.random(), i = 0; out.length < Math.max(size, 0); i++) {
        if (i === bytes.length) (bytes = env.random()), (i = 0);
        out += chars[bytes[i]! & (chars.length - 1)] ?? '';
      }
      return out;
    },
  },
  /** Kestra's RandomIntFunction: lower inclusive, upper exclusive. */
  randomInt: {
    params: ['lower', 'upper'],
    apply: ({ lower, upper }, env) => {
      const [low, high] = [integer(lower, 'lower'), integer(upper, 'upper')];
      if (high < low) throw new EvaluationFailure("In 'GenerateRandomNumber' upper is less than lower");
      return Math.floor(randomDouble(env.random) * (high - low)) + low;
    },
  },
  /** Pebble's block(): the named `{% block %}` of this template, rendered again. */
  block: {
    params: ['name'],
    apply: ({ name }, env) => {
      if (typeof name !== 'string') throw new EvaluationFailure(`block() expects the name of a block, got ${typeOf(name)}`);
      if (env.block === undefined) throw new EvaluationFailure(`block "${name}" is not defined in this template`);
      return env.block(name);
    },
  },
  max: extreme('max', 1),
  min: extreme('min', -1),
};
