import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { CodedError } from '@chronicle/errors';
import type { ExecutionCommand } from './execution.commands.js';
import { decide, evolve } from './execution.decider.js';
import type { ExecutionEvent } from './execution.events.js';
import { foldExecution } from './execution.fold.js';
import type { ExecutionState } from './execution.state.js';
import { IllegalTransitionError } from './transitions.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const flow = parseFlow(
  `id: three
namespace: props
inputs:
  - id: name
    type: STRING
    defaults: World
tasks:
  - id: a
    type: OutputValues
    values:
      v: "{{ inputs.name }}"
  - id: b
    type: Log
    message: "{{ outputs.a.values.v ?? 'none' }}"
  - id: c
    type: Log
    message: "{{ outputs.b.values.v ?? outputs.a.values.v }}"
`,
  CORE_TASK_CATALOG, 4,
);
const executionId = 'e';

const validCreate: ExecutionCommand = { type: 'CreateExecution', executionId, flow, inputs: {}, now: 't' };

/** Commands with small id and attempt spaces, so duplicates, stale and out-of-order ones abound. */
const command: fc.Arbitrary<ExecutionCommand> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ inputs: fc.constantFrom({}, { name: 'Ada' }, { name: { bad: true } }) }).map(
    ({ inputs }): ExecutionCommand => ({ type: 'CreateExecution', executionId, flow, inputs, now: 't' }),
  ) },
  { weight: 1, arbitrary: fc.constant<ExecutionCommand>({ type: 'AdvanceExecution', executionId, now: 't' }) },
  { weight: 6, arbitrary: fc.record({
    n: fc.integer({ min: 0, max: 3 }),
    // Mostly the right attempt, sometimes a stale or future one.
    attempt: fc.constantFrom(1, 1, 1, 1, 0, 2),
    kind: fc.constantFrom('start', 'complete', 'complete', 'fail'),
    // Empty outputs make a later expression undefined: the render-failure path gets explored too.
    withOutputs: fc.boolean(),
  }).map(
    ({ n, attempt, kind, withOutputs }): ExecutionCommand => {
      const base = { executionId, taskRunId: `${executionId}.${n}`, attempt, now: `t${n}` };
      if (kind === 'start') return { type: 'StartTaskRun', ...base };
      if (kind === 'complete') return { type: 'CompleteTaskRun', ...base, outputs: withOutputs ? { values: { v: `out-${n}` } } : {} };
      return { type: 'FailTaskRun', ...base, error: 'boom' };
    },
  ) },
);

describe('execution decider properties', () => {
  it('never breaks the transition table, and folding the emitted events equals the state decided on', () => {
    fc.assert(
      // Most runs begin with a valid creation and start, so that the random rest reaches deep states.
      fc.property(fc.boolean(), fc.array(command, { minLength: 5, maxLength: 60 }), (prelude, rest) => {
        const commands: ExecutionCommand[] = [
          ...(prelude ? [validCreate, { type: 'AdvanceExecution', executionId, now: 't' } as const] : []),
          ...rest,
        ];
        const stream: ExecutionEvent[] = [];
        let state: ExecutionState = undefined;
        for (const c of commands) {
          let events: ExecutionEvent[];
          try {
            events = decide(c, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false });
          } catch (error) {
            // Rejected commands (not found, bad inputs) are fine; an illegal transition never is.
            if (error instanceof IllegalTransitionError || !(error instanceof CodedError)) throw error;
            continue;
          }
          state = events.reduce(evolve, state);
          stream.push(...events);
          expect(foldExecution(stream)).toEqual(state);
          // A redelivered command decides nothing new.
          expect(decide(c, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false })).toEqual([]);
        }
        if (state !== undefined) expect(state.revision).toBe(stream.length - 1);
      }),
      { numRuns: 500 },
    );
  });

  it('reaches SUCCESS when the commands a worker would send arrive in order', () => {
    fc.assert(
      fc.property(fc.boolean(), (skipStarts) => {
        let state: ExecutionState = undefined;
        const run = (c: ExecutionCommand) => (state = decide(c, state, { taskTypes: CORE_TASK_CATALOG, flow, localTasks: false }).reduce(evolve, state));
        run({ type: 'CreateExecution', executionId, flow, inputs: {}, now: 't' });
        run({ type: 'AdvanceExecution', executionId, now: 't' });
        for (let n = 0; n < 3; n++) {
          const base = { executionId, taskRunId: `${executionId}.${n}`, attempt: 1, now: 't' };
          if (!skipStarts) run({ type: 'StartTaskRun', ...base });
          run({ type: 'CompleteTaskRun', ...base, outputs: n === 1 ? {} : { values: { v: `out-${n}` } } });
        }
        const final = state as ExecutionState;
        expect(final?.state).toBe('SUCCESS');
        expect(final?.taskRuns.map((t) => t.state)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
      }),
      { numRuns: 4 },
    );
  });
});
