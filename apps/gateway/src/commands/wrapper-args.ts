import { parseWrappers, type WrapperReference } from '@chronicle/domain';
import { BadUserInputError } from '../errors/api-errors.js';

/**
 * A start's `wrappers` (wrappers added to this run, outside the flow's own): checked as the flow
 * property is, each problem named by its path (`wrappers[0].flowId`). Cycles and unknown wrapper
 * flows are the application's answer (it reads the flows).
 */
export function wrappersArg(value: unknown, flow: { namespace: string; id: string }): WrapperReference[] | undefined {
  if (value === undefined || value === null) return undefined;
  const issues: { path: (string | number)[]; message: string }[] = [];
  const wrappers = parseWrappers(value as never, flow, (path, message) => issues.push({ path: [...path], message }));
  if (issues.length > 0) {
    const where = (path: (string | number)[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    throw new BadUserInputError(issues.map((i) => `${where(i.path)}: ${i.message}`).join('; '), { issues });
  }
  return wrappers;
}
