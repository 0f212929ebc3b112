import { nextTick, parseTriggers, previousTick, ticksBetween, type ScheduleTrigger } from '@chronicle/domain';
import { deterministicId, newId } from '@chronicle/runtime';
import type { CreateExecutionDeps } from '../create-execution.js';
import { CodedError } from '@chronicle/errors';
import { FlowNotFoundError } from '../errors.js';
import { startTriggeredExecution } from './start-triggered-execution.js';

export const MAX_BACKFILL_TICKS = 1_000;

export interface BackfillRequest {
  readonly namespace: string;
  readonly flowId: string;
  readonly triggerId: string;
  /** Ticks after `from` and up to `to` (inclusive), in the trigger's time zone. */
  readonly from: Date;
  readonly to: Date;
  /** Start again the slots whose execution already succeeded (default: skip them). */
  readonly rerunSucceeded?: boolean;
  readonly actor?: string;
}

export interface BackfillResult {
  readonly started: readonly string[];
  readonly skipped: readonly string[];
}

export class TriggerNotFoundError extends CodedError {
  constructor(namespace: string, flowId: string, triggerId: string, kind = 'trigger') {
    super('TRIGGER_NOT_FOUND', `flow ${namespace}.${flowId} has no ${kind} "${triggerId}"`);
  }
}

export class BackfillInvalidError extends CodedError {
  constructor(message: string) {
    super('BACKFILL_INVALID', message);
  }
}

/**
 * Runs a Schedule's past slots. Each slot uses the same execution id as the live tick would,
 * so a slot that already ran (live or by an earlier backfill) is not run twice; a slot whose
 * execution succeeded is skipped unless `rerunSucceeded`, which starts a new one.
 */
export async function backfillSchedule(deps: CreateExecutionDeps, request: BackfillRequest): Promise<BackfillResult> {
  const flow = await deps.flows.latest(request.namespace, request.flowId);
  if (!flow) throw new FlowNotFoundError(request.namespace, request.flowId);
  const trigger = parseTriggers(flow.definition.triggers).triggers.find((t): t is ScheduleTrigger => t.kind === 'Schedule' && t.id === request.triggerId);
  if (!trigger) throw new TriggerNotFoundError(request.namespace, request.flowId, request.triggerId, 'Schedule trigger');
  // Kestra's ScheduleOnDates.evaluate never reads a backfill: only a cron Schedule has one.
  if (trigger.dates) throw new BackfillInvalidError(`${request.triggerId} is a ScheduleOnDates trigger, which has no backfill (as in Kestra); start an execution for a past date through the API`);
  if (!(request.from < request.to)) throw new BackfillInvalidError('from must be before to');
  const ticks = ticksBetween(trigger, new Date(request.from.getTime() - 1), request.to, MAX_BACKFILL_TICKS + 1);
  if (ticks.length > MAX_BACKFILL_TICKS) throw new BackfillInvalidError(`the range holds more than ${MAX_BACKFILL_TICKS} ticks; backfill a shorter range`);
  const started: string[] = [];
  const skipped: string[] = [];
  for (const tick of ticks) {
    const slotKey = `schedule:${trigger.id}:${tick.toISOString()}`;
    const existing = await deps.executions.load(deterministicId('execution', request.namespace, request.flowId, slotKey));
    if (existing && (existing.state !== 'SUCCESS' || !request.rerunSucceeded)) {
      skipped.push(existing.id);
      continue;
    }
    const created = await startTriggeredExecution(deps, {
      namespace: request.namespace,
      flowId: request.flowId,
      trigger,
      idempotencyKey: existing ? `${slotKey}:rerun:${newId()}` : slotKey,
      variables: {
        date: tick.toISOString(),
        next: nextTick(trigger, tick)?.toISOString() ?? null,
        previous: previousTick(trigger, tick)?.toISOString() ?? null,
        backfill: true,
      },
    });
    started.push(created.execution.id);
  }
  return { started, skipped };
}
