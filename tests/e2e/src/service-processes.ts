import { freePort } from '@chronicle/dev-infra';
import { GatewayClient, startService, testKafkaBrokers, type ServiceProcess } from '@chronicle/testing';

// Moved to @chronicle/testing so that other suites (tests/kestra) start services the same way.
export { startService, type ServiceProcess } from '@chronicle/testing';

/** What each service prints once it serves. */
export const SERVICES_READY = /(executor|scheduler|projection) ready|gateway listening/;

/** The environment every service of a distributed run shares: the database, the brokers, the topic prefix, the tokens. */
export function distributedEnv(databaseUrl: string, topicPrefix: string, tokens: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_TOPIC_PREFIX: topicPrefix, CHRONICLE_TOKENS: tokens, CHRONICLE_LOG_LEVEL: 'info', ...extra };
}

/** A service process besides the projection and the gateway (an executor, a scheduler), with its own additions to the environment. */
export interface ServiceSpec {
  readonly app: 'executor' | 'scheduler';
  readonly name: string;
  readonly env?: Record<string, string>;
}

/**
 * Starts Chronicle as OS processes over Kafka: the projection first (it migrates the read model
 * the others read), then `others` and a gateway on a free port, and resolves once every one says
 * it is ready, with a client of the gateway. Each process is pushed onto `services` as soon as it
 * starts, so the caller's `afterAll` stops them all even when one of them fails to start.
 * `gatewayEnv` adds to the gateway's environment.
 */
export async function startDistributed(
  services: ServiceProcess[], env: Record<string, string>, token: string, others: readonly ServiceSpec[], gatewayEnv: Record<string, string> = {},
): Promise<GatewayClient> {
  const port = await freePort();
  const projection = startService('projection', 'projection', env);
  services.push(projection);
  await projection.waitFor(/projection ready/);
  for (const other of others) services.push(startService(other.app, other.name, { ...env, ...other.env }));
  services.push(startService('gateway', 'gateway', { ...env, ...gatewayEnv, PORT: String(port) }));
  await Promise.all(services.map((s) => s.waitFor(SERVICES_READY)));
  return new GatewayClient(`http://127.0.0.1:${port}`, token);
}
