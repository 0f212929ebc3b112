import type jsep from 'jsep';
import { EvaluationFailure } from './expression.error.js';
import type { Node } from './expression.parser.js';
import type { Value } from './expression.values.js';
import type { JsonObject } from '../shared/json.js';
import type { ExpressionHost } from './expression-host.js';
import type { RandomSource } from './expression.random.js';

/** What an expression is evaluated against: the variables, and what functions read besides them. */
export interface Env {
  readonly scope: Readonly<Record<string, Value>>;
  /** Answers the functions that need I/O (`kv()`, `read()`...). */
  readonly host?: ExpressionHost;
  /** Draws for `uuid()`, `id()`, `randomInt()`; see expression.random.ts. */
  readonly random: RandomSource;
  /** Renders Pebble text against `scope` (for `render()`), supplied by the renderer. */
  readonly render: (template: string, scope: Readonly<Record<string, Value>>) => string;
  /** Renders the current template's `{% block name %}` again, for `block("name")`. */
  readonly block?: (name: string) => string;
  /** A `{% macro %}` of the current template, called like a function. */
  readonly macro?: (name: string) => { readonly params: readonly string[]; readonly call: (args: Args, caller: Env) => string } | undefined;
  /** ISO-8601 instant; the domain has no clock of its own. */
  readonly now?: string;
  /** What `errorLogs()` returns (see ExpressionContext.errorLogs). */
  readonly errorLogs?: readonly JsonObject[];
  /** Variable paths holding Java doubles (ExpressionContext.doubles): they divide and print as doubles. */
  readonly doubles?: ReadonlySet<string>;
}

export type Evaluate = (node: Node, env: Env, strict?: boolean) => Value;

/** Arguments by parameter name; positional ones take the names in declaration order, like Pebble's. */
export type Args = Readonly<Record<string, Value>>;

/**
 * Binds `f(a, b, name=c)` to the declared parameter names. Positional arguments come first;
 * a named one must be declared and given once.
 */
export const bindArguments = (
  what: string,
  params: readonly string[],
  nodes: readonly Node[],
  env: Env,
  strict: boolean,
  evaluate: Evaluate,
): Args => {
  const args: Record<string, Value> = Object.create(null) as Record<string, Value>;
  let named = false;
  nodes.forEach((node, index) => {
    const binary = node as jsep.BinaryExpression;
    if (node.type === 'BinaryExpression' && binary.operator === '=') {
      if (binary.left.type !== 'Identifier') throw new EvaluationFailure(`${what}: an argument name is expected before "="`);
      const name = (binary.left as jsep.Identifier).name;
      if (!params.includes(name)) {
        throw new EvaluationFailure(`${what} has no argument "${name}"${params.length ? `; arguments: ${params.join(', ')}` : ''}`);
      }
      if (Object.hasOwn(args, name)) throw new EvaluationFailure(`${what}: argument "${name}" given twice`);
      args[name] = evaluate(binary.right, env, strict);
      named = true;
      return;
    }
    if (named) throw new EvaluationFailure(`${what}: positional arguments must come before named ones`);
    if (index >= params.length) {
      throw new EvaluationFailure(`${what} takes at most ${params.length} argument${params.length === 1 ? '' : 's'}, got ${nodes.length}`);
    }
    args[params[index]] = evaluate(node, env, strict);
  });
  return args;
};
