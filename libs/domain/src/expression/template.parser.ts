import { ExpressionError } from './expression.error.js';
import { lexTemplate, type TemplateToken } from './template.lexer.js';

/** A parsed Pebble template: the tags Kestra flows use (`for`, `if`, `set`, `filter`, `block`, `macro`, `raw`). */
export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'print'; readonly expression: string }
  | {
      readonly kind: 'for';
      readonly variable: string;
      readonly iterable: string;
      readonly body: readonly TemplateNode[];
      /** `{% else %}` inside a for: rendered when there is nothing to iterate over. */
      readonly empty: readonly TemplateNode[];
      readonly source: string;
    }
  | {
      readonly kind: 'if';
      readonly branches: readonly { readonly condition: string; readonly body: readonly TemplateNode[] }[];
      readonly otherwise: readonly TemplateNode[];
    }
  | { readonly kind: 'set'; readonly variable: string; readonly expression: string }
  /** `{% macro name(a, b="x") %}...{% endmacro %}`: renders nothing; `name(...)` renders its body with the arguments. */
  | { readonly kind: 'macro'; readonly name: string; readonly params: readonly MacroParam[]; readonly body: readonly TemplateNode[] }
  /** `{% block name %}...{% endblock %}`: rendered in place, and again by `block("name")`. */
  | { readonly kind: 'block'; readonly name: string; readonly body: readonly TemplateNode[] }
  /** `{% filter upper | trim %}...{% endfilter %}`: the rendered body goes through the filter chain. */
  | { readonly kind: 'filter'; readonly chain: string; readonly body: readonly TemplateNode[]; readonly source: string };

type Tag = Extract<TemplateToken, { kind: 'tag' }>;

/** A macro parameter and, when it has one, its default value's expression. */
export interface MacroParam {
  readonly name: string;
  readonly defaultValue?: string;
}

const MACRO = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/;

/** `a, b = "x, y", c` → its parameters; commas inside quotes, brackets or parentheses do not split. */
const macroParams = (text: string): MacroParam[] | undefined => {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current);
  const params: MacroParam[] = [];
  for (const part of parts) {
    const m = /^\s*([A-Za-z_]\w*)\s*(?:=\s*([\s\S]+?))?\s*$/.exec(part);
    if (m === null) return undefined;
    params.push(m[2] === undefined ? { name: m[1]! } : { name: m[1]!, defaultValue: m[2] });
  }
  return params;
};

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const FOR = new RegExp(`^(${NAME})\\s+in\\s+([\\s\\S]+)$`);
const SET = new RegExp(`^(${NAME})\\s*=(?!=)\\s*([\\s\\S]+)$`);

/** Parses the template into nodes; an unknown, misplaced or unclosed tag is an ExpressionError. */
export const parseTemplate = (template: string): TemplateNode[] => {
  const tokens = lexTemplate(template);
  let position = 0;

  /** Nodes up to one of the `enders` tags (consumed and returned), or to the end when none. */
  const block = (enders: readonly string[], opener?: Tag): { nodes: TemplateNode[]; end?: Tag } => {
    const nodes: TemplateNode[] = [];
    while (position < tokens.length) {
      const token = tokens[position++]!;
      if (token.kind === 'text') nodes.push({ kind: 'text', text: token.text });
      else if (token.kind === 'print') nodes.push({ kind: 'print', expression: token.expression });
      else if (enders.includes(token.name)) return { nodes, end: token };
      else nodes.push(statement(token));
    }
    if (opener !== undefined) {
      throw new ExpressionError(opener.rest, `unclosed "${opener.name}", "{% ${enders[enders.length - 1]} %}" expected`, opener.source);
    }
    return { nodes };
  };

  const statement = (tag: Tag): TemplateNode => {
    switch (tag.name) {
      case 'for': {
        const match = FOR.exec(tag.rest);
        if (match === null) throw invalid(tag, 'expected "{% for name in expression %}"');
        const body = block(['else', 'endfor'], tag);
        const empty = body.end?.name === 'else' ? block(['endfor'], tag).nodes : [];
        return { kind: 'for', variable: match[1]!, iterable: match[2]!.trim(), body: body.nodes, empty, source: tag.source };
      }
      case 'if': {
        const branches: { condition: string; body: TemplateNode[] }[] = [];
        let condition = required(tag);
        for (;;) {
          const { nodes, end } = block(['elseif', 'else', 'endif'], tag);
          branches.push({ condition, body: nodes });
          if (end!.name === 'elseif') {
            condition = required(end!);
            continue;
          }
          const otherwise = end!.name === 'else' ? block(['endif'], tag).nodes : [];
          return { kind: 'if', branches, otherwise };
        }
      }
      case 'set': {
        const match = SET.exec(tag.rest);
        if (match === null) throw invalid(tag, 'expected "{% set name = expression %}"');
        return { kind: 'set', variable: match[1]!, expression: match[2]!.trim() };
      }
      case 'filter': {
        const chain = required(tag);
        return { kind: 'filter', chain, body: block(['endfilter'], tag).nodes, source: tag.source };
      }
      case 'macro': {
        const header = MACRO.exec(tag.rest);
        const params = header === null ? undefined : macroParams(header[2]!);
        if (header === null || params === undefined) throw invalid(tag, 'expected "{% macro name(argument, other=default) %}"');
        return { kind: 'macro', name: header[1]!, params, body: block(['endmacro'], tag).nodes };
      }
      case 'block': {
        const name = /^(?:"([^"]+)"|'([^']+)'|([A-Za-z_]\w*))$/.exec(tag.rest);
        if (name === null) throw invalid(tag, 'expected "{% block name %}"');
        return { kind: 'block', name: (name[1] ?? name[2] ?? name[3])!, body: block(['endblock'], tag).nodes };
      }
      case 'else':
      case 'elseif':
      case 'endif':
      case 'endfor':
      case 'endfilter':
      case 'endblock':
      case 'endmacro':
        throw invalid(tag, `"${tag.name}" without its opening tag`);
      default:
        throw invalid(tag, `unknown tag "${tag.name}" (supported: for, if, set, filter, block, macro, raw, verbatim)`);
    }
  };

  const nodes = block([]).nodes;
  return nodes;
};

const invalid = (tag: Tag, reason: string): ExpressionError => new ExpressionError(tag.rest, reason, tag.source);

const required = (tag: Tag): string => {
  if (tag.rest === '') throw invalid(tag, `"${tag.name}" needs a condition`);
  return tag.rest;
};
