import { decideAndFold, executionStreamId, mayStartFlowIn, parseFlow, RunOptionError, type CreateExecution, type Execution, type ExecutionOptions, type ExecutionState, type FlowDefinition, type InstallationVariables, type JsonObject, type NamespaceAllowRule, type TaskCatalog, type WrappedRun, type WrapperReference } from '@chronicle/domain';
import { latestFlows, outOfReach, wrapperChain, WrapperError } from './wrappers/wrapper-chain.js';
import { wrappedStart } from './wrappers/wrapped-start.js';
import { NO_STREAM, WrongExpectedVersionError, type EventStore } from '@chronicle/event-store';
import { deterministicId, newId, type Clock } from '@chronicle/runtime';
import { FlowDeletedError, FlowDisabledError, FlowNotFoundError } from './errors.js';
import { toEventData } from '@chronicle/contracts';
import type { ExecutionRepository } from './execution-repository.js';
import type { FlowHead, FlowRepository } from './flow-repository.js';
import { replayedTaskRuns } from './replay-execution.js';
import { storeFileInputs } from './files/file-inputs.js';
import type { InternalStorage } from './storage/internal-storage.port.js';
import { FIRST_STEP_WRITTEN, type FirstDecision } from './first-decision.js';
import { linesStoredWithRows } from './first-step.js';

export interface CreateExecutionRequest {
  readonly namespace: string;
  readonly flowId: string;
  /** Flow revision; the latest when omitted. */
  readonly revision?: number;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** A Flow trigger's start: the inputs are the execution's as given (CreateExecution.inputsAsGiven). */
  readonly inputsAsGiven?: true;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trigger?: JsonObject;
  /** Same key (for the same flow) = same execution, created once. */
  readonly idempotencyKey?: string;
  readonly parentId?: string;
  /** The execution this one re-runs (replay, retry as a new execution); itself when omitted. */
  readonly originalId?: string;
  /** Replay: reuse the outputs of the task runs of `fromExecutionId` that ran before `fromTaskId`. */
  readonly replay?: { readonly fromExecutionId: string; readonly fromTaskId?: string };
  readonly actor?: string;
  /** An id decided elsewhere (a Subflow's child, a retry execution): exactly once through NO_STREAM. */
  readonly executionId?: string;
  /** Set for a Subflow's child: the parent execution and task run to tell when it ends. */
  readonly parent?: { readonly executionId: string; readonly taskRunId: string };
  /** Flow retry CREATE_NEW_EXECUTION: the n-th execution of the chain. */
  readonly attemptNumber?: number;
  /** A retry's new execution: when the chain's first execution was created. */
  readonly originalCreatedDate?: string;
  /**
   * The flow's head as the caller read it a moment ago for the same request (a webhook reads it
   * to find its trigger): used instead of a second read of the flow stream.
   */
  readonly head?: FlowHead;
  /** Per-run options (priority, maxRuntime, scheduledAt, name, description, startedBy, mode); checked by the domain. */
  readonly options?: ExecutionOptions;
  /**
   * Development mode: run this flow source instead of a deployed revision (it is not deployed;
   * the execution keeps it, as revision 0). Requires `options.mode` DEVELOPMENT.
   */
  readonly draftSource?: string;
  /** Wrappers added to this run, outside the flow's own (Cloudomation's dynamic wrappers). */
  readonly wrappers?: readonly WrapperReference[];
  /** The flow's declared wrappers are not used for this run (added ones still are). */
  readonly unwrapped?: boolean;
  /** This start is a wrapper's: the start it stands for (set by wrapping; never by a client). */
  readonly wrapped?: WrappedRun;
}

export interface CreatedExecution {
  readonly execution: Execution;
  /** False when the idempotency key named an execution that already existed. */
  readonly created: boolean;
  readonly position?: bigint;
  /**
   * The execution after its first step, when that step was written with the creation (see
   * FirstDecision): already ended when every task of the flow ran locally, so a caller waiting
   * for the end has it without waiting for the read side.
   */
  readonly afterFirstStep?: Execution;
}

export interface CreateExecutionDeps {
  readonly store: EventStore;
  readonly flows: FlowRepository;
  readonly executions: ExecutionRepository;
  readonly clock: Clock;
  /** Where uploaded FILE inputs are copied into the execution (files/file-inputs.ts); none: left as given. */
  readonly storage?: InternalStorage;
  /** CHRONICLE_NAMESPACE_ALLOW: which namespaces' wrapper flows a flow may run in (its own and children always). */
  readonly namespaceAllow?: readonly NamespaceAllowRule[];
  /** An executor in this process: the first step is written with the creation (see FirstDecision). */
  readonly firstDecision?: FirstDecision;
  /** `envs` and `globals` for what is rendered before the execution exists (a trigger's `inputs`). */
  readonly installation?: InstallationVariables;
}

/**
 * Validates the inputs against the flow revision and appends ExecutionCreated to a new
 * stream. Acknowledged = durable in the event store; the relay then hands it to the
 * executor. The NO_STREAM expectation makes creation exactly-once for deterministic ids.
 * A disabled or deleted flow starts nothing.
 */
export async function createExecution(deps: CreateExecutionDeps, request: CreateExecutionRequest): Promise<CreatedExecution> {
  const flow = request.draftSource !== undefined ? { definition: draftFlow(request, deps.flows.taskTypes) } : await deployedFlow(deps, request);
  // A wrapper runs in its own namespace, started in place of this flow: the flow (and whoever starts
  // it) may reach it only as a Subflow could, or a token limited to teamA would start teamB's flows.
  // Checked before a wrapper is looked up, so the answer never tells whether teamB has such a flow.
  const own = flow.definition.namespace;
  const mayReach = (namespace: string) => mayStartFlowIn(own, namespace, deps.namespaceAllow ?? []);
  const chain = wrapsThisStart(request) ? await wrapperChain(latestFlows(deps.flows), flow.definition, request, 'error', undefined, mayReach) : [];
  const outside = chain.find((w) => !mayReach(w.namespace));
  if (outside) throw new WrapperError('wrappers', outOfReach(outside, own));
  if (chain.length > 0) {
    // The outermost wrapper starts in its place; its RunWrapped task runs the next layer.
    const { outer, wrapped } = wrappedStart(flow.definition, chain, request);
    const { wrappers: _added, unwrapped: _unwrapped, head: _head, revision: _revision, ...start } = request;
    return createExecution(deps, { ...start, namespace: outer.namespace, flowId: outer.flowId, inputs: outer.inputs ?? {}, unwrapped: true, wrapped });
  }
  const executionId = request.executionId ?? (request.idempotencyKey ? executionIdFor(request.namespace, request.flowId, request.idempotencyKey) : newId());
  const replayOf = request.replay
    ? await replayedTaskRuns(deps.executions, flow.definition, request.replay.fromExecutionId, request.replay.fromTaskId)
    : undefined;
  const command: CreateExecution = {
    type: 'CreateExecution',
    executionId,
    flow: flow.definition,
    inputs: await storeFileInputs(deps.storage, flow.definition, { namespace: request.namespace, flowId: request.flowId, executionId }, request.inputs ?? {}),
    ...(request.inputsAsGiven === true ? { inputsAsGiven: true as const } : {}),
    labels: request.labels,
    trigger: request.trigger,
    originalId: request.originalId,
    parentId: request.parentId,
    ...(request.parent ? { parent: request.parent } : {}),
    ...(request.attemptNumber !== undefined ? { attemptNumber: request.attemptNumber } : {}),
    ...(request.originalCreatedDate !== undefined ? { originalCreatedDate: request.originalCreatedDate } : {}),
    ...(replayOf ? { replayOf } : {}),
    ...(request.options ? { options: request.options } : {}),
    ...(request.wrapped ? { wrapped: request.wrapped } : {}),
    now: deps.clock.now(),
  };
  // The decision folds what it decides: the created state comes with the events, not from a second fold.
  const { events, state } = decideAndFold(request.draftSource !== undefined ? { ...command, draft: true } : command, undefined, { flow: flow.definition, taskTypes: deps.flows.taskTypes });
  let envelopes = toEventData(events, { correlationId: executionId, actor: request.actor });
  // The first step in the same write, when an executor here decides it; the caller still gets the created state.
  const first = deps.firstDecision ? await deps.firstDecision.decideFirst(state!) : undefined;
  if (first) {
    envelopes = [
      ...envelopes.map((e) => (e.type === 'ExecutionCreated' ? { ...e, metadata: { ...e.metadata, [FIRST_STEP_WRITTEN]: true } } : e)),
      ...linesStoredWithRows(first.events, first.state),
    ];
  }
  try {
    const result = await deps.store.append(executionStreamId(executionId), envelopes, NO_STREAM);
    first?.settle();
    return { execution: state!, created: true, position: result.position, ...(first ? { afterFirstStep: first.state } : {}) };
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    const existing = await deps.executions.load(executionId);
    if (!existing) throw error;
    return { execution: existing, created: false };
  }
}

/** The id an idempotency key gives an execution of a flow (a caller may listen for it before creating it; a wrapped start gets its outermost wrapper's). */
export function executionIdFor(namespace: string, flowId: string, idempotencyKey: string): string {
  const key = `${namespace}\u0000${flowId}\u0000${idempotencyKey}`;
  let id = recentIds.get(key);
  if (id === undefined) {
    id = deterministicId('execution', namespace, flowId, idempotencyKey);
    if (recentIds.size >= RECENT_IDS) recentIds.delete(recentIds.keys().next().value!);
    recentIds.set(key, id);
  }
  return id;
}

/**
 * A webhook asks for its execution's id twice (to listen before creating, then to create): the
 * UUIDv5 (a SHA-1) is kept for the calls in flight instead of hashed again.
 */
const RECENT_IDS = 1_024;
const recentIds = new Map<string, string>();

/**
 * Wrappers apply to a start of a flow: from an API call, a trigger, a Subflow. Not to a layer of
 * a wrapped start (its chain is resolved already), a replay or a flow retry (they repeat an
 * execution that was wrapped, or not, when it first started), nor to a draft run.
 */
const wrapsThisStart = (request: CreateExecutionRequest): boolean =>
  request.wrapped === undefined && request.replay === undefined && (request.attemptNumber ?? 1) === 1 && request.draftSource === undefined
  && !(request.unwrapped === true && (request.wrappers ?? []).length === 0);

async function deployedFlow(deps: CreateExecutionDeps, request: CreateExecutionRequest) {
  const head = request.head ?? (await deps.flows.head(request.namespace, request.flowId));
  if (!head) throw new FlowNotFoundError(request.namespace, request.flowId, request.revision);
  if (head.status.deleted) throw new FlowDeletedError(request.namespace, request.flowId);
  const flow = request.revision === undefined ? head.latest : await deps.flows.require(request.namespace, request.flowId, request.revision);
  if (head.status.disabled || (flow.definition as { disabled?: boolean }).disabled === true) throw new FlowDisabledError(request.namespace, request.flowId);
  return flow;
}

/** A draft source, checked as a deploy checks it, for the namespace and flow id it is started as. */
function draftFlow(request: CreateExecutionRequest, taskTypes: TaskCatalog): FlowDefinition {
  const flow = parseFlow(request.draftSource!, taskTypes, 0);
  if (flow.namespace !== request.namespace || flow.id !== request.flowId) {
    throw new RunOptionError('source', `declares ${flow.namespace}.${flow.id}, not ${request.namespace}.${request.flowId}`);
  }
  // Readers mask SECRET inputs by the deployed revision's definition, which a draft has not.
  const secret = (flow.inputs ?? []).find((i) => i.secret);
  if (secret) throw new RunOptionError('source', `declares the SECRET input ${secret.id}: a draft with SECRET inputs cannot run yet (its values would not be masked); deploy it and run the revision in DEVELOPMENT mode`);
  return flow;
}
