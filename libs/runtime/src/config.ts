import { z } from 'zod';

/**
 * Every setting Chronicle reads, validated once at start-up. A missing or invalid
 * setting stops the process with a message naming it (see `ConfigError`).
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  CHRONICLE_DATA_DIR: z.string().default('./.chronicle'),
  DATABASE_URL: z.string().url().optional(),
  KAFKA_BROKERS: z.string().optional(),
  EVENTSTORE_URL: z.string().optional(),
  CHRONICLE_TOKENS: z.string().optional(),
  CHRONICLE_AUTH: z.enum(['enabled', 'disabled']).default('enabled'),
  CHRONICLE_TOPIC_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]+$/).default('chronicle'),
  CHRONICLE_KAFKA_PARTITIONS: z.coerce.number().int().min(1).default(4),
  CHRONICLE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(32),
  CHRONICLE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  CHRONICLE_INSTANCE_ID: z.string().optional(),
  /** Set by the standalone mode: the embedded Postgres keeps fsync on unless this says otherwise. */
  CHRONICLE_PG_FAST: z.enum(['true', 'false']).default('false'),
});

export type RawConfig = z.infer<typeof schema>;

export interface ChronicleConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly kafkaBrokers?: readonly string[];
  readonly eventStoreUrl?: string;
  readonly tokens?: string;
  readonly authDisabled: boolean;
  readonly topicPrefix: string;
  readonly kafkaPartitions: number;
  readonly workerConcurrency: number;
  readonly logLevel: RawConfig['CHRONICLE_LOG_LEVEL'];
  readonly instanceId?: string;
  readonly pgFast: boolean;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly issues: readonly string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ChronicleConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.CHRONICLE_DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    kafkaBrokers: c.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean),
    eventStoreUrl: c.EVENTSTORE_URL,
    tokens: c.CHRONICLE_TOKENS,
    authDisabled: c.CHRONICLE_AUTH === 'disabled',
    topicPrefix: c.CHRONICLE_TOPIC_PREFIX,
    kafkaPartitions: c.CHRONICLE_KAFKA_PARTITIONS,
    workerConcurrency: c.CHRONICLE_WORKER_CONCURRENCY,
    logLevel: c.CHRONICLE_LOG_LEVEL,
    instanceId: c.CHRONICLE_INSTANCE_ID,
    pgFast: c.CHRONICLE_PG_FAST === 'true',
  };
}
