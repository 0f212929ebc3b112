import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics of a Chronicle process, on one registry served at `/metrics` (the
 * gateway's HTTP port; HEALTH_PORT for the other services). Labels stay low-cardinality:
 * namespaces and states, task types, topics and groups, never execution or flow ids.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'chronicle_' });

export const CONTENT_TYPE_METRICS = metricsRegistry.contentType;

/**
 * `/metrics` is public (Prometheus scrapes it without a token): where tokens are limited to
 * namespaces, namespace names are not everyone's to read, so the execution counters leave the
 * label out (CHRONICLE_METRICS_NAMESPACE_LABELS; set by createPlatform from the configuration).
 */
let namespaceLabels = true;

export function configureMetrics(options: { readonly namespaceLabels: boolean }): void {
  namespaceLabels = options.namespaceLabels;
}

/** The `namespace` label of an execution counter, or none when namespace labels are hidden. */
export function namespaceLabel(namespace: string): { namespace?: string } {
  return namespaceLabels ? { namespace } : {};
}

export const executionsStarted = new Counter({
  name: 'chronicle_executions_started_total',
  help: 'Executions created (counted once, by the projection), by namespace.',
  labelNames: ['namespace'] as const,
  registers: [metricsRegistry],
});

export const executionsEnded = new Counter({
  name: 'chronicle_executions_ended_total',
  help: 'Executions that reached a terminal state (counted once, by the projection), by namespace and state.',
  labelNames: ['namespace', 'state'] as const,
  registers: [metricsRegistry],
});

export const taskRunDuration = new Histogram({
  name: 'chronicle_task_run_duration_seconds',
  help: 'Duration of task run attempts, by task type and outcome (local tasks run inside the executor\'s decision and count as 0 s).',
  labelNames: ['task_type', 'state'] as const,
  buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
  registers: [metricsRegistry],
});

export const eventStoreAppendDuration = new Histogram({
  name: 'chronicle_event_store_append_duration_seconds',
  help: 'Latency of event store appends (append and appendMany), by operation and outcome.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** Sources of a gauge read at scrape time: several may register (standalone hosts every service). */
type GaugeSource = () => Promise<ReadonlyArray<{ labels: Record<string, string>; value: number }>>;

function sourcedGauge(name: string, help: string, labelNames: readonly string[]): { gauge: Gauge<string>; sources: Set<GaugeSource> } {
  const sources = new Set<GaugeSource>();
  const gauge: Gauge<string> = new Gauge({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      gauge.reset();
      const readings = await Promise.all([...sources].map((source) => source().catch(() => [])));
      for (const reading of readings) for (const { labels, value } of reading) gauge.set(labels, value);
    },
  });
  return { gauge, sources };
}

const consumerLag = sourcedGauge('chronicle_consumer_lag_messages', 'Messages of a topic not yet committed by a consumer group (Kafka), read at scrape time.', ['topic', 'group']);
const projectionLagEvents = sourcedGauge('chronicle_projection_lag_events', 'Events in the log after the projection\'s checkpoint (counted up to 10000), read at scrape time.', ['projection']);
const projectionLagSeconds = sourcedGauge('chronicle_projection_lag_seconds', 'Age of the oldest event not projected yet, in seconds (0 when caught up), read at scrape time.', ['projection']);
const openSubscriptions = sourcedGauge('chronicle_open_subscriptions', 'Open live subscriptions: graphql-ws connections and live-update subscribers, read at scrape time.', ['kind']);
const admissionInFlight = sourcedGauge('chronicle_admission_in_flight', 'Executions this process started that admission control still counts as in flight (a slot each), read at scrape time.', ['path']);
const admissionLimit = sourcedGauge('chronicle_admission_limit', 'The admission bound now (measured between CHRONICLE_MIN_IN_FLIGHT and CHRONICLE_MAX_IN_FLIGHT; 0 = none), read at scrape time.', ['path']);

const admissionRefusals = new Counter({
  name: 'chronicle_admission_refused_total',
  help: 'Starts refused by admission control (429 OVERLOADED, 503 MEMORY_CEILING), nothing started: by path and reason.',
  labelNames: ['path', 'reason'],
  registers: [metricsRegistry],
});

/** One start refused by admission control (`reason`: OVERLOADED or MEMORY_CEILING). */
export function countAdmissionRefusal(path: string, reason: string): void {
  admissionRefusals.inc({ path, reason });
}

const abandonedStarts = new Counter({
  name: 'chronicle_admission_abandoned_total',
  help: 'Starts not started because their caller had closed its connection by the time they were read (a call that waited in the accept queue past its client\'s timeout): by path.',
  labelNames: ['path'],
  registers: [metricsRegistry],
});

/** One start dropped: its caller was gone when it was read. */
export function countAbandonedStart(path: string): void {
  abandonedStarts.inc({ path });
}

export type Unregister = () => void;

function register(sources: Set<GaugeSource>, source: GaugeSource): Unregister {
  sources.add(source);
  return () => sources.delete(source);
}

/** A consumer whose lag `chronicle_consumer_lag_messages` reports while it runs. */
export function registerConsumerLag(topic: string, group: string, lag: () => Promise<number>): Unregister {
  return register(consumerLag.sources, async () => [{ labels: { topic, group }, value: await lag() }]);
}

/** A projection whose lag (events and seconds) the gauges report. */
export function registerProjectionLag(projection: string, lag: () => Promise<{ events: number; seconds: number }>): Unregister {
  let last: Promise<{ events: number; seconds: number }> | undefined;
  // Both gauges read one measurement per scrape.
  const measure = () => (last ??= lag().finally(() => setTimeout(() => (last = undefined), 0)));
  const offEvents = register(projectionLagEvents.sources, async () => [{ labels: { projection }, value: (await measure()).events }]);
  const offSeconds = register(projectionLagSeconds.sources, async () => [{ labels: { projection }, value: (await measure()).seconds }]);
  return () => {
    offEvents();
    offSeconds();
  };
}

/** A count of open subscriptions of one kind (`graphql_ws`, `live_updates`). */
export function registerOpenSubscriptions(kind: string, count: () => number): Unregister {
  return register(openSubscriptions.sources, async () => [{ labels: { kind }, value: count() }]);
}

/**
 * An admission bound (`gateway` starts, `kafka_triggers`) whose slots in use and bound the gauges report.
 * After a load ends and its answers are in, in-flight falls back to what still runs: a slot that
 * stays taken is a leak (it would hold until CHRONICLE_IN_FLIGHT_HOLD_MS), visible here.
 */
export function registerAdmission(path: string, limit: { readonly inFlight: number; readonly max: number }): Unregister {
  const offInFlight = register(admissionInFlight.sources, async () => [{ labels: { path }, value: limit.inFlight }]);
  const offLimit = register(admissionLimit.sources, async () => [{ labels: { path }, value: limit.max }]);
  return () => {
    offInFlight();
    offLimit();
  };
}

/** The registry in Prometheus' text format. */
export function renderMetrics(): Promise<string> {
  return metricsRegistry.metrics();
}

/** Executions RUNNING with no progress for longer than allowed, as of the last health check (scheduler leader). */
export const stalledExecutions = new Gauge({
  name: 'chronicle_stalled_executions',
  help: 'RUNNING executions that made no progress for longer than allowed, as of the last check (set by the scheduler that leads the health check).',
  registers: [metricsRegistry],
});
