import { z } from 'zod';
import { CodedError } from '@chronicle/errors';
import { parseTokenSpec, TokenSpecError } from './token-spec.js';

const flag = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback);

/**
 * Every setting Chronicle reads, validated once at start-up. A missing or invalid
 * setting stops the process with a message naming it (see `ConfigError`). Each field's
 * description is the README's configuration table (`npm run config:doc` prints it), so
 * a new setting is documented where it is declared.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('gateway (and standalone) HTTP port; `0` picks a free one'),
  HOST: z.string().default('127.0.0.1').describe('address the gateway listens on (`0.0.0.0` in a container)'),
  HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional()
    .describe('executor, projection and scheduler: serve `GET /healthz`, `GET /readyz` and `GET /metrics` (Prometheus) on this port (the gateway serves them on `PORT`); unset = no health server'),
  CHRONICLE_DATA_DIR: z.string().default('./.chronicle').describe('standalone: embedded Postgres data, the generated admin token and the internal storage (`storage/`)'),
  DATABASE_URL: z.string().url().optional()
    .describe('Postgres for read models, checkpoints and leader locks (and the event log unless `EVENTSTORE_URL` is set); required by the distributed services; standalone without it starts an embedded Postgres'),
  KAFKA_BROKERS: z.string().optional().describe('comma-separated Kafka brokers: set = Kafka bus (required by the distributed services); unset = in-process bus'),
  EVENTSTORE_URL: z.string().regex(/^esdb(\+discover)?:\/\/\S+$/, 'expected an EventStoreDB connection string, e.g. esdb://127.0.0.1:2113?tls=false').optional().describe('EventStoreDB connection string (`esdb://…`): set = the event log lives in EventStoreDB; unset = in Postgres'),
  CHRONICLE_TOKENS: z.string().optional()
    .describe('API tokens, comma-separated `ROLE=token` or `ROLE:ns1|ns2=token`; roles `VIEWER`, `OPERATOR`, `EDITOR`, `ADMIN`; the distributed gateway requires them (standalone generates one ADMIN token when unset)'),
  CHRONICLE_NAMESPACE_ALLOW: z.string()
    .regex(/^\s*(\*|[\w-]+(\.[\w-]+)*)\s*->\s*(\*|[\w-]+(\.[\w-]+)*)\s*(,\s*(\*|[\w-]+(\.[\w-]+)*)\s*->\s*(\*|[\w-]+(\.[\w-]+)*)\s*)*,?\s*$/, 'expected caller->target pairs, comma separated, each a namespace or *, e.g. teamA->shared')
    .optional()
    .describe('namespaces a Subflow may start flows in beyond its own and its children: `caller->target` pairs, comma separated, each a namespace (with its children) or `*`, e.g. `teamA->shared`; unset = none'),
  CHRONICLE_KAFKA_NAMESPACE_PREFIXES: z.string()
    .regex(/^\s*(\*|[\w-]+(\.[\w-]+)*)\s*=\s*(\*|[\w.-]+)(\s*\|\s*(\*|[\w.-]+))*\s*(,\s*(\*|[\w-]+(\.[\w-]+)*)\s*=\s*(\*|[\w.-]+)(\s*\|\s*(\*|[\w.-]+))*\s*)*,?\s*$/, 'expected namespace=prefix|prefix pairs, comma separated, the namespace or *, each prefix a Kafka name start or *, e.g. teamA=orders.|payments.')
    .optional()
    .describe('Kafka topic and consumer-group prefixes a namespace\'s `Kafka` triggers may use beyond `<namespace>.`: `namespace=prefix|prefix` pairs, comma separated (a namespace, covering its parents\' flows too, or `*` for every one; a prefix, or `*` for any name), e.g. `teamA=orders.|payments.,*=public.`. Set, or with a namespace-limited token in `CHRONICLE_TOKENS`, a flow\'s trigger may read only topics and join only groups its namespace owns (refused at deploy naming the field); unset and without such tokens, any topic but Chronicle\'s own'),
  CHRONICLE_METRICS_NAMESPACE_LABELS: z.enum(['auto', 'show', 'hide']).default('auto')
    .describe('whether `/metrics` (public, for Prometheus) labels `chronicle_executions_*_total` by namespace: `show`, `hide` (one series per state, no namespace), or `auto`: hidden when `CHRONICLE_TOKENS` holds a namespace-limited token (namespace names are then other teams\' business), shown otherwise. Set it alike on every service'),
  CHRONICLE_AUTH: z.enum(['enabled', 'disabled']).default('enabled').describe('`disabled` runs the API without authentication'),
  CHRONICLE_TOPIC_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]+$/).default('chronicle').describe('prefix of every Kafka topic (`<prefix>.commands`, …)'),
  CHRONICLE_KAFKA_PARTITIONS: z.coerce.number().int().min(1).default(4)
    .describe('partitions of the topics a service creates when they are missing (`deploy/kafka-topics.json` is the production specification)'),
  CHRONICLE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(32).describe('task runs one executor replica runs at once'),
  CHRONICLE_LOCAL_TASKS: flag('true')
    .describe('`true`: the executor runs OutputValues, Return and Log itself, inside the decision that dispatches them (like Temporal\'s local activities); `false`: they go to the worker pool like every other task'),
  CHRONICLE_FIRST_STEP_WITH_CREATION: flag('true')
    .describe('`true`: a start writes its first step (the start and the local tasks that follow) in the same append as its creation, decided by the executor of the process (standalone) or by the gateway, scheduler or executor that creates it (distributed), so a flow of local tasks ends in one write; `false`: the creation alone, and the executor decides the start after the log and the bus brought it'),
  CHRONICLE_LEASE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000)
    .describe('a running task attempt whose worker was silent this long is taken over as a new attempt (workers renew every sixth of it; the scheduler checks every half)'),
  CHRONICLE_KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(6000)
    .describe('Kafka consumer session timeout: how long a dead replica keeps its partitions before the others take them over (the broker bounds it with `group.min.session.timeout.ms`, 6000 on a stock broker, 1000 on the project\'s own; members heartbeat every second)'),
  CHRONICLE_TRACING: z.enum(['off', 'console', 'otlp']).default('off')
    .describe('OpenTelemetry traces (HTTP → Kafka → executor → event store → projection, `traceparent` in Kafka headers and event metadata): `otlp` exports to `OTEL_EXPORTER_OTLP_ENDPOINT` (default http://localhost:4318), `console` prints spans, `off` none'),
  CHRONICLE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info').describe('log level (JSON lines on stdout)'),
  CHRONICLE_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000)
    .describe('how long a starting service waits for Postgres (`DATABASE_URL`) and Kafka (`KAFKA_BROKERS`) to answer before it stops with a message naming the setting'),
  CHRONICLE_INSTANCE_ID: z.string().optional().describe('name of this replica in logs and leases; unset = `<service>-<random id>`'),
  /** Set by the standalone mode: the embedded Postgres keeps fsync on unless this says otherwise. */
  CHRONICLE_PG_FAST: flag('false').describe('`true`: embedded Postgres without fsync (benchmarks, throwaway data)'),
  CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000)
    .describe('how long a webhook call with `?wait=true` waits for the execution to end before answering 202, in ms'),
  CHRONICLE_WEBHOOK_RATE_PER_SECOND: z.coerce.number().int().min(1).default(100).describe('webhook requests accepted per second per webhook key, per gateway replica'),
  CHRONICLE_MAX_IN_FLIGHT: z.coerce.number().int().min(0).default(200)
    .describe('admission control: executions one gateway (webhook, REST and GraphQL starts) or scheduler (Kafka triggers) may have started and not yet seen end; past it a start is answered 429 with `Retry-After` and a Kafka trigger stops consuming until one ends. Size it as the measured capacity (executions/s) times the queueing delay you accept (s): about 150/s × 1.3 s on a 2-core machine; raise it for flows that run long. 0 = no bound'),
  CHRONICLE_ADMISSION_TARGET_MS: z.coerce.number().int().min(0).default(500)
    .describe('admission control sized from measurements: the queueing delay accepted (from a start to the engine taking it up), in ms. A gateway measures it and the rate executions are taken up; when the delay passes this, its bound falls to rate × delay (never below `CHRONICLE_MIN_IN_FLIGHT`), and grows back while starts are taken up in time (never above `CHRONICLE_MAX_IN_FLIGHT`). 0 = the bound is `CHRONICLE_MAX_IN_FLIGHT`'),
  CHRONICLE_MIN_IN_FLIGHT: z.coerce.number().int().min(1).default(32)
    .describe('admission control: the measured bound (see `CHRONICLE_ADMISSION_TARGET_MS`) never falls below this many executions in flight'),
  CHRONICLE_ADMISSION_MAX_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(150)
    .describe('admission control on the gateway\'s event loop: while it runs more than this late (ms) at two readings in a row (one stall, such as a GC pause, is not overload) and at least `CHRONICLE_MIN_IN_FLIGHT` executions are in flight, starts are refused at once with 429 and `Retry-After`: a loop that late answers every request late, refusals included, and the in-flight bound alone learns it only seconds later. 0 = off'),
  CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION: z.coerce.number().min(0).max(1).optional()
    .describe('admission control on how busy the gateway\'s event loop is: while it ran code more than this share (0..1) of the last ~200 ms and at least `CHRONICLE_MIN_IN_FLIGHT` executions are in flight, starts are refused at once with 429 and `Retry-After`, so the loop keeps turns to accept, read and refuse the calls that wait for it (Node accepts one new connection per turn). Default 0.9 in the distributed gateway, 0 = off (the standalone\'s default: its loop runs the engine too)'),
  CHRONICLE_IN_FLIGHT_HOLD_MS: z.coerce.number().int().min(1).default(60_000)
    .describe('an execution still running after this long no longer counts against `CHRONICLE_MAX_IN_FLIGHT` (a Pause or a long task does not hold admission for ever), in ms; longer than the queueing delay of an overload, or the bound would let the excess in'),
  CHRONICLE_MAX_RSS_MB: z.coerce.number().int().min(0).default(4096)
    .describe('admission control, memory ceiling: past this resident memory (MiB) of the Node process (gateway, scheduler, standalone), starts are refused at once with 503 and `Retry-After` (webhook, REST, GraphQL) and Kafka triggers stop consuming, until it falls below (a ceiling under overload, not a limit Node enforces; Postgres\'s own memory is bounded by the pool sizes and `CHRONICLE_PG_SHARED_BUFFERS_MB`). 0 = none'),
  CHRONICLE_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10)
    .describe('Postgres connections one process\'s main pool (event log, checkpoints, KV, storage) may open at most; each is a Postgres backend with its own memory, so the bound holds Postgres\'s memory as load grows. The LISTEN session and leader locks are one more connection each'),
  CHRONICLE_READ_MODEL_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(5)
    .describe('Postgres connections the read model (projection writes, API reads) may open at most per process'),
  CHRONICLE_PG_SHARED_BUFFERS_MB: z.coerce.number().int().min(16).max(65_536).default(128)
    .describe('standalone\'s embedded Postgres: its shared buffer cache, in MiB (Postgres\'s `shared_buffers`). Every backend that reads a buffer maps it, so a tool summing per-process RSS counts it once per backend (PSS does not)'),
  CHRONICLE_EXECUTION_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000)
    .describe('executor: running executions whose state it keeps in memory (least recently decided evicted first; an evicted one is read back from the log when next needed); ended executions are never kept. 0 = none kept'),
  CHRONICLE_BUS_MAX_BACKLOG: z.coerce.number().int().min(1).default(20_000)
    .describe('in-process bus (standalone without Kafka): messages a topic may hold while its consumers lag before the outbox relay waits (the log keeps the rest, so memory stays bounded)'),
  CHRONICLE_WEBHOOK_SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().min(1).default(300)
    .describe('a signed webhook request\'s `x-chronicle-timestamp` may be this far from now, in seconds; older (or later) is refused as a possible replay'),
  // Script task bounds (libs/tasks/src/script/): a script past one fails with an error naming it.
  CHRONICLE_SCRIPT_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000).describe('`Script`: time limit of a script that sets no `timeout`, in ms'),
  CHRONICLE_SCRIPT_MAX_TIMEOUT_MS: z.coerce.number().int().min(1).default(900_000).describe('`Script`: the largest `timeout` a script may set, in ms'),
  CHRONICLE_SCRIPT_MEMORY_MB: z.coerce.number().int().min(1).default(64)
    .describe('`Script`: memory limit of a script that sets no `memoryLimitMb`, in MiB (bounds the sandbox\'s WebAssembly memory, so it holds for the process)'),
  CHRONICLE_SCRIPT_MAX_MEMORY_MB: z.coerce.number().int().min(1).max(512).default(512)
    .describe('`Script`: the largest `memoryLimitMb` a script may set, in MiB; at most 512 (what a flow may declare at deploy)'),
  CHRONICLE_SCRIPT_MAX_LOG_LINES: z.coerce.number().int().min(0).default(10_000).describe('`Script`: log lines one attempt may write; past it the script fails and later lines are not kept'),
  CHRONICLE_SCRIPT_MAX_LOG_BYTES: z.coerce.number().int().min(0).default(1_048_576).describe('`Script`: bytes of log text (UTF-8) one attempt may write; past it the script fails and later lines are not kept'),
  CHRONICLE_SCRIPT_MAX_OUTPUT_BYTES: z.coerce.number().int().min(2).max(1_048_576).default(1_048_576)
    .describe('`Script`: largest JSON (UTF-8 bytes) of a script\'s outputs, at most 1 MiB (every worker task\'s limit); larger fails the script'),
  CHRONICLE_SCRIPT_MAX_METRICS: z.coerce.number().int().min(0).default(1_000).describe('`Script`: counters and timers one attempt may report; past it the script fails and later ones are not kept'),
  /** GraphQL introspection (schema queries): on by default; turn it off on a public gateway. */
  CHRONICLE_GRAPHQL_INTROSPECTION: flag('true').describe('`false` turns GraphQL introspection off (for a public gateway)'),
  CHRONICLE_ENV_VARS_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]*_$/, 'expected letters and digits ending with _, e.g. ENV_')
    .refine((p) => !['CHRONICLE_', 'SECRET_', 'KAFKA_', 'DATABASE_', 'EVENTSTORE_', 'OTEL_'].includes(p.toUpperCase()), 'must not expose Chronicle\'s own settings or secrets')
    .default('ENV_')
    .describe('environment variables under this prefix are `{{ envs.<name> }}` in every flow, the prefix removed and the name lower-cased (`ENV_MY_VAR` is `{{ envs.my_var }}`), as Kestra\'s `kestra.variables.env-vars-prefix` (whose default is `ENV_` since Kestra 0.23, `KESTRA_` before)'),
  CHRONICLE_GLOBALS: z.string().optional()
    .describe('a JSON object of global variables every flow reads as `{{ globals.<name> }}`, as Kestra\'s `kestra.variables.globals`, e.g. `{"env":"prod","limits":{"rows":100}}`; unset = none'),
  CHRONICLE_PUBLIC_URL: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').optional()
    .describe('the address users reach Chronicle at (behind a proxy), e.g. `https://chronicle.example.com`: the `url` of executions in REST answers links to the live monitor under it; unset = the request\'s own host'),
});

/** Connections the standalone's embedded Postgres accepts (its `max_connections`). */
export const EMBEDDED_MAX_CONNECTIONS = 200;

export type RawConfig = z.infer<typeof schema>;

export interface ChronicleConfig {
  readonly port: number;
  readonly host: string;
  readonly healthPort?: number;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly kafkaBrokers?: readonly string[];
  readonly eventStoreUrl?: string;
  readonly tokens?: string;
  readonly authDisabled: boolean;
  /** CHRONICLE_NAMESPACE_ALLOW as written (parsed by the domain's parseNamespaceAllow). */
  readonly namespaceAllow?: string;
  /** CHRONICLE_KAFKA_NAMESPACE_PREFIXES as written (parsed by the domain's parseKafkaPrefixGrants). */
  readonly kafkaNamespacePrefixes?: string;
  /** Whether CHRONICLE_TOKENS holds a token limited to some namespaces: namespaces are then isolated (Kafka trigger ownership). */
  readonly namespaceLimitedTokens: boolean;
  /** CHRONICLE_METRICS_NAMESPACE_LABELS resolved: whether the execution counters carry the namespace label. */
  readonly metricsNamespaceLabels: boolean;
  readonly topicPrefix: string;
  readonly kafkaPartitions: number;
  readonly workerConcurrency: number;
  readonly leaseTimeoutMs: number;
  readonly localTasks: boolean;
  /** CHRONICLE_FIRST_STEP_WITH_CREATION: a start's first step written with its creation (see FirstDecision). */
  readonly firstStepWithCreation: boolean;
  readonly kafkaSessionTimeoutMs: number;
  readonly logLevel: RawConfig['CHRONICLE_LOG_LEVEL'];
  readonly tracing: RawConfig['CHRONICLE_TRACING'];
  readonly instanceId?: string;
  readonly startupTimeoutMs: number;
  readonly pgFast: boolean;
  readonly webhookWaitTimeoutMs: number;
  readonly webhookRatePerSecond: number;
  readonly webhookSignatureToleranceSeconds: number;
  /** Admission control (see InFlightLimit): executions in flight per gateway / scheduler, 0 = unbounded. */
  readonly maxInFlight: number;
  readonly inFlightHoldMs: number;
  /** Admission sized from measurements (see MeasuredCapacity): accepted queueing delay in ms (0 = off) and the bound's floor. */
  readonly admissionTargetMs: number;
  readonly minInFlight: number;
  /** Admission on the event loop's delay (see InFlightLimit `loopDelay`), in ms; 0 = off. */
  readonly admissionMaxLoopDelayMs: number;
  /** Admission on the event loop's utilisation (see InFlightLimit `loopUtilisation`), 0..1; undefined = the process's default. */
  readonly admissionMaxLoopUtilisation?: number;
  readonly maxRssMb: number;
  /** Connection bounds of the Postgres pools (CHRONICLE_PG_POOL_SIZE, CHRONICLE_READ_MODEL_POOL_SIZE). */
  readonly pgPoolSize: number;
  readonly readModelPoolSize: number;
  /** Embedded Postgres's shared_buffers in MiB (standalone only). */
  readonly pgSharedBuffersMb: number;
  /** Running executions an executor keeps decided state of (ExecutionCommandHandler's cache). */
  readonly executionCacheSize: number;
  readonly busMaxBacklog: number;
  readonly graphqlIntrospection: boolean;
  readonly script: ScriptSettings;
  /** `{{ envs.x }}` and `{{ globals.x }}` of every flow (CHRONICLE_ENV_VARS_PREFIX, CHRONICLE_GLOBALS). */
  readonly installation: InstallationSettings;
}

/** What the domain's InstallationVariables are made of (globals: a JSON object). */
export interface InstallationSettings {
  readonly envs: Readonly<Record<string, string>>;
  readonly globals: Readonly<Record<string, unknown>>;
}

/** The bounds of the `Script` task (CHRONICLE_SCRIPT_*). */
export interface ScriptSettings {
  readonly defaultTimeoutMs: number;
  readonly maxTimeoutMs: number;
  readonly defaultMemoryMb: number;
  readonly maxMemoryMb: number;
  readonly maxLogLines: number;
  readonly maxLogBytes: number;
  readonly maxOutputBytes: number;
  readonly maxMetrics: number;
}

export class ConfigError extends CodedError {
  constructor(readonly issues: readonly string[]) {
    // One line, whatever the number of issues: it is what an operator reads first.
    super('CONFIG_INVALID', `invalid configuration: ${issues.join('; ')} (fix the setting${issues.length > 1 ? 's' : ''}; README, Configuration, lists them all)`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ChronicleConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const globals = parseGlobals(c.CHRONICLE_GLOBALS);
  // Settings that bound each other: a default above its own maximum would fail every script that relies on it.
  const bounds = [
    c.CHRONICLE_SCRIPT_TIMEOUT_MS > c.CHRONICLE_SCRIPT_MAX_TIMEOUT_MS && `CHRONICLE_SCRIPT_TIMEOUT_MS: ${c.CHRONICLE_SCRIPT_TIMEOUT_MS} is above CHRONICLE_SCRIPT_MAX_TIMEOUT_MS (${c.CHRONICLE_SCRIPT_MAX_TIMEOUT_MS}); lower it or raise the maximum`,
    c.CHRONICLE_SCRIPT_MEMORY_MB > c.CHRONICLE_SCRIPT_MAX_MEMORY_MB && `CHRONICLE_SCRIPT_MEMORY_MB: ${c.CHRONICLE_SCRIPT_MEMORY_MB} is above CHRONICLE_SCRIPT_MAX_MEMORY_MB (${c.CHRONICLE_SCRIPT_MAX_MEMORY_MB}); lower it or raise the maximum`,
    // The embedded Postgres (no DATABASE_URL) accepts EMBEDDED_MAX_CONNECTIONS; the LISTEN session, leader locks and a rebuild's pool need some beside the two pools.
    c.DATABASE_URL === undefined && c.CHRONICLE_PG_POOL_SIZE + c.CHRONICLE_READ_MODEL_POOL_SIZE > EMBEDDED_MAX_CONNECTIONS - 20
      && `CHRONICLE_PG_POOL_SIZE + CHRONICLE_READ_MODEL_POOL_SIZE: ${c.CHRONICLE_PG_POOL_SIZE + c.CHRONICLE_READ_MODEL_POOL_SIZE} connections is more than the embedded Postgres leaves them (${EMBEDDED_MAX_CONNECTIONS - 20} of its ${EMBEDDED_MAX_CONNECTIONS}); lower them`,
  ].filter((issue): issue is string => typeof issue === 'string');
  if (bounds.length > 0) throw new ConfigError(bounds);
  // CHRONICLE_TOKENS's grammar too, before anything starts (a gateway would read it only once Postgres and Kafka answered).
  let tokens;
  try {
    tokens = parseTokenSpec(c.CHRONICLE_TOKENS);
  } catch (error) {
    if (error instanceof TokenSpecError) throw new ConfigError([error.message]);
    throw error;
  }
  return {
    port: c.PORT,
    host: c.HOST,
    healthPort: c.HEALTH_PORT,
    dataDir: c.CHRONICLE_DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    kafkaBrokers: c.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean),
    eventStoreUrl: c.EVENTSTORE_URL,
    tokens: c.CHRONICLE_TOKENS,
    authDisabled: c.CHRONICLE_AUTH === 'disabled',
    namespaceAllow: c.CHRONICLE_NAMESPACE_ALLOW,
    kafkaNamespacePrefixes: c.CHRONICLE_KAFKA_NAMESPACE_PREFIXES,
    namespaceLimitedTokens: tokens.some((t) => t.namespaces !== undefined),
    metricsNamespaceLabels: c.CHRONICLE_METRICS_NAMESPACE_LABELS === 'show' || (c.CHRONICLE_METRICS_NAMESPACE_LABELS === 'auto' && !tokens.some((t) => t.namespaces !== undefined)),
    topicPrefix: c.CHRONICLE_TOPIC_PREFIX,
    kafkaPartitions: c.CHRONICLE_KAFKA_PARTITIONS,
    workerConcurrency: c.CHRONICLE_WORKER_CONCURRENCY,
    leaseTimeoutMs: c.CHRONICLE_LEASE_TIMEOUT_MS,
    localTasks: c.CHRONICLE_LOCAL_TASKS === 'true',
    firstStepWithCreation: c.CHRONICLE_FIRST_STEP_WITH_CREATION === 'true',
    kafkaSessionTimeoutMs: c.CHRONICLE_KAFKA_SESSION_TIMEOUT_MS,
    logLevel: c.CHRONICLE_LOG_LEVEL,
    tracing: c.CHRONICLE_TRACING,
    instanceId: c.CHRONICLE_INSTANCE_ID,
    startupTimeoutMs: c.CHRONICLE_STARTUP_TIMEOUT_MS,
    pgFast: c.CHRONICLE_PG_FAST === 'true',
    webhookWaitTimeoutMs: c.CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS,
    webhookRatePerSecond: c.CHRONICLE_WEBHOOK_RATE_PER_SECOND,
    webhookSignatureToleranceSeconds: c.CHRONICLE_WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
    maxInFlight: c.CHRONICLE_MAX_IN_FLIGHT,
    inFlightHoldMs: c.CHRONICLE_IN_FLIGHT_HOLD_MS,
    admissionTargetMs: c.CHRONICLE_ADMISSION_TARGET_MS,
    minInFlight: c.CHRONICLE_MIN_IN_FLIGHT,
    admissionMaxLoopDelayMs: c.CHRONICLE_ADMISSION_MAX_LOOP_DELAY_MS,
    admissionMaxLoopUtilisation: c.CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION,
    maxRssMb: c.CHRONICLE_MAX_RSS_MB,
    pgPoolSize: c.CHRONICLE_PG_POOL_SIZE,
    readModelPoolSize: c.CHRONICLE_READ_MODEL_POOL_SIZE,
    pgSharedBuffersMb: c.CHRONICLE_PG_SHARED_BUFFERS_MB,
    executionCacheSize: c.CHRONICLE_EXECUTION_CACHE_SIZE,
    busMaxBacklog: c.CHRONICLE_BUS_MAX_BACKLOG,
    graphqlIntrospection: c.CHRONICLE_GRAPHQL_INTROSPECTION === 'true',
    script: {
      defaultTimeoutMs: c.CHRONICLE_SCRIPT_TIMEOUT_MS,
      maxTimeoutMs: c.CHRONICLE_SCRIPT_MAX_TIMEOUT_MS,
      defaultMemoryMb: c.CHRONICLE_SCRIPT_MEMORY_MB,
      maxMemoryMb: c.CHRONICLE_SCRIPT_MAX_MEMORY_MB,
      maxLogLines: c.CHRONICLE_SCRIPT_MAX_LOG_LINES,
      maxLogBytes: c.CHRONICLE_SCRIPT_MAX_LOG_BYTES,
      maxOutputBytes: c.CHRONICLE_SCRIPT_MAX_OUTPUT_BYTES,
      maxMetrics: c.CHRONICLE_SCRIPT_MAX_METRICS,
    },
    installation: { envs: envsUnder(env, c.CHRONICLE_ENV_VARS_PREFIX), globals },
  };
}

/** CHRONICLE_GLOBALS: a JSON object, or a ConfigError naming the setting. */
function parseGlobals(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError([`CHRONICLE_GLOBALS: not JSON (${(error as Error).message})`]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(['CHRONICLE_GLOBALS: expected a JSON object, e.g. {"env":"prod"}']);
  return value as Record<string, unknown>;
}

/** Kestra's RunContextCache.envVariables: the variables under `prefix`, without it, lower-cased. */
function envsUnder(env: NodeJS.ProcessEnv, prefix: string): Record<string, string> {
  const envs: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name.startsWith(prefix) && name.length > prefix.length) envs[name.slice(prefix.length).toLowerCase()] = value;
  }
  return envs;
}

/** The `Script` bounds when nothing is configured (the defaults above). */
export const defaultScriptSettings = (): ScriptSettings => loadConfig({}).script;

export interface ConfigVariable {
  readonly name: string;
  readonly meaning: string;
  /** The default as a string, or undefined when the setting has none (unset means "off" or "absent"). */
  readonly defaultValue?: string;
}

/** Every setting with its meaning and default, in declaration order (for the README table). */
export function configVariables(): ConfigVariable[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const fallback = field.safeParse(undefined);
    const defaultValue = fallback.success && fallback.data !== undefined ? String(fallback.data) : undefined;
    return { name, meaning: field.description ?? '', defaultValue };
  });
}

/** The README's configuration table (markdown), one row per setting: `npm run config:doc` prints it. */
export function configTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = configVariables().map((v) => `| \`${v.name}\` | ${cell(v.meaning)} | ${v.defaultValue === undefined ? 'unset' : `\`${cell(v.defaultValue)}\``} |`);
  return ['| variable | meaning | default |', '|---|---|---|', ...rows].join('\n');
}
