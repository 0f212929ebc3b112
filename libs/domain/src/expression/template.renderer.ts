import type { JsonValue } from '../shared/json.js';
import type { ExpressionContext } from './expression-context.js';
import { EvaluationFailure, ExpressionError } from './expression.error.js';
import { evaluate, isDoubleNode, type Env } from './expression.evaluator.js';
import { javaDoubleText } from './java-double.js';
import { MAX_RANGE_ITEMS } from './expression.functions.js';
import { parseExpression } from './expression.parser.js';
import { seededRandom, type RandomSource } from './expression.random.js';
import { isPlainObject, isTruthyValue, toText, typeOf, type Value } from './expression.values.js';
import { parseTemplate, type TemplateNode } from './template.parser.js';
import type { Node } from './expression.parser.js';

/** The most items one `{% for %}` iterates over, like `range()`. */
export const MAX_LOOP_ITEMS = MAX_RANGE_ITEMS;
/** The most iterations of all the loops of one rendering together (nested loops multiply). */
export const MAX_TEMPLATE_ITERATIONS = 100_000;

type Budget = { iterations: number };
/** The variable holding a `{% filter %}` block's rendered body while its chain applies. */
export const FILTER_BODY = '__filter_body';
type ForNode = Extract<TemplateNode, { kind: 'for' }>;
type MacroNode = Extract<TemplateNode, { kind: 'macro' }>;

/** Evaluates one expression (without braces) against the context. */
export const evaluateExpression = (expression: string, context: ExpressionContext): JsonValue =>
  evaluateIn(expression, envOf(context));

/**
 * Renders Pebble text the way Kestra does: `{{ expr }}` prints (the result is always a string),
 * `{% for %}` (with `loop` and `{% else %}`), `{% if %}{% elseif %}{% else %}`, `{% set %}`,
 * `{% filter %}`, `{% block %}`, `{% raw %}` and `{% verbatim %}`. Loops are bounded, so a template
 * cannot run away.
 */
export const renderTemplate = (template: string, context: ExpressionContext): string => {
  if (!template.includes('{')) return template;
  return renderParsed(parsedTemplate(template), envOf(context));
};

/** How many parsed templates and expressions are kept (a flow's are a few dozen). */
const MAX_PARSED = 2_000;

/**
 * A flow's templates are rendered again for every execution, task and attempt: each text is
 * parsed once and its nodes kept (they are only read, never changed). A text that does not
 * parse is not kept: it throws again, the same error. Oldest first out past MAX_PARSED.
 */
const remembered = <T>(parse: (text: string) => T): ((text: string) => T) => {
  const kept = new Map<string, T>();
  return (text) => {
    let parsed = kept.get(text);
    if (parsed === undefined) {
      parsed = parse(text);
      if (kept.size >= MAX_PARSED) kept.delete(kept.keys().next().value!);
      kept.set(text, parsed);
    }
    return parsed;
  };
};

const parsedTemplate = remembered(parseTemplate);
const parsedExpression = remembered(parseExpression);

/** The most nested macro calls, so that a macro calling itself fails instead of exhausting the stack. */
export const MAX_MACRO_DEPTH = 50;

type Definitions = { blocks: Map<string, readonly TemplateNode[]>; macros: Map<string, MacroNode> };

/**
 * Renders parsed nodes; `block("name")` renders the template's block of that name again, and a
 * macro of the template is called like a function. Definitions of an outer template stay visible.
 */
const renderParsed = (nodes: readonly TemplateNode[], base: Env): string => {
  const defined: Definitions = { blocks: new Map(), macros: new Map() };
  collectDefinitions(nodes, defined);
  const budget: Budget = { iterations: 0 };
  let scopes: Scopes | undefined;
  const env: Env = defined.blocks.size === 0 && defined.macros.size === 0 ? base : withMembers(base, {
    block: (name: string) => {
      const body = defined.blocks.get(name);
      if (body === undefined) {
        if (base.block) return base.block(name);
        throw new EvaluationFailure(`block "${name}" is not defined in this template`);
      }
      return renderNodes(body, scopes!, budget);
    },
    macro: (name: string) => {
      const macro = defined.macros.get(name);
      if (macro === undefined) return base.macro?.(name);
      return { params: macro.params.map((p) => p.name), call: (args, caller) => callMacro(macro, args, caller, env) };
    },
  });
  scopes = new Scopes(env);
  return renderNodes(nodes, scopes, budget);
};

let macroDepth = 0;

/** Pebble's macro call: the body sees its arguments (missing ones null or their default) and `_context`, the caller's variables. */
const callMacro = (macro: MacroNode, args: Readonly<Record<string, Value>>, caller: Env, env: Env): string => {
  if (macroDepth >= MAX_MACRO_DEPTH) throw new EvaluationFailure(`macro "${macro.name}": more than ${MAX_MACRO_DEPTH} nested macro calls`);
  macroDepth++;
  try {
    const scope: Frame = Object.create(null) as Frame;
    for (const param of macro.params) {
      const given = Object.hasOwn(args, param.name) ? args[param.name] : undefined;
      const value = given !== undefined ? given : param.defaultValue !== undefined ? evaluateIn(param.defaultValue, caller) : null;
      define(scope, param.name, value);
    }
    define(scope, '_context', copyDefined(caller.scope) as Value);
    return renderParsed(macro.body, withScope(env, scope));
  } finally {
    macroDepth--;
  }
};

const collectDefinitions = (nodes: readonly TemplateNode[], into: Definitions): void => {
  for (const node of nodes) {
    if (node.kind === 'block') {
      if (!into.blocks.has(node.name)) into.blocks.set(node.name, node.body);
      collectDefinitions(node.body, into);
    } else if (node.kind === 'macro') {
      if (!into.macros.has(node.name)) into.macros.set(node.name, node);
    } else if (node.kind === 'if') {
      for (const branch of node.branches) collectDefinitions(branch.body, into);
      collectDefinitions(node.otherwise, into);
    } else if (node.kind === 'for') {
      collectDefinitions(node.body, into);
      collectDefinitions(node.empty, into);
    } else if (node.kind === 'filter') collectDefinitions(node.body, into);
  }
};

/** Renders every string (keys included, as Kestra does) inside a JSON value; other scalars stay as they are. */
export const renderValue = (value: JsonValue, context: ExpressionContext): JsonValue => {
  if (typeof value === 'string') return renderTemplate(value, context);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, context));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderTemplate(k, context), renderValue(v, context)]));
  }
  return value;
};

/** The context's properties that are not variables: only functions read them. */
const NOT_VARIABLES = ['now', 'errorLogs', 'host', 'randomSeed', 'doubles'];

/**
 * One random source per context object, so that two `uuid()` of one task's properties differ
 * while rendering the same context again (a replay builds it anew) gives the same values.
 */
const randomSources = new WeakMap<ExpressionContext, RandomSource>();

const randomOf = (context: ExpressionContext): RandomSource => {
  let source = randomSources.get(context);
  if (source === undefined) {
    const seed = context.randomSeed
      ?? [context.execution?.id, context.taskrun?.id, context.taskrun?.attemptsCount, context.now].map((p) => p ?? '').join('|');
    source = seededRandom(seed);
    randomSources.set(context, source);
  }
  return source;
};

/** Renders a template against a scope of variables, keeping the context's clock, host and randomness. */
const renderIn = (base: Env) => (template: string, scope: Readonly<Record<string, Value>>): string =>
  renderParsed(parsedTemplate(template), withScope(base, scope));

/** `base` with other members (the descriptors of both, so getters stay getters). */
const withMembers = (base: Env, members: Partial<Env>): Env =>
  Object.defineProperties(copyDefined(base), Object.getOwnPropertyDescriptors(members)) as unknown as Env;

/** `base` with another scope: the other members are copied as defined (errorLogs is a getter). */
const withScope = (base: Env, scope: Readonly<Record<string, Value>>): Env => {
  const env = copyDefined(base, ['scope']) as unknown as Env & { scope: Readonly<Record<string, Value>> };
  Object.defineProperty(env, 'scope', { value: scope, enumerable: true });
  return env;
};

/**
 * The environment of a context, built once per context object: a task's properties are many
 * strings rendered against one context (expressionContextOf builds one per task run and attempt),
 * and building it copies every property of the context. A context that gained a property since
 * (attempts.ts adds `workerTaskrun` before rendering) gets a new one.
 */
const envs = new WeakMap<ExpressionContext, { readonly env: Env; readonly properties: number }>();

const envOf = (context: ExpressionContext): Env => {
  const properties = Reflect.ownKeys(context).length;
  const kept = envs.get(context);
  if (kept !== undefined && kept.properties === properties) return kept.env;
  const env = newEnvOf(context);
  envs.set(context, { env, properties });
  return env;
};

const newEnvOf = (context: ExpressionContext): Env => {
  const env: Env = {
    scope: copyDefined(context, NOT_VARIABLES),
    now: context.now,
    host: context.host,
    // Looked up when a function draws (uuid(), randomInt()...), which few templates do: its seed
    // is the context's ids and clock, the same whenever it is made.
    get random() { return randomOf(context); },
    get errorLogs() { return context.errorLogs; },
    ...(context.doubles !== undefined && context.doubles.length > 0 ? { doubles: new Set(context.doubles) } : {}),
    render: (template, scope) => renderIn(env)(template, scope),
  };
  return env;
};

/**
 * The properties of `source` but `omit`, copied as defined, not by value: a context's costly parts
 * (`outputs`, `errorLogs`) are getters computed when an expression reads them (see expressionContextOf).
 */
const copyDefined = (source: object, omit: readonly string[] = []): Record<string, Value> => {
  const copy: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(source)) {
    if (typeof key === 'string' && omit.includes(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(source, key)!;
    // A plain data property is assigned: the copy stays a fast object (defineProperties made a
    // slow one, and most of a template environment's cost). Getters and anything not plain, and
    // `__proto__` (an assignment would set the prototype), keep their exact descriptor.
    if (isPlainData(descriptor) && key !== '__proto__') copy[key] = descriptor.value;
    else Object.defineProperty(copy, key, descriptor);
  }
  return copy as Record<string, Value>;
};

const isPlainData = (d: PropertyDescriptor): boolean => d.writable === true && d.enumerable === true && d.configurable === true;

const evaluateIn = (expression: string, env: Env, fragment?: string): JsonValue => evaluateParsed(expression, env, fragment).value;

/** The value of an expression and its parsed tree (printIn asks the tree whether it is a double). */
const evaluateParsed = (expression: string, env: Env, fragment?: string): { value: JsonValue; tree: Node } => {
  if (expression === '') throw new ExpressionError(expression, 'empty expression', fragment);
  try {
    const tree = parsedExpression(expression);
    const value: Value = evaluate(tree, env);
    return { value: value === undefined ? null : value, tree };
  } catch (error) {
    if (error instanceof EvaluationFailure) throw new ExpressionError(expression, error.reason, fragment);
    throw error;
  }
};

/**
 * `{{ expression }}` as Pebble prints it: a double (a literal `5.0`, `10 / 2.0`, a FLOAT input) as
 * Java's Double.toString (`5.0`, `1.0E7`), whatever JSON kept of it; anything else as toText.
 */
const printIn = (expression: string, env: Env): string => {
  const { value, tree } = evaluateParsed(expression, env);
  return typeof value === 'number' && isDoubleNode(tree, env) ? javaDoubleText(value) : toText(value);
};

const renderNodes = (nodes: readonly TemplateNode[], scopes: Scopes, budget: Budget): string => {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'print':
        out += printIn(node.expression, scopes.env());
        break;
      case 'set':
        scopes.set(node.variable, evaluateIn(node.expression, scopes.env(), `{% set ${node.variable} = ${node.expression} %}`));
        break;
      case 'if': {
        const branch = node.branches.find((b) => isTruthyValue(evaluateIn(b.condition, scopes.env(), `{% if ${b.condition} %}`)));
        out += renderNodes(branch?.body ?? node.otherwise, scopes, budget);
        break;
      }
      case 'for':
        out += renderLoop(node, scopes, budget);
        break;
      case 'block':
        out += renderNodes(node.body, scopes, budget);
        break;
      case 'macro':
        break;
      case 'filter': {
        const body = renderNodes(node.body, scopes, budget);
        scopes.push();
        scopes.put(FILTER_BODY, body);
        out += toText(evaluateIn(`${FILTER_BODY} | ${node.chain}`, scopes.env(), node.source));
        scopes.pop();
        break;
      }
    }
  }
  return out;
};

/** Like Pebble's for: one scope for the whole loop, holding the loop variable and `loop`. */
const renderLoop = (node: ForNode, scopes: Scopes, budget: Budget): string => {
  const items = itemsOf(evaluateIn(node.iterable, scopes.env(), node.source), node);
  if (items.length === 0) return renderNodes(node.empty, scopes, budget);
  if (items.length > MAX_LOOP_ITEMS) {
    throw new ExpressionError(node.iterable, `a loop iterates over at most ${MAX_LOOP_ITEMS} items, got ${items.length}`, node.source);
  }
  let out = '';
  scopes.push();
  items.forEach((item, index) => {
    if (++budget.iterations > MAX_TEMPLATE_ITERATIONS) {
      throw new ExpressionError(node.iterable, `the loops of one template iterate at most ${MAX_TEMPLATE_ITERATIONS} times in all`, node.source);
    }
    scopes.put('loop', { index, length: items.length, first: index === 0, last: index === items.length - 1, revindex: items.length - 1 - index });
    scopes.put(node.variable, item);
    out += renderNodes(node.body, scopes, budget);
  });
  scopes.pop();
  return out;
};

/** Lists iterate over their items, maps over `{ key, value }` entries (Pebble's Map.Entry), null over nothing. */
const itemsOf = (value: JsonValue, node: ForNode): readonly JsonValue[] => {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  throw new ExpressionError(node.iterable, `cannot iterate over a ${typeOf(value)}`, node.source);
};

type Frame = Record<string, Value>;

/**
 * Pebble's scope chain over the context's variables: a loop pushes a scope; `set` updates the
 * nearest scope that has the variable, else adds it to the current one. Properties are defined
 * (never assigned), so a name such as `__proto__` stays plain data.
 */
class Scopes {
  /** The outermost frame stands for the context itself: setting a context variable shadows it there. */
  private readonly frames: Frame[] = [Object.create(null) as Frame];
  private flat: Env | undefined;

  constructor(private readonly base: Env) {}

  env(): Env {
    if (this.flat === undefined) {
      // Nothing set or looped yet (most templates): the variables are the context's as they are.
      if (this.frames.every(isEmptyFrame)) return (this.flat = this.base);
      const scope: Frame = copyDefined(this.base.scope);
      for (const frame of this.frames) for (const [name, value] of Object.entries(frame)) define(scope, name, value);
      this.flat = withScope(this.base, scope);
    }
    return this.flat;
  }

  push(): void {
    this.frames.push(Object.create(null) as Frame);
  }

  pop(): void {
    this.frames.pop();
    this.flat = undefined;
  }

  put(name: string, value: JsonValue): void {
    define(this.frames[this.frames.length - 1]!, name, value);
    this.flat = undefined;
  }

  set(name: string, value: JsonValue): void {
    const owner = [...this.frames].reverse().find((frame) => Object.hasOwn(frame, name))
      ?? (Object.hasOwn(this.base.scope, name) ? this.frames[0]! : this.frames[this.frames.length - 1]!);
    define(owner, name, value);
    this.flat = undefined;
  }
}

const isEmptyFrame = (frame: Frame): boolean => {
  for (const _ in frame) return false;
  return true;
};

const define = (target: Frame, name: string, value: Value): void => {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
};
