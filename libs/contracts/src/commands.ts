import type { ChildExecutionRequested, ExecutionCommand, ExecutionRetryRequested, JsonObject } from '@chronicle/domain';
import { z } from 'zod';
import { messageContract } from './message-contract.js';
import { NAMED_LOCK_MESSAGE_TYPES, NAMED_LOCK_SCHEMAS, type NamedLockMessage } from './lock-messages.js';

/**
 * The `commands` topic, keyed by execution id, read by the executor: the commands to an
 * existing Execution aggregate (the domain's ExecutionCommand: from the API, the worker, the
 * timers, other executions), the requests to create one (a Subflow's child, a flow retry), and
 * the release of a flow concurrency slot. One contract, one version, for all of them.
 */
export type CommandsTopicMessage = BusCommand | ExecutionCreationMessage | ReleaseConcurrencySlotMessage | NamedLockMessage;

/** The commands to an existing aggregate that travel on the bus (all but CreateExecution). */
export type BusCommand = Exclude<ExecutionCommand, { readonly type: 'CreateExecution' }>;

/**
 * From ChildExecutionRequested (keyed by the child id): create the Subflow's child. The event's
 * data (the domain declares it), its flow revision as `revision`, and who asked, when.
 */
export type StartChildExecutionMessage = Omit<ChildExecutionRequested['data'], 'at' | 'flowRevision'> & {
  readonly type: 'StartChildExecution';
  readonly parentExecutionId: string;
  readonly revision?: number;
  readonly requestedAt: string;
};

/** From ExecutionRetryRequested, delivered by a durable timer at `notBefore`: create the retry execution (the event's data). */
export type CreateRetryExecutionMessage = Omit<ExecutionRetryRequested['data'], 'at'> & {
  readonly type: 'CreateRetryExecution';
  readonly retriedExecutionId: string;
};

export type ExecutionCreationMessage = StartChildExecutionMessage | CreateRetryExecutionMessage;

/**
 * From the terminal event of an execution of a flow with a concurrency limit (keyed by its id):
 * free its slot and start the next queued execution(s) of its pool (see ConcurrencySlots).
 */
export interface ReleaseConcurrencySlotMessage {
  readonly type: 'ReleaseConcurrencySlot';
  readonly executionId: string;
  readonly namespace: string;
  readonly flowId: string;
  /** The rendered `concurrency.key`; '' when the flow has none. */
  readonly concurrencyKey: string;
  readonly limit: number;
  readonly endedAt: string;
}

export const EXECUTION_CREATION_MESSAGE_TYPES: ReadonlySet<string> = new Set(['StartChildExecution', 'CreateRetryExecution']);

const id = z.string().min(1);
const attempt = { taskRunId: z.string(), attempt: z.number() };
const outputs = z.custom<JsonObject>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object of outputs');

/**
 * The fields each command needs to be handled; the rest of a command (its options, metrics,
 * answers) is the domain's and passes through as it is.
 */
const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.looseObject({ type: z.literal(type), executionId: id, now: z.string(), ...shape });

const BUS_COMMAND_SCHEMAS = [
  command('AdvanceExecution', {}),
  command('StartTaskRun', attempt),
  command('CompleteTaskRun', { ...attempt, outputs }),
  command('FailTaskRun', { ...attempt, error: z.string() }),
  command('KillExecution', {}),
  command('PauseExecution', {}),
  command('ResumeExecution', {}),
  command('ResumeAnswered', {}),
  command('RestartExecution', {}),
  command('FireTimer', { timerId: id }),
  command('ChildExecutionEnded', { childExecutionId: z.string(), taskRunId: z.string(), state: z.string() }),
  command('ReportTaskRunAlive', attempt),
  command('ExpireTaskRunLease', attempt),
  command('UpdateExecution', {}),
  command('WatchExecution', { watcher: z.looseObject({ executionId: z.string(), taskRunId: z.string(), namespace: z.string() }) }),
  command('WatchedExecutionEnded', { taskRunId: z.string(), watchedExecutionId: z.string(), state: z.string() }),
  command('ResolveWatchTarget', { taskRunId: z.string(), labels: z.record(z.string(), z.string()) }),
  command('GrantLocks', { holder: z.string().min(1), names: z.array(z.string()) }),
  command('RevokeLock', { holder: z.string().min(1), name: z.string().min(1), by: z.string().min(1) }),
  command('ResolveBreakpoint', {}),
  command('RewindExecution', { rewindId: z.string().min(1) }),
] as const;

/** The command types that travel on the bus (CreateExecution never does: the API creates executions). */
export const BUS_COMMANDS: ReadonlySet<string> = new Set(BUS_COMMAND_SCHEMAS.map((s) => s.shape.type.value));

const CREATION_AND_RELEASE_SCHEMAS = [
  z.looseObject({ type: z.literal('StartChildExecution'), parentExecutionId: id, childExecutionId: id, taskRunId: id, namespace: id, flowId: id }),
  z.looseObject({ type: z.literal('CreateRetryExecution'), retriedExecutionId: id, newExecutionId: id, originalId: id, namespace: id, flowId: id }),
  z.looseObject({ type: z.literal('ReleaseConcurrencySlot'), executionId: id, namespace: id, flowId: id, concurrencyKey: z.string(), limit: z.number().min(1) }),
  // Named locks (lock-messages.ts): a claim for the lock table, and the release of a holder's locks.
  ...NAMED_LOCK_SCHEMAS,
] as const;

const ALL_TYPES = [...BUS_COMMANDS, ...CREATION_AND_RELEASE_SCHEMAS.map((s) => s.shape.type.value)];

export const COMMANDS_CONTRACT = messageContract<CommandsTopicMessage>('commands', 1, z.discriminatedUnion('type', [...BUS_COMMAND_SCHEMAS, ...CREATION_AND_RELEASE_SCHEMAS], {
  error: (issue) => (issue.code === 'invalid_union' ? `unknown command type ${JSON.stringify((issue.input as { type?: unknown })?.type)}; expected one of ${ALL_TYPES.join(', ')}` : undefined),
}));

/** The producers' side: a commands-topic message with this build's schemaVersion. */
export const commandMessage = <M extends CommandsTopicMessage>(message: M) => COMMANDS_CONTRACT.stamp(message);

/** Checks a commands-topic message; a malformed one or one of an unknown version is poison (DLQ). */
export const parseCommandsMessage = (value: unknown): CommandsTopicMessage => COMMANDS_CONTRACT.parse(value);

export const isExecutionCreation = (m: CommandsTopicMessage): m is ExecutionCreationMessage => EXECUTION_CREATION_MESSAGE_TYPES.has(m.type);
export const isSlotRelease = (m: CommandsTopicMessage): m is ReleaseConcurrencySlotMessage => m.type === 'ReleaseConcurrencySlot';
export const isNamedLockMessage = (m: CommandsTopicMessage): m is NamedLockMessage => NAMED_LOCK_MESSAGE_TYPES.has(m.type);
