import { Kafka, logLevel, type Producer } from 'kafkajs';

export const NAMESPACE = 'chaos';
export const WEBHOOK_KEY = 'chaos-webhook-key-0123456789';

/** Two flows: one started by Kafka trigger events, one by its webhook. Every task goes through the worker pool. */
export const FLOWS = [
  `id: from-kafka\nnamespace: ${NAMESPACE}\ninputs:\n  - id: n\n    type: STRING\ntasks:\n  - id: first\n    type: Log\n    message: "kafka {{ inputs.n }}"\n  - id: second\n    type: Return\n    format: "{{ inputs.n }}"\n`,
  `id: from-webhook\nnamespace: ${NAMESPACE}\ntasks:\n  - id: first\n    type: Log\n    message: "webhook {{ trigger.body.n }}"\n  - id: second\n    type: Return\n    format: "{{ trigger.body.n }}"\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: ${WEBHOOK_KEY}\n`,
];

export interface LoadFigures {
  /** Markers whose trigger was acknowledged: Kafka acks=all, or the webhook's 200. */
  readonly acked: Set<string>;
  sent: number;
  abandoned: number;
  /** Webhook answers other than 200, by status (`503 without Retry-After` counted apart), and refused connections. */
  readonly degraded: Map<string, number>;
}

/**
 * Open-loop load at `perSecond` of each kind while `running()`: Kafka trigger events on
 * `<prefix>.triggers` and webhook calls spread over the gateways. A client retries what was not
 * acknowledged (a refused connection, a 503) with the same idempotency key, as a real client
 * would; a trigger counts as acknowledged only once Kafka or a gateway said so.
 */
export class ChaosLoad {
  readonly figures: LoadFigures = { acked: new Set(), sent: 0, abandoned: 0, degraded: new Map() };
  private producer?: Producer;
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();
  private loops: Promise<void>[] = [];

  /** `kafka` undefined (standalone mode): webhooks only. */
  constructor(private readonly kafka: { brokers: string; triggersTopic: string } | undefined, private readonly gateways: () => string[], private readonly perSecond: number) {}

  async start(): Promise<void> {
    this.loops = [this.webhookLoop()];
    if (!this.kafka) return;
    const kafka = new Kafka({ clientId: 'chaos-load', brokers: [this.kafka.brokers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 5 } });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.loops.push(this.kafkaLoop(this.kafka.triggersTopic));
  }

  /** Stops sending new triggers, then waits for the ones in flight to be acknowledged or given up. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await Promise.all([...this.pending]);
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async kafkaLoop(topic: string): Promise<void> {
    for (let i = 0; !this.stopped; i++) {
      const marker = `k-${i}`;
      const value = JSON.stringify({ namespace: NAMESPACE, flowId: 'from-kafka', inputs: { n: marker }, idempotencyKey: `chaos-${marker}` });
      this.figures.sent++;
      const tick = sleep(1000 / this.perSecond);
      const acked = await retrying(async () => {
        await this.producer!.send({ topic, acks: -1, messages: [{ key: marker, value }] });
        return true;
      }, 90_000);
      if (acked) this.figures.acked.add(marker);
      else this.figures.abandoned++;
      await tick;
    }
  }

  private async webhookLoop(): Promise<void> {
    for (let i = 0; !this.stopped; i++) {
      const marker = `w-${i}`;
      this.figures.sent++;
      const call = this.webhook(marker, i).then((acked) => {
        if (acked) this.figures.acked.add(marker);
        else this.figures.abandoned++;
      });
      this.pending.add(call);
      void call.finally(() => this.pending.delete(call));
      await sleep(1000 / this.perSecond);
    }
  }

  private count(answer: string): void {
    this.figures.degraded.set(answer, (this.figures.degraded.get(answer) ?? 0) + 1);
  }

  private webhook(marker: string, i: number): Promise<boolean> {
    let attempt = 0;
    return retrying(async () => {
      const gateways = this.gateways();
      const url = gateways[(i + attempt++) % gateways.length]!;
      const res = await fetch(`${url}/api/v1/executions/webhook/${NAMESPACE}/from-webhook/${WEBHOOK_KEY}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `chaos-${marker}` },
        body: JSON.stringify({ n: marker }),
        // Generous: a process at load 40 took longer than 10 s to answer (a slow answer is retried with the same key).
        signal: AbortSignal.timeout(30_000),
      }).catch((error: Error) => {
        this.count('no answer');
        throw error;
      });
      await res.arrayBuffer();
      if (res.status === 200) return true;
      const retryAfter = res.headers.get('retry-after');
      const retryable = res.status === 503 || res.status === 429;
      this.count(retryable && !retryAfter ? `${res.status} without Retry-After` : String(res.status));
      // As a real client does: a 503 (an outage) or a 429 (admission: the gateway's in-flight
      // executions reached CHRONICLE_MAX_IN_FLIGHT while faults held them up, or the webhook's rate
      // limit) is retried after its Retry-After.
      if (retryable) throw new RetryLater(`status ${res.status}`, retryAfter ? Number(retryAfter) * 1000 : undefined);
      if (res.status >= 500) throw new Error(`status ${res.status}`);
      throw new Error(`unexpected status ${res.status}`);
    }, 180_000);
  }
}

/** An answer that says "try again", after `afterMs` when the server said how long. */
class RetryLater extends Error {
  constructor(message: string, readonly afterMs: number | undefined) {
    super(message);
  }
}

async function retrying(attempt: () => Promise<boolean>, forMs: number): Promise<boolean> {
  const deadline = Date.now() + forMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) return false;
      await sleep(Math.max(250, error instanceof RetryLater ? (error.afterMs ?? 0) : 0));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
