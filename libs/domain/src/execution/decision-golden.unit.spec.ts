import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decideAndFold, evolve } from './execution.decider.js';
import type { ExecutionCommand } from './execution.commands.js';
import type { ExecutionEvent } from './execution.events.js';
import type { Execution, ExecutionState } from './execution.state.js';
import type { TaskJob } from './task-job.js';
import { isTerminal } from './state.js';
import { parseFlow } from '../flow/flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';
import { BENCHMARK01_FULL_NAMES } from '../testing/flow-fixtures.js';
import type { JsonObject } from '../shared/json.js';

/**
 * The decider's events and final states, byte for byte, on varied flows: the golden files were
 * written by the decider before its allocation cuts (issue #19: the expression context, the template
 * environment, the fold; at 1c3b5fe), so a cut that changes one byte of an event, of a rendered job
 * or of a folded state fails here; and every state a decision folds as it goes must be the plain
 * fold of its stream so far. Each flow runs twice: local tasks inside the decision (the standalone's
 * first step) and every task through a worker (a CompleteTaskRun per job, outputs as the job says).
 */

const flowFile = (name: string): string => readFileSync(new URL(`../../../../flows/${name}`, import.meta.url), 'utf8');

const T = (ms: number): string => new Date(Date.UTC(2026, 11, 7, 18, 0, 0, ms)).toISOString();

const MORE_FLOWS: Record<string, string> = {
  // FLOAT inputs print as Java doubles; labels, variables, a default, nested loops with parents.
  'doubles-loops': `id: doubles-loops
namespace: golden
labels:
  team: ops
variables:
  greeting: hi
inputs:
  - id: price
    type: FLOAT
    defaults: 5
  - id: who
    type: STRING
    defaults: World
tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.ForEach
        values: [1, 2]
        tasks:
          - id: show
            type: io.kestra.plugin.core.log.Log
            message: "{{ vars.greeting }} {{ inputs.who }} {{ inputs.price / 2 }} {{ parent.taskrun.value }} {{ parents | length }} {{ taskrun.value }} {{ labels.team }} {{ labels.system.correlationId }}"
  - id: values
    type: io.kestra.plugin.core.output.OutputValues
    values:
      price: "{{ inputs.price }}"
      all: "{{ outputs.show }}"
      tasks: "{{ tasks.show }}"
      execution: "{{ execution }}"
      flow: "{{ flow }}"
      task: "{{ task }} {{ taskrun }}"
outputs:
  - id: price
    type: STRING
    value: "{{ outputs.values.values.price }}"
`,
  // Branches, a failure handled by errors, finally, runIf, templates with set, macros and loops.
  'branches-errors': `id: branches-errors
namespace: golden
inputs:
  - id: mode
    type: STRING
    defaults: b
tasks:
  - id: choose
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.mode }}"
    cases:
      a:
        - id: in-a
          type: io.kestra.plugin.core.log.Log
          message: case a
      b:
        - id: in-b
          type: io.kestra.plugin.core.output.OutputValues
          values:
            text: "{% set n = 3 %}{% for i in range(1, n) %}{{ i }}{% if not loop.last %},{% endif %}{% endfor %} {{ uuid() | length }} {{ now() | date('yyyy') }}"
  - id: maybe
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ inputs.mode == 'a' }}"
    message: skipped
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: left
        type: io.kestra.plugin.core.log.Log
        message: "{{ outputs['in-b'].values.text }}"
      - id: right
        type: io.kestra.plugin.core.flow.If
        condition: "{{ inputs.mode == 'b' }}"
        then:
          - id: bad
            type: io.kestra.plugin.core.log.Log
            message: "{{ inputs.nothing.here }}"
errors:
  - id: handle
    type: io.kestra.plugin.core.log.Log
    message: "failed: {{ errorLogs() | length }}"
finally:
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: "done {{ execution.state }}"
`,
};

const FLOWS: readonly { readonly name: string; readonly source: string; readonly inputs: JsonObject; readonly trigger?: JsonObject }[] = [
  { name: 'benchmark01', source: BENCHMARK01_FULL_NAMES, inputs: { name: 'Ops' }, trigger: { id: 'webhook', type: 'io.kestra.plugin.core.trigger.Webhook', body: { name: 'Ops' }, headers: { 'content-type': ['application/json'] }, parameters: {} } },
  { name: 'benchmark01-defaults', source: BENCHMARK01_FULL_NAMES, inputs: {} },
  { name: 'fan-out', source: flowFile('fan-out.yml'), inputs: {} },
  { name: 'webhook-greeting', source: flowFile('webhook-greeting.yml'), inputs: {}, trigger: { id: 'greet-me', type: 'io.kestra.plugin.core.trigger.Webhook', body: { who: 'Ada' } } },
  { name: 'daily-report', source: flowFile('daily-report.yml'), inputs: {}, trigger: { id: 'weekdays-9am', type: 'io.kestra.plugin.core.trigger.Schedule', date: T(0), variables: { date: T(0) } } },
  { name: 'approval', source: flowFile('approval.yml'), inputs: { change: 'release 2.0' } },
  { name: 'doubles-loops', source: MORE_FLOWS['doubles-loops']!, inputs: { price: 7 } },
  { name: 'branches-errors', source: MORE_FLOWS['branches-errors']!, inputs: {} },
];

/** Decides commands until the execution ends or waits on nothing this driver can give: all events, every state. */
const drive = (source: string, inputs: JsonObject, trigger: JsonObject | undefined, localTasks: boolean) => {
  const flow = parseFlow(source, CORE_TASK_CATALOG, 1);
  const context = { flow, taskTypes: CORE_TASK_CATALOG, localTasks };
  const events: ExecutionEvent[] = [];
  /** The state after each command, with how many events led to it. */
  const states: { readonly state: Execution; readonly after: number }[] = [];
  let state: ExecutionState;
  let clock = 0;
  const decide = (command: ExecutionCommand): void => {
    // Frozen as the bus and the executor's cache share them: a fold that wrote into the state it
    // was given, or into an event, throws here instead of passing unseen.
    const decided = decideAndFold(command, deepFreeze(state), context);
    events.push(...decided.events.map(deepFreeze));
    state = decided.state;
    states.push({ state: state!, after: events.length });
  };
  decide({ type: 'CreateExecution', executionId: 'e-golden', flow, inputs, labels: { owner: 'golden' }, ...(trigger ? { trigger } : {}), now: T(clock++) });
  decide({ type: 'AdvanceExecution', executionId: 'e-golden', now: T(clock++) });
  const done = new Set<string>();
  for (let round = 0; round < 50 && !isTerminal(state!.state); round++) {
    if (state!.state === 'PAUSED') {
      decide({ type: 'ResumeExecution', executionId: 'e-golden', now: T(clock++) });
      continue;
    }
    const open = events.flatMap((e) => (e.type === 'TaskRunCreated' || e.type === 'TaskRunAttemptCreated') && (e.data as { job?: TaskJob }).job ? [(e.data as { job: TaskJob }).job] : [])
      .filter((job) => !done.has(`${job.taskRunId}/${job.attempt}`) && job.local !== true);
    if (open.length === 0) break;
    for (const job of open) {
      done.add(`${job.taskRunId}/${job.attempt}`);
      const report = { executionId: 'e-golden', taskRunId: job.taskRunId, attempt: job.attempt };
      decide({ type: 'StartTaskRun', ...report, workerId: 'w', now: T(clock++) });
      const values = (job.properties as JsonObject).values;
      decide({ type: 'CompleteTaskRun', ...report, outputs: values !== undefined ? { values } : {}, now: T(clock++) });
    }
  }
  return { events, states };
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
};

describe('the decider against its golden events and states', () => {
  for (const { name, source, inputs, trigger } of FLOWS) {
    for (const localTasks of [true, false]) {
      it(`${name}, local tasks ${localTasks ? 'in the decision' : 'through a worker'}`, async () => {
        const { events, states } = drive(source, inputs, trigger, localTasks);
        // Each state a decision folded as it went is its stream so far, folded from the start.
        for (const { state, after } of states) {
          expect(JSON.stringify(events.slice(0, after).reduce<ExecutionState>(evolve, undefined))).toBe(JSON.stringify(state));
        }
        // The events, and the state they end in, as the decider wrote them before the cuts.
        const golden = { events, state: states.at(-1)!.state };
        await expect(JSON.stringify(golden, null, 1)).toMatchFileSnapshot(`./__golden__/${name}${localTasks ? '' : '.worker'}.json`);
      });
    }
  }
});
