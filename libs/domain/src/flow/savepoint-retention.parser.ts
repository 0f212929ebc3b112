import type { JsonValue } from '../shared/json.js';
import { parseSavepointRetention } from '../execution/rewind/savepoints.js';
import type { Report } from './flow-parsing.helpers.js';

/**
 * `savepointRetention` (Cloudomation's savepoint_retention): which savepoints an execution keeps
 * to be rewound to: ALL, NONE, LAST, LAST_<n> or an ISO-8601 duration. A value that is none of
 * these is a deploy error naming the property.
 */
export const parseSavepointRetentionProperty = (raw: JsonValue | undefined, report: Report): string | undefined => {
  if (raw === undefined || raw === null) return undefined;
  const rule = parseSavepointRetention(raw);
  if (typeof rule === 'string') {
    report(['savepointRetention'], rule);
    return undefined;
  }
  return raw as string;
};
