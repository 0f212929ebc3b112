import type { ExecutionOptions } from '@chronicle/domain';
import { BadUserInputError } from '../errors/api-errors.js';

/**
 * Per-run options of a REST start, as query parameters: `priority`, `maxRuntime`,
 * `scheduleDate` (Kestra's name) or `scheduledAt`, `name`, `description`, `mode` (DEVELOPMENT), `breakpoints`
 * (repeated, or comma-separated task ids) and `stepMode=true`. The domain checks the
 * values (a past date, a bad duration, a negative priority are refused naming the field); the
 * caller's token name is who started it.
 */
export function restRunOptions(query: Record<string, unknown>, tokenName: string): ExecutionOptions {
  const text = (key: string): string | undefined => {
    const value = query[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new BadUserInputError(`${key} must be given once`);
    return value;
  };
  const priority = text('priority');
  const number = priority === undefined ? undefined : priority.trim() === '' ? Number.NaN : Number(priority);
  if (number !== undefined && !Number.isInteger(number)) throw new BadUserInputError(`priority must be an integer, got ${JSON.stringify(priority)}`);
  const scheduledAt = text('scheduledAt') ?? text('scheduleDate');
  const options: Record<string, unknown> = {
    priority: number, maxRuntime: text('maxRuntime'), scheduledAt, name: text('name'), description: text('description'), mode: text('mode'),
    ...breakpointParams(query),
  };
  return { ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)), startedBy: { kind: 'token', id: tokenName } } as ExecutionOptions;
}

/** `breakpoints=a&breakpoints=b` or `breakpoints=a,b`; `stepMode=true|false`. */
function breakpointParams(query: Record<string, unknown>): { breakpoints?: string[]; stepMode?: boolean } {
  const raw = query.breakpoints;
  const list = raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const step = query.stepMode;
  if (step !== undefined && step !== 'true' && step !== 'false') throw new BadUserInputError(`stepMode must be true or false, got ${JSON.stringify(step)}`);
  return { ...(list !== undefined ? { breakpoints: list } : {}), ...(step !== undefined ? { stepMode: step === 'true' } : {}) };
}

/**
 * A REST start's wrapping: `?wrapper=<namespace>/<flowId>` (repeatable, the first outermost:
 * wrappers added to this run, without inputs) and `?unwrapped=true` (the flow's own are off).
 */
export function restWrapping(query: Record<string, unknown>): { wrappers?: { namespace: string; flowId: string }[]; unwrapped?: boolean } {
  const raw = query.wrapper === undefined ? [] : Array.isArray(query.wrapper) ? query.wrapper : [query.wrapper];
  const wrappers = raw.map((value, i) => {
    const match = typeof value === 'string' ? /^([^/]+)\/([^/]+)$/.exec(value) : null;
    if (match === null) throw new BadUserInputError(`wrapper[${i}] must be <namespace>/<flowId>, got ${JSON.stringify(value)}`, { parameter: 'wrapper' });
    return { namespace: match[1]!, flowId: match[2]! };
  });
  const flag = query.unwrapped;
  if (flag !== undefined && flag !== 'true' && flag !== 'false') throw new BadUserInputError(`unwrapped must be true or false, got ${JSON.stringify(flag)}`, { parameter: 'unwrapped' });
  return { ...(wrappers.length > 0 ? { wrappers } : {}), ...(flag === 'true' ? { unwrapped: true } : {}) };
}
