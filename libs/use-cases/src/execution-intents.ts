import { isTerminal, type ExecutionCommand, type ExecutionEvent, type JsonObject, type TaskJob } from '@chronicle/domain';
import type { RecordedEvent } from '@chronicle/event-store';
import type { BusMessage, Topics } from '@chronicle/messaging';
import { timerMessage, type TimerMessage } from '@chronicle/contracts';
import type { CreateRetryExecutionMessage, ReleaseConcurrencySlotMessage, StartChildExecutionMessage } from '@chronicle/contracts';
import { commandMessage, eventLogLines, killTaskRunMessage, logLinesWithRows, stampFor, toDomainEvent } from '@chronicle/contracts';
import { failureLogOf, isLoggedFailure } from './failure-logs.js';
import { acquireLocksMessage, releaseLocksMessage, reprioritizeLocksMessage } from './locks/lock-intents.js';
import { firstStepWritten } from './first-decision.js';

/**
 * What must be sent once an event is durably in the log: the stream is the outbox and
 * these are its messages. Pure, so the relay can re-derive them after a crash.
 * The terminal events are here because a child execution must tell its parent it ended.
 */
export const INTENT_EVENT_TYPES = [
  'ExecutionCreated',
  'TaskRunCreated',
  'TaskRunAttemptCreated',
  'TimerScheduled',
  'TimerCancelled',
  'ChildExecutionRequested',
  'TaskRunKillRequested',
  'ExecutionRetryRequested',
  'ExecutionResumeRequested',
  'ExecutionResumeAnswered',
  'ExecutionWatchRequested',
  'ExecutionEndNotified',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionStateChanged',
  // Failures get their ERROR log line from here (see failure-logs.ts).
  'TaskRunFailed',
  'TaskRunStateChanged',
  // Named locks: the lock table queues, grants and frees claims (locks/).
  'LocksRequested',
  'LocksReleased',
  // A new priority moves the execution's waiting lock claims in their queues.
  'ExecutionUpdated',
] as const satisfies readonly ExecutionEvent['type'][];

export interface Intent {
  readonly topic: string;
  readonly message: BusMessage;
}

/**
 * Facts about the event's execution that the event itself does not carry, looked up by the
 * relay (see IntentContextCache): who the parent is (from ExecutionCreated).
 */
export interface IntentContext {
  readonly parent?: { readonly executionId: string; readonly taskRunId: string };
  /** For a child's terminal event: its task outputs tree (the Subflow task's `outputs:` reads it). */
  readonly taskOutputs?: JsonObject;
  /** For a task run's failure: the task id its ERROR log line carries. */
  readonly taskId?: string;
  /** The execution holds a slot of its flow's concurrency pool (ExecutionCreated.concurrencyLimit). */
  readonly concurrency?: ConcurrencyFacts;
}

export interface ConcurrencyFacts {
  readonly namespace: string;
  readonly flowId: string;
  readonly key: string;
  readonly limit: number;
}

/** The concurrency pool an ExecutionCreated event puts its execution in, if its flow has a limit. */
export function concurrencyFactsOf(created: RecordedEvent | { readonly data: unknown }): ConcurrencyFacts | undefined {
  const data = created.data as { namespace?: string; flowId?: string; concurrencyKey?: string; concurrencyLimit?: number } | undefined;
  if (data?.concurrencyLimit === undefined || data.namespace === undefined || data.flowId === undefined) return undefined;
  return { namespace: data.namespace, flowId: data.flowId, key: data.concurrencyKey ?? '', limit: data.concurrencyLimit };
}

/** Whether `intentsOf(event)` needs an IntentContext (only then the relay looks one up). */
export function needsIntentContext(event: RecordedEvent): boolean {
  return isLoggedFailure(event) || endsExecution(event);
}

/** The event that ends an execution (until a restart or a rerun starts it again). */
export function endsExecution(event: RecordedEvent): boolean {
  if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') return true;
  if (event.type !== 'ExecutionStateChanged') return false;
  return isTerminal((event.data as { state: string }).state as never);
}

/** The execution id of a stream `execution-<id>`. */
export const executionIdOfStream = (streamId: string): string => streamId.replace(/^execution-/, '');

export function intentsOf(event: RecordedEvent, topics: Topics, context: IntentContext = {}): Intent[] {
  const executionId = executionIdOfStream(event.streamId);
  // Every message leaves with its topic contract's schemaVersion (libs/contracts).
  const send = (topic: string, key: string, value: unknown): Intent => ({ topic, message: { key, value: stampFor(topics, topic, value), headers: causation(event) } });
  // Upcast: an event stored by an older schema version yields the same intents as a current one.
  const domain = toDomainEvent(event);
  switch (domain.type) {
    case 'ExecutionCreated': {
      // Its first step was written with it (see FirstDecision): nothing left to advance.
      if (firstStepWritten(event)) return [];
      const data = domain.data;
      const command: ExecutionCommand = { type: 'AdvanceExecution', executionId: data.executionId, now: data.at };
      return [send(topics.commands, data.executionId, command)];
    }
    case 'TaskRunCreated':
    case 'TaskRunAttemptCreated': {
      const job = (domain.data as { job?: TaskJob }).job;
      if (!job) return [];
      // The executor ran a local job in the decision that recorded it: only its log lines are left to send.
      if (job.local) return logLines(event, executionId, domain).map((line) => send(topics.logs, executionId, line));
      return [send(topics.tasks, job.executionId, job)];
    }
    case 'TimerScheduled': {
      const { timerId, fireAt, purpose, taskRunId } = domain.data;
      const message: TimerMessage = timerMessage.schedule({ timerId, executionId, fireAt, purpose, ...(taskRunId ? { taskRunId } : {}) });
      const lines = logLines(event, executionId, domain).map((line) => send(topics.logs, executionId, line));
      return [...lines, send(topics.timers, executionId, message)];
    }
    case 'TimerCancelled':
      return [send(topics.timers, executionId, timerMessage.cancel({ timerId: domain.data.timerId, executionId }))];
    case 'ChildExecutionRequested': {
      const { at: _at, flowRevision, ...request } = domain.data;
      const message: StartChildExecutionMessage = {
        type: 'StartChildExecution', parentExecutionId: executionId, ...request, ...(flowRevision !== undefined ? { revision: flowRevision } : {}), requestedAt: domain.data.at,
      };
      return [send(topics.commands, domain.data.childExecutionId, message)];
    }
    case 'TaskRunKillRequested': {
      const { taskRunId, attempt } = domain.data;
      const { childExecutionId: child, reason } = domain.data;
      // A Subflow's attempt is its child execution: kill that (and, through it, its children).
      if (child) {
        const command: ExecutionCommand = { type: 'KillExecution', executionId: child, reason: reason ?? `parent execution ${executionId} is being killed`, now: domain.data.at };
        return [send(topics.commands, child, command)];
      }
      const message = killTaskRunMessage({ executionId, taskRunId, attempt, reason: 'the execution is being killed' });
      return [send(topics.control, executionId, message)];
    }
    case 'ExecutionRetryRequested': {
      // The new execution must not start before the backoff: a durable timer delivers the request.
      const { at: _at, ...request } = domain.data;
      const message: CreateRetryExecutionMessage = { type: 'CreateRetryExecution', retriedExecutionId: executionId, ...request };
      const timer = timerMessage.schedule({
        timerId: `retry-execution:${request.newExecutionId}`,
        executionId,
        fireAt: request.notBefore,
        purpose: 'retry',
        deliver: { key: request.newExecutionId, value: commandMessage(message) as unknown as JsonObject },
      });
      return [send(topics.timers, executionId, timer)];
    }
    case 'ExecutionResumeRequested': {
      // The Resume task: the target execution's own decider resumes it (if it is PAUSED) and answers.
      const { taskRunId, targetExecutionId, inputs, requesterNamespace, at } = domain.data;
      const command: ExecutionCommand = {
        type: 'ResumeExecution', executionId: targetExecutionId, approve: true, ...(inputs !== undefined ? { inputs } : {}),
        requestedBy: { executionId, taskRunId, ...(requesterNamespace !== undefined ? { namespace: requesterNamespace } : {}) }, now: at,
      };
      return [send(topics.commands, targetExecutionId, command)];
    }
    case 'ExecutionResumeAnswered': {
      // The Resume task's execution learns whether its target was PAUSED (its task run ends SUCCESS or FAILED).
      const { requestedBy, resumed, state, error, at } = domain.data;
      const command: ExecutionCommand = {
        type: 'ResumeAnswered', executionId: requestedBy.executionId, taskRunId: requestedBy.taskRunId, targetExecutionId: executionId, resumed,
        ...(resumed ? {} : { error: error ?? `execution ${executionId} is not paused (it is ${state})` }), now: at,
      };
      return [send(topics.commands, requestedBy.executionId, command)];
    }
    case 'ExecutionWatchRequested': {
      // WaitForExecution: the target's own decider keeps the watcher and answers when it reaches a
      // wanted state or ends; a target chosen by labels is looked up first (the executor asks the read model).
      const { taskRunId, targetExecutionId, targetLabels, namespace, states, at } = domain.data;
      if (targetExecutionId === undefined) {
        if (targetLabels === undefined) return [];
        const command: ExecutionCommand = { type: 'ResolveWatchTarget', executionId, taskRunId, labels: targetLabels, now: at };
        return [send(topics.commands, executionId, command)];
      }
      const command: ExecutionCommand = { type: 'WatchExecution', executionId: targetExecutionId, watcher: { executionId, taskRunId, namespace, ...(states !== undefined ? { states } : {}) }, now: at };
      return [send(topics.commands, targetExecutionId, command)];
    }
    case 'ExecutionEndNotified': {
      const { watcher, state, error, at } = domain.data;
      const command: ExecutionCommand = { type: 'WatchedExecutionEnded', executionId: watcher.executionId, taskRunId: watcher.taskRunId, watchedExecutionId: executionId, state, ...(error !== undefined ? { error } : {}), now: at };
      return [send(topics.commands, watcher.executionId, command)];
    }
    case 'ExecutionSucceeded':
      return [
        ...childEnded(send, topics, executionId, context, 'SUCCESS', domain.data.at, domain.data.outputs),
        ...releaseSlot(send, topics, executionId, context, domain.data.at),
      ];
    case 'ExecutionFailed':
      return [
        ...childEnded(send, topics, executionId, context, 'FAILED', domain.data.at, undefined, domain.data.error),
        ...releaseSlot(send, topics, executionId, context, domain.data.at),
      ];
    case 'ExecutionStateChanged': {
      const { state, at, outputs, error, reason } = domain.data;
      if (!isTerminal(state)) return [];
      return [
        ...(endsChild(state) ? childEnded(send, topics, executionId, context, state, at, outputs, error ?? reason) : []),
        ...releaseSlot(send, topics, executionId, context, at),
      ];
    }
    case 'LocksRequested':
      return [send(topics.commands, executionId, acquireLocksMessage(executionId, domain))];
    case 'LocksReleased':
      return [send(topics.commands, executionId, releaseLocksMessage(executionId, domain))];
    case 'ExecutionUpdated': {
      const message = reprioritizeLocksMessage(executionId, domain);
      return message ? [send(topics.commands, executionId, message)] : [];
    }
    case 'TaskRunFailed':
    case 'TaskRunStateChanged': {
      const line = failureLogOf(event, context.taskId);
      return line ? [send(topics.logs, executionId, line)] : [];
    }
    default:
      return [];
  }
}

/** The lines the event carries for the log, unless the projection stores them with the execution's rows (LOG_LINES_WITH_ROWS). */
const logLines = (event: RecordedEvent, executionId: string, domain: ExecutionEvent) => (logLinesWithRows(event) ? [] : eventLogLines(executionId, domain));

/** An execution of a limited flow ended (any terminal state): its slot goes to the next queued one. */
function releaseSlot(send: (topic: string, key: string, value: unknown) => Intent, topics: Topics, executionId: string, context: IntentContext, at: string): Intent[] {
  const facts = context.concurrency;
  if (!facts) return [];
  const message: ReleaseConcurrencySlotMessage = {
    type: 'ReleaseConcurrencySlot', executionId, namespace: facts.namespace, flowId: facts.flowId, concurrencyKey: facts.key, limit: facts.limit, endedAt: at,
  };
  return [send(topics.commands, executionId, message)];
}

/** A terminal state a parent waits for; RETRIED is not one: the retry execution reports instead. */
const endsChild = (state: string): boolean => state !== 'RETRIED' && isTerminal(state as never);

function childEnded(
  send: (topic: string, key: string, value: unknown) => Intent,
  topics: Topics,
  childExecutionId: string,
  context: IntentContext,
  state: string,
  at: string,
  outputs?: JsonObject,
  error?: string,
): Intent[] {
  const parent = context.parent;
  if (!parent) return [];
  const command = {
    type: 'ChildExecutionEnded',
    executionId: parent.executionId,
    childExecutionId,
    taskRunId: parent.taskRunId,
    state,
    ...(outputs ? { outputs } : {}),
    ...(context.taskOutputs ? { taskOutputs: context.taskOutputs } : {}),
    ...(error ? { error } : {}),
    now: at,
  } as ExecutionCommand;
  return [send(topics.commands, parent.executionId, command)];
}

/** Causation headers; `traceparent` carries the event's trace to the consumer of the message. */
const causation = (event: RecordedEvent) => ({
  'chronicle-causation-id': event.id,
  'chronicle-position': event.position.toString(),
  ...(typeof event.metadata?.traceparent === 'string' ? { traceparent: event.metadata.traceparent } : {}),
});
