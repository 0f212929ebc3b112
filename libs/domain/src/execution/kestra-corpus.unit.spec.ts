import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { CORPUS_START, driveExecution, type DrivenExecution } from '../testing/kestra-corpus.driver.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { decide } from './execution.decider.js';
import type { ExecutionCreated } from './execution.events.js';
import { outputsTree, valueChain } from './expression-scope.js';
import type { Execution, TaskRun } from './execution.state.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/**
 * Kestra's own test cases (/work/shared/kestra-corpus), decided purely: a fake worker, a fake
 * scheduler and child executions stand in for the services. Cases that need two executions at
 * once (concurrency) are left to the end-to-end suite.
 */
const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/kestra-corpus/corpus.json');

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly inputs: Record<string, JsonValue> | null;
  readonly inputsMode: 'none' | 'raw' | 'typed';
  readonly executionLabels: { key: string; value: string }[] | null;
  readonly requiresFlows: { namespace: string; flowId: string }[];
  readonly steps: string[] | null;
  readonly expected: {
    readonly state: string;
    readonly taskRunCount: number | null;
    readonly outputs: Record<string, JsonValue>[];
    readonly taskRuns: Record<string, JsonValue>[];
  };
}

const cases: Case[] = existsSync(CORPUS) ? (JSON.parse(readFileSync(CORPUS, 'utf8')) as Case[]) : [];
if (cases.length === 0) console.warn(`kestra corpus skipped: ${CORPUS} is absent`);

const NEEDS_TWO_EXECUTIONS = new Set(['flow-concurrency-cancel', 'flow-concurrency-queue']);
const byFlowId = new Map<string, FlowDefinition>(cases.map((c) => {
  const flow = parseFlow(c.yaml, CORE_TASK_CATALOG, 1);
  return [`${flow.namespace}.${flow.id}`, flow] as const;
}));

const run = (c: Case): DrivenExecution => {
  const flow = parseFlow(c.yaml, CORE_TASK_CATALOG, 1);
  const labels = Object.fromEntries((c.executionLabels ?? []).map((l) => [l.key, l.value]));
  const executionId = c.name.replace(/[^a-zA-Z0-9]/g, '-');
  // `raw` / `none`: the Java test put the map on the execution without validation (defaults apply at render time).
  const createdEvent: ExecutionCreated = c.inputsMode === 'typed'
    ? (decide({ type: 'CreateExecution', executionId, flow, inputs: c.inputs ?? {}, labels, now: CORPUS_START }, undefined)[0] as ExecutionCreated)
    : {
        type: 'ExecutionCreated',
        data: {
          executionId, namespace: flow.namespace, flowId: flow.id, flowRevision: flow.revision,
          inputs: (c.inputs ?? {}) as JsonObject, labels: { ...flow.labels, ...labels }, originalId: executionId, at: CORPUS_START,
        },
      };
  return driveExecution(createdEvent, flow, {
    flows: byFlowId,
    onPaused: (execution) => ({ type: 'ResumeExecution', executionId: execution.id, now: execution.stateHistory.at(-1)!.date }),
  });
};

const runsOf = (execution: Execution, taskId: string): TaskRun[] => execution.taskRuns.filter((t) => t.taskId === taskId);

const at = (value: JsonValue | undefined, path: string | readonly string[]): JsonValue | undefined =>
  (typeof path === 'string' ? path.split('.') : path).reduce<JsonValue | undefined>(
    (v, key) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined),
    value,
  );

const check = (op: string, actual: JsonValue | undefined, expected: JsonValue | undefined): void => {
  if (op === 'equals') expect(actual).toEqual(expected);
  else if (op === 'contains') expect(String(actual)).toContain(String(expected));
  else if (op === 'startsWith') expect(String(actual).startsWith(String(expected))).toBe(true);
  else if (op === 'sizeIs') expect(Object.keys((actual ?? {}) as object)).toHaveLength(expected as number);
  else if (op === 'isNull') expect(actual ?? null).toBeNull();
};

const assertOutputs = (c: Case, execution: Execution): void => {
  const byId = new Map(execution.taskRuns.map((t) => [t.id, t]));
  for (const o of c.expected.outputs) {
    if (o.target === 'taskRun' && typeof o.taskId === 'string' && typeof o.path === 'string' && !o.path.startsWith('executionId')) {
      const candidates = runsOf(execution, o.taskId);
      const runAt = Array.isArray(o.values)
        ? candidates.find((t) => JSON.stringify(valueChain(t, byId)) === JSON.stringify(o.values))
        : candidates[typeof o.index === 'number' ? o.index : 0];
      const source = o.path === 'state' ? runAt?.state : at(runAt?.outputs, o.path);
      check(String(o.op), source, o.expected);
    } else if (o.target === 'taskOutputsTree') {
      check(String(o.op), at(outputsTree(execution), o.path as string[]), o.expected);
    } else if (o.target === 'flowOutputs') {
      check(String(o.op), o.path === undefined ? execution.outputs : at(execution.outputs, String(o.path)), o.expected);
    }
  }
};

const assertTaskRuns = (c: Case, execution: Execution): void => {
  for (const expected of c.expected.taskRuns) {
    const runs = runsOf(execution, String(expected.taskId));
    if (expected.count !== undefined) expect(runs, `${expected.taskId} count`).toHaveLength(expected.count as number);
    const first = runs[0];
    if (expected.state !== undefined) expect(first?.state, `${expected.taskId} state`).toBe(expected.state);
    if (expected.attempts !== undefined) expect(first?.attempts.length, `${expected.taskId} attempts`).toBe(expected.attempts);
    if (expected.lastAttemptState !== undefined) expect(first?.attempts.at(-1)?.state).toBe(expected.lastAttemptState);
    if (expected.listIndex !== undefined) expect(execution.taskRuns[expected.listIndex as number]?.taskId).toBe(expected.taskId);
    for (const [state, count] of Object.entries((expected.historyCounts ?? {}) as Record<string, number>)) {
      expect(first?.stateHistory.filter((h) => h.state === state), `${expected.taskId} ${state} entries`).toHaveLength(count);
    }
  }
};

describe.runIf(cases.length > 0)('Kestra corpus, decided purely', () => {
  const verify = (c: Case): void => {
    const { execution, children } = run(c);
    expect(execution.state).toBe(c.expected.state);
    if (c.expected.taskRunCount !== null) expect(execution.taskRuns).toHaveLength(c.expected.taskRunCount);
    assertTaskRuns(c, execution);
    assertOutputs(c, execution);
    const child = (c.expected as { child?: { state: string; taskRunCount: number } }).child;
    if (child !== undefined) {
      expect(children[0]?.execution.state).toBe(child.state);
      expect(children[0]?.execution.taskRuns).toHaveLength(child.taskRunCount);
    }
  };
  const decided = cases.filter((c) => !NEEDS_TWO_EXECUTIONS.has(c.name));
  it.each(decided.map((c) => [c.name, c] as const))('%s', (_, c) => verify(c));
  /** Two executions of a flow with `concurrency: { limit: 1 }`: the application counts the running one. */
  const concurrent = cases.filter((c) => NEEDS_TWO_EXECUTIONS.has(c.name));
  it.each(concurrent.map((c) => [c.name, c] as const))('%s (second execution while the first runs)', (_, c) => {
    expect(run(c).execution.state).toBe(c.expected.state);
    const second = new Scenario(c.yaml, {}, 'second');
    second.when({ type: 'AdvanceExecution', executionId: 'second', concurrency: { running: 1 }, now: T(1) });
    const expected = (c.expected as { secondExecution?: { state: string; historyPrefix?: string[] } }).secondExecution;
    if (expected?.historyPrefix !== undefined) {
      second.when({ type: 'AdvanceExecution', executionId: 'second', concurrency: { running: 0 }, now: T(3) });
      for (const timer of second.execution.timers) second.fire(timer.timerId, T(6));
      expect(second.execution.stateHistory.map((h) => h.state).slice(0, expected.historyPrefix.length)).toEqual(expected.historyPrefix);
    }
    expect(second.execution.state).toBe(expected?.state);
  });
  /** Logs are not events: the `errors` case's log line is the message its Log task t2 was given, rendered with errorLogs(). */
  it.runIf(cases.some((c) => c.name === 'errors'))('errors: t2 renders the ERROR log lines of the failed task runs', () => {
    const { events } = run(cases.find((c) => c.name === 'errors')!);
    const jobs = events.flatMap((e) => (e.type === 'TaskRunCreated' && e.data.job !== undefined ? [e.data.job] : []));
    expect(jobs.find((j) => j.taskId === 't2')?.properties.message).toBe('- task: failed, message: Task failure');
  });
});
