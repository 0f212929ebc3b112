import type { JsonValue } from '../shared/json.js';
import { describe, type Report } from './flow-parsing.helpers.js';
import type { Path } from './yaml-source.js';

/**
 * Named locks (Cloudomation's `lock`): a flow or a task names the locks it must hold while it
 * runs. A name is shared by every flow of the flow's namespace (the lock table keeps each
 * namespace's locks apart, so teams never block each other), a plain identifier-like text: letters, digits and `. _ : / -`, starting with a letter or digit, at most 128
 * characters (e.g. `db-migration`, `host:web-01`, `team/billing.export`).
 */
export const LOCK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const LOCK_NAME_RULE = 'letters, digits and . _ : / - only, starting with a letter or digit, at most 128 characters';

/** The most locks one flow or task may ask for at once. */
export const MAX_LOCKS = 16;

/** A lock entry with an expression is rendered when the lock is requested (its result is checked then). */
export const isLockExpression = (entry: string): boolean => entry.includes('{{') || entry.includes('{%');

/** Why `name` cannot be a lock name, or undefined when it can. */
export const lockNameProblem = (name: string): string | undefined =>
  LOCK_NAME_PATTERN.test(name) ? undefined : `"${name}" is not a lock name (${LOCK_NAME_RULE})`;

/**
 * `locks:` of a flow or a task, checked at deploy: a list of names or expressions. A literal
 * that is not a lock name, a duplicate or an empty list is refused at its index.
 */
export const parseLocks = (raw: JsonValue | undefined, at: Path, report: Report): string[] | undefined => {
  if (raw === undefined || raw === null) return undefined;
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) {
    report(at, `must be a list of lock names or expressions, got ${describe(raw)}`);
    return undefined;
  }
  if (list.length === 0) report(at, 'must name at least one lock (leave locks out for none)');
  if (list.length > MAX_LOCKS) report(at, `must name at most ${MAX_LOCKS} locks, got ${list.length}`);
  const seen = new Set<string>();
  const names: string[] = [];
  list.forEach((entry, index) => {
    if (typeof entry !== 'string' || entry.trim() === '') {
      report([...at, index], `must be a lock name or an expression, got ${describe(entry)}`);
      return;
    }
    const problem = isLockExpression(entry) ? undefined : lockNameProblem(entry);
    if (problem !== undefined) report([...at, index], problem);
    else if (seen.has(entry)) report([...at, index], `lock "${entry}" is listed twice`);
    seen.add(entry);
    names.push(entry);
  });
  return names;
};
