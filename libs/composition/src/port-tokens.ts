/**
 * One dependency-injection token per port, shared by every app so a port has one name everywhere.
 * `PlatformModule` (platform.module.ts) binds each to the adapter the configuration chose; services,
 * controllers and resolvers `@Inject` the ones they use. The comment names the port's type.
 */
/** `ChronicleConfig`: the validated configuration. */
export const CONFIG = Symbol('CONFIG');
/** `EventStore`: the log. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** `MessageBus`: Kafka or in-process. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
/** `Topics`: the bus's topic names under the configured prefix. */
export const TOPICS = Symbol('TOPICS');
/** `Clock`. */
export const CLOCK = Symbol('CLOCK');
/** `CheckpointStore`: where a log follower resumes. */
export const CHECKPOINTS = Symbol('CHECKPOINTS');
/** `FlowRepository`: flow revisions as the log has them. */
export const FLOWS = Symbol('FLOWS');
/** `ExecutionRepository`: an execution folded from its stream. */
export const EXECUTIONS = Symbol('EXECUTIONS');
/** `InternalStorage`: execution and namespace files. */
export const INTERNAL_STORAGE = Symbol('INTERNAL_STORAGE');
/** `KeyValueStore`: Kestra's KV store, per namespace. */
export const KV_STORE = Symbol('KV_STORE');
/** `Secrets`: secrets from `SECRET_<KEY>` variables. */
export const SECRETS = Symbol('SECRETS');
/** `TriggerStates`: run-time trigger state. */
export const TRIGGER_STATES = Symbol('TRIGGER_STATES');
/** `TriggerStateCache`: the run-time enabled flags, reloaded when any process changes one. */
export const TRIGGER_STATE_CACHE = Symbol('TRIGGER_STATE_CACHE');
/** `ConcurrencySlotTable`: flow concurrency admission. */
export const CONCURRENCY_SLOTS = Symbol('CONCURRENCY_SLOTS');
/** `TaskRunLeaseTable`: who runs which task run, until when. */
export const TASK_RUN_LEASES = Symbol('TASK_RUN_LEASES');
/** `NamedLockTable`: the named-lock table (claims queued, granted, released). */
export const NAMED_LOCKS = Symbol('NAMED_LOCKS');
/** `Leadership`: a campaign for a named leadership (one replica leads). */
export const LEADERSHIP = Symbol('LEADERSHIP');
/** `FindStalledExecutions`: executions RUNNING without progress. */
export const STALLED_EXECUTIONS = Symbol('STALLED_EXECUTIONS');
/** `ExecutionLogs`: the read model's task logs, for the log.* tasks. */
export const EXECUTION_LOGS = Symbol('EXECUTION_LOGS');
/** `ExecutionAdmin`: counts and purges of executions, for the execution.* tasks. */
export const EXECUTION_ADMIN = Symbol('EXECUTION_ADMIN');
/** `HealthChecks` (`Record<string, HealthCheck>`): what readiness probes (Postgres, the event store, the brokers). */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
/** `DeadLetterStore`: the bus's dead letters and their redrives. */
export const DEAD_LETTERS = Symbol('DEAD_LETTERS');
/** `DurableTimerTable`: the scheduler's durable timers and the leadership of firing them. */
export const DURABLE_TIMERS = Symbol('DURABLE_TIMERS');
/** `LocalFirstDecision`: the executor of this process, if any, decides a new execution's first step with its creation. */
export const FIRST_DECISION = Symbol('FIRST_DECISION');
