import pg from 'pg';
import { CodedError, errorCodeOf } from '@chronicle/errors';
import { answersMetadata, type ChronicleConfig, type Logger } from '@chronicle/runtime';

/** A server named by a setting did not answer at start-up: the message names the setting. */
export class DependencyUnreachableError extends CodedError {
  /** `configuration`: the server answered and refused (credentials, unknown database): exit code 2. */
  constructor(readonly setting: string, message: string, readonly configuration = false) {
    super('DEPENDENCY_UNREACHABLE', `${setting}: ${message}`);
  }
}

/**
 * Waits until Postgres (`DATABASE_URL`, or the embedded one) and the Kafka brokers answer, so a
 * service started before them (a container, a restart during an outage) waits instead of dying
 * with a stack trace; past `startupTimeoutMs` it stops with a line naming the setting.
 */
export async function waitForDependencies(config: ChronicleConfig, databaseUrl: string, logger: Logger, setting = 'DATABASE_URL'): Promise<void> {
  const brokers = config.kafkaBrokers ?? [];
  // Side by side: a restart waits for the slower of the two, not for both in turn.
  await Promise.all([
    waitFor(setting, `Postgres at ${where(databaseUrl)}`, () => postgresAnswers(databaseUrl), config.startupTimeoutMs, logger),
    brokers.length > 0
      ? waitFor('KAFKA_BROKERS', `Kafka at ${brokers.join(',')}`, async () => ((await answersMetadata(brokers.join(','))) ? undefined : 'no broker answered'), config.startupTimeoutMs, logger)
      : undefined,
  ]);
}

async function waitFor(setting: string, what: string, probe: () => Promise<string | undefined>, timeoutMs: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastLog = 0;
  for (;;) {
    const problem = await probe();
    if (problem === undefined) return;
    if (problem.startsWith('fatal:')) throw new DependencyUnreachableError(setting, `${what} refused the connection: ${problem.slice(6)}; fix ${setting}`, true);
    if (Date.now() >= deadline) {
      throw new DependencyUnreachableError(setting, `${what} did not answer within ${timeoutMs} ms (${problem}); start it, or fix ${setting}`);
    }
    if (Date.now() - lastLog >= 5000) {
      lastLog = Date.now();
      logger.warn({ setting, problem }, `waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** undefined when Postgres answers; `fatal:` for an answer that waiting will not change. */
async function postgresAnswers(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const message = (error as Error).message;
    // Wrong password, unknown role or database: a configuration error, not an outage.
    if (code === '28P01' || code === '28000' || code === '3D000') return `fatal:${message}`;
    return code ? `${code}: ${message}` : message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the configured address';
  }
}

/**
 * Ends a start-up that failed: ONE line on stderr that names what to fix (the JSON log line
 * carries the details), exit code 2 for configuration (a bad or missing setting, a server that
 * refuses the credentials) and 1 otherwise.
 */
export function exitOnStartupFailure(service: string, logger: Logger, error: unknown): never {
  const configuration = errorCodeOf(error) === 'CONFIG_INVALID' || (error instanceof DependencyUnreachableError && error.configuration);
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  logger.fatal({ err: error }, message);
  process.stderr.write(`chronicle ${service}: ${configuration || error instanceof DependencyUnreachableError ? '' : 'could not start: '}${message}\n`);
  process.exit(configuration ? 2 : 1);
}
