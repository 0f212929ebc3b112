import { missedTicks, nextTick, previousTick, type ScheduleTrigger } from '@chronicle/domain';
import { startTriggeredExecution, type CreateExecutionDeps, type DeclaredTrigger, type FlowTriggersIndex, type TriggerStates } from '@chronicle/use-cases';
import type { Clock, Logger } from '@chronicle/runtime';

const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Fires Schedule triggers (cron or ScheduleOnDates' dates). One timer for the earliest next tick across all schedules (no
 * polling); re-armed whenever the flows change. Each tick's execution id derives from the
 * trigger and the tick, so several schedulers, a restart or a recovery never start it twice.
 * On start, ticks missed while no scheduler ran are recovered per `recoverMissedSchedules`.
 */
export class ScheduleRunner {
  private timer?: NodeJS.Timeout;
  private running = false;
  private dirty = false;
  private stopped = false;

  constructor(
    private readonly index: FlowTriggersIndex,
    private readonly states: TriggerStates,
    private readonly deps: CreateExecutionDeps,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Re-plans now (flows changed, a trigger was enabled, or the timer fired). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    void this.cycle()
      .catch((error) => this.logger.error({ err: error }, 'schedule cycle failed; retrying in 5 s'))
      .finally(() => {
        this.running = false;
        if (this.dirty) {
          this.dirty = false;
          this.wake();
        }
      });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async cycle(): Promise<void> {
    clearTimeout(this.timer);
    const now = new Date(this.clock.now());
    const schedules = this.index.ofKind('Schedule');
    const states = new Map((await this.states.all()).map((s) => [`${s.namespace}\u0000${s.flowId}\u0000${s.triggerId}`, s]));
    let earliest: Date | undefined;
    for (const declared of schedules) {
      const state = states.get(`${declared.namespace}\u0000${declared.flowId}\u0000${declared.trigger.id}`);
      if (state && !state.enabled) continue;
      const key = { namespace: declared.namespace, flowId: declared.flowId, triggerId: declared.trigger.id };
      if (!state?.lastFired) {
        // A new schedule starts from now: history before its deployment is a backfill, not a recovery.
        await this.states.markFired(key, now);
      } else {
        for (const tick of missedTicks(declared.trigger, state.lastFired, now)) await this.fire(declared, tick);
      }
      const next = nextTick(declared.trigger, now);
      if (next && (!earliest || next < earliest)) earliest = next;
    }
    const wait = earliest ? Math.min(MAX_WAIT_MS, Math.max(0, earliest.getTime() - Date.parse(this.clock.now()))) : MAX_WAIT_MS;
    this.timer = setTimeout(() => this.wake(), wait + 5);
    this.timer.unref();
  }

  /** Starts the execution of one tick (idempotent) and records the tick. */
  async fire(declared: DeclaredTrigger<ScheduleTrigger>, tick: Date): Promise<string> {
    const trigger = declared.trigger;
    const created = await startTriggeredExecution(this.deps, {
      namespace: declared.namespace,
      flowId: declared.flowId,
      trigger,
      idempotencyKey: `schedule:${trigger.id}:${tick.toISOString()}`,
      // A ScheduleOnDates execution carries no trigger variables (ScheduleOnDates.evaluate passes an empty map).
      variables: trigger.dates ? {} : {
        date: tick.toISOString(),
        next: nextTick(trigger, tick)?.toISOString() ?? null,
        previous: previousTick(trigger, tick)?.toISOString() ?? null,
      },
    });
    await this.states.markFired({ namespace: declared.namespace, flowId: declared.flowId, triggerId: trigger.id }, tick);
    if (created.created) this.logger.info({ flow: `${declared.namespace}.${declared.flowId}`, trigger: trigger.id, tick: tick.toISOString(), executionId: created.execution.id }, 'schedule fired');
    return created.execution.id;
  }
}
