import jq from '@michaelhomer/jqjs';
import type { JsonValue } from '../shared/json.js';
import { EvaluationFailure } from './expression.error.js';
import type { Filter } from './expression.callables.js';
import { toText, typeOf } from './expression.values.js';

/**
 * Kestra's `jq` filter (jackson-jq, jq 1.6): the input (text is parsed as JSON first) goes
 * through the program and every result is collected into a list — `| first` takes the one value.
 * Runs on jqjs, a pure-JS jq. Refused: the regular-expression builtins (jqjs runs them on
 * JavaScript's backtracking engine, which a pattern can stall — issue 18), and what would read
 * the machine (`now`, `input`, `inputs`, `env`, `$ENV`, `input_filename`).
 */
// jqjs names a call `name/arity`, a variable `$name` by its bare name.
const REFUSED = /^((test|match|capture|scan|splits|sub|gsub|now|input|inputs|env|input_filename)\/\d+|split\/2|ENV)$/;
const MAX_RESULTS = 100_000;
/**
 * Values one evaluation may pass between the nodes of its program. jqjs runs on the caller's thread,
 * so `last(range(1e10))` would hold the executor for hours (issue 18: one flow must not stall the
 * others); a million steps is far beyond what a property's jq needs and ends in well under a second.
 */
export const MAX_JQ_STEPS = 1_000_000;
let steps = 0;

class JqStepLimit extends Error {}

/**
 * Makes every node of the program count the values it yields: the evaluation (synchronous, so one
 * counter serves) stops past MAX_JQ_STEPS. Each node once: programs are cached.
 */
const counted = (node: unknown, seen = new Set<unknown>(), depth = 0): void => {
  if (depth > 500 || node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  const apply = (node as { apply?: unknown }).apply;
  if (typeof apply === 'function') {
    Object.defineProperty(node, 'apply', {
      value: function* (this: unknown, ...args: unknown[]) {
        for (const value of apply.apply(this, args) as Iterable<unknown>) {
          if (++steps > MAX_JQ_STEPS) throw new JqStepLimit();
          yield value;
        }
      },
    });
  }
  for (const value of Object.values(node as Record<string, unknown>)) counted(value, seen, depth + 1);
};

const compiled = new Map<string, ReturnType<typeof jq.compile>>();

/** The names of the functions and variables a jq syntax tree calls. */
const namesIn = (node: unknown, out: Set<string>, depth = 0): Set<string> => {
  if (depth > 500 || node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if ((key === 'name' || key === 'variable') && typeof value === 'string') out.add(value);
    else namesIn(value, out, depth + 1);
  }
  return out;
};

const compile = (program: string): ReturnType<typeof jq.compile> => {
  const hit = compiled.get(program);
  if (hit) return hit;
  let filter: ReturnType<typeof jq.compile>;
  try {
    filter = jq.compile(program);
  } catch (error) {
    throw new EvaluationFailure(`filter "jq": cannot parse "${program}": ${messageOf(error)}`);
  }
  for (const name of namesIn(filter.ast, new Set())) {
    if (REFUSED.test(name)) {
      throw new EvaluationFailure(
        `filter "jq": "${name.replace(/\/\d+$/, '')}" is not supported in Chronicle's jq (regular expressions and machine reads are refused)`,
      );
    }
  }
  counted(filter.ast);
  if (compiled.size > 256) compiled.clear();
  compiled.set(program, filter);
  return filter;
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);

export const jqFilter: Filter = {
  params: ['expression'],
  apply: (input, { expression }) => {
    if (input === null) return null;
    if (expression === undefined) throw new EvaluationFailure("The 'jq' filter expects an argument 'expression'.");
    if (typeof expression !== 'string') throw new EvaluationFailure(`filter "jq": the expression must be text, got ${typeOf(expression)}`);
    let data: JsonValue = input as JsonValue;
    if (typeof input === 'string') {
      try {
        data = JSON.parse(input) as JsonValue;
      } catch (error) {
        throw new EvaluationFailure(`filter "jq": unable to parse the jq value '${input}' as JSON: ${messageOf(error)}`);
      }
    }
    const filter = compile(expression);
    const out: JsonValue[] = [];
    steps = 0;
    try {
      for (const result of filter(data)) {
        if (out.length >= MAX_RESULTS) throw new EvaluationFailure(`filter "jq": more than ${MAX_RESULTS} results`);
        out.push(result === undefined ? null : (result as JsonValue));
      }
    } catch (error) {
      if (error instanceof EvaluationFailure) throw error;
      if (error instanceof JqStepLimit) throw new EvaluationFailure(`filter "jq": '${expression}' took more than ${MAX_JQ_STEPS} steps; jq in expressions is for picking and reshaping values, not for long loops`);
      throw new EvaluationFailure(`filter "jq": failed to resolve JQ expression '${expression}' and value '${toText(input as JsonValue)}': ${messageOf(error)}`);
    }
    return out;
  },
};
