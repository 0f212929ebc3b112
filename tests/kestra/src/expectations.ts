import type { ObservedExecution, ObservedLog } from './chronicle-api.js';
import type { CorpusCase, OutputAssertion, TaskRunExpectation } from './corpus.js';
import { describeRef, findTaskRun, labelList, outputsTree, valueAt } from './task-run-queries.js';
import { applyOp, deepEqual, type OpContext } from './value-ops.js';

/** One assertion that did not hold. `id` is stable, so documented differences can name it. */
export interface AssertionFailure {
  readonly id: string;
  readonly what: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** The corpus derived this expectation by reading the flow, not from a Java assertion. */
  readonly inferred?: boolean;
}

/** What the runner saw once the case ended. */
export interface Observation {
  readonly execution: ObservedExecution;
  readonly second?: ObservedExecution;
  /** The Subflow child, or why it could not be found. */
  readonly child?: ObservedExecution | { readonly missing: string };
  readonly logs: readonly ObservedLog[];
}

const PARENT_ID_PLACEHOLDER = '<parent execution id>';
/** `<task run id of X>`: the id of the first task run of task X (Kestra's tests compare labels to it). */
const TASK_RUN_ID_PLACEHOLDER = /^<task run id of ([^>]+)>$/;

function substitute(value: unknown, parentId: string, exec?: ObservedExecution): unknown {
  if (typeof value === 'string') {
    if (value === PARENT_ID_PLACEHOLDER) return parentId;
    const m = value.match(TASK_RUN_ID_PLACEHOLDER);
    return m ? exec?.taskRuns.find((t) => t.taskId === m[1])?.id ?? value : value.replace(PARENT_ID_PLACEHOLDER, parentId);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, parentId, exec));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, parentId, exec)]));
  return value;
}

const foundChild = (o: Observation): ObservedExecution | undefined => (o.child && !('missing' in o.child) ? o.child : undefined);

/** Reads one output assertion's actual value; a string starting with `!` says why there is none. */
function actualOf(a: OutputAssertion, o: Observation): { value?: unknown; missing?: string; values?: unknown[] } {
  const exec = o.execution;
  switch (a.target) {
    case 'taskRun': {
      const run = findTaskRun(exec, { taskId: a.taskId!, index: a.index, values: a.values });
      if (!run) return { missing: `no task run ${describeRef({ taskId: a.taskId!, index: a.index, values: a.values })}` };
      return { value: valueAt(run.outputs ?? undefined, a.path) };
    }
    case 'taskRunAt': {
      // The n-th task run of the execution's list (Kestra's `getTaskRunList().get(n)`).
      const run = exec.taskRuns.at(a.index ?? 0);
      if (!run) return { missing: `no task run #${a.index ?? 0} (only ${exec.taskRuns.length})` };
      if (a.taskId && run.taskId !== a.taskId) return { missing: `task run #${a.index ?? 0} is ${run.taskId}, not ${a.taskId}` };
      return { value: valueAt(run.outputs ?? undefined, a.path) };
    }
    case 'execution': {
      const path = typeof a.path === 'string' ? a.path : undefined;
      return { value: path === 'labels' ? labelList(exec.labels) : valueAt(exec, a.path) };
    }
    case 'taskOutputsTree':
      return { value: valueAt(outputsTree(exec), a.path) };
    case 'flowOutputs':
      return { value: valueAt(exec.outputs ?? undefined, a.path) };
    case 'log':
      return { values: o.logs.map((l) => l.message) };
    case 'childExecution': {
      const child = foundChild(o);
      if (!child) return { missing: o.child && 'missing' in o.child ? o.child.missing : 'no child execution' };
      const path = typeof a.path === 'string' ? a.path : undefined;
      return { value: path === 'labels' ? labelList(child.labels) : valueAt(child, a.path) };
    }
    default:
      return { missing: `unknown target "${a.target}"` };
  }
}

function checkOutput(a: OutputAssertion, o: Observation, ctx: OpContext): { actual: unknown; expected?: unknown; reason?: string } {
  const expected = substitute(a.expected, o.execution.id, o.execution);
  if (a.target === 'relation') {
    const subject = a.subject && findTaskRun(o.execution, a.subject);
    const object = a.object && findTaskRun(o.execution, a.object);
    if (!subject || !object) return { actual: undefined, reason: `no task run ${describeRef((subject ? a.object : a.subject)!)}` };
    const s = valueAt(subject.outputs ?? undefined, a.subject!.path);
    const obj = valueAt(object.outputs ?? undefined, a.object!.path);
    const wanted = `${a.prefix ?? ''}${String(obj)}`;
    return { actual: s, expected: wanted, reason: applyOp(a.op, s, wanted, ctx) };
  }
  const { value, missing, values } = actualOf(a, o);
  if (missing) return { actual: undefined, reason: missing };
  if (values) {
    // Log lines: the assertion holds when one line satisfies it.
    const ok = values.some((v) => applyOp(a.op, v, expected, ctx) === undefined);
    // Kestra logs a failure's message; say where else it may be, when no log line has it.
    const errors = o.execution.taskRuns.flatMap((t) => (t.error ? [`${t.taskId}: ${t.error}`] : []));
    const reason = ok ? undefined : `no log line matches${errors.length ? `; task run errors: ${JSON.stringify(errors).slice(0, 300)}` : ''}`;
    return { actual: values.length > 8 ? [...values.slice(0, 8), `… ${values.length - 8} more`] : values, reason };
  }
  return { actual: value, reason: applyOp(a.op, value, expected, ctx) };
}

function describeOutput(a: OutputAssertion): string {
  if (a.target === 'relation') return `relation ${describeRef(a.subject!)}.${a.subject!.path} ${a.op} ${a.prefix ? JSON.stringify(a.prefix) + ' + ' : ''}${describeRef(a.object!)}.${a.object!.path}`;
  const where = a.target === 'taskRun' ? ` ${describeRef({ taskId: a.taskId!, index: a.index, values: a.values })}` : '';
  const path = a.path === undefined ? '' : ` ${Array.isArray(a.path) ? a.path.join('.') : a.path}`;
  return `${a.target}${where}${path} ${a.op}`;
}

function checkTaskRun(t: TaskRunExpectation, i: number, exec: ObservedExecution, fail: (f: Omit<AssertionFailure, 'inferred'>) => void) {
  const id = `taskRuns[${i}]`;
  const runs = exec.taskRuns.filter((r) => r.taskId === t.taskId);
  const run = t.listIndex !== undefined ? exec.taskRuns[t.listIndex] : runs[0];
  if (t.listIndex !== undefined && run?.taskId !== t.taskId) {
    fail({ id: `${id}.listIndex`, what: `task run #${t.listIndex} is ${t.taskId}`, expected: t.taskId, actual: run?.taskId ?? `(only ${exec.taskRuns.length} task runs)` });
    return;
  }
  if (t.count !== undefined && runs.length !== t.count) fail({ id: `${id}.count`, what: `number of ${t.taskId} task runs`, expected: t.count, actual: runs.length });
  const wantsRun = t.state !== undefined || t.attempts !== undefined || t.minAttempts !== undefined || t.lastAttemptState !== undefined || t.historyCounts !== undefined;
  if (!run) {
    if (wantsRun) fail({ id: `${id}.exists`, what: `task run ${t.taskId} exists`, expected: 'a task run', actual: 'none' });
    return;
  }
  if (t.state !== undefined && run.state !== t.state) fail({ id: `${id}.state`, what: `${t.taskId} state`, expected: t.state, actual: run.state });
  if (t.attempts !== undefined && run.attempts.length !== t.attempts) fail({ id: `${id}.attempts`, what: `${t.taskId} attempts`, expected: t.attempts, actual: run.attempts.length });
  if (t.minAttempts !== undefined && run.attempts.length < t.minAttempts) fail({ id: `${id}.attempts`, what: `${t.taskId} attempts (at least)`, expected: t.minAttempts, actual: run.attempts.length });
  if (t.lastAttemptState !== undefined && run.attempts.at(-1)?.state !== t.lastAttemptState) {
    fail({ id: `${id}.lastAttemptState`, what: `${t.taskId} last attempt state`, expected: t.lastAttemptState, actual: run.attempts.at(-1)?.state ?? 'no attempt' });
  }
  if (t.historyCounts) {
    const history = (run.stateHistory ?? []).map((h) => h.state);
    const actual = Object.fromEntries(Object.keys(t.historyCounts).map((s) => [s, history.filter((h) => h === s).length]));
    if (!deepEqual(actual, t.historyCounts)) fail({ id: `${id}.historyCounts`, what: `${t.taskId} state history counts (history ${history.join(' > ')})`, expected: t.historyCounts, actual });
  }
}

/** The execution's error, else the first failed task run's, to explain an unexpected state. */
function whyItEnded(exec: ObservedExecution): string {
  const failed = exec.taskRuns.find((t) => t.state === 'FAILED');
  const error = exec.error ?? (failed && (failed.error ?? failed.attempts.at(-1)?.error));
  return error ? ` (error: ${error.length > 200 ? `${error.slice(0, 200)}…` : error})` : failed ? ` (task ${failed.taskId} FAILED)` : '';
}

/** Checks every expectation of the case; answers the failures (empty = the case passes). */
export function checkExpectations(c: CorpusCase, o: Observation): AssertionFailure[] {
  const failures: AssertionFailure[] = [];
  const inferred = new Set(c.expected.inferred);
  const fail = (f: Omit<AssertionFailure, 'inferred'>) => failures.push({ ...f, inferred: inferred.has(f.id.split(/[.[]/)[0]) || undefined });
  const exec = o.execution;
  const e = c.expected;

  if (exec.state !== e.state) fail({ id: 'state', what: `final state${whyItEnded(exec)}`, expected: e.state, actual: exec.state });
  if (e.taskRunCount !== null && exec.taskRuns.length !== e.taskRunCount) {
    fail({ id: 'taskRunCount', what: 'number of task runs', expected: e.taskRunCount, actual: `${exec.taskRuns.length} (${exec.taskRuns.map((t) => `${t.taskId}:${t.state}`).join(', ')})` });
  }
  e.taskRuns.forEach((t, i) => checkTaskRun(t, i, exec, fail));

  const child = foundChild(o);
  const ctx: OpContext = { resolve: (side, path) => valueAt(side === 'parent' ? exec : child, path) };
  e.outputs.forEach((a, i) => {
    const { actual, expected, reason } = checkOutput(a, o, ctx);
    if (reason) fail({ id: `outputs[${i}]`, what: `${describeOutput(a)} (${reason})`, expected: expected ?? substitute(a.expected, exec.id, exec), actual });
  });

  if (e.child) {
    if (!child) fail({ id: 'child', what: `the ${e.child.flowId} child execution`, expected: 'found', actual: o.child && 'missing' in o.child ? o.child.missing : 'none' });
    else {
      if (child.flowId !== e.child.flowId) fail({ id: 'child.flowId', what: 'child flow', expected: e.child.flowId, actual: child.flowId });
      if (e.child.state !== undefined && child.state !== e.child.state) fail({ id: 'child.state', what: 'child final state', expected: e.child.state, actual: child.state });
      if (e.child.taskRunCount !== undefined && child.taskRuns.length !== e.child.taskRunCount) {
        fail({ id: 'child.taskRunCount', what: 'child task runs', expected: e.child.taskRunCount, actual: child.taskRuns.length });
      }
    }
  }

  if (e.secondExecution) {
    const second = o.second;
    if (!second) fail({ id: 'secondExecution', what: 'the second execution', expected: 'started', actual: 'none' });
    else {
      if (e.secondExecution.state !== undefined && second.state !== e.secondExecution.state) {
        fail({ id: 'secondExecution.state', what: 'second execution final state', expected: e.secondExecution.state, actual: second.state });
      }
      const prefix = e.secondExecution.historyPrefix;
      const history = second.stateHistory.map((h) => h.state);
      if (prefix && !deepEqual(history.slice(0, prefix.length), prefix)) {
        fail({ id: 'secondExecution.historyPrefix', what: 'second execution history starts with', expected: prefix, actual: history });
      }
    }
  }
  return failures;
}
