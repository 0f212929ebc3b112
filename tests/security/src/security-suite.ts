import { eventually, GatewayClient } from '@chronicle/testing';
import type { RunningStandalone } from '@chronicle/standalone';
import type { Fixtures } from './access-rules.js';
import { tokenOf } from './security-principals.js';

export const TOPIC_PREFIX = 'secsuite';
/** CHRONICLE_KAFKA_NAMESPACE_PREFIXES: `sec-shared.` topics for every namespace, `billing.` for teamB (and who reaches it). */
export const KAFKA_GRANTS = '*=sec-shared.,teamB=billing.';
export const TERMINAL = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED'];

/** What every scenario of the suite shares: the one running instance, its fixtures, helpers, the case counter. */
export interface SecuritySuite {
  readonly chronicle: RunningStandalone;
  readonly admin: GatewayClient;
  readonly fx: Fixtures;
  client(name: string): GatewayClient;
  start(ns: string, flowId: string, inputs?: Record<string, unknown>): Promise<string>;
  until(id: string, states: string[]): Promise<unknown>;
  deploy(c: GatewayClient, source: string): ReturnType<GatewayClient['graphql']>;
  /** Counts checked cases by part, for the line the suite prints at the end. */
  counted(part: string, n?: number): void;
}

export function suiteHelpers(chronicle: RunningStandalone, counts: Map<string, number>): Omit<SecuritySuite, 'fx'> {
  const client = (name: string) => new GatewayClient(chronicle.url, tokenOf(name));
  const admin = client('ADMIN');
  const stateOf = async (id: string) => (await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id })).execution?.state as string | undefined;
  return {
    chronicle,
    admin,
    client,
    start: async (ns, flowId, inputs = {}) =>
      (await admin.data(`mutation($ns: String!, $f: String!, $i: JSON) { createExecution(namespace: $ns, flowId: $f, inputs: $i) { id } }`, { ns, f: flowId, i: inputs })).createExecution.id as string,
    until: (id, states) => eventually(`${id} in ${states}`, async () => states.includes((await stateOf(id)) ?? ''), 30_000),
    deploy: (c, source) => c.graphql(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: source }),
    counted: (part, n = 1) => void counts.set(part, (counts.get(part) ?? 0) + n),
  };
}
