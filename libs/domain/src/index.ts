// Public API of @chronicle/domain: pure types and functions, no I/O.

// Shared
export type { JsonObject, JsonPrimitive, JsonValue } from './shared/json.js';
export { executionStreamId, flowStreamId } from './shared/stream-ids.js';

// Flows
export { INPUT_TYPES } from './flow/flow.model.js';
export type { FlowDefinition, InputDefinition, InputType, TaskDefinition } from './flow/flow.model.js';
export { CONCURRENCY_BEHAVIORS, RETRY_BEHAVIORS, RETRY_TYPES } from './flow/flow.model.js';
export type {
  ConcurrencyBehavior, ConcurrencyLimit, FlowOutputDefinition, RetryBehavior, RetryPolicy, RetryType,
} from './flow/flow.model.js';
export { parseFlow } from './flow/flow.parser.js';
export { flowInfos } from './flow/flow-infos.js';
export { FLOW_EVENT_SCHEMA_VERSION, flowStatusOf } from './flow/flow.events.js';
export type { FlowDeleted, FlowDisabled, FlowEnabled, FlowEvent, FlowEventType, FlowRevisionDeployed, FlowStatus } from './flow/flow.events.js';
export { FlowValidationError, formatFlowIssue } from './flow/flow-validation.error.js';
export type { FlowIssue } from './flow/flow-validation.error.js';
export { LOG_LEVELS, type LogLevel } from './task-types/log.task-type.js';
export { LocalTaskError, type TaskKind, type TaskPropertyIssue, type TaskTypeDefinition } from './task-types/task-type-definition.js';
export { taskCatalogOf, type TaskCatalog } from './task-types/task-catalog.js';
export { CORE_TASK_CATALOG, coreTaskCatalogWith } from './task-types/core-task-catalog.js';
export * as propertyChecks from './task-types/property-checks.js';
export { parseTemplatedTask } from './task-types/templated-task.js';
export { maskSecrets, resolveInputs, SECRET_MASK } from './flow/inputs.resolver.js';
export type { ResolveInputsOptions } from './flow/inputs.resolver.js';
export { coerceInput, FILE_REFERENCE } from './flow/input-types.js';
export type { Coercion, InputShape } from './flow/input-types.js';
export { callsIoFunction, renderContextOf, splitDeferred } from './execution/deferred-rendering.js';
export { InputValidationError } from './flow/input-validation.error.js';
export type { InputIssue } from './flow/input-validation.error.js';

// Expressions
export type { ExpressionContext } from './expression/expression-context.js';
export { NO_INSTALLATION_VARIABLES, type InstallationVariables } from './expression/installation-variables.js';
export { ExpressionError } from './expression/expression.error.js';
export { evaluateExpression, renderTemplate, renderValue } from './expression/template.renderer.js';
export { FALSE_RENDERINGS, isTruthy } from './expression/truthiness.js';
export { parseIsoDuration } from './expression/iso-8601.js';
export type { ExpressionHost, FileRequest, HostFunctionName } from './expression/expression-host.js';
export { HostCallPending, MAX_HOST_ROUNDS, renderWithHostCalls } from './expression/expression-host.js';
export { compileRegex, regexMatches } from './expression/expression.regex.js';
export { templateProblem } from './expression/template.check.js';

// Execution: states and transitions
export { isTerminal, STATES, TERMINAL_STATES } from './execution/state.js';
export { systemLabelGivenAtStart } from './execution/correlation-label.js';
export type { State } from './execution/state.js';
export { assertTransition, canTransition, IllegalTransitionError, TRANSITIONS } from './execution/transitions.js';

// Execution: the aggregate
export type * from './execution/execution.commands.js';
export type * from './execution/execution.events.js';
export { EXECUTION_EVENT_SCHEMA_VERSION, TIMER_PURPOSES } from './execution/execution.events.js';
export type { Attempt, Execution, ExecutionState, PendingTimer, StateChange, TaskRun } from './execution/execution.state.js';
export type { TaskJob } from './execution/task-job.js';
export type { ExecutionOptions, StartedBy } from './execution/run-options.js';
export { checkMessage, checkName, checkPriority, checkRunOptions, RunOptionError, scheduledStartTimerId } from './execution/run-options.js';
export {
  DEFAULT_FAIL_MESSAGE, echoLineOf, failureOf, keepsLogLine, LOCAL_WORKER_ID, localLogLinesOf, logLevelOf, logLinesOf, outputValuesOf, returnValueOf, runLocalJob, runPure, runsLocally,
} from './task-types/local-tasks.js';
export type { LocalLogLine, LocalTaskResult } from './task-types/local-tasks.js';
export type { TaskMetric } from './execution/task-metric.js';
export { decide, decideAndFold, evolve, executionDecider, initialState } from './execution/execution.decider.js';
export type { ExecutionDecisionContext } from './execution/execution.decider.js';
export { childExecutionIdFor, taskRunIdFor, timerIdFor } from './execution/decision.js';
export { expressionContextOf, outputsTree } from './execution/expression-scope.js';
export type { RenderedTaskRun, ScopeOptions } from './execution/expression-scope.js';
export { backoffMs, nextAttemptAt } from './execution/retry.policy.js';
export { KILL_GRACE_MS } from './execution/kill.control.js';
export { foldExecution } from './execution/execution.fold.js';
export { acceptance, availableActions, EXECUTION_ACTIONS, replayRefusal, RESTARTABLE_STATES, REWINDABLE_STATES } from './execution/control-acceptance.js';
export type { RewindRecord, Savepoint, SavepointSnapshot } from './execution/execution.state.js';
export type { RetentionRule, RewindTarget } from './execution/rewind/savepoints.js';
export { DEFAULT_SAVEPOINT_RETENTION, findSavepoint, parseSavepointRetention, withoutSavepointSnapshots } from './execution/rewind/savepoints.js';
export { SavepointNotFoundError } from './execution/rewind/rewind.errors.js';
export { ABANDONED_BY_REWIND } from './execution/rewind/rewind.evolver.js';
export type { WrappedRun } from './execution/wrappers/wrapped-run.js';
export type { WrapperReference } from './flow/wrappers.parser.js';
export { parseWrappers } from './flow/wrappers.parser.js';
export type { Acceptance, ControlCommandName, ControlledExecution, ExecutionAction } from './execution/control-acceptance.js';
export { upcastExecutionEvent, UnknownSchemaVersionError } from './execution/execution.upcaster.js';
export {
  noExecutionToResume,
  noExecutionToWatch,
  ConcurrencyKeyError, ExecutionNotFoundError, FlowRequiredError, TaskRunNotFoundError, UnexpectedEventError,
} from './execution/execution.errors.js';
export * from './trigger/index.js';
export { mayStartFlowIn, NamespaceAllowSpecError, parseNamespaceAllow, withinNamespace } from './namespace/namespace-access.js';
export type { NamespaceAllowRule } from './namespace/namespace-access.js';
export { fileMapOf, filesMatching, isStorageUri } from './execution/working-directory.files.js';

// Named locks and breakpoints (Cloudomation's execution model, issue 15).
export type * from './execution/locks/named-locks.events.js';
export type { LockClaim } from './execution/locks/lock-claim.js';
export { LOCK_NAME_PATTERN, LOCK_NAME_RULE, lockNameProblem } from './flow/lock-names.js';
export { LockNameError } from './execution/locks/lock-names.render.js';
export type * from './execution/breakpoints/breakpoint.events.js';
export { BREAKPOINT_ACTIONS } from './execution/breakpoints/breakpoint.events.js';
export type { BreakpointHold } from './execution/breakpoints/breakpoint-hold.js';
export { BreakpointOptionError } from './execution/breakpoints/breakpoint-options.js';
export { pendingBreakpoint } from './execution/breakpoints/breakpoint.control.js';
