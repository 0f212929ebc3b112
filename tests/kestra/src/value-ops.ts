/**
 * The comparison operators the corpus uses (`op`). Each answers `undefined` when the actual value
 * satisfies it, else why not. An operator this file does not know is a failure, not a skip.
 */
export interface OpContext {
  /** For `equalsParent` / `equalsChild`: `execution.<path>` of the parent or the child. */
  readonly resolve: (side: 'parent' | 'child', path: string) => unknown;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const sizeOf = (v: unknown): number | undefined =>
  Array.isArray(v) ? v.length : typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : undefined;

export function applyOp(op: string, actual: unknown, expected: unknown, ctx: OpContext): string | undefined {
  switch (op) {
    case 'equals':
      return deepEqual(actual, expected) ? undefined : 'not equal';
    case 'contains':
      if (typeof actual === 'string' && typeof expected === 'string') return actual.includes(expected) ? undefined : 'does not contain it';
      if (Array.isArray(actual)) return actual.some((x) => deepEqual(x, expected)) ? undefined : 'no such item';
      return 'not a string';
    case 'startsWith':
      if (typeof actual !== 'string') return 'not a string';
      return actual.startsWith(String(expected)) ? undefined : 'does not start with it';
    case 'sizeIs': {
      const size = sizeOf(actual);
      return size === expected ? undefined : `size ${size ?? 'n/a'}`;
    }
    case 'hasItems': {
      if (!Array.isArray(actual) || !Array.isArray(expected)) return 'not a list';
      const missing = expected.filter((e) => !actual.some((a) => deepEqual(a, e)));
      return missing.length ? `missing ${JSON.stringify(missing)}` : undefined;
    }
    case 'matches':
      if (typeof actual !== 'string') return 'not a string';
      return new RegExp(String(expected)).test(actual) ? undefined : 'does not match';
    case 'notNull':
      return actual === null || actual === undefined ? 'null' : undefined;
    case 'atLeast':
      return typeof actual === 'number' && actual >= Number(expected) ? undefined : 'smaller';
    case 'isNull':
      return actual === null || actual === undefined ? undefined : 'not null';
    case 'equalsParent':
    case 'equalsChild': {
      const side = op === 'equalsParent' ? 'parent' : 'child';
      const want = ctx.resolve(side, String(expected).replace(/^execution\./, ''));
      if (want === undefined || want === null) return `the ${side}'s ${String(expected)} is unknown`;
      return deepEqual(actual, want) ? undefined : `the ${side}'s ${String(expected)} is ${JSON.stringify(want)}`;
    }
    default:
      return `unknown op "${op}"`;
  }
}
