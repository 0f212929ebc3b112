import type jsep from 'jsep';
import type { JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';
import { FILTERS } from './expression.filters.js';
import type { Node } from './expression.parser.js';
import { deepEqual, expectNumber, isPlainObject, isTruthy, toText, typeOf, type Value } from './expression.values.js';

/**
 * A small, safe evaluator over jsep's syntax tree. It reads only own properties of plain
 * objects and arrays (no prototype, no `constructor`), calls nothing but the filters of
 * ./expression.filters.ts, and cannot assign. `strict` decides what a missing variable does:
 * fail (the default, like Kestra's strict Pebble) or yield `undefined` (left of `??`, input of
 * `default`, after `?.`).
 */
export const evaluate = (node: Node, scope: Readonly<Record<string, Value>>, strict = true): Value => {
  const n = node as jsep.CoreExpression;
  switch (n.type) {
    case 'Literal':
      if (n.value instanceof RegExp) throw new EvaluationFailure('regular expressions are not supported');
      return n.value;
    case 'Identifier':
      return lookup(scope, n.name, n.name, strict);
    case 'MemberExpression':
      return member(n, scope, strict);
    case 'ArrayExpression':
      return n.elements.map((e) => {
        if (e === null) throw new EvaluationFailure('empty list element');
        return defined(evaluate(e, scope, strict), describe(e));
      });
    case 'UnaryExpression':
      return unary(n.operator, evaluate(n.argument, scope, strict));
    case 'BinaryExpression':
      return binary(n, scope, strict);
    case 'ConditionalExpression':
      return isTruthy(evaluate(n.test, scope, strict)) ? evaluate(n.consequent, scope, strict) : evaluate(n.alternate, scope, strict);
    case 'CallExpression':
      throw new EvaluationFailure(`functions are not supported (${describe(n.callee)}(...)); filters are written "value | name(...)"`);
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

const member = (n: jsep.MemberExpression, scope: Readonly<Record<string, Value>>, strict: boolean): Value => {
  const object = evaluate(n.object, scope, strict && !n.optional);
  const key = n.computed ? evaluate(n.property, scope, true) : (n.property as jsep.Identifier).name;
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
    if (typeof key !== 'string' && typeof key !== 'number') {
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
      return !isTruthy(value);
    case '-':
      return -expectNumber(value, 'unary -');
    case '+':
      return expectNumber(value, 'unary +');
    default:
      throw new EvaluationFailure(`unsupported operator "${operator}"`);
  }
};

const binary = (n: jsep.BinaryExpression, scope: Readonly<Record<string, Value>>, strict: boolean): Value => {
  const { operator } = n;
  if (operator === '|') return applyFilter(n, scope, strict);
  if (operator === '??') {
    const left = evaluate(n.left, scope, false);
    return left === undefined || left === null ? evaluate(n.right, scope, strict) : left;
  }
  const left = evaluate(n.left, scope, strict);
  // `and`/`or` short-circuit like Pebble's, and yield booleans.
  if (operator === 'and' || operator === '&&') return isTruthy(left) && isTruthy(evaluate(n.right, scope, strict));
  if (operator === 'or' || operator === '||') return isTruthy(left) || isTruthy(evaluate(n.right, scope, strict));
  const right = evaluate(n.right, scope, strict);
  switch (operator) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '~':
      return toText(left) + toText(right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(operator, left, right);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(operator, left, right);
    default:
      throw new EvaluationFailure(`unsupported operator "${operator}"`);
  }
};

const compare = (operator: '<' | '>' | '<=' | '>=', left: Value, right: Value): boolean => {
  const bothNumbers = typeof left === 'number' && typeof right === 'number';
  const bothStrings = typeof left === 'string' && typeof right === 'string';
  if (!bothNumbers && !bothStrings) {
    throw new EvaluationFailure(`cannot compare ${typeOf(left)} ${operator} ${typeOf(right)}`);
  }
  const [a, b] = [left as number | string, right as number | string];
  return operator === '<' ? a < b : operator === '>' ? a > b : operator === '<=' ? a <= b : a >= b;
};

const arithmetic = (operator: '+' | '-' | '*' | '/' | '%', left: Value, right: Value): number => {
  if (typeof left !== 'number' || typeof right !== 'number') {
    const hint = operator === '+' ? ' (use ~ to join text)' : '';
    throw new EvaluationFailure(`operator "${operator}" expects numbers, got ${typeOf(left)} and ${typeOf(right)}${hint}`);
  }
  if ((operator === '/' || operator === '%') && right === 0) throw new EvaluationFailure('division by zero');
  switch (operator) {
    case '+': return left + right;
    case '-': return left - right;
    case '*': return left * right;
    case '/': return left / right;
    case '%': return left % right;
  }
};

const applyFilter = (n: jsep.BinaryExpression, scope: Readonly<Record<string, Value>>, strict: boolean): Value => {
  const call = n.right as jsep.CoreExpression;
  const [name, argNodes] =
    call.type === 'Identifier'
      ? [call.name, []]
      : call.type === 'CallExpression' && call.callee.type === 'Identifier'
        ? [(call.callee as jsep.Identifier).name, call.arguments]
        : [undefined, []];
  if (name === undefined) throw new EvaluationFailure(`a filter name is expected after "|", found ${describe(n.right)}`);
  // Own properties only: `x | constructor` must not reach Object.prototype.
  const filter = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
  if (!filter) throw new EvaluationFailure(`unknown filter "${name}"; available: ${Object.keys(FILTERS).join(', ')}`);
  const input = evaluate(n.left, scope, strict && !filter.lenientInput);
  const args = argNodes.map((a) => evaluate(a, scope, strict));
  if (input === undefined && !filter.lenientInput) throw new EvaluationFailure(`undefined variable "${describe(n.left)}"`);
  return filter.apply(input, args);
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
