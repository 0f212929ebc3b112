import jsep from 'jsep';
import { EvaluationFailure } from './expression.error.js';

/**
 * jsep, configured for Pebble's grammar as Kestra uses it. jsep's configuration is global to the
 * module; nothing else in Chronicle uses jsep, and these settings are applied once when this
 * module loads.
 *
 * Precedence follows Pebble's operator table (higher binds tighter), so flows written for Kestra
 * group the same way: `or` 10, `and` 15, `is`/`is not`/`contains`/`in` 20, comparisons and
 * `equals` 30, `+ -` 40, `* / %` 60, `|` filter 100, `~` 110, `??`/`???` 120 (Kestra's). So
 * `"a" ~ name | upper` upper-cases the whole text and `count | length > 0` compares the length.
 * Pebble's `not` takes everything that follows up to the ternary (`not a or b` is `not (a or b)`).
 * `=` only exists for named arguments: `date("yyyy", timeZone="UTC")`.
 */
for (const op of Object.keys(jsep.binary_ops)) jsep.removeBinaryOp(op);
for (const op of ['~', 'not']) jsep.removeUnaryOp(op);
const PRECEDENCE: Readonly<Record<string, number>> = {
  '=': 0.5,
  or: 1, '||': 1,
  and: 2, '&&': 2,
  is: 3, 'is not': 3, contains: 3, in: 3,
  '==': 4, equals: 4, '!=': 4, '<': 4, '>': 4, '<=': 4, '>=': 4,
  '+': 5, '-': 5,
  '*': 6, '/': 6, '%': 6,
  '|': 7,
  '~': 8,
  '??': 9, '???': 9,
};
/**
 * Pebble's range operator `..` (precedence 120). jsep reads `1..3` as the number `1.` and `a..b`
 * as a member access, so `..` outside quotes is rewritten to this character before parsing.
 */
export const RANGE_OPERATOR = '\u2025';
jsep.addBinaryOp(RANGE_OPERATOR, 9);
for (const [op, precedence] of Object.entries(PRECEDENCE)) jsep.addBinaryOp(op, precedence);
jsep.addLiteral('none', null);

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COLON = 58;
const COMMA = 44;

/** The one node type Chronicle adds to jsep's: Pebble's map literal `{"a": 1, "b": x}`. */
export interface MapExpression extends jsep.Expression {
  readonly type: 'MapExpression';
  readonly entries: readonly { readonly key: jsep.Expression; readonly value: jsep.Expression }[];
}

const startsWithWord = (scope: jsep.HookScope, word: string): boolean =>
  scope.expr.startsWith(word, scope.index) && !/^[\w$]/.test(scope.expr.slice(scope.index + word.length, scope.index + word.length + 1));

/** The current character code, read through a function so that TypeScript does not narrow it across `index` moves. */
const codeAt = (scope: jsep.HookScope): number => scope.code;

jsep.hooks.add('gobble-token', function notOperator(this: jsep.HookScope, env) {
  if (!startsWithWord(this, 'not')) return;
  const before = this.expr.slice(0, this.index).trimEnd();
  this.index += 3;
  // After `is` the `not` negates the test only (`x is  not defined and y`); elsewhere it is Pebble's loose `not`.
  const argument = /(^|[^\w$])is$/.test(before) ? this.gobbleToken() : this.gobbleBinaryExpression();
  if (!argument) this.throwError('missing expression after "not"');
  env.node = { type: 'UnaryExpression', operator: 'not', argument, prefix: true } as jsep.UnaryExpression;
});

jsep.hooks.add('gobble-token', function mapLiteral(this: jsep.HookScope, env) {
  if (this.code !== OPEN_BRACE) return;
  this.index++;
  const entries: { key: jsep.Expression; value: jsep.Expression }[] = [];
  for (;;) {
    this.gobbleSpaces();
    if (codeAt(this) === CLOSE_BRACE) break;
    if (entries.length > 0) {
      if (codeAt(this) !== COMMA) this.throwError('expected "," or "}" in a map');
      this.index++;
      this.gobbleSpaces();
    }
    const key = this.gobbleToken();
    if (!key) this.throwError('expected a map key');
    this.gobbleSpaces();
    if (codeAt(this) !== COLON) this.throwError('expected ":" after a map key');
    this.index++;
    const value = this.gobbleExpression();
    if (!value) this.throwError('expected a map value');
    entries.push({ key, value });
  }
  this.index++;
  env.node = this.gobbleTokenProperty({ type: 'MapExpression', entries } as MapExpression);
});

export type Node = jsep.Expression;

/**
 * Pebble parses the right side of `|` as a filter call only, and what follows applies to the
 * filtered value: `x | upper ~ "!"` is `(x | upper) ~ "!"`. jsep's precedence climbing makes it
 * `x | (upper ~ "!")` when the next operator binds tighter (`~`, `??`); this rotates it back.
 */
const regroupFilters = (node: Node): Node => {
  switch (node.type) {
    case 'BinaryExpression': {
      const n = node as jsep.BinaryExpression;
      const left = regroupFilters(n.left);
      const right = regroupFilters(n.right);
      if (n.operator === '|' && right.type === 'BinaryExpression') return pushFilterDown(left, right as jsep.BinaryExpression);
      return { ...n, left, right } as jsep.BinaryExpression;
    }
    case 'UnaryExpression':
      return { ...node, argument: regroupFilters((node as jsep.UnaryExpression).argument) } as Node;
    case 'ConditionalExpression': {
      const n = node as jsep.ConditionalExpression;
      return { ...n, test: regroupFilters(n.test), consequent: regroupFilters(n.consequent), alternate: regroupFilters(n.alternate) };
    }
    case 'ArrayExpression':
      return { ...node, elements: (node as jsep.ArrayExpression).elements.map((e) => e && regroupFilters(e)) } as Node;
    case 'CallExpression':
      return { ...node, arguments: (node as jsep.CallExpression).arguments.map(regroupFilters) } as Node;
    case 'MemberExpression': {
      const n = node as jsep.MemberExpression;
      return { ...n, object: regroupFilters(n.object), property: n.computed ? regroupFilters(n.property) : n.property };
    }
    case 'MapExpression':
      return {
        ...node,
        entries: (node as MapExpression).entries.map((e) => ({ key: regroupFilters(e.key), value: regroupFilters(e.value) })),
      } as Node;
    default:
      return node;
  }
};

const pushFilterDown = (input: Node, right: jsep.BinaryExpression): Node => {
  const left: Node = right.left.type === 'BinaryExpression' && (right.left as jsep.BinaryExpression).operator !== '|'
    ? pushFilterDown(input, right.left as jsep.BinaryExpression)
    : ({ type: 'BinaryExpression', operator: '|', left: input, right: right.left } as jsep.BinaryExpression);
  return { ...right, left } as jsep.BinaryExpression;
};

/** `..` outside quoted text becomes RANGE_OPERATOR, spaced so that neither side reads it as a dot. */
const rewriteRanges = (expression: string): string => {
  if (!expression.includes('..')) return expression;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += expression[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === '.' && expression[i + 1] === '.') {
      out += ` ${RANGE_OPERATOR} `;
      i++;
    } else out += c;
  }
  return out;
};

/** Parses one expression (the text between `{{` and `}}`); throws EvaluationFailure. */
export const parseExpression = (expression: string): Node => {
  let tree: Node;
  try {
    tree = jsep(rewriteRanges(expression));
  } catch (error) {
    const { description, index } = error as { description?: string; index?: number };
    throw new EvaluationFailure(
      `syntax error: ${description ?? (error as Error).message}${index !== undefined ? ` at character ${index + 1}` : ''}`,
    );
  }
  return regroupFilters(tree);
};
