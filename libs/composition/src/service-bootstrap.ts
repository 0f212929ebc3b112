import { createLogger, loadConfig, newId, startTracing, ConfigError, type ChronicleConfig, type Logger, type Tracing, type TracingMode } from '@chronicle/runtime';
import { createPlatform, type Platform } from './platform.js';
import { ProcessShutdown } from './process-shutdown.js';
import { exitOnStartupFailure, waitForDependencies } from './startup-checks.js';

export interface ServiceContext {
  readonly config: ChronicleConfig;
  readonly logger: Logger;
  readonly platform: Platform;
  readonly instanceId: string;
  /** Signal handling, installed before anything started: `started(stop)` once the service is up. */
  readonly shutdown: ProcessShutdown;
}

/**
 * Start-up shared by the four distributed services: validated configuration, Postgres and Kafka
 * waited for, a logger, and the platform. The distributed services need an explicit DATABASE_URL
 * and KAFKA_BROKERS. Any failure ends the process with one line naming what to fix (exit code 2
 * for configuration, see `exitOnStartupFailure`).
 */
export async function bootstrapService(service: string): Promise<ServiceContext> {
  const logger = createLogger(service);
  // First of all: a SIGTERM while the service is still starting stops it cleanly too.
  const shutdown = processShutdown(logger);
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
    shutdown.undoOnEarlyStop(() => platform.close());
    return { config, logger, platform, instanceId: config.instanceId ?? `${service}-${newId()}`, shutdown };
  } catch (error) {
    // A signal is stopping the process: the failure is its doing, and the stop exits.
    if (shutdown.isStopping) return new Promise<never>(() => undefined);
    exitOnStartupFailure(service, logger, error);
  }
}

/** The process's signal handling (one per process), flushing the traces after the stop. */
export function processShutdown(logger: Logger): ProcessShutdown {
  const shutdown = new ProcessShutdown(logger);
  shutdown.afterStop(async () => tracing?.shutdown());
  return shutdown;
}

let tracing: Tracing | undefined;

/**
 * OpenTelemetry for the process (`CHRONICLE_TRACING`, off by default), started before anything
 * opens a connection; the process shutdown flushes it after the stop. Idempotent.
 */
export function startServiceTracing(service: string, mode: TracingMode, logger?: Logger): Tracing {
  tracing ??= startTracing({ service: `chronicle-${service}`, mode });
  if (tracing.enabled) logger?.info({ tracing: mode }, 'OpenTelemetry tracing on');
  return tracing;
}
