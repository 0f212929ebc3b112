import { Inject, Injectable } from '@nestjs/common';
import type { ControlRequest } from '@chronicle/use-cases';
import { SECRET_MASK, type Execution, ExecutionNotFoundError } from '@chronicle/domain';
import { toExecutionView, type ExecutionView, type ReadModelQueries } from '@chronicle/read-model';
import { CREATE_EXECUTION, EXECUTIONS, FLOWS, LIVE_UPDATES, READ_MODEL, SEND_EXECUTION_COMMAND, type CreateExecutionUseCase, type SendExecutionCommandUseCase } from '../gateway.tokens.js';
import type { LiveUpdates } from '../live/live-updates.js';
import type { FlowRepository, ExecutionRepository } from '@chronicle/use-cases';

/** How long a control mutation waits for the executor's answer to show in the read model. */
export const COMMAND_WAIT_MS = 5_000;

export interface ReplayRequest {
  readonly executionId: string;
  readonly fromTaskId?: string;
  readonly inputs?: Record<string, unknown>;
  readonly revision?: number;
  readonly idempotencyKey?: string;
  readonly actor: string;
}

/**
 * Control of executions for GraphQL and REST alike. A control command is validated by the
 * application (dry run of the decider), sent to the executor (the single writer), and the
 * answer is the execution once the read model shows a revision past the one decided on —
 * pushed by the live updates, no polling — or as it is after COMMAND_WAIT_MS.
 */
@Injectable()
export class ExecutionCommands {
  constructor(
    @Inject(FLOWS) private readonly flows: FlowRepository,
    @Inject(EXECUTIONS) private readonly executions: ExecutionRepository,
    @Inject(CREATE_EXECUTION) private readonly createExecution: CreateExecutionUseCase,
    @Inject(SEND_EXECUTION_COMMAND) private readonly sendCommand: SendExecutionCommandUseCase,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
  ) {}

  /** `authorize` runs once the execution's namespace is known, before anything is sent. */
  async control(executionId: string, request: ControlRequest, authorize: (namespace: string) => void): Promise<ExecutionView> {
    const before = await this.executions.load(executionId);
    if (before) authorize(before.namespace);
    // Listen before sending: the executor may answer before `send` returns.
    let seen = -1;
    let wake: (() => void) | undefined;
    const stop = this.live.onExecution(executionId, (update) => {
      if (update.kind !== 'execution') return;
      seen = Math.max(seen, update.revision);
      wake?.();
    });
    try {
      const sent = await this.sendCommand(executionId, request);
      if (sent.sent) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, COMMAND_WAIT_MS);
          wake = () => {
            if (seen > sent.before.revision) {
              clearTimeout(timer);
              resolve();
            }
          };
          wake();
        });
      }
      // Never older than what was decided: the read model if it caught up, else the log, else the dry run.
      const row = await this.readModel.getExecution(executionId);
      if (!sent.sent) return row && row.revision >= sent.before.revision ? row : toExecutionView(sent.before);
      if (row && row.revision > sent.before.revision) return row;
      const logged = await this.executions.load(executionId);
      return toExecutionView(logged && logged.revision > sent.before.revision ? logged : sent.expected);
    } finally {
      stop();
    }
  }

  /** A new execution of the same flow with the same originalId, reusing outputs before `fromTaskId`. */
  async replay(request: ReplayRequest, authorize: (namespace: string) => void, fromTask?: (previous: Execution) => string | undefined): Promise<ExecutionView> {
    const previous = await this.executions.load(request.executionId);
    if (!previous) throw new ExecutionNotFoundError(request.executionId);
    authorize(previous.namespace);
    const fromTaskId = fromTask ? fromTask(previous) : request.fromTaskId;
    const revision = request.revision ?? previous.flowRevision;
    const { execution } = await this.createExecution({
      namespace: previous.namespace,
      flowId: previous.flowId,
      revision,
      inputs: request.inputs ? await this.unmaskSecrets(request.inputs, previous, revision) : previous.inputs,
      labels: previous.labels,
      originalId: previous.originalId,
      replay: { fromExecutionId: request.executionId, fromTaskId },
      // Scoped to the replayed execution: the same key on another execution is another replay.
      idempotencyKey: request.idempotencyKey === undefined ? undefined : `replay:${request.executionId}:${request.idempotencyKey}`,
      actor: request.actor,
    });
    return toExecutionView(execution);
  }

  /**
   * Readers only ever see a SECRET input as the mask: edited inputs sent back with the mask for a
   * SECRET input keep the replayed execution's value (a new value replaces it).
   */
  private async unmaskSecrets(inputs: Record<string, unknown>, previous: Execution, revision: number): Promise<Record<string, unknown>> {
    const flow = await this.flows.revision(previous.namespace, previous.flowId, revision);
    const secrets = new Set((flow?.definition.inputs ?? []).filter((i) => i.secret).map((i) => i.id));
    return Object.fromEntries(Object.entries(inputs).map(([id, value]) =>
      [id, secrets.has(id) && value === SECRET_MASK && Object.hasOwn(previous.inputs, id) ? previous.inputs[id] : value]));
  }
}
