// Schema and setup
export * from './entities/index.js';
export { READ_MODEL_MIGRATIONS } from './migrations/index.js';
export {
  createReadModelDataSource, readModelDataSourceOptions, runReadModelMigrations, READ_MODEL_MIGRATIONS_TABLE,
  type ReadModelDataSourceOptions,
} from './setup/read-model-data-source.js';
export { resetExecutionProjection } from './setup/reset-projection.js';

// Projections
export { ExecutionProjector, EXECUTION_PROJECTION, type ExecutionProjectorOptions } from './projection/execution-projector.js';
export { LogProjector, type LogMessage, type LogProjectorOptions } from './projection/log-projector.js';
export { domainEvolve, type EvolveFn } from './projection/execution-fold.js';
export { PositionWaitTimeoutError } from './projection/committed-positions.js';
export { ProjectionStoppedError, type BackoffOptions } from './projection/backoff.js';
export { consoleProjectionLogger, type ProjectionLogger } from './projection/projection-logger.js';

// Retention and audit
export {
  purgeExecutions, InvalidPurgeError, DEFAULT_PURGE_LIMIT, MAX_PURGE_LIMIT, type PurgeRequest, type PurgeResult,
} from './retention/execution-purge.js';
export { DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE, type AuditEntryView, type AuditQueryInput } from './queries/audit.queries.js';
export { UNKNOWN_ACTOR } from './projection/audit-rows.writer.js';

// Rebuild: replay the log into shadow tables, then swap them in
export { ProjectionRebuildService, type NoticeListener, type ProjectionRebuildServiceOptions } from './rebuild/projection-rebuild.service.js';
export { runRebuild, type RebuildOutcome, type RebuildRunOptions } from './rebuild/projection-rebuild.js';
export {
  ACTIVE_REBUILD_STATES, REBUILD_REQUESTS_CHANNEL, REBUILD_STATES, REBUILDABLE_PROJECTIONS, UnknownProjectionError, getRebuild, requestRebuild,
  type RebuildState, type RebuildView,
} from './rebuild/rebuild-state.js';
export { REBUILT_TABLES, SHADOW_SCHEMA } from './rebuild/shadow-schema.js';
export { PROJECTED_STREAMS } from './rebuild/shadow-catch-up.js';

// The read side's execution view: built from the domain's fold, changed by deltas on the bus
export { toExecutionView, toTaskRunView } from './views/execution-view.mapping.js';
export { applyExecutionViewChange, diffExecutionView, revisionOf, type ExecutionViewChange, type ExecutionViewFields } from './views/execution-view.delta.js';

// Queries
export { ReadModelQueries } from './queries/read-model-queries.js';
export { encodeCursor, InvalidCursorError } from './queries/cursor.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './queries/execution.queries.js';
export {
  InvalidDashboardRangeError, type DashboardBucketView, type DashboardFlowView, type DashboardInput, type DashboardView,
} from './queries/dashboard.queries.js';
export { DEFAULT_LOG_PAGE_SIZE, InvalidLogLevelError, LOG_LEVELS, MAX_LOG_PAGE_SIZE } from './queries/log.queries.js';
export type {
  ExecutionPage, ExecutionView, FlowView, ListedExecution, ListExecutionsInput, LogPage, LogPageInput, LogView, ProjectionStatusView, TaskRunView,
} from './queries/read-model.views.js';
export * from './setup/read-model.js';
export { parseReadModelUpdate, type ExecutionUpdate, type FlowUpdate, type LiveEvent, type LogUpdate, type ReadModelUpdate } from './projection/live-updates.js';
