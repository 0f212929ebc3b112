import { errorCodeOf } from '@chronicle/errors';
import { Inject, Injectable } from '@nestjs/common';
import { acceptance, isTerminal, replayRefusal, type ControlCommandName, type Execution } from '@chronicle/domain';
import type { ExecutionRepository } from '@chronicle/use-cases';
import type { EventStore } from '@chronicle/event-store';
import type { Clock } from '@chronicle/runtime';
import { MAX_PAGE_SIZE, purgeExecutions, type ReadModelQueries } from '@chronicle/read-model';
import type { Principal } from '../auth/token-registry.js';
import type { Permission } from '../auth/authorization.js';
import { AccessControl } from '../auth/request-principal.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CLOCK, EVENT_STORE, EXECUTIONS, READ_MODEL, SEND_EXECUTION_COMMAND, type SendExecutionCommandUseCase } from '../gateway.tokens.js';
import type { ExecutionFilter } from '../rest/execution-filter.query.js';
import { ExecutionCommands } from './execution-commands.js';

/** What a bulk route does to each execution it selects. */
export type BulkAction =
  | { readonly kind: 'kill' | 'pause' | 'resume' | 'restart' | 'replay' | 'delete' }
  | { readonly kind: 'labels'; readonly labels: Readonly<Record<string, string>> };

/** One execution a bulk request cannot act on (Kestra's ManualConstraintViolation, plus a stable code). */
export interface BulkInvalid {
  readonly message: string;
  readonly invalidValue: string;
  readonly propertyPath: 'execution';
  /** NOT_FOUND: unknown or outside the caller's namespaces (ids do not leak); CONFLICT: its state refuses the action. */
  readonly code: 'NOT_FOUND' | 'CONFLICT';
}

/** Kestra's answers: `BulkResponse { count }`, or (nothing done) `BulkErrorResponse { message, invalids }`. */
export type BulkOutcome =
  | { readonly ok: true; readonly count: number; readonly skipped?: readonly BulkInvalid[] }
  | { readonly ok: false; readonly message: string; readonly invalids: readonly BulkInvalid[] };

/** A `.../by-query` request selects at most this many executions (paged from the read model). */
export const MAX_BULK_QUERY = 10_000;
/** Executions acted on at once. */
const CONCURRENCY = 8;

const COMMAND_OF: Partial<Record<BulkAction['kind'], ControlCommandName>> = {
  kill: 'KillExecution', pause: 'PauseExecution', resume: 'ResumeExecution', restart: 'RestartExecution',
};
/** The permission each action needs in the execution's namespace (delete purges: ADMIN, as the single delete). */
export const BULK_PERMISSION: Record<BulkAction['kind'], Permission> = {
  kill: 'execute', pause: 'execute', resume: 'execute', restart: 'execute', replay: 'execute', labels: 'execute', delete: 'admin',
};

/**
 * Kestra's bulk routes (`/executions/kill/by-ids`, `/restart/by-query`...) over the same rules as
 * the single-execution routes. As in Kestra, every selected execution is checked first (from
 * the log, the source of truth) and nothing is done when one of them is refused; an execution
 * outside the caller's namespaces reads as "not found" and a query never reaches past them.
 */
@Injectable()
export class BulkExecutionCommands {
  constructor(
    @Inject(EXECUTIONS) private readonly executions: ExecutionRepository,
    @Inject(SEND_EXECUTION_COMMAND) private readonly sendCommand: SendExecutionCommandUseCase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
  ) {}

  /**
   * The ids of the executions matching `filter` in the caller's reach: what the search shows for the
   * same filters (development runs left out unless selected by parent or original), from the read
   * model, which may lag the log briefly.
   */
  async select(principal: Principal, filter: ExecutionFilter): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.readModel.listExecutions({ ...filter, namespaces: principal.namespaces, first: MAX_PAGE_SIZE, after });
      if (page.totalCount > MAX_BULK_QUERY) {
        throw new BadUserInputError(`the query selects ${page.totalCount} executions, more than ${MAX_BULK_QUERY} at once: narrow it (namespace, flowId, state, labels, dates)`, { parameter: 'query' });
      }
      ids.push(...page.nodes.filter((e) => this.access.allows(principal, 'read', e.namespace)).map((e) => e.id));
      if (!page.hasNextPage || !page.endCursor) return ids;
      after = page.endCursor;
    }
  }

  async run(principal: Principal, ids: readonly string[], action: BulkAction): Promise<BulkOutcome> {
    const unique = [...new Set(ids)];
    const checked = await mapLimited(unique, (id) => this.check(principal, id, action));
    const invalids = checked.filter((c): c is BulkInvalid => 'code' in c);
    if (invalids.length > 0) return { ok: false, message: `invalid bulk ${action.kind}`, invalids };
    const executions = checked as Execution[];
    if (action.kind === 'delete') return this.purge(principal, executions);
    const acted = await mapLimited(executions, (execution) => this.act(principal, execution, action).then(() => undefined, (error: unknown) => {
      // Checked a moment ago, changed since (another client, the executor): reported, not hidden.
      if (errorCodeOf(error) === 'COMMAND_REJECTED') return conflict(execution.id, (error as Error).message);
      throw error;
    }));
    const skipped = acted.filter((r): r is BulkInvalid => r !== undefined);
    return { ok: true, count: executions.length - skipped.length, ...(skipped.length > 0 ? { skipped } : {}) };
  }

  private async check(principal: Principal, id: string, action: BulkAction): Promise<Execution | BulkInvalid> {
    const execution = await this.executions.load(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) return { message: 'execution not found', invalidValue: id, propertyPath: 'execution', code: 'NOT_FOUND' };
    if (!this.access.allows(principal, BULK_PERMISSION[action.kind], execution.namespace)) {
      return { message: `the ${principal.role} role may not ${BULK_PERMISSION[action.kind]} in namespace ${execution.namespace}`, invalidValue: id, propertyPath: 'execution', code: 'NOT_FOUND' };
    }
    const refusal = refusalOf(execution, action);
    return refusal === undefined ? execution : conflict(id, refusal);
  }

  private async act(principal: Principal, execution: Execution, action: BulkAction): Promise<void> {
    const actor = principal.name;
    const command = COMMAND_OF[action.kind];
    if (command === 'KillExecution' || command === 'PauseExecution' || command === 'RestartExecution') {
      await this.sendCommand(execution.id, { type: command, actor });
    } else if (command === 'ResumeExecution') {
      await this.sendCommand(execution.id, { type: command, approve: true, actor });
    } else if (action.kind === 'labels') {
      // Kestra's bulk labels: the given labels are added, replacing those with the same key.
      await this.sendCommand(execution.id, { type: 'UpdateExecution', labels: { ...execution.labels, ...action.labels }, actor });
    } else if (action.kind === 'replay') {
      await this.commands.replay({ executionId: execution.id, actor }, () => undefined);
    }
  }

  private async purge(principal: Principal, executions: readonly Execution[]): Promise<BulkOutcome> {
    if (executions.length === 0) return { ok: true, count: 0 };
    const purged = await purgeExecutions(this.readModel.dataSource, this.store, {
      executionIds: executions.map((e) => e.id), dryRun: false, now: new Date(this.clock.now()), actor: principal.name, limit: executions.length,
    });
    const gone = new Set(purged.executionIds);
    // Ended in the log but not projected yet: the purge found no row; retrying later removes it.
    const skipped = executions.filter((e) => !gone.has(e.id)).map((e) => conflict(e.id, `execution ${e.id} ended a moment ago and is not projected yet: retry`));
    return { ok: true, count: purged.count, ...(skipped.length > 0 ? { skipped } : {}) };
  }
}

/** Why the action does not apply to the execution as it is now (the domain's rule), or undefined. */
function refusalOf(execution: Execution, action: BulkAction): string | undefined {
  const command = COMMAND_OF[action.kind];
  if (command) {
    const accepted = acceptance(execution, command);
    return accepted.kind === 'rejected' ? accepted.reason : undefined;
  }
  if (action.kind === 'replay') return replayRefusal(execution);
  if (action.kind === 'labels') {
    // Kestra's ExecutionController.setLabels: a system label may be passed only as the execution has it.
    const changed = Object.entries(action.labels).find(([key, value]) => key.startsWith('system.') && execution.labels[key] !== value);
    return changed && `System labels can only be set by Kestra itself, offending label: ${changed[0]}=${changed[1]}`;
  }
  if (action.kind === 'delete') return isTerminal(execution.state) ? undefined : `execution ${execution.id} is ${execution.state}: only an ended execution can be deleted (kill it first)`;
  return undefined;
}

const conflict = (id: string, message: string): BulkInvalid => ({ message, invalidValue: id, propertyPath: 'execution', code: 'CONFLICT' });

/** `fn` over `items`, at most CONCURRENCY at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
