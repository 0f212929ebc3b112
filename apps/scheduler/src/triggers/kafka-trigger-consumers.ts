import { DEFAULT_TOPIC_PREFIX, isTruthy, kafkaOwnershipIssue, kafkaTriggerConsumerGroup, renderTemplate, reservedKafkaNameIssue, type JsonObject, type KafkaOwnershipPolicy, type KafkaTrigger } from '@chronicle/domain';
import { kafkaOwnershipPolicy, startTriggeredExecution, type CreatedExecution, type KafkaNameSettings, type CreateExecutionDeps, type DeclaredTrigger, type FlowTriggersIndex, type TriggerKey } from '@chronicle/use-cases';
import { PoisonMessageError, type Consumer, type MessageBus, type ReceivedMessage } from '@chronicle/messaging';
import type { InFlightLimit, Logger } from '@chronicle/runtime';
import { isRefusal } from '@chronicle/errors';

export const TRIGGER_EVENTS_GROUP = 'chronicle-scheduler-triggers';

/** A trigger event on `chronicle.triggers` (CONTRACT.md). */
interface TriggerEvent {
  readonly namespace?: unknown;
  readonly flowId?: unknown;
  readonly inputs?: unknown;
  readonly labels?: unknown;
  readonly idempotencyKey?: unknown;
}

/** How long a trigger message waits for an admission slot before its delivery backs off and retries. */
const ADMISSION_WAIT_MS = 2_000;

/**
 * Starts executions from Kafka: the shared `chronicle.triggers` topic, and every flow's own
 * `Kafka` trigger (its topic and consumer group). The offset is committed only after the
 * execution's creation is durable; the execution id derives from the idempotency key or the
 * message's topic/partition/offset, so a redelivery never starts a second execution.
 */
export class KafkaTriggerConsumers {
  private shared?: Consumer;
  private readonly perTrigger = new Map<string, { consumer: Consumer; signature: string }>();
  /** Triggers refused for naming Chronicle's own topics or groups, by signature: logged once, not on every sync. */
  private readonly refused = new Set<string>();
  private syncing = Promise.resolve();
  private readonly ownership: KafkaOwnershipPolicy;

  constructor(
    private readonly bus: MessageBus,
    private readonly sharedTopic: string,
    private readonly index: FlowTriggersIndex,
    private readonly deps: CreateExecutionDeps,
    private readonly logger: Logger,
    /**
     * CHRONICLE_TOPIC_PREFIX (a flow's trigger may not read these topics nor join these groups) and
     * the settings of Kafka trigger ownership (topics and groups of the flow's namespace only).
     */
    private readonly names: KafkaNameSettings = { topicPrefix: DEFAULT_TOPIC_PREFIX },
    /** Run-time trigger state: a trigger disabled by the API (or stopAfter) does not consume. */
    private readonly runtimeStates?: { isDisabled(key: TriggerKey): Promise<boolean> },
    /** Admission control: at the bound a consumer waits for a slot instead of consuming (back-pressure, not refusal). */
    private readonly inFlight?: InFlightLimit,
    /** Awaited once a slot is held, before the execution is created: whoever frees slots at the ends must be watching (FlowTriggerListener.expectEnd). */
    private readonly beforeStart?: () => Promise<void>,
  ) {
    this.ownership = kafkaOwnershipPolicy(names);
  }

  async start(): Promise<void> {
    this.shared = await this.bus.consume<TriggerEvent>({ topic: this.sharedTopic, groupId: TRIGGER_EVENTS_GROUP }, (m) => this.onTriggerEvent(m));
    await this.sync();
  }

  /**
   * Starts consumers for new Kafka triggers and stops those of removed or disabled ones. A disabled
   * trigger's consumer leaves its group: its messages wait in the topic, from the group's committed
   * offset, until it is enabled again (nothing is consumed and dropped).
   */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.reconcile()).catch((error) => this.logger.error({ err: error }, 'Kafka trigger consumers not in sync'));
    return this.syncing;
  }

  async stop(): Promise<void> {
    await this.syncing;
    await this.shared?.stop();
    await Promise.all([...this.perTrigger.values()].map((c) => c.consumer.stop()));
    this.perTrigger.clear();
  }

  /** Current lag of every trigger consumer (a metric). */
  async lag(): Promise<Record<string, number>> {
    const entries = [[this.sharedTopic, (await this.shared?.lag()) ?? 0] as const];
    for (const [key, c] of this.perTrigger) entries.push([key, await c.consumer.lag()] as const);
    return Object.fromEntries(entries);
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map<string, DeclaredTrigger<KafkaTrigger>>();
    for (const d of this.index.ofKind('Kafka')) {
      const disabled = await this.runtimeStates?.isDisabled({ namespace: d.namespace, flowId: d.flowId, triggerId: d.trigger.id });
      if (!disabled) wanted.set(`${d.namespace}.${d.flowId}/${d.trigger.id}`, d);
    }
    for (const [key, running] of this.perTrigger) {
      const d = wanted.get(key);
      if (!d || signatureOf(d) !== running.signature) {
        await running.consumer.stop();
        this.perTrigger.delete(key);
      }
    }
    for (const [key, d] of wanted) {
      if (this.perTrigger.has(key)) continue;
      // Deploys refuse these; a flow deployed before (under another prefix, before namespaces were
      // isolated, or imported) must still never listen.
      const reserved = reservedKafkaNameIssue(d.trigger, this.names.topicPrefix) ?? kafkaOwnershipIssue(d.namespace, d.trigger, this.ownership);
      if (reserved) {
        if (this.refused.has(signatureOf(d))) continue;
        this.refused.add(signatureOf(d));
        this.logger.error({ trigger: key, topic: d.trigger.topic, groupId: d.trigger.groupId }, `Kafka trigger not started: ${reserved.message}`);
        continue;
      }
      await this.bus.ensureTopics([d.trigger.topic]);
      const groupId = kafkaTriggerConsumerGroup(d.namespace, d.flowId, d.trigger);
      const consumer = await this.bus.consume<unknown>(
        { topic: d.trigger.topic, groupId, raw: true, exactGroupId: true },
        (m) => this.onFlowTriggerMessage(d, m as ReceivedMessage<string>),
      );
      this.perTrigger.set(key, { consumer, signature: signatureOf(d) });
      this.logger.info({ trigger: key, topic: d.trigger.topic, groupId }, 'Kafka trigger listening');
    }
  }

  private async onTriggerEvent(message: ReceivedMessage<TriggerEvent>): Promise<void> {
    const event = message.value;
    if (typeof event !== 'object' || event === null) throw new PoisonMessageError('a trigger event must be a JSON object');
    if (typeof event.namespace !== 'string' || typeof event.flowId !== 'string') throw new PoisonMessageError('a trigger event needs string namespace and flowId');
    if (event.inputs !== undefined && (typeof event.inputs !== 'object' || event.inputs === null || Array.isArray(event.inputs))) throw new PoisonMessageError('inputs must be an object');
    // CONTRACT.md: a string. Another type is refused rather than ignored, which would start an execution per delivery.
    if (event.idempotencyKey !== undefined && event.idempotencyKey !== null && (typeof event.idempotencyKey !== 'string' || event.idempotencyKey === '')) {
      throw new PoisonMessageError(`idempotencyKey must be a non-empty string, got ${JSON.stringify(event.idempotencyKey)?.slice(0, 100)} (${typeof event.idempotencyKey}): send it as a string, e.g. "17"`);
    }
    const key = typeof event.idempotencyKey === 'string' ? event.idempotencyKey : positionKey(message);
    await this.create(() =>
      startTriggeredExecution(this.deps, {
        namespace: event.namespace as string,
        flowId: event.flowId as string,
        trigger: { kind: 'Kafka', id: 'chronicle.triggers', typeName: 'Kafka', disabled: false, inputs: {}, labels: {}, topic: message.topic, groupId: TRIGGER_EVENTS_GROUP, keyDeserializer: 'STRING', valueDeserializer: 'JSON' },
        idempotencyKey: `kafka:${key}`,
        inputs: (event.inputs ?? {}) as Record<string, unknown>,
        labels: labelsOf(event.labels),
        variables: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key, headers: message.headers },
      }),
    );
  }

  private async onFlowTriggerMessage(declared: DeclaredTrigger<KafkaTrigger>, message: ReceivedMessage<string>): Promise<void> {
    const t = declared.trigger;
    const value = deserialize(message.value, t.valueDeserializer, 'value');
    const key = deserialize(message.key, t.keyDeserializer, 'key');
    const variables: JsonObject = { topic: message.topic, partition: message.partition, offset: message.offset, key, value, headers: message.headers };
    if (t.condition) {
      let rendered: string;
      try {
        rendered = renderTemplate(t.condition, { trigger: variables } as never);
      } catch (error) {
        throw new PoisonMessageError(`condition "${t.condition}" cannot be evaluated: ${(error as Error).message}`);
      }
      if (!isTruthy(rendered)) return;
    }
    await this.create(() =>
      startTriggeredExecution(this.deps, {
        namespace: declared.namespace,
        flowId: declared.flowId,
        trigger: t,
        idempotencyKey: `kafka:${positionKey(message)}`,
        variables,
      }),
    );
  }

  /**
   * Permanent refusals (unknown flow, bad inputs) are poison; anything else is retried. Under
   * admission control the handler first waits for a slot: the message is neither acknowledged
   * nor refused meanwhile, and its consumer reads nothing more (Kafka keeps the rest).
   */
  private async create(start: () => Promise<CreatedExecution>): Promise<void> {
    // At most a couple of seconds per wait: the delivery then retries with backoff, heartbeating.
    const slot = await this.inFlight?.acquire(ADMISSION_WAIT_MS);
    try {
      if (slot) await this.beforeStart?.();
      const started = await start();
      if (started.created) slot?.bind(started.execution.id);
      else slot?.release();
    } catch (error) {
      slot?.release();
      if (isRefusal(error)) throw new PoisonMessageError(error.message);
      throw error;
    }
  }
}

const positionKey = (m: ReceivedMessage) => `${m.topic}/${m.partition}/${m.offset}`;
const signatureOf = (d: DeclaredTrigger<KafkaTrigger>) => JSON.stringify([d.revision, d.trigger]);

function deserialize(raw: string, as: 'JSON' | 'STRING', what: string): JsonObject[string] {
  if (as === 'STRING') return raw;
  try {
    return JSON.parse(raw) as JsonObject[string];
  } catch {
    throw new PoisonMessageError(`the message ${what} is not JSON, but the trigger's ${what}Deserializer is JSON`);
  }
}

function labelsOf(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
