import { SECRET_MASK, type JsonObject, type JsonValue } from '@chronicle/domain';
import { hasRole } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import type { FlowType } from '../graphql/flow.types.js';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWebhook = (type: unknown) => type === 'Webhook' || (typeof type === 'string' && type.endsWith('.Webhook'));
const isSecretInput = (input: JsonObject) => input.secret === true || String(input.type ?? '').toUpperCase() === 'SECRET';

/**
 * A flow as a caller below EDITOR may see it: a Webhook trigger's `key` (the secret part of its
 * URL) and `secret` (its HMAC key), and the default of a SECRET input, are masked in the
 * triggers, the inputs and the YAML source. Whoever may deploy the flow sees it whole.
 */
export function flowForReader(flow: FlowType, principal: Principal): FlowType {
  if (hasRole(principal, 'deploy')) return flow;
  const hidden = new Set<string>();
  const triggers = Array.isArray(flow.triggers)
    ? (flow.triggers as JsonValue[]).map((t) => {
      if (!isObject(t) || !isWebhook(t.type)) return t;
      for (const field of ['key', 'secret'] as const) if (typeof t[field] === 'string') hidden.add(t[field] as string);
      return { ...t, ...(t.key !== undefined ? { key: SECRET_MASK } : {}), ...(t.secret !== undefined ? { secret: SECRET_MASK } : {}) };
    })
    : flow.triggers;
  const inputs = Array.isArray(flow.inputs)
    ? (flow.inputs as JsonValue[]).map((i) => {
      if (!isObject(i) || !isSecretInput(i) || i.defaults === undefined || i.defaults === null) return i;
      hidden.add(typeof i.defaults === 'string' ? i.defaults : JSON.stringify(i.defaults));
      return { ...i, defaults: SECRET_MASK };
    })
    : flow.inputs;
  return { ...flow, triggers, inputs, source: maskSource(flow.source, hidden) };
}

/**
 * The YAML with the value of every `key:`, `secret:` or `defaults:` entry that holds a hidden
 * value replaced (block or flow style, quoted or not). Only those entries: a short key must
 * not blank out every other occurrence of its letters in the source.
 */
function maskSource(source: string, hidden: ReadonlySet<string>): string {
  if (hidden.size === 0) return source;
  return source.replace(/((?:^|[\s{,])(?:key|secret|defaults)\s*:[ \t]*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n,}#]*[^\s,}#])/gm, (whole, head: string, value: string) => {
    const plain = /^["']/.test(value) ? unquote(value) : value.trim();
    return hidden.has(plain) ? `${head}"${SECRET_MASK}"` : whole;
  });
}

function unquote(value: string): string {
  if (value.startsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}
