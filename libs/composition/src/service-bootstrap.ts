import { createLogger, loadConfig, newId, startTracing, ConfigError, type ChronicleConfig, type Logger, type Tracing, type TracingMode } from '@chronicle/runtime';
import { createPlatform, type Platform } from './platform.js';
import { exitOnStartupFailure, waitForDependencies } from './startup-checks.js';

export interface ServiceContext {
  readonly config: ChronicleConfig;
  readonly logger: Logger;
  readonly platform: Platform;
  readonly instanceId: string;
}

/**
 * Start-up shared by the four distributed services: validated configuration, Postgres and Kafka
 * waited for, a logger, and the platform. The distributed services need an explicit DATABASE_URL
 * and KAFKA_BROKERS. Any failure ends the process with one line naming what to fix (exit code 2
 * for configuration, see `exitOnStartupFailure`).
 */
export async function bootstrapService(service: string): Promise<ServiceContext> {
  const logger = createLogger(service);
  try {
    const config = loadConfig();
    const missing = [!config.databaseUrl && 'DATABASE_URL', !config.kafkaBrokers?.length && 'KAFKA_BROKERS'].filter(Boolean) as string[];
    if (missing.length) throw new ConfigError(missing.map((m) => `${m}: required by the ${service} service in distributed mode`));
    startServiceTracing(service, config.tracing, logger);
    // Where a slow start-up goes (readiness after a restart is a recovery goal): module loading
    // (CPU, before this line), the servers answering, then the platform's schema and topic checks.
    const loaded = Math.round(performance.now());
    // Everything is validated and reachable before anything starts.
    await waitForDependencies(config, config.databaseUrl!, logger);
    const reachable = Math.round(performance.now());
    logger.info({ modulesLoadedMs: loaded, dependenciesMs: reachable - loaded }, 'Postgres and Kafka answer');
    const platform = await createPlatform(config, config.databaseUrl!, logger);
    return { config, logger, platform, instanceId: config.instanceId ?? `${service}-${newId()}` };
  } catch (error) {
    exitOnStartupFailure(service, logger, error);
  }
}

let tracing: Tracing | undefined;

/**
 * OpenTelemetry for the process (`CHRONICLE_TRACING`, off by default), started before anything
 * opens a connection; `onShutdown` flushes it. Idempotent.
 */
export function startServiceTracing(service: string, mode: TracingMode, logger?: Logger): Tracing {
  tracing ??= startTracing({ service: `chronicle-${service}`, mode });
  if (tracing.enabled) logger?.info({ tracing: mode }, 'OpenTelemetry tracing on');
  return tracing;
}

/** How long a graceful stop may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5000;

/**
 * Runs `stop` once on SIGINT/SIGTERM (then flushes the traces), then exits. The services stop
 * what others wait for first (leader locks, consumer group memberships), and a stop that hangs
 * (a handler waiting for a server that is down) is cut off after a deadline, with a line saying
 * so, rather than holding its locks and partitions for half a minute in silence.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.warn({ afterMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting now');
      process.exit(process.exitCode ?? 1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    stop()
      .catch((error) => logger.error({ err: error }, 'error while shutting down'))
      .then(() => tracing?.shutdown())
      .finally(() => {
        logger.info({ ms: Date.now() - started }, 'stopped');
        process.exit(process.exitCode ?? 0);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
