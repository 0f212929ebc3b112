import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { CodedError } from '@chronicle/errors';
import type { ExecutionCommand } from './execution.commands.js';
import { decide, evolve } from './execution.decider.js';
import type { ExecutionEvent } from './execution.events.js';
import { foldExecution } from './execution.fold.js';
import type { Execution, ExecutionState } from './execution.state.js';
import { STATES } from './state.js';
import { IllegalTransitionError } from './transitions.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/** A flow with every control path: flowables, retries, allowFailure, errors, finally, Sleep, Pause, Subflow, timeouts. */
const flow = parseFlow(
  `id: rich
namespace: props
timeout: PT1H
concurrency: { limit: 1, behavior: QUEUE }
retry: { type: constant, interval: PT1S, maxAttempt: 2 }
tasks:
  - id: par
    type: Parallel
    concurrent: 2
    tasks:
      - { id: a, type: Log, message: a, timeout: PT10S }
      - { id: b, type: Log, message: "{{ taskrun.attemptsCount }}", allowFailure: true, retry: { type: exponential, interval: PT1S, maxInterval: PT4S, maxAttempt: 2 } }
      - id: each
        type: ForEach
        values: [x, y]
        concurrencyLimit: 0
        tasks:
          - { id: c, type: OutputValues, values: { v: "{{ taskrun.value }}" } }
  - id: gate
    type: If
    condition: "{{ outputs.b is defined }}"
    then:
      - { id: nap, type: Sleep, duration: PT5S }
      - { id: wait, type: Pause, pauseDuration: PT30S, timeout: PT1M }
    else:
      - { id: child, type: Subflow, namespace: props, flowId: other, transmitFailed: true }
  - id: allow
    type: AllowFailure
    tasks: [{ id: d, type: Log, message: d }]
    errors: [{ id: d-error, type: Log, message: handled }]
errors: [{ id: on-error, type: Log, message: failed }]
finally: [{ id: always, type: Log, message: bye }]
`,
  CORE_TASK_CATALOG, 1,
);
const executionId = 'e';
const NOW = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString();

/** A command recipe, resolved against the current state (which task run, which timer) when applied. */
type Recipe = (state: Execution | undefined, now: string) => ExecutionCommand;

const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length]);

const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.constant<Recipe>((_, now) => ({ type: 'CreateExecution', executionId, flow, inputs: {}, now })),
  fc.integer({ min: 0, max: 2 }).map<Recipe>((running) => (_, now) => ({ type: 'AdvanceExecution', executionId, concurrency: { running }, now })),
  { weight: 8, arbitrary: fc.record({ i: fc.nat(), delta: fc.constantFrom(0, 0, 0, -1, 1), kind: fc.constantFrom('start', 'complete', 'complete', 'fail') }).map<Recipe>(
    ({ i, delta, kind }) => (state, now) => {
      const run = pick(state?.taskRuns ?? [], i);
      const base = { executionId, taskRunId: run?.id ?? 'e.0', attempt: Math.max(1, run?.attempts.length ?? 1) + delta, now };
      if (kind === 'start') return { type: 'StartTaskRun', ...base };
      if (kind === 'complete') return { type: 'CompleteTaskRun', ...base, outputs: { values: { v: 'x' } } };
      return { type: 'FailTaskRun', ...base, error: 'boom' };
    },
  ) },
  // What a well-behaved worker would send next: moves executions deep into the flow.
  { weight: 10, arbitrary: fc.record({ i: fc.nat(), ok: fc.constantFrom(true, true, false) }).map<Recipe>(({ i, ok }) => (state, now) => {
    const open = (state?.taskRuns ?? []).filter((t) => t.state === 'CREATED' || (t.state === 'RUNNING' && t.attempts.at(-1)?.state !== undefined && ['CREATED', 'RUNNING'].includes(t.attempts.at(-1)!.state)));
    const run = pick(open, i);
    const base = { executionId, taskRunId: run?.id ?? 'e.0', attempt: run === undefined ? 1 : run.state === 'CREATED' ? run.attempts.length + 1 : run.attempts.at(-1)!.number, now };
    return ok ? { type: 'CompleteTaskRun', ...base, outputs: { values: { v: 'x' } } } : { type: 'FailTaskRun', ...base, error: 'boom' };
  }) },
  // The flow timeout (always pending) fires rarely, or executions would mostly end killed.
  { weight: 3, arbitrary: fc.record({ i: fc.nat(), flowTimeout: fc.constantFrom(false, false, false, false, true) }).map<Recipe>(({ i, flowTimeout }) => (state, now) => {
    const timers = (state?.timers ?? []).filter((t) => flowTimeout || t.timerId !== 'e:timeout');
    return { type: 'FireTimer', executionId, timerId: pick(timers, i)?.timerId ?? 'e:none', now };
  }) },
  fc.constantFrom<Recipe>(
    (_, now) => ({ type: 'KillExecution', executionId, now }),
    (_, now) => ({ type: 'PauseExecution', executionId, now }),
    (_, now) => ({ type: 'ResumeExecution', executionId, now }),
    (_, now) => ({ type: 'ResumeExecution', executionId, approve: false, now }),
    (_, now) => ({ type: 'RestartExecution', executionId, now }),
  ),
  // A lost worker (lease expired) or a killed attempt, on any task run and attempt.
  fc.record({ i: fc.nat(), delta: fc.constantFrom(0, 0, -1, 1), killed: fc.boolean() }).map<Recipe>(({ i, delta, killed }) => (state, now) => {
    const run = pick(state?.taskRuns ?? [], i);
    const base = { executionId, taskRunId: run?.id ?? 'e.0', attempt: Math.max(1, run?.attempts.length ?? 1) + delta, now };
    return killed ? { type: 'FailTaskRun', ...base, error: 'task run killed', killed: true } : { type: 'ExpireTaskRunLease', ...base };
  }),
  fc.record({ i: fc.nat(), state: fc.constantFrom(...STATES) }).map<Recipe>(({ i, state: childState }) => (state, now) => {
    const run = pick((state?.taskRuns ?? []).filter((t) => t.childExecutionId !== undefined), i);
    return { type: 'ChildExecutionEnded', executionId, childExecutionId: run?.childExecutionId ?? 'x', taskRunId: run?.id ?? 'e.0', state: childState, now };
  }),
);

describe('execution decider properties, every control path', () => {
  it('never breaks the transition table; folding the stored events gives the state acted on; redeliveries decide nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.array(recipe, { minLength: 5, maxLength: 80 }), (running, recipes) => {
        const stream: ExecutionEvent[] = [];
        let state: ExecutionState = undefined;
        const all: Recipe[] = [(_, now) => ({ type: 'CreateExecution', executionId, flow, inputs: {}, now }), (_, now) => ({ type: 'AdvanceExecution', executionId, concurrency: { running }, now }), ...recipes];
        const made: ExecutionCommand[] = [];
        all.forEach((make, n) => {
          const command = make(state, NOW(n));
          made.push(command);
          let events: ExecutionEvent[];
          try {
            events = decide(command, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false });
          } catch (error) {
            if (error instanceof IllegalTransitionError || !(error instanceof CodedError)) {
              throw new Error(`${String(error)} after ${JSON.stringify(made.map((c) => ('flow' in c ? { ...c, flow: undefined } : c)))}`);
            }
            return;
          }
          state = events.reduce(evolve, state);
          stream.push(...events);
          expect(foldExecution(stream)).toEqual(state);
          expect(decide(command, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false })).toEqual([]);
        });
      }),
      { numRuns: 300 },
    );
  });
});
