import { parseIsoDuration, STATES, type State } from '@chronicle/domain';
import type { ListExecutionsInput } from '@chronicle/read-model';
import { BadUserInputError } from '../errors/api-errors.js';
import type { QueryDoc } from '../openapi/api-route.decorator.js';
import { queryParams } from './query-params.js';

/** The execution filter of Kestra's search and `.../by-query` bulk routes, as query parameters. */
export type ExecutionFilter = Omit<ListExecutionsInput, 'first' | 'after' | 'namespaces' | 'mode'>;

export const EXECUTION_FILTER_QUERY: Readonly<Record<string, QueryDoc>> = {
  namespace: { type: 'string', description: 'This namespace and its children' },
  flowId: { type: 'string' },
  state: { type: 'string[]', enum: STATES, description: 'Repeatable or comma-separated' },
  labels: { type: 'string[]', description: 'key:value, repeatable: executions with all of them' },
  startDate: { type: 'date-time', description: 'Started at or after' },
  endDate: { type: 'date-time', description: 'Started at or before' },
  timeRange: { type: 'string', description: 'ISO-8601 duration: started within it, up to now (Kestra: PT5M, P1D); not with startDate' },
  originalId: { type: 'string' },
  parentId: { type: 'string' },
  triggerExecutionId: { type: 'string', description: "Kestra's name for parentId: the execution that started these (Subflow)" },
};

/** Kestra's filters Chronicle has no equivalent for: refused by name rather than ignored (a bulk by query must never widen). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  q: 'full-text search is not supported: filter by namespace, flowId, state, labels or dates',
  scope: 'Chronicle has no system flows: leave scope out',
  childFilter: 'filter children with triggerExecutionId (or parentId) instead',
};

/**
 * Reads the filter from a request's query. `allowed` lists the other parameters the route takes;
 * anything else is a 400 naming it: a misspelt filter on a bulk route would otherwise act on
 * every execution.
 */
export function executionFilterOf(query: Record<string, unknown>, now: string, allowed: readonly string[] = []): ExecutionFilter {
  for (const name of Object.keys(query)) {
    if (name in UNSUPPORTED) throw new BadUserInputError(`query parameter ${name}: ${UNSUPPORTED[name]}`, { parameter: name });
    if (!(name in EXECUTION_FILTER_QUERY) && !allowed.includes(name)) {
      throw new BadUserInputError(`unknown query parameter ${name}: expected ${[...Object.keys(EXECUTION_FILTER_QUERY), ...allowed].join(', ')}`, { parameter: name });
    }
  }
  const states = queryParams.list(stringOrList('state', query.state));
  const unknownState = states?.find((s) => !(STATES as readonly string[]).includes(s));
  if (unknownState) throw new BadUserInputError(`query parameter state must be one of ${STATES.join(', ')} (got "${unknownState}")`, { parameter: 'state' });
  const parentId = queryParams.string('parentId', query.parentId);
  const triggerExecutionId = queryParams.string('triggerExecutionId', query.triggerExecutionId);
  if (parentId !== undefined && triggerExecutionId !== undefined && parentId !== triggerExecutionId) {
    throw new BadUserInputError('query parameters parentId and triggerExecutionId name the same filter: give one', { parameter: 'triggerExecutionId' });
  }
  let startDate = queryParams.date('startDate', queryParams.string('startDate', query.startDate));
  const timeRange = queryParams.string('timeRange', query.timeRange);
  if (timeRange !== undefined && timeRange !== '') {
    const ms = parseIsoDuration(timeRange);
    if (ms === undefined) throw new BadUserInputError(`query parameter timeRange must be an ISO-8601 duration such as PT5M or P1D (got "${timeRange}")`, { parameter: 'timeRange' });
    if (startDate !== undefined) throw new BadUserInputError('query parameters timeRange and startDate exclude each other: give one', { parameter: 'timeRange' });
    startDate = new Date(Date.parse(now) - ms).toISOString();
  }
  const endDate = queryParams.date('endDate', queryParams.string('endDate', query.endDate));
  if (startDate !== undefined && endDate !== undefined && startDate > endDate) {
    throw new BadUserInputError('query parameter endDate must be after startDate', { parameter: 'endDate' });
  }
  return {
    namespace: queryParams.string('namespace', query.namespace),
    flowId: queryParams.string('flowId', query.flowId),
    states: states as State[] | undefined,
    labels: queryParams.labels('labels', stringOrList('labels', query.labels)),
    startDate,
    endDate,
    originalId: queryParams.string('originalId', query.originalId),
    parentId: parentId ?? triggerExecutionId,
  };
}

/** A repeatable parameter: one string or several (express parses `a=1&a=2` as an array). */
function stringOrList(name: string, raw: unknown): string | string[] | undefined {
  if (raw === undefined || typeof raw === 'string') return raw;
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw as string[];
  throw new BadUserInputError(`query parameter ${name} must be repeated strings (got an object)`, { parameter: name });
}
