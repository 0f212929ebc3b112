import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { toEventData } from '@chronicle/contracts';
import { ChronicleProcessModule, createPlatform, type Platform } from '@chronicle/composition';
import { decide, evolve, executionStreamId, type Execution, type ExecutionCommand, type ExecutionEvent } from '@chronicle/domain';
import { createReadModel, ExecutionProjector, type ReadModel } from '@chronicle/read-model';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { GatewayModule } from '../gateway.module.js';
import { configureHttp } from '../http-app.js';
import type { QueryLimits } from '../graphql/query-limits.js';

/** Counts the SQL statements the read model sends (a TypeORM logger: no mock of anything). */
export class SqlCounter implements TypeOrmLogger {
  readonly queries: string[] = [];
  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  reset(): void {
    this.queries.length = 0;
  }
}

export const TOKENS = {
  ADMIN: 'admin-token-gateway-test-0001',
  EDITOR: 'editor-token-gateway-test-0001',
  OPERATOR: 'operator-token-gateway-test-01',
  VIEWER: 'viewer-token-gateway-test-0001',
  TEAM_OPERATOR: 'team-operator-token-gateway-01',
} as const;

export interface GatewayHarness {
  readonly db: TestDatabase;
  readonly platform: Platform;
  readonly readModel: ReadModel;
  readonly projector: ExecutionProjector;
  readonly app: INestApplication;
  readonly url: string;
  readonly sql: SqlCounter;
  client(token?: string): GatewayClient;
  /** Plays the executor for one command: decide against the stream, append, wait for the projection. */
  apply(executionId: string, command: Omit<ExecutionCommand, 'executionId' | 'now'> & { now?: string }, options?: { oneByOne?: boolean; afterEach?: () => Promise<void> }): Promise<ExecutionEvent[]>;
  /** Waits until the read model has projected everything appended so far. */
  settle(): Promise<void>;
  /** Deploys each flow (its YAML) through the API as ADMIN; a refused one fails the test. */
  deploy(...sources: string[]): Promise<void>;
  /** The ids of a flow's executions (at most 500), once the read model has projected everything appended so far. */
  executionIds(namespace: string, flowId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A real gateway (Nest + Apollo + graphql-ws, listening on a port) over a real Postgres event
 * store and read model, with the projector running and the in-process bus. No executor: the
 * test plays it with the domain's own decider (`apply`), or lets `commandsExecutor` do so, and
 * the gateway does not write a start's first step itself (CHRONICLE_FIRST_STEP_WITH_CREATION off).
 */
export async function startGateway(options: { queryLimits?: QueryLimits; introspection?: boolean; commandsExecutor?: boolean; env?: Record<string, string> } = {}): Promise<GatewayHarness> {
  const db = await createTestDatabase('gateway');
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    CHRONICLE_LOG_LEVEL: 'silent',
    CHRONICLE_TOKENS: `ADMIN=${TOKENS.ADMIN},EDITOR=${TOKENS.EDITOR},OPERATOR=${TOKENS.OPERATOR},VIEWER=${TOKENS.VIEWER},OPERATOR:team=${TOKENS.TEAM_OPERATOR}`,
    // No executor takes the starts up here (the tests play it, or leave executions CREATED), so a
    // measured admission bound would fall to its floor and refuse the API calls under test; the
    // measured bound has its own specs (measured-capacity, measured-admission e2e).
    CHRONICLE_ADMISSION_TARGET_MS: '0',
    // The tests play the executor, the first step too: a start writes its creation alone and stays
    // CREATED until a test applies its AdvanceExecution (the gateway's own first step has its
    // e2e in tests/e2e, first-step-distributed).
    CHRONICLE_FIRST_STEP_WITH_CREATION: 'false',
    ...options.env,
  });
  const logger = createLogger('gateway-test', 'silent');
  const platform = await createPlatform(config, db.url, logger);
  const sql = new SqlCounter();
  const readModel = await createReadModel(db.url, { migrate: true, logger: sql });
  const projector = new ExecutionProjector(readModel.dataSource, platform.store, platform.bus, { topicPrefix: config.topicPrefix, logger: { warn: () => undefined, error: () => undefined } });
  await projector.start();
  const { TokenRegistry } = await import('../auth/token-registry.js');
  const tokens = new TokenRegistry(config.tokens);
  const app = await NestFactory.create(
    ChronicleProcessModule.hosting(platform, logger, [GatewayModule.register({ readModel: readModel.queries, tokens, logger, instanceId: 'test', queryLimits: options.queryLimits, introspection: options.introspection })]),
    { logger: false, bodyParser: false },
  );
  configureHttp(app, logger);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;

  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const now = () => new Date((clock += 1000)).toISOString();
  const apply: GatewayHarness['apply'] = async (executionId, command, applyOptions = {}) => {
    const stream = await platform.store.readStream(executionStreamId(executionId));
    let state: Execution | undefined;
    const { toDomainEvent } = await import('@chronicle/contracts');
    for (const e of stream) state = evolve(state, toDomainEvent(e));
    const flow = (await platform.flows.require(state!.namespace, state!.flowId, state!.flowRevision)).definition;
    // Local tasks off: the tests play the worker pool themselves, task by task.
    const events = decide({ now: now(), ...command, executionId } as ExecutionCommand, state, { flow, taskTypes: platform.flows.taskTypes, localTasks: false });
    // One append per event when asked: the read model then shows every revision in turn.
    const appends = applyOptions.oneByOne ? events.map((e) => [e]) : events.length > 0 ? [events] : [];
    let revision = BigInt(stream.length - 1);
    for (const batch of appends) {
      const result = await platform.store.append(executionStreamId(executionId), toEventData(batch, { correlationId: executionId }), revision);
      revision = result.nextExpectedRevision;
      await projector.waitForPosition(result.position, 10_000);
      await applyOptions.afterEach?.();
    }
    return events;
  };
  const stopExecutor = options.commandsExecutor
    ? await platform.bus.consume<ExecutionCommand>({ topic: platform.topics.commands, groupId: 'test-executor' }, async (message) => {
        const { executionId, ...command } = message.value;
        await apply(executionId, command);
      })
    : undefined;
  const settle = async () => {
    const head = await platform.store.headPosition();
    if (head !== undefined) await projector.waitForPosition(head, 10_000);
  };
  const admin = new GatewayClient(url, TOKENS.ADMIN);
  return {
    db, platform, readModel, projector, app, url, sql,
    client: (token = TOKENS.ADMIN) => new GatewayClient(url, token),
    apply,
    settle,
    async deploy(...sources) {
      for (const source of sources) await admin.data('mutation($s: String!) { deployFlow(source: $s) { revision } }', { s: source });
    },
    async executionIds(namespace, flowId) {
      await settle();
      const { executions } = await admin.data<{ executions: { edges: Array<{ node: { id: string } }> } }>(
        'query($ns: String!, $flow: String!) { executions(namespace: $ns, flowId: $flow, first: 500) { edges { node { id } } } }', { ns: namespace, flow: flowId });
      return executions.edges.map((e) => e.node.id);
    },
    async close() {
      await stopExecutor?.stop();
      await app.close();
      await projector.stop();
      await readModel.close();
      await platform.close();
      await db.drop();
    },
  };
}

/**
 * One gateway for a whole spec file, with these flows deployed: started before its first test and
 * closed after its last. Call at the top of the file; the answer gives the running harness.
 */
export function gatewayForFile(...flows: string[]): () => GatewayHarness {
  let harness: GatewayHarness | undefined;
  beforeAll(async () => {
    harness = await startGateway();
    await harness.deploy(...flows);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the gateway is not started yet: use it inside a test');
    return harness;
  };
}
