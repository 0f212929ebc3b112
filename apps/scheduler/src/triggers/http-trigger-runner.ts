import { executionStreamId, httpPollAllowed, httpPollKey, httpPollRequest, httpPollSlot, httpResponseMatches, isTerminal, type Execution, type HttpPollScope, type HttpTrigger, type JsonObject } from '@chronicle/domain';
import { sendHttpRequest } from '@chronicle/tasks';
import { executionIdFor, startTriggeredExecution, type CreateExecutionDeps, type DeclaredTrigger, type FlowTriggersIndex, type Secrets, type TriggerKey, type TriggerStates } from '@chronicle/use-cases';
import type { Clock, Logger } from '@chronicle/runtime';

const MAX_WAIT_MS = 60 * 60 * 1000;

/** What a poll's templates may read besides the flow: the installation's variables, and `secret()` when the process has the Secrets port. */
export interface HttpPollInstallation {
  readonly envs?: Readonly<Record<string, string>>;
  readonly globals?: JsonObject;
  readonly secrets?: Secrets;
}

/**
 * Polls Kestra's HTTP triggers (io.kestra.plugin.core.http.Trigger). Each trigger polls at the
 * multiples of its interval (see httpPollSlot); one timer, for the earliest next slot across all of
 * them, re-planned when flows or trigger states change (no polling of our own). A truthy `responseCondition` starts one execution whose id derives from the trigger
 * and the slot, so two schedulers polling the same slot, or a restart, never start it twice.
 * While that execution runs the trigger is not polled (Kestra locks it until the execution ends):
 * the last start is `lastFired` in the trigger state, from which its execution id is derived again.
 */
export class HttpTriggerRunner {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly aborted = new AbortController();
  /** Per trigger, the last slot this process polled (or let pass when it first saw the trigger). */
  private readonly polledSlot = new Map<string, number>();
  private readonly polls = new Map<string, Promise<void>>();
  /** Per trigger, the execution found running at its last poll, as far as read (brought up to date, not read again). */
  private readonly lockedBy = new Map<string, Execution>();
  /** Per trigger, the last started execution known to have ended (not read again). */
  private readonly endedStart = new Map<string, string>();

  constructor(
    private readonly index: FlowTriggersIndex,
    private readonly states: TriggerStates,
    private readonly deps: CreateExecutionDeps,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly installation: HttpPollInstallation = {},
    private readonly send = sendHttpRequest,
  ) {}

  /** Re-plans now (flows changed, a trigger was enabled or disabled, or the timer fired). Polls run beside, never awaited here. */
  wake(): void {
    if (this.stopped) return;
    try {
      this.cycle();
    } catch (error) {
      this.logger.error({ err: error }, 'http trigger cycle failed');
    }
  }

  /**
   * An execution ended: a trigger it locked polls again from its next slot (already planned), and
   * without reading the execution's stream. A missed end costs that read, never a wrong answer.
   */
  executionEnded(executionId: string): void {
    for (const [key, execution] of this.lockedBy) {
      if (execution.id !== executionId) continue;
      this.lockedBy.delete(key);
      this.endedStart.set(key, executionId);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.aborted.abort();
    await Promise.allSettled([...this.polls.values()]);
  }

  private cycle(): void {
    clearTimeout(this.timer);
    const now = Date.parse(this.clock.now());
    let earliest: number | undefined;
    for (const declared of this.index.ofKind('Http')) {
      const key = keyOf(declared);
      const slot = httpPollSlot(declared.trigger, now);
      const next = slot + declared.trigger.intervalMs;
      if (earliest === undefined || next < earliest) earliest = next;
      const last = this.polledSlot.get(key);
      // First sight (deploy, restart): the first poll is one interval away, as Kestra's nextEvaluationDate.
      if (last === undefined) {
        this.polledSlot.set(key, slot);
        continue;
      }
      // A poll still waiting for its answer keeps the next slot from sending another.
      if (last >= slot || this.polls.has(key)) continue;
      this.polledSlot.set(key, slot);
      const poll = this.poll(declared, slot).finally(() => this.polls.delete(key));
      this.polls.set(key, poll);
    }
    // No HTTP trigger: nothing to plan until the flows change.
    if (earliest === undefined) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, earliest - Date.parse(this.clock.now())));
    this.timer = setTimeout(() => this.wake(), wait + 5);
    this.timer.unref();
  }

  /** One poll of one slot: unless disabled or locked, send, judge, start. Its failure is logged, the next slot polls again. */
  private async poll(declared: DeclaredTrigger<HttpTrigger>, slot: number): Promise<void> {
    const t = declared.trigger;
    const where = { flow: `${declared.namespace}.${declared.flowId}`, trigger: t.id, slot: new Date(slot).toISOString() };
    // The secrets the request read: an error naming the rendered uri or a header must not carry them into the log.
    const read: string[] = [];
    try {
      await this.pollOnce(declared, slot, read);
    } catch (error) {
      if (this.stopped) return;
      const message = read.reduce((text, secret) => (secret === '' ? text : text.replaceAll(secret, '******')), error instanceof Error ? error.message : String(error));
      this.logger.warn({ ...where, error: message }, 'http trigger poll failed');
    }
  }

  private async pollOnce(declared: DeclaredTrigger<HttpTrigger>, slot: number, read: string[]): Promise<void> {
    const t = declared.trigger;
    const triggerKey: TriggerKey = { namespace: declared.namespace, flowId: declared.flowId, triggerId: t.id };
    const state = await this.states.get(triggerKey);
    // Disabled at run time (the API, stopAfter): nothing is sent.
    if (state && !state.enabled) return;
    if (state?.lastFired && (await this.locked(declared, state.lastFired.getTime()))) return;
    const secrets = this.installation.secrets;
    const secret = secrets ? ({ namespace, key }: { namespace: string; key: string }) => {
      const value = secrets.get(namespace, key);
      read.push(value);
      return value;
    } : undefined;
    const scope: HttpPollScope = {
      flow: { id: declared.flowId, namespace: declared.namespace, revision: declared.revision },
      now: new Date(slot).toISOString(),
      ...(this.installation.envs ? { envs: this.installation.envs } : {}),
      ...(this.installation.globals ? { globals: this.installation.globals } : {}),
      ...(secret ? { host: { secret } } : {}),
    };
    const where = { flow: `${declared.namespace}.${declared.flowId}`, trigger: t.id };
    if (!httpPollAllowed(t, scope, (problem) => this.logger.warn({ ...where, problem }, 'http trigger condition could not be evaluated (it does not hold)'))) return;
    const exchange = await this.send(httpPollRequest(t, scope), this.aborted.signal);
    if (!httpResponseMatches(t, { statusCode: exchange.code, body: exchange.text, headers: exchange.headers }, scope)) return;
    const started = await startTriggeredExecution(this.deps, {
      namespace: declared.namespace,
      flowId: declared.flowId,
      trigger: t,
      idempotencyKey: httpPollKey(t, slot),
      // Kestra's Request.Output: the body as the response's text.
      variables: { uri: exchange.uri, code: exchange.code, headers: exchange.headers, body: exchange.text },
    });
    await this.states.markFired(triggerKey, new Date(slot));
    this.lockedBy.set(keyOf(declared), started.execution);
    if (started.created) this.logger.info({ ...where, slot: new Date(slot).toISOString(), code: exchange.code, executionId: started.execution.id }, 'http trigger fired');
  }

  /** Whether the execution of the trigger's last start (slot `lastFired`) still runs. */
  private async locked(declared: DeclaredTrigger<HttpTrigger>, lastFired: number): Promise<boolean> {
    const key = keyOf(declared);
    const id = executionIdFor(declared.namespace, declared.flowId, httpPollKey(declared.trigger, lastFired));
    if (this.endedStart.get(key) === id) return false;
    const known = this.lockedBy.get(key);
    // Folded once, then only what changed: a long execution is not read whole at every slot.
    const execution = known?.id === id ? await this.brought(known) : await this.deps.executions.load(id);
    // Deleted, or started under another kind with this id: nothing holds the trigger.
    if (!execution || isTerminal(execution.state)) {
      this.lockedBy.delete(key);
      this.endedStart.set(key, id);
      return false;
    }
    this.lockedBy.set(key, execution);
    return true;
  }

  /** The execution as it is now: unchanged (one revision read), brought up to date, or gone (purged). */
  private async brought(known: Execution): Promise<Execution | undefined> {
    const revision = await this.deps.store.streamRevision(executionStreamId(known.id));
    if (revision === undefined) return undefined;
    return revision === BigInt(known.revision) ? known : this.deps.executions.refresh(known);
  }
}

const keyOf = (d: { namespace: string; flowId: string; trigger: { id: string } }) => `${d.namespace}\u0000${d.flowId}\u0000${d.trigger.id}`;
