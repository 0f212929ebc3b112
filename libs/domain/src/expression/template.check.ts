import type jsep from 'jsep';
import { EvaluationFailure, ExpressionError } from './expression.error.js';
import { FILTERS } from './expression.filters.js';
import { FUNCTIONS } from './expression.functions.js';
import { parseExpression, type MapExpression, type Node } from './expression.parser.js';
import { refusedName } from './expression.refused-names.js';
import { TESTS } from './expression.tests.js';
import { parseTemplate, type TemplateNode } from './template.parser.js';
import { FILTER_BODY } from './template.renderer.js';

/**
 * The deploy-time check of Pebble text: what Pebble's parser refuses when it compiles a template
 * (a syntax error, an unclosed tag, an unknown filter, function or test) is found before a flow
 * runs. Undefined variables are a run-time matter (strict variables), not checked here.
 */
export const templateProblem = (text: string): string | undefined => {
  if (!/\{[{%#]/.test(text)) return undefined;
  try {
    const nodes = parseTemplate(text);
    const macros = new Set(macroNames(nodes));
    for (const expression of expressionsOf(nodes)) {
      const problem = expressionProblem(expression, macros);
      if (problem !== undefined) return `expression "{{ ${expression} }}" is invalid: ${problem}`;
    }
  } catch (error) {
    if (error instanceof ExpressionError) return `invalid template: ${error.message.replace(/^cannot render /, '')}`;
    throw error;
  }
  return undefined;
};

/**
 * Reports every string of a flow value (keys included, as they are rendered too) whose Pebble
 * does not parse, at its path. `description` properties are never rendered by Kestra and are skipped.
 */
export const reportTemplateProblems = (
  value: unknown,
  at: readonly (string | number)[],
  report: (path: (string | number)[], message: string) => void,
): void => {
  if (typeof value === 'string') {
    const problem = templateProblem(value);
    if (problem !== undefined) report([...at], problem);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => reportTemplateProblems(item, [...at, i], report));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'description') continue;
      const keyProblem = templateProblem(key);
      if (keyProblem !== undefined) report([...at, key], keyProblem);
      reportTemplateProblems(item, [...at, key], report);
    }
  }
};

const expressionsOf = (nodes: readonly TemplateNode[]): string[] =>
  nodes.flatMap((node): string[] => {
    switch (node.kind) {
      case 'text': return [];
      case 'print':
      case 'set': return [node.expression];
      case 'if': return [...node.branches.flatMap((b) => [b.condition, ...expressionsOf(b.body)]), ...expressionsOf(node.otherwise)];
      case 'for': return [node.iterable, ...expressionsOf(node.body), ...expressionsOf(node.empty)];
      case 'filter': return [`${FILTER_BODY} | ${node.chain}`, ...expressionsOf(node.body)];
      case 'block': return expressionsOf(node.body);
      case 'macro': return [...node.params.flatMap((p) => (p.defaultValue === undefined ? [] : [p.defaultValue])), ...expressionsOf(node.body)];
    }
  });

/** The macros a template defines, at any depth: they are called like functions. */
const macroNames = (nodes: readonly TemplateNode[]): string[] =>
  nodes.flatMap((node): string[] => {
    switch (node.kind) {
      case 'macro': return [node.name, ...macroNames(node.body)];
      case 'if': return [...node.branches.flatMap((b) => macroNames(b.body)), ...macroNames(node.otherwise)];
      case 'for': return [...macroNames(node.body), ...macroNames(node.empty)];
      case 'block':
      case 'filter': return macroNames(node.body);
      default: return [];
    }
  });

const expressionProblem = (expression: string, macros: ReadonlySet<string>): string | undefined => {
  if (expression === '') return 'empty expression';
  try {
    return namesProblem(parseExpression(expression), macros);
  } catch (error) {
    if (error instanceof EvaluationFailure) return error.reason;
    throw error;
  }
};

const nameOf = (node: Node): string | undefined => {
  if (node.type === 'Identifier') return (node as jsep.Identifier).name;
  const call = node as jsep.CallExpression;
  if (node.type === 'CallExpression' && call.callee.type === 'Identifier') return (call.callee as jsep.Identifier).name;
  return undefined;
};

/** The first unknown filter, function or test in the tree. */
const namesProblem = (node: Node, macros: ReadonlySet<string>): string | undefined => {
  const n = node as jsep.CoreExpression;
  switch (n.type) {
    case 'BinaryExpression': {
      if (n.operator === '|') {
        const name = nameOf(n.right);
        if (name === undefined) return `a filter name is expected after "|"`;
        if (!Object.hasOwn(FILTERS, name)) return refusedName('filter', name) ?? `unknown filter "${name}"`;
        const args = n.right.type === 'CallExpression' ? (n.right as jsep.CallExpression).arguments : [];
        return namesProblem(n.left, macros) ?? first(args.map(argumentOf), macros);
      }
      if (n.operator === 'is' || n.operator === 'is not') {
        let right = n.right;
        if (right.type === 'UnaryExpression' && (right as jsep.UnaryExpression).operator === 'not') right = (right as jsep.UnaryExpression).argument;
        const name = right.type === 'Literal' && (right as jsep.Literal).value === null ? 'null' : nameOf(right);
        if (name === undefined) return 'a test name is expected after "is"';
        if (!Object.hasOwn(TESTS, name)) return refusedName('test', name) ?? `unknown test "${name}"`;
        return namesProblem(n.left, macros);
      }
      return namesProblem(n.left, macros) ?? namesProblem(n.right, macros);
    }
    case 'CallExpression': {
      const name = nameOf(n);
      if (name === undefined || (!Object.hasOwn(FUNCTIONS, name) && !macros.has(name))) {
        return (name === undefined ? undefined : refusedName('function', name)) ?? `unknown function "${name ?? 'expression'}"`;
      }
      return first(n.arguments.map(argumentOf), macros);
    }
    case 'UnaryExpression': return namesProblem(n.argument, macros);
    case 'ConditionalExpression': return namesProblem(n.test, macros) ?? namesProblem(n.consequent, macros) ?? namesProblem(n.alternate, macros);
    case 'MemberExpression': return namesProblem(n.object, macros) ?? (n.computed ? namesProblem(n.property, macros) : undefined);
    case 'ArrayExpression': return first(n.elements.map((e) => e ?? undefined), macros);
    default:
      if ((node as MapExpression).type === 'MapExpression') return first((node as MapExpression).entries.map((e) => e.value), macros);
      return undefined;
  }
};

/** A named argument `name=value` is checked by its value. */
const argumentOf = (node: Node): Node => {
  const binary = node as jsep.BinaryExpression;
  return node.type === 'BinaryExpression' && binary.operator === '=' ? binary.right : node;
};

const first = (nodes: readonly (Node | undefined)[], macros: ReadonlySet<string>): string | undefined => {
  for (const node of nodes) {
    const problem = node === undefined ? undefined : namesProblem(node, macros);
    if (problem !== undefined) return problem;
  }
  return undefined;
};
