/** Every topic Chronicle uses, in one place (override the prefix with CHRONICLE_TOPIC_PREFIX). */
export interface Topics {
  /** Commands to the executor, keyed by execution id. */
  readonly commands: string;
  /** Runnable task runs for the worker pool, keyed by execution id. */
  readonly tasks: string;
  /** Live read-model updates from the projection to every gateway, keyed by execution id. */
  readonly updates: string;
  /** Outside trigger events (CONTRACT.md). */
  readonly triggers: string;
  /** Task-run log lines from the workers to the log projection, keyed by execution id. */
  readonly logs: string;
  /** Durable timer requests (TimerScheduled / TimerCancelled) from the relay to the scheduler, keyed by execution id. */
  readonly timers: string;
  /** Broadcast control messages to every worker (kill an attempt); each worker reads it in its own group. */
  readonly control: string;
}

export function topicNames(prefix = 'chronicle'): Topics {
  return {
    commands: `${prefix}.commands`,
    tasks: `${prefix}.tasks`,
    updates: `${prefix}.updates`,
    triggers: `${prefix}.triggers`,
    logs: `${prefix}.logs`,
    timers: `${prefix}.timers`,
    control: `${prefix}.control`,
  };
}
