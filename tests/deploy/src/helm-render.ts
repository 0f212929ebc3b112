import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * Renders a Helm chart's templates with the subset of Go templates the chart uses (helm is not
 * installable here): `{{ .Values.a.b }}`, `.Release.Namespace`, `.Chart.*`, `| quote`,
 * `toYaml X | nindent N` / `indent N`, `if X` … `end`, and `{{-` / `-}}` whitespace trimming.
 * Anything else, or a value missing from values.yaml, is an error naming the template: stricter
 * than helm, so a typo in a template fails the test instead of rendering an empty string.
 */
export function renderChart(chartDir: string, options: { namespace: string; values?: Record<string, unknown> }): Record<string, string> {
  const values = merge(parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>, options.values ?? {});
  const scope = { Values: values, Release: { Namespace: options.namespace, Name: 'chronicle' }, Chart: parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) };
  const dir = join(chartDir, 'templates');
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, renderTemplate(f, readFileSync(join(dir, f), 'utf8'), scope)]));
}

function renderTemplate(name: string, text: string, scope: Record<string, unknown>): string {
  const action = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
  let out = '';
  let at = 0;
  let trimNext = false;
  const active: boolean[] = [];
  const on = () => active.every(Boolean);
  for (let m = action.exec(text); m; m = action.exec(text)) {
    let literal = text.slice(at, m.index);
    if (trimNext) literal = literal.replace(/^\s+/, '');
    if (m[1] === '-') literal = literal.replace(/\s+$/, '');
    if (on()) out += literal;
    at = m.index + m[0].length;
    trimNext = m[3] === '-';
    const expr = m[2]!;
    if (expr.startsWith('if ')) active.push(truthy(lookup(name, scope, expr.slice(3).trim())));
    else if (expr === 'end') {
      if (active.pop() === undefined) throw new Error(`${name}: {{ end }} without {{ if }}`);
    } else if (on()) out += evaluate(name, scope, expr);
  }
  if (active.length > 0) throw new Error(`${name}: {{ if }} without {{ end }}`);
  let rest = text.slice(at);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  return out + rest;
}

function evaluate(name: string, scope: Record<string, unknown>, expr: string): string {
  const [head, ...pipes] = expr.split('|').map((p) => p.trim());
  let value: unknown;
  let yamlBlock = false;
  if (head!.startsWith('toYaml ')) {
    value = stringify(lookup(name, scope, head!.slice(7).trim())).replace(/\n$/, '');
    yamlBlock = true;
  } else value = lookup(name, scope, head!);
  for (const pipe of pipes) {
    const [fn, arg] = pipe.split(/\s+/);
    if (fn === 'quote') value = JSON.stringify(String(value));
    else if ((fn === 'nindent' || fn === 'indent') && yamlBlock) {
      const pad = ' '.repeat(Number(arg));
      value = `${fn === 'nindent' ? '\n' : ''}${String(value).split('\n').map((l) => pad + l).join('\n')}`;
    } else throw new Error(`${name}: unsupported template function "${pipe}" in {{ ${expr} }}`);
  }
  if (typeof value === 'object' && value !== null) throw new Error(`${name}: {{ ${expr} }} is an object: use toYaml`);
  return String(value);
}

function lookup(name: string, scope: Record<string, unknown>, path: string): unknown {
  if (!path.startsWith('.')) throw new Error(`${name}: unsupported template expression "${path}"`);
  let value: unknown = scope;
  for (const key of path.slice(1).split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value)) throw new Error(`${name}: ${path} is not defined (values.yaml)`);
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const truthy = (v: unknown) => !(v === false || v === null || v === undefined || v === '' || v === 0 || (Array.isArray(v) && v.length === 0));

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
