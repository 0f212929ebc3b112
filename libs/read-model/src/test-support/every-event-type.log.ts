import { randomUUID } from 'node:crypto';
import {
  decide, evolve, executionStreamId, flowStreamId, parseFlow, EXECUTION_EVENT_SCHEMA_VERSION, FLOW_EVENT_SCHEMA_VERSION,
  type ExecutionCommand, type ExecutionEvent, type ExecutionState, type FlowDefinition,
} from '@chronicle/domain';
import type { AppendRequest, EventData } from '@chronicle/event-store';
import { CORE_TASK_CATALOG } from '@chronicle/domain';

/** Every event type the execution projection reads: the log below holds each of them. */
export const PROJECTED_EVENT_TYPES = [
  'ExecutionCreated', 'ExecutionStarted', 'TaskRunCreated', 'TaskRunStarted', 'TaskRunSucceeded', 'TaskRunFailed', 'ExecutionSucceeded',
  'ExecutionFailed', 'TaskRunAttemptCreated', 'TaskRunStateChanged', 'ExecutionStateChanged', 'TimerScheduled', 'TimerCancelled',
  'TimerFired', 'ChildExecutionRequested', 'TaskRunKillRequested', 'ExecutionRetryRequested', 'ExecutionLabelsChanged', 'ExecutionResumeRequested',
  'ExecutionResumeAnswered', 'ExecutionVariablesChanged', 'TaskRunProgressed', 'ExecutionRewound',
  'FlowRevisionDeployed', 'FlowDisabled', 'FlowEnabled', 'FlowDeleted',
] as const satisfies readonly (ExecutionEvent['type'] | 'FlowRevisionDeployed' | 'FlowDisabled' | 'FlowEnabled' | 'FlowDeleted')[];

const FLOWS = {
  hello: 'id: hello\nnamespace: ops\nlabels: { team: ops }\ninputs:\n  - { id: name, type: STRING, defaults: World }\ntasks:\n  - { id: greet, type: OutputValues, values: { message: "Hello {{ inputs.name }}" } }\n  - { id: log, type: Log, message: "{{ outputs.greet.values.message }}" }\n',
  retried: 'id: retried\nnamespace: ops\ntasks:\n  - id: seq\n    type: Sequential\n    tasks:\n      - { id: a, type: Log, message: a, retry: { type: constant, interval: PT1S, maxAttempt: 2 } }\n',
  flowRetry: 'id: flow-retry\nnamespace: ops\nretry: { behavior: CREATE_NEW_EXECUTION, type: constant, interval: PT30S, maxAttempt: 2 }\ntasks: [{ id: a, type: Log, message: a }]\n',
  labelled: 'id: labelled\nnamespace: ops\nlabels: { team: ops }\ntasks:\n  - { id: label, type: io.kestra.plugin.core.execution.Labels, labels: { stage: "{{ flow.id }}" } }\n  - { id: resume, type: io.kestra.plugin.core.execution.Resume, executionId: "{{ execution.id }}-other" }\n  - { id: vars, type: io.kestra.plugin.core.execution.SetVariables, variables: { a: b } }\n',
  forEachItem: 'id: for-each-item\nnamespace: ops\ntasks:\n  - { id: each, type: io.kestra.plugin.core.flow.ForEachItem, items: "kestra:///ops/items.txt", namespace: ops, flowId: hello, inputs: { name: "{{ taskrun.items }}" } }\n',
  parent: 'id: parent\nnamespace: ops\ntasks:\n  - { id: child, type: Subflow, namespace: ops, flowId: hello, revision: 1 }\n',
} as const;

/** Drives one execution with the domain's own decider (what the executor would append). */
class Run {
  readonly events: ExecutionEvent[] = [];
  private state: ExecutionState = undefined;
  private clock: number;

  constructor(readonly id: string, private readonly flow: FlowDefinition, start: number, inputs: Record<string, string> = {}) {
    this.clock = start;
    this.when({ type: 'CreateExecution', executionId: id, flow, inputs, now: this.now() } as ExecutionCommand);
    this.when({ type: 'AdvanceExecution', executionId: id, now: this.now() } as ExecutionCommand);
  }

  private now(): string {
    return new Date((this.clock += 1000)).toISOString();
  }

  private when(command: ExecutionCommand): this {
    // Local tasks off: the log plays the worker, so that every worker-report event type appears.
    const decided = decide(command, this.state, { taskTypes: CORE_TASK_CATALOG, flow: this.flow, localTasks: false });
    for (const event of decided) this.state = evolve(this.state, event);
    this.events.push(...decided);
    return this;
  }

  private run(taskId: string) {
    const run = this.state!.taskRuns.filter((t) => t.taskId === taskId).at(-1);
    if (!run) throw new Error(`${this.id}: no task run of ${taskId}`);
    return run;
  }

  private attempt(taskId: string): number {
    const run = this.run(taskId);
    // A task run created again after a rewind starts after the attempts its abandoned branch used.
    return run.state === 'CREATED' ? run.attempts.length + 1 : Math.max(1, run.attempts.length);
  }

  /** Rewinds the execution in place to its savepoint before `taskId`. */
  rewind(taskId: string): this {
    return this.when({ type: 'RewindExecution', executionId: this.id, rewindId: `${this.id}:rewind`, beforeTaskId: taskId, reason: 'every event type', now: this.now() } as ExecutionCommand);
  }

  start(taskId: string): this {
    return this.when({ type: 'StartTaskRun', executionId: this.id, taskRunId: this.run(taskId).id, attempt: this.attempt(taskId), workerId: 'w-1', now: this.now() } as ExecutionCommand);
  }

  complete(taskId: string, outputs: Record<string, unknown> = {}): this {
    this.start(taskId);
    return this.when({ type: 'CompleteTaskRun', executionId: this.id, taskRunId: this.run(taskId).id, attempt: this.attempt(taskId), outputs, now: this.now() } as ExecutionCommand);
  }

  fail(taskId: string, error = 'boom'): this {
    this.start(taskId);
    return this.when({ type: 'FailTaskRun', executionId: this.id, taskRunId: this.run(taskId).id, attempt: this.attempt(taskId), error, now: this.now() } as ExecutionCommand);
  }

  fireTimers(): this {
    for (const timer of [...this.state!.timers]) this.when({ type: 'FireTimer', executionId: this.id, timerId: timer.timerId, now: this.now() } as ExecutionCommand);
    return this;
  }

  control(type: 'KillExecution' | 'PauseExecution' | 'ResumeExecution' | 'RestartExecution'): this {
    return this.when({ type, executionId: this.id, now: this.now(), ...(type === 'ResumeExecution' ? { approve: true } : {}) } as ExecutionCommand);
  }

  /** A Resume task's request (ResumeExecution with requestedBy): answered with ExecutionResumeAnswered. */
  resumeRequestedBy(executionId: string, taskRunId: string): this {
    return this.when({ type: 'ResumeExecution', executionId: this.id, approve: true, requestedBy: { executionId, taskRunId }, now: this.now() } as ExecutionCommand);
  }

  /** The target of this execution's Resume task `taskId` answered. */
  resumeAnswered(taskId: string, resumed: boolean): this {
    return this.when({ type: 'ResumeAnswered', executionId: this.id, taskRunId: this.run(taskId).id, targetExecutionId: `${this.id}-other`, resumed, now: this.now() } as ExecutionCommand);
  }

  childEnded(taskId: string, childId: string, state: 'SUCCESS' | 'FAILED'): this {
    return this.when({ type: 'ChildExecutionEnded', executionId: this.id, taskRunId: this.run(taskId).id, childExecutionId: childId, state, outputs: {}, now: this.now() } as ExecutionCommand);
  }

  get childExecutionId(): string {
    const requested = this.events.find((e) => e.type === 'ChildExecutionRequested');
    return (requested as { data: { childExecutionId: string } }).data.childExecutionId;
  }
}

const envelope = (type: string, data: unknown, at: string, schemaVersion: number): EventData => ({
  id: randomUUID(), type, data, metadata: { schemaVersion, occurredAt: at, correlationId: 'every-event-type' },
});

const toEventData = (events: readonly ExecutionEvent[]): EventData[] =>
  events.map((e) => envelope(e.type, e.data, (e.data as { at: string }).at, EXECUTION_EVENT_SCHEMA_VERSION));

/**
 * A log of `rounds` rounds of executions that between them hold every projected event type:
 * successes, retries, failures and restarts, flow retries, pauses, kills, subflows, and flow
 * deploys, disables, enables and deletes. Each request is one append (as the executor does).
 */
export function everyEventTypeLog(rounds: number, options: { start?: number; idPrefix?: string; flows?: boolean } = {}): AppendRequest[] {
  const start = options.start ?? Date.parse('2025-01-01T00:00:00.000Z');
  const withFlows = options.flows ?? true;
  const flows = Object.fromEntries(Object.entries(FLOWS).map(([key, yaml]) => [key, parseFlow(yaml, CORE_TASK_CATALOG, 1)])) as Record<keyof typeof FLOWS, FlowDefinition>;
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const requests: AppendRequest[] = !withFlows ? [] : Object.entries(FLOWS).map(([key, yaml]) => {
    const flow = flows[key as keyof typeof FLOWS];
    return {
      streamId: flowStreamId(flow.namespace, flow.id),
      expectedRevision: 'no_stream',
      events: [envelope('FlowRevisionDeployed', { namespace: flow.namespace, flowId: flow.id, revision: 1, source: yaml, definition: flow, at: at(0) }, at(0), FLOW_EVENT_SCHEMA_VERSION)],
    };
  });
  for (let round = 0; round < rounds; round++) {
    const t = start + round * 60_000;
    const id = (name: string) => `${options.idPrefix ?? ''}${name}-${String(round).padStart(5, '0')}`;
    const runs = [
      new Run(id('ok'), flows.hello, t, { name: `n${round}` }).complete('greet', { values: { message: `Hello n${round}` } }).complete('log'),
      // Retry, then fail for good; then restart and succeed.
      new Run(id('retry'), flows.retried, t).fail('a').fireTimers().fail('a').control('RestartExecution').complete('a'),
      new Run(id('flow-retry'), flows.flowRetry, t).fail('a'),
      new Run(id('pause'), flows.hello, t).complete('greet', { values: { message: 'hi' } }).control('PauseExecution').resumeRequestedBy(id('labelled'), `${id('labelled')}.1`).complete('log'),
      // A retry timer pending when the execution is killed: cancelled.
      new Run(id('kill'), flows.retried, t).fail('a').control('KillExecution'),
      new Run(id('kill-running'), flows.hello, t).start('greet').control('KillExecution'),
      new Run(id('labelled'), flows.labelled, t).resumeAnswered('resume', true),
      // Ended, rewound in place before its last task, which runs again as attempt 2.
      new Run(id('rewound'), flows.hello, t).complete('greet', { values: { message: 'hi' } }).complete('log').rewind('log').complete('log'),
    ];
    const parent = new Run(id('parent'), flows.parent, t);
    const child = new Run(parent.childExecutionId, flows.hello, t + 5_000).complete('greet', { values: { message: 'child' } }).complete('log');
    parent.childEnded('child', parent.childExecutionId, 'SUCCESS');
    runs.push(parent, child);
    const each = new Run(id('each'), flows.forEachItem, t).complete('each_split', { splits: 'kestra:///ops/splits.txt', uris: ['kestra:///ops/1.txt'] });
    each.childEnded('each_items', each.childExecutionId, 'SUCCESS').complete('each_merge');
    runs.push(each);
    for (const run of runs) requests.push({ streamId: executionStreamId(run.id), expectedRevision: 'no_stream', events: toEventData(run.events) });
  }
  if (!withFlows) return requests;
  const hello = flowStreamId('ops', 'hello');
  const retry = flowStreamId('ops', 'flow-retry');
  requests.push({ streamId: hello, expectedRevision: 0n, events: [envelope('FlowDisabled', { namespace: 'ops', flowId: 'hello', at: at(1) }, at(1), FLOW_EVENT_SCHEMA_VERSION)] });
  requests.push({ streamId: hello, expectedRevision: 1n, events: [envelope('FlowEnabled', { namespace: 'ops', flowId: 'hello', at: at(2) }, at(2), FLOW_EVENT_SCHEMA_VERSION)] });
  requests.push({ streamId: retry, expectedRevision: 0n, events: [envelope('FlowDeleted', { namespace: 'ops', flowId: 'flow-retry', at: at(3) }, at(3), FLOW_EVENT_SCHEMA_VERSION)] });
  return requests;
}
