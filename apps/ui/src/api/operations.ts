/** GraphQL documents of the public API, one place for every query the UI sends. */
/** A flow input's definition, typed (`Flow.inputDefinitions`: the same data as the JSON `inputs`). */
const INPUT_DEFINITION_FIELDS = 'inputDefinitions { id type defaults required description displayName dependsOn { inputs condition } expression allowCustomValue values itemType min max regex minLength maxLength }';
const FLOW_FIELDS = `namespace id revision source description ${INPUT_DEFINITION_FIELDS} tasks triggers labels disabled deleted deployedAt`;
const SUMMARY_FIELDS = 'id namespace flowId flowRevision state revision labels originalId parentId startDate endDate name message mode priority';
/** The per-run options and steering of an execution (issue 15), read on its page. */
const RUN_FIELDS = 'description maxRuntime scheduledAt killReason startedBy { kind id }';
const TASK_RUN_FIELDS = 'id taskId parentTaskRunId value state outputs metrics startDate endDate error attempts { number state startDate endDate error } breakpoint { since properties error }';
const LOCK_HOLDER_FIELDS = 'executionId taskRunId namespace flowId names priority since';
/** Named-lock waits (with who holds the lock) and the breakpoint a run is paused at. */
const DEBUG_FIELDS = `stepMode breakpoints lockClaims { taskRunId names state since } lockHolders { name holder { ${LOCK_HOLDER_FIELDS} } waiters { ${LOCK_HOLDER_FIELDS} } }`;
export const EXECUTION_FIELDS = `${SUMMARY_FIELDS} ${RUN_FIELDS} availableActions error inputs outputs trigger stateHistory { state date } ${DEBUG_FIELDS} taskRuns { ${TASK_RUN_FIELDS} }`;
const LOG_FIELDS = 'id executionId taskRunId taskId level message timestamp';

export const FLOWS = `query Flows($namespace: String) { flows(namespace: $namespace) { ${FLOW_FIELDS} } }`;
export const FLOW = `query Flow($namespace: String!, $id: String!, $revision: Int) { flow(namespace: $namespace, id: $id, revision: $revision) { ${FLOW_FIELDS} } }`;
export const FLOW_REVISIONS = `query FlowRevisions($namespace: String!, $id: String!) { flowRevisions(namespace: $namespace, id: $id) { namespace id revision source deployedAt ${INPUT_DEFINITION_FIELDS} } }`;
export const DEPLOY_FLOW = `mutation Deploy($source: String!) { deployFlow(source: $source) { ${FLOW_FIELDS} } }`;
export const FLOW_LIFECYCLE = (action: 'enableFlow' | 'disableFlow' | 'deleteFlow') =>
  `mutation Lifecycle($namespace: String!, $id: String!) { ${action}(namespace: $namespace, id: $id) { ${FLOW_FIELDS} } }`;

export const CREATE_EXECUTION = `mutation Run($namespace: String!, $flowId: String!, $inputs: JSON, $labels: JSON, $revision: Int, $breakpoints: [String!], $stepMode: Boolean,
  $priority: Int, $maxRuntime: String, $scheduledAt: String, $name: String, $mode: String) {
  createExecution(namespace: $namespace, flowId: $flowId, inputs: $inputs, labels: $labels, revision: $revision, breakpoints: $breakpoints, stepMode: $stepMode,
    priority: $priority, maxRuntime: $maxRuntime, scheduledAt: $scheduledAt, name: $name, mode: $mode) { id } }`;

/** A development run of a draft that is not deployed (needs the deploy permission); kept as revision 0. */
export const RUN_DRAFT = `mutation RunDraft($namespace: String!, $flowId: String!, $source: String!) {
  createExecution(namespace: $namespace, flowId: $flowId, source: $source, mode: "DEVELOPMENT") { id } }`;

export const EXECUTIONS = `query Executions($namespace: String, $flowId: String, $state: [State!], $labels: JSON, $startDate: DateTime, $endDate: DateTime, $first: Int, $after: String, $parentId: ID, $mode: String) {
  executions(namespace: $namespace, flowId: $flowId, state: $state, labels: $labels, startDate: $startDate, endDate: $endDate, first: $first, after: $after, parentId: $parentId, mode: $mode) {
    totalCount pageInfo { endCursor hasNextPage } edges { cursor node { ${SUMMARY_FIELDS} } } } }`;
export const EXECUTIONS_CHANGED = `subscription Changed($namespace: String, $flowId: String) { executionsChanged(namespace: $namespace, flowId: $flowId) { ${SUMMARY_FIELDS} } }`;

export const EXECUTION = `query Execution($id: ID!) { execution(id: $id) { ${EXECUTION_FIELDS} } }`;
export const EXECUTION_UPDATED = `subscription Updated($id: ID!) { executionUpdated(id: $id) { ${EXECUTION_FIELDS} } }`;
export const EXECUTION_AT = `query At($id: ID!, $revision: Int!) { executionAt(id: $id, revision: $revision) { ${EXECUTION_FIELDS} } }`;
export const EXECUTION_HISTORY = `query History($id: ID!) { executionHistory(id: $id) { position revision type data occurredAt } }`;
export const EXECUTION_EVENTS = `subscription Events($id: ID!, $afterRevision: Int) { executionEvents(id: $id, afterRevision: $afterRevision) { position revision type data occurredAt } }`;
export const EXECUTION_LOGS = `subscription Logs($id: ID!, $after: ID) { executionLogs(id: $id, after: $after) { ${LOG_FIELDS} } }`;

export const STEER = `mutation Steer($id: ID!, $message: String, $priority: Int, $labels: JSON) { updateExecution(id: $id, message: $message, priority: $priority, labels: $labels) { id message priority labels } }`;
const TREE_NODE_FIELDS = 'id namespace flowId state parentId name message mode startDate endDate';
/** The whole tree the execution belongs to: its top execution and every descendant of it, with their states. */
export const EXECUTION_TREE = `query ExecutionTree($id: ID!) { execution(id: $id) { id parentId topExecution { ${TREE_NODE_FIELDS} descendants { ${TREE_NODE_FIELDS} } } } }`;
export const KILL = `mutation Kill($id: ID!) { killExecution(id: $id) { id state } }`;
export const PAUSE = `mutation Pause($id: ID!) { pauseExecution(id: $id) { id state } }`;
export const RESUME = `mutation Resume($id: ID!, $approve: Boolean, $inputs: JSON) { resumeExecution(id: $id, approve: $approve, inputs: $inputs) { id state } }`;
export const RESTART = `mutation Restart($id: ID!) { restartExecution(id: $id) { id state } }`;
export const RESOLVE_BREAKPOINT = `mutation ResolveBreakpoint($id: ID!, $action: BreakpointAction!) { resolveBreakpoint(id: $id, action: $action) { id state } }`;
export const NAMED_LOCKS = `query NamedLocks { namedLocks { name namespace holder { ${LOCK_HOLDER_FIELDS} } waiters { ${LOCK_HOLDER_FIELDS} } } }`;
export const RELEASE_LOCK = `mutation ReleaseLock($name: String!, $namespace: String) { releaseLock(name: $name, namespace: $namespace) { name grantedTo } }`;
export const REPLAY = `mutation Replay($id: ID!, $fromTaskId: String, $inputs: JSON, $revision: Int) {
  replayExecution(id: $id, fromTaskId: $fromTaskId, inputs: $inputs, revision: $revision) { id } }`;

const PROJECTION_FIELDS = 'name position headPosition lagEvents lagSeconds state errors updatedAt';
export const PROJECTIONS = `query Projections { projections { ${PROJECTION_FIELDS} } }`;
/** Servers that rebuild projections also report the latest rebuild. */
export const PROJECTIONS_WITH_REBUILD = `query Projections { projections { ${PROJECTION_FIELDS} rebuild { state requestedBy requestedAt finishedAt eventsProjected etaSeconds error } } }`;
export const REBUILD_PROJECTION = `mutation Rebuild($name: String) { rebuildProjection(name: $name) { name state } }`;

/** The API's root fields and their arguments: what this server offers (optional features). */
export const ROOT_FIELDS = `query RootFields {
  __schema {
    queryType { fields { name args { name type { kind name ofType { kind name ofType { kind name } } } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } }
    mutationType { fields { name args { name type { kind name ofType { kind name ofType { kind name } } } } type { kind name ofType { kind name ofType { kind name } } } } }
    subscriptionType { fields { name } }
  } }`;

export const TRIGGERS = `query Triggers { triggers { namespace flowId id kind type enabled disabledInFlow lastFiredAt nextFireAt cron timezone topic uri interval } }`;
export const SET_TRIGGER = (action: 'enableTrigger' | 'disableTrigger') =>
  `mutation SetTrigger($namespace: String!, $flowId: String!, $triggerId: String!) { ${action}(namespace: $namespace, flowId: $flowId, triggerId: $triggerId) { id enabled } }`;
export const BACKFILL = `mutation Backfill($namespace: String!, $flowId: String!, $triggerId: String!, $from: DateTime!, $to: DateTime!, $rerunSucceeded: Boolean) {
  backfillTrigger(namespace: $namespace, flowId: $flowId, triggerId: $triggerId, from: $from, to: $to, rerunSucceeded: $rerunSucceeded) { started skipped } }`;

export const DEAD_LETTER_QUEUES = `query Queues { deadLetterQueues { topic sourceTopic count } }`;
export const DEAD_LETTERS = `query DeadLetters($topic: String!) { deadLetters(topic: $topic, first: 100) { topic partition offset key value json headers reason sourceTopic failedAt redrivenAt redrivenBy } }`;
export const REDRIVE = `mutation Redrive($topic: String!, $offset: String!, $partition: Int) { redriveDeadLetter(topic: $topic, offset: $offset, partition: $partition) { offset redrivenAt } }`;

const DASHBOARD_STATS = 'states total successRatio p50Ms p95Ms p99Ms';
export const DASHBOARD = `query Dashboard($from: DateTime!, $to: DateTime!, $namespace: String, $flowId: String, $bucketSeconds: Int) {
  dashboard(from: $from, to: $to, namespace: $namespace, flowId: $flowId, bucketSeconds: $bucketSeconds) {
    from to bucketSeconds running queued ${DASHBOARD_STATS}
    buckets { start ${DASHBOARD_STATS} }
    busiestFlows { namespace flowId executions failed }
    failingFlows { namespace flowId executions failed } } }`;
