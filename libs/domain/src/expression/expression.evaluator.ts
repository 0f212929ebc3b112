import type jsep from 'jsep';
import type { JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';
import { bindArguments, type Env, type Evaluate } from './expression.arguments.js';
import { FILTERS } from './expression.filters.js';
import { FUNCTIONS } from './expression.functions.js';
import { RANGE_OPERATOR, type MapExpression, type Node } from './expression.parser.js';
import { refusedName } from './expression.refused-names.js';
import { TESTS } from './expression.tests.js';
import {
  compareValues, deepEqual, expectNumber, isPlainObject, isTruthyValue, toText, typeOf, type Value,
} from './expression.values.js';

export type { Env } from './expression.arguments.js';

/**
 * A small, safe evaluator over jsep's syntax tree. It reads only own properties of plain
 * objects and arrays (no prototype, no `constructor`), calls nothing but the filters, tests and
 * functions of this folder (looked up as own properties), and cannot assign. `strict` decides
 * what a missing variable does: fail (the default, like Kestra's strict Pebble) or yield
 * `undefined` (left of `??`, input of `default`, left of `is`, after `?.`).
 */
export const evaluate: Evaluate = (node, env, strict = true) => {
  if (node.type === 'MapExpression') return mapLiteral(node as MapExpression, env, strict);
  const n = node as jsep.CoreExpression;
  switch (n.type) {
    case 'Literal':
      if (n.value instanceof RegExp) throw new EvaluationFailure('regular expressions are not supported');
      return n.value;
    case 'Identifier':
      return lookup(env.scope, n.name, n.name, strict);
    case 'MemberExpression':
      return member(n, env, strict);
    case 'ArrayExpression':
      return n.elements.map((e) => {
        if (e === null) throw new EvaluationFailure('empty list element');
        return defined(evaluate(e, env, strict), describe(e));
      });
    case 'UnaryExpression':
      return unary(n.operator, evaluate(n.argument, env, strict));
    case 'BinaryExpression':
      return binary(n, env, strict);
    case 'ConditionalExpression':
      return isTruthyValue(evaluate(n.test, env, strict)) ? evaluate(n.consequent, env, strict) : evaluate(n.alternate, env, strict);
    case 'CallExpression':
      return call(n, env, strict);
    case 'ThisExpression':
      throw new EvaluationFailure('undefined variable "this"');
    case 'Compound':
    case 'SequenceExpression':
      throw new EvaluationFailure('one expression expected, found several');
    default: {
      const exhaustive: never = n;
      throw new EvaluationFailure(`unsupported syntax ${(exhaustive as Node).type}`);
    }
  }
};

const defined = (value: Value, what: string): JsonValue => {
  if (value === undefined) throw new EvaluationFailure(`undefined variable "${what}"`);
  return value;
};

const lookup = (container: Readonly<Record<string, Value>>, key: string, path: string, strict: boolean): Value => {
  if (Object.hasOwn(container, key)) return container[key];
  if (strict) throw new EvaluationFailure(`undefined variable "${path}"`);
  return undefined;
};

const mapLiteral = (n: MapExpression, env: Env, strict: boolean): JsonValue =>
  // fromEntries defines own properties, so a "__proto__" key is data, not a prototype.
  Object.fromEntries(
    n.entries.map(({ key, value }) => [
      key.type === 'Identifier' ? (key as jsep.Identifier).name : toText(evaluate(key, env, true)),
      defined(evaluate(value, env, strict), describe(value)),
    ]),
  );

const member = (n: jsep.MemberExpression, env: Env, strict: boolean): Value => {
  const object = evaluate(n.object, env, strict && !n.optional);
  // A missing computed key is missing too where the object may be (left of `is`, `??`): Kestra's `block[missing].child is defined`.
  const key = n.computed ? evaluate(n.property, env, strict && !n.optional) : (n.property as jsep.Identifier).name;
  if (key === undefined) return undefined;
  const path = describe(n);
  if (object === undefined || object === null) {
    if (!strict || n.optional) return undefined;
    throw new EvaluationFailure(`undefined variable "${path}" (${describe(n.object)} is ${typeOf(object)})`);
  }
  if (Array.isArray(object)) {
    const index = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key;
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < object.length) return object[index];
    if (strict) throw new EvaluationFailure(`undefined variable "${path}" (no item ${toText(key)} in a list of ${object.length})`);
    return undefined;
  }
  if (isPlainObject(object)) {
    if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
      throw new EvaluationFailure(`cannot index ${describe(n.object)} with a ${typeOf(key)}`);
    }
    return lookup(object, String(key), path, strict);
  }
  if (strict) throw new EvaluationFailure(`undefined variable "${path}" (${describe(n.object)} is a ${typeOf(object)})`);
  return undefined;
};

const unary = (operator: string, value: Value): Value => {
  switch (operator) {
    case '!':
    case 'not':
      return !isTruthyValue(value);
    case '-':
      return -expectNumber(value, 'unary -');
    case '+':
      return expectNumber(value, 'unary +');
    default:
      throw new EvaluationFailure(`unsupported operator "${operator}"`);
  }
};

const binary = (n: jsep.BinaryExpression, env: Env, strict: boolean): Value => {
  const { operator } = n;
  switch (operator) {
    case '|':
      return applyFilter(n, env, strict);
    case 'is':
    case 'is not':
      return applyTest(n, env);
    case '??':
    case '???': {
      const left = evaluate(n.left, env, false);
      const missing = operator === '??' ? left === undefined || left === null : left === undefined;
      return missing ? evaluate(n.right, env, strict) : left;
    }
    case RANGE_OPERATOR:
      // Pebble's `1..3` is range(1, 3).
      return FUNCTIONS.range!.apply({ start: evaluate(n.left, env, strict), end: evaluate(n.right, env, strict) }, env);
    case '=':
      throw new EvaluationFailure(`"=" only names an argument inside a filter or function call, e.g. date("yyyy", timeZone="UTC"); compare with "=="`);
  }
  const left = evaluate(n.left, env, strict);
  // `and`/`or` short-circuit like Pebble's, and yield booleans.
  if (operator === 'and' || operator === '&&') return isTruthyValue(left) && isTruthyValue(evaluate(n.right, env, strict));
  if (operator === 'or' || operator === '||') return isTruthyValue(left) || isTruthyValue(evaluate(n.right, env, strict));
  const right = evaluate(n.right, env, strict);
  switch (operator) {
    case '==':
    case 'equals':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '~':
      return toText(left) + toText(right);
    case 'contains':
      return contains(left, right);
    case 'in':
      return contains(right, left);
    // Pebble's OperatorUtils: a comparison with null is false, not an error.
    case '<':
      return left !== null && right !== null && compareValues(left, right, operator) < 0;
    case '>':
      return left !== null && right !== null && compareValues(left, right, operator) > 0;
    case '<=':
      return left !== null && right !== null && compareValues(left, right, operator) <= 0;
    case '>=':
      return left !== null && right !== null && compareValues(left, right, operator) >= 0;
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(operator, left, right, isDoubleNode(n.left, env) || isDoubleNode(n.right, env));
    default:
      throw new EvaluationFailure(`unsupported operator "${operator}"`);
  }
};

/** Pebble's `contains`: a substring, a list item (every item when given a list), a map key. */
const contains = (container: Value, item: Value): boolean => {
  if (typeof container === 'string') return container.includes(toText(item));
  if (Array.isArray(container)) {
    const wanted = Array.isArray(item) ? item : [item];
    return wanted.every((w) => container.some((c) => deepEqual(c, w)));
  }
  if (isPlainObject(container)) return Object.hasOwn(container, toText(item));
  if (container === null || container === undefined) return false;
  throw new EvaluationFailure(`"contains" expects a list, a map or text, got ${typeOf(container)}`);
};

/** Java's String.valueOf for `+` with text: null is "null". */
const javaText = (value: Value): string => (value === null || value === undefined ? 'null' : toText(value));

/**
 * Pebble's OperatorUtils: `+` with text on either side joins (Java's String.valueOf), `+`/`-` on
 * a list adds or removes items; otherwise numbers, where two whole numbers divide as Java's
 * integers do (`10 / 4` is 2). JSON gives no way to tell 2.0 from 2, so whole numbers count as
 * integers unless written as doubles in the expression itself (`10 / 4.0` is 2.5, see isDoubleNode).
 */
const arithmetic = (operator: '+' | '-' | '*' | '/' | '%', left: Value, right: Value, doubles = false): JsonValue => {
  if (operator === '+' && (typeof left === 'string' || typeof right === 'string')) return javaText(left) + javaText(right);
  if (operator === '+' && Array.isArray(left)) return [...left, ...(Array.isArray(right) ? right : [defined(right, 'right side of +')])];
  if (operator === '-' && Array.isArray(left)) {
    if (Array.isArray(right)) return left.filter((item) => !right.some((r) => deepEqual(item, r)));
    const at = left.findIndex((item) => deepEqual(item, right));
    return at === -1 ? left : [...left.slice(0, at), ...left.slice(at + 1)];
  }
  if (typeof left !== 'number' || typeof right !== 'number') {
    throw new EvaluationFailure(`invalid operands for mathematical operation "${operator}": ${typeOf(left)} and ${typeOf(right)}`);
  }
  // Pebble's OperatorUtils widens to double when either side is one: `10 / 4.0` is 2.5.
  const integers = !doubles && Number.isInteger(left) && Number.isInteger(right);
  // Java's double division by zero gives Infinity, which JSON cannot carry: refused like an integer one.
  if ((operator === '/' || operator === '%') && right === 0) throw new EvaluationFailure('division by zero');
  switch (operator) {
    case '+': return left + right;
    case '-': return left - right;
    case '*': return left * right;
    case '/': return integers ? Math.trunc(left / right) : left / right;
    case '%': return left % right;
  }
};

/**
 * Whether Pebble would hold this operand as a double although JSON cannot tell: a number literal
 * written with a decimal point or an exponent (`4.0`, `1e3`), a variable the context says holds a
 * Java double (a FLOAT input: `inputs.price`, see Env.doubles), or arithmetic over one (`(1.0 + 1) / 2`).
 */
export const isDoubleNode = (node: Node, env?: Env): boolean => {
  switch (node.type) {
    case 'Literal':
      return typeof (node as jsep.Literal).value === 'number' && /[.eE]/.test(String((node as jsep.Literal).raw));
    case 'UnaryExpression':
      return isDoubleNode((node as jsep.UnaryExpression).argument, env);
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      return ['+', '-', '*', '/', '%'].includes(b.operator) && (isDoubleNode(b.left, env) || isDoubleNode(b.right, env));
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      return isDoubleNode(c.consequent, env) && isDoubleNode(c.alternate, env);
    }
    case 'Identifier':
    case 'MemberExpression': {
      if (!env?.doubles || env.doubles.size === 0) return false;
      const path = variablePath(node);
      return path !== undefined && env.doubles.has(path);
    }
    default:
      return false;
  }
};

/** `inputs.price` or `inputs['price']` as the dotted path `inputs.price`; undefined for any other shape. */
const variablePath = (node: Node): string | undefined => {
  if (node.type === 'Identifier') return (node as jsep.Identifier).name;
  if (node.type !== 'MemberExpression') return undefined;
  const m = node as jsep.MemberExpression;
  const object = variablePath(m.object);
  if (object === undefined) return undefined;
  if (!m.computed) return `${object}.${(m.property as jsep.Identifier).name}`;
  const key = m.property as jsep.Literal;
  return key.type === 'Literal' && typeof key.value === 'string' ? `${object}.${key.value}` : undefined;
};

/** `name` or `name(args)` on the right of `|`, `is` or in a call: the name and its argument nodes. */
const invocation = (node: Node): [string | undefined, readonly Node[]] => {
  const n = node as jsep.CoreExpression;
  if (n.type === 'Identifier') return [n.name, []];
  if (n.type === 'CallExpression' && n.callee.type === 'Identifier') return [(n.callee as jsep.Identifier).name, n.arguments];
  return [undefined, []];
};

const applyFilter = (n: jsep.BinaryExpression, env: Env, strict: boolean): Value => {
  const [name, argNodes] = invocation(n.right);
  if (name === undefined) throw new EvaluationFailure(`a filter name is expected after "|", found ${describe(n.right)}`);
  // Own properties only: `x | constructor` must not reach Object.prototype.
  const filter = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
  if (!filter) throw new EvaluationFailure(refusedName('filter', name) ?? `unknown filter "${name}"; available: ${Object.keys(FILTERS).join(', ')}`);
  const input = evaluate(n.left, env, strict && !filter.lenientInput);
  if (input === undefined && !filter.lenientInput) throw new EvaluationFailure(`undefined variable "${describe(n.left)}"`);
  const args = bindArguments(`filter "${name}"`, filter.params ?? [], argNodes, env, strict, evaluate);
  return filter.apply(input, args, env);
};

const applyTest = (n: jsep.BinaryExpression, env: Env): boolean => {
  let right = n.right;
  let negate = n.operator === 'is not';
  if (right.type === 'UnaryExpression' && (right as jsep.UnaryExpression).operator === 'not') {
    right = (right as jsep.UnaryExpression).argument;
    negate = !negate;
  }
  const [name] = right.type === 'Literal' && (right as jsep.Literal).value === null ? ['null'] : invocation(right);
  if (name === undefined) throw new EvaluationFailure(`a test name is expected after "is", found ${describe(right)}`);
  const test = Object.hasOwn(TESTS, name) ? TESTS[name] : undefined;
  if (!test) throw new EvaluationFailure(refusedName('test', name) ?? `unknown test "${name}"; available: ${Object.keys(TESTS).join(', ')}`);
  // Tests see a missing variable as null (`x is defined` is how a flow asks).
  return test(evaluate(n.left, env, false)) !== negate;
};

const call = (n: jsep.CallExpression, env: Env, strict: boolean): Value => {
  const [name, argNodes] = invocation(n);
  const fn = name !== undefined && Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  const macro = fn === undefined && name !== undefined ? env.macro?.(name) : undefined;
  if (macro) return macro.call(bindArguments(`macro "${name}"`, macro.params, argNodes, env, strict, evaluate), env);
  if (!fn) {
    const refused = name === undefined ? undefined : refusedName('function', name);
    if (refused !== undefined) throw new EvaluationFailure(refused);
    throw new EvaluationFailure(
      `unknown function ${name === undefined ? describe(n.callee) : `"${name}"`}; available: ${Object.keys(FUNCTIONS).join(', ')}` +
        ' (filters are written "value | name(...)")',
    );
  }
  if (fn.variadic) {
    const args = Object.fromEntries(argNodes.map((node, i) => [String(i), evaluate(node, env, strict)]));
    return fn.apply(args, env);
  }
  return fn.apply(bindArguments(`function "${name}"`, fn.params, argNodes, env, strict, evaluate), env);
};

/** The source-like text of a node, to name it in messages: `outputs['my-task'].values`. */
export const describe = (node: Node): string => {
  const n = node as jsep.CoreExpression;
  switch (n.type) {
    case 'Identifier':
      return n.name;
    case 'Literal':
      return n.raw;
    case 'MemberExpression': {
      const object = describe(n.object);
      if (!n.computed) return `${object}${n.optional ? '?.' : '.'}${(n.property as jsep.Identifier).name}`;
      return `${object}[${describe(n.property)}]`;
    }
    case 'CallExpression':
      return `${describe(n.callee)}(${n.arguments.map(describe).join(', ')})`;
    default:
      return n.type;
  }
};
