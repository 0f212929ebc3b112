import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_TYPE_METRICS, renderMetrics, type Logger } from '@chronicle/runtime';
import type { Platform } from './platform.js';

/** Resolves when the dependency answers; rejects (or outlasts the timeout) when it does not. */
export type HealthCheck = () => Promise<unknown>;

export interface HealthServerOptions {
  /** Address to listen on (default 0.0.0.0: probes come from the kubelet, not from localhost). */
  readonly host?: string;
  /** A check that has not answered after this long counts as failed (default 3 s). */
  readonly timeoutMs?: number;
  /** Serve `GET /metrics` (Prometheus text format) from the process's registry (default true). */
  readonly metrics?: boolean;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The health endpoints of the services that serve no HTTP API (executor, projection,
 * scheduler), in node:http so they cost nothing: `GET /healthz` answers 200 while the
 * process runs (liveness), `GET /readyz` answers 200 only when every check passes and
 * 503 naming the failing ones otherwise (readiness), `GET /metrics` the Prometheus metrics.
 * Same bodies as the gateway's.
 */
export async function startHealthServer(port: number, checks: Readonly<Record<string, HealthCheck>>, options: HealthServerOptions = {}): Promise<HealthServer> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { error: 'method not allowed' });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path === '/metrics' && options.metrics !== false) {
      void renderMetrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': CONTENT_TYPE_METRICS, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (error: Error) => reply(500, { error: error.message }),
      );
      return;
    }
    if (path !== '/readyz') return reply(404, { error: 'not found' });
    void runHealthChecks(checks, timeoutMs).then((results) => {
      const ready = Object.values(results).every((r) => r === 'ok');
      reply(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Runs the checks at once, each bounded by `timeoutMs`: `ok` or `unreachable: <why>` per name. */
export async function runHealthChecks(checks: Readonly<Record<string, HealthCheck>>, timeoutMs = 3000): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, 'ok'];
      } catch (error) {
        return [name, `unreachable: ${(error as Error).message}`];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** Readiness of a service: Postgres, the event store and (distributed) the Kafka brokers answer. */
export function platformHealthChecks(platform: Platform): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {
    postgres: () => platform.pool.query('SELECT 1'),
    eventStore: () => platform.store.headPosition(),
  };
  // A metadata round trip to the brokers; the topics exist since start-up, so nothing is created.
  if (platform.mode === 'distributed') checks.kafka = () => platform.bus.ensureTopics(Object.values(platform.topics));
  // Brokers that answer are not enough: a consumer that crashed or is still rejoining its group
  // processes nothing, so the service is not ready until every consumer is a member again.
  checks.consumers = async () => {
    const problems = platform.bus.problems?.() ?? [];
    if (problems.length > 0) throw new Error(problems.join('; '));
  };
  return checks;
}

/** Starts the health server on HEALTH_PORT when it is set; the services call it once they are up. */
export async function startServiceHealth(platform: Platform, logger: Logger): Promise<HealthServer | undefined> {
  const port = platform.config.healthPort;
  if (port === undefined) return undefined;
  const server = await startHealthServer(port, platformHealthChecks(platform), { host: platform.config.host });
  logger.info({ port: server.port }, 'health and metrics endpoints on /healthz, /readyz and /metrics');
  return server;
}
