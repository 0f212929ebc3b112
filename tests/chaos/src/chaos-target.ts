import type { ChaosLogs } from './chaos-logs.js';

/** What the chaos run drives: the distributed cluster (chaos-cluster.ts) or one standalone process (chaos-standalone.ts). */
export interface ChaosTarget {
  readonly mode: 'distributed' | 'standalone';
  /** The broker and the Kafka trigger topic, when the target has Kafka (distributed mode). */
  readonly kafka?: { readonly brokers: string; readonly triggersTopic: string };
  /** Base URLs of the processes that serve the API. */
  readonly gatewayUrls: string[];
  /** Every service's output, kept in files. */
  readonly logs: ChaosLogs;
  start(): Promise<void>;
  /** Every service process by name, in start order. */
  serviceNames(): string[];
  /** Stops a service with `signal`, starts it again at once (as a supervisor would); ms until it exited and until its /readyz said ready. */
  restart(name: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ stopMs: number; ownStopMs?: number; readyMs: number }>;
  stopBroker(): Promise<void>;
  startBrokerAgain(): Promise<void>;
  /** `crash`: Postgres's immediate shutdown (no checkpoint; crash recovery at the next start), else a fast shutdown. */
  stopPostgres(crash: boolean): Promise<void>;
  startPostgresAgain(): Promise<void>;
  /** Readiness of every service now: name -> ready. */
  readiness(): Promise<Record<string, boolean>>;
  /** The services not ready now, each with its /readyz answer (the checks that fail) or why it gave none. */
  whyNotReady(): Promise<Record<string, string>>;
  /** Services that exited on their own (none may: an outage must make them wait). */
  exited(): string[];
  /** SIGTERMs every service at once; ms from the signal to each one's exit (with its exit code). */
  stopServices(): Promise<Record<string, { ms: number; ownMs?: number; code: number | null }>>;
  stop(): Promise<void>;
}

/** A /readyz that does not answer 200: its status and body (the failing checks), or why it gave none; undefined when ready. */
export async function readyzAnswer(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
    if (res.status === 200) return undefined;
    return `${res.status} ${(await res.text()).slice(0, 400)}`;
  } catch (error) {
    return `no answer: ${(error as Error).message}`;
  }
}
