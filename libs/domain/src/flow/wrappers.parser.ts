import type { JsonObject, JsonValue } from '../shared/json.js';
import { describe, ID_PATTERN, isRecord, NAMESPACE_PATTERN, type Report } from './flow-parsing.helpers.js';

/** A wrapper a flow declares (or a run adds): the flow that runs around it, and that flow's inputs. */
export interface WrapperReference {
  readonly namespace: string;
  readonly flowId: string;
  readonly inputs?: JsonObject;
}

const KEYS = ['namespace', 'flowId', 'inputs'];

/**
 * `wrappers: [{ namespace, flowId, inputs? }]` (Cloudomation's wrappers): flows that run around
 * every execution of this one, the first declared outermost. A flow that names itself is refused
 * here; longer cycles (a wraps b wraps a) need the other flows and are refused at deploy and start.
 */
export const parseWrappers = (raw: JsonValue | undefined, self: { namespace: string; id: string }, report: Report, at: readonly (string | number)[] = ['wrappers']): WrapperReference[] | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    report([...at], `must be a list of { namespace, flowId, inputs? }, got ${describe(raw)}`);
    return undefined;
  }
  return raw.flatMap((item, i): WrapperReference[] => {
    const path = [...at, i];
    if (!isRecord(item)) {
      report(path, `a wrapper must be a mapping { namespace, flowId, inputs? }, got ${describe(item)}`);
      return [];
    }
    for (const key of Object.keys(item).filter((k) => !KEYS.includes(k))) report([...path, key], `unknown property "${key}" of a wrapper (allowed: ${KEYS.join(', ')})`);
    const { namespace, flowId, inputs } = item;
    const problems: [string, string][] = [];
    if (typeof namespace !== 'string' || !NAMESPACE_PATTERN.test(namespace)) problems.push(['namespace', `must be a namespace such as company.team, got ${describe(namespace)}`]);
    if (typeof flowId !== 'string' || !ID_PATTERN.test(flowId)) problems.push(['flowId', `must be a flow id, got ${describe(flowId)}`]);
    if (inputs !== undefined && inputs !== null && !isRecord(inputs)) problems.push(['inputs', `must be a mapping of the wrapper flow's inputs, got ${describe(inputs)}`]);
    for (const [key, message] of problems) report([...path, key], message);
    if (problems.length > 0) return [];
    if (namespace === self.namespace && flowId === self.id) {
      report([...path, 'flowId'], `a flow cannot wrap itself (${namespace}.${flowId} is this flow)`);
      return [];
    }
    return [{ namespace: namespace as string, flowId: flowId as string, ...(isRecord(inputs) ? { inputs } : {}) }];
  });
};
