import type { HealthCheck } from '@chronicle/composition';
import type {
  BackfillRequest, BackfillResult, ControlRequest, CreatedExecution, CreateExecutionRequest, DeployedFlow, FlowLifecycleAction,
  FlowLifecycleResult, KeyValueStore, SentCommand, StoredLockClaim, TriggeredStart,
} from '@chronicle/use-cases';

/**
 * Dependency-injection tokens of the gateway: one per port and one per use case, bound at
 * registration (gateway.providers.ts; the ports by PlatformModule). Controllers and resolvers inject only what they use;
 * none of them builds a store.
 */

// Ports bound by the platform (adapters chosen by @chronicle/composition from the configuration):
// one token per port, the same in every app.
export {
  CLOCK, CONFIG, DEAD_LETTERS, EVENT_STORE, EXECUTIONS, FLOWS, HEALTH_CHECKS, INTERNAL_STORAGE, KV_STORE, NAMED_LOCKS, STALLED_EXECUTIONS,
  TRIGGER_STATE_CACHE, TRIGGER_STATES,
} from '@chronicle/composition';
// The gateway's own (gateway.module.ts).
export const READ_MODEL = Symbol('READ_MODEL');
export const LIVE_UPDATES = Symbol('LIVE_UPDATES');
export const LOGGER = Symbol('GATEWAY_LOGGER');

// Use cases, bound to their ports (what each holds: the types at the end of this file).
export const CREATE_EXECUTION = Symbol('CREATE_EXECUTION');
export const START_TRIGGERED_EXECUTION = Symbol('START_TRIGGERED_EXECUTION');
export const SEND_EXECUTION_COMMAND = Symbol('SEND_EXECUTION_COMMAND');
export const DEPLOY_FLOW = Symbol('DEPLOY_FLOW');
export const CHANGE_FLOW_LIFECYCLE = Symbol('CHANGE_FLOW_LIFECYCLE');
export const BACKFILL_SCHEDULE = Symbol('BACKFILL_SCHEDULE');
/** Force-release of a named lock (ignore_lock), bound to the lock table and the bus. */
export const FORCE_RELEASE_LOCK = Symbol('FORCE_RELEASE_LOCK');
/** `FileStore`: uploaded files (FILE inputs, `/api/v1/files`). */
export const FILE_STORE = Symbol('FILE_STORE');

// What each use-case token holds: the use case with its ports already bound.
export type CreateExecutionUseCase = (request: CreateExecutionRequest) => Promise<CreatedExecution>;
export type StartTriggeredExecutionUseCase = (start: TriggeredStart) => Promise<CreatedExecution>;
export type SendExecutionCommandUseCase = (executionId: string, request: ControlRequest) => Promise<SentCommand>;
export type DeployFlowUseCase = (source: string, actor?: string) => Promise<DeployedFlow>;
export type ChangeFlowLifecycleUseCase = (namespace: string, flowId: string, action: FlowLifecycleAction, actor?: string) => Promise<FlowLifecycleResult>;
export type BackfillScheduleUseCase = (request: BackfillRequest) => Promise<BackfillResult>;
export type { FindStalledExecutions } from '@chronicle/use-cases';
export type HealthChecks = Record<string, HealthCheck>;
/** What the KV API does with the store bound to KV_STORE: list, get, set and delete keys (the store validates them). */
export type KvEntries = Pick<KeyValueStore, 'list' | 'get' | 'put' | 'delete'>;
export type ForceReleaseLockUseCase = (lock: { name: string; namespace?: string }, by: string, mayRelease: (namespace: string) => boolean) => Promise<{ previous: StoredLockClaim; grantedTo: string[] }>;
/** ExecutionAdmission: admission control of the starts (admission/execution-admission.ts). */
export const EXECUTION_ADMISSION = Symbol('EXECUTION_ADMISSION');
