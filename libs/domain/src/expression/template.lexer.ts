import { ExpressionError } from './expression.error.js';

/** Literal text, a `{{ ... }}` print, or a `{% name rest %}` tag; whitespace control already applied. */
export type TemplateToken =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'print'; readonly expression: string }
  | { readonly kind: 'tag'; readonly name: string; readonly rest: string; readonly source: string };

/**
 * Splits Pebble text into tokens. `{# ... #}` is a comment; `{{-`/`{%-` trim the whitespace
 * before the delimiter and `-}}`/`-%}` the whitespace after it. A newline after a tag is kept,
 * as Kestra configures Pebble (`newLineTrimming(false)`). `{% raw %}...{% endraw %}` (and Pebble's
 * `verbatim`) is text.
 */
export const lexTemplate = (template: string): TemplateToken[] => {
  const tokens: TemplateToken[] = [];
  let index = 0;
  let trimNext = false;
  const pushText = (text: string): void => {
    const kept = trimNext ? text.trimStart() : text;
    trimNext = false;
    if (kept !== '') tokens.push({ kind: 'text', text: kept });
  };
  const trimPrevious = (): void => {
    const previous = tokens[tokens.length - 1];
    if (previous?.kind !== 'text') return;
    const text = previous.text.trimEnd();
    if (text === '') tokens.pop();
    else tokens[tokens.length - 1] = { kind: 'text', text };
  };
  while (index < template.length) {
    const open = findOpening(template, index);
    if (open === -1) {
      pushText(template.slice(index));
      break;
    }
    pushText(template.slice(index, open));
    const kind = template[open + 1];
    if (kind === '#') {
      const end = template.indexOf('#}', open + 2);
      if (end === -1) throw new ExpressionError(template.slice(open), 'unclosed comment, "#}" expected', template.slice(open));
      index = end + 2;
      continue;
    }
    const closer = kind === '{' ? '}}' : '%}';
    const end = closing(template, open + 2, closer);
    if (end === -1) {
      if (kind === '{') throw new ExpressionError(template.slice(open + 2).trim(), 'unclosed expression, "}}" expected');
      throw new ExpressionError(template.slice(open + 2).trim(), 'unclosed tag, "%}" expected', template.slice(open));
    }
    const trimBefore = template[open + 2] === '-';
    const trimAfter = template[end - 1] === '-' && end - 1 > open + 2;
    const inner = template.slice(open + 2 + (trimBefore ? 1 : 0), trimAfter ? end - 1 : end).trim();
    // Kestra cuts `{% raw %}` blocks out before Pebble sees the text, so their "-" trims nothing.
    const isRaw = kind === '%' && /^raw\b/.test(inner);
    if (trimBefore && !isRaw) trimPrevious();
    index = end + 2;
    trimNext = trimAfter && !isRaw;
    if (kind === '{') {
      tokens.push({ kind: 'print', expression: inner });
      continue;
    }
    const source = template.slice(open, end + 2);
    const [, name = '', rest = ''] = /^([A-Za-z_]\w*)\s*([\s\S]*)$/.exec(inner) ?? [];
    if (name === '') throw new ExpressionError(inner, 'a tag name is expected', source);
    // Pebble's `verbatim` is the same as `raw`: its content is text.
    if (name !== 'raw' && name !== 'verbatim') {
      tokens.push({ kind: 'tag', name, rest: rest.trim(), source });
      continue;
    }
    const endRaw = new RegExp(`\\{%-?\\s*end${name}\\s*-?%\\}`).exec(template.slice(index));
    if (endRaw === null) throw new ExpressionError(inner, `unclosed ${name} block, "{% end${name} %}" expected`, source);
    pushText(template.slice(index, index + endRaw.index));
    index += endRaw.index + endRaw[0].length;
    if (name === 'verbatim') trimNext = /-%\}$/.test(endRaw[0]);
  }
  return tokens;
};

/** The next `{{`, `{%` or `{#` from `from`, or -1. */
const findOpening = (template: string, from: number): number => {
  for (let open = template.indexOf('{', from); open !== -1; open = template.indexOf('{', open + 1)) {
    const next = template[open + 1];
    if (next === '{' || next === '%' || next === '#') return open;
  }
  return -1;
};

/** Index of the closing `}}` / `%}`, skipping quoted strings and map literals `{...}`. */
const closing = (template: string, from: number, closer: '}}' | '%}'): number => {
  let quote: string | undefined;
  let depth = 0;
  for (let i = from; i < template.length; i++) {
    const c = template[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === closer[0] && template[i + 1] === '}' && depth === 0) return i;
  }
  return -1;
};
