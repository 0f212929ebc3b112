import { afterAll, beforeAll, describe } from 'vitest';
import { FileStore } from '@chronicle/use-cases';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { accessMatrixScenario } from './access-matrix.scenario.js';
import { crossNamespaceScenario } from './kafka-and-subflow.scenario.js';
import { fetchedLogsScenario, flowReachScenario } from './flow-reach.scenario.js';
import { deadLettersScenario } from './dead-letters.scenario.js';
import { namedLocksScenario } from './named-locks.scenario.js';
import { publicEndpointsScenario } from './public-endpoints.scenario.js';
import { restSecretsScenario, secretsScenario, webhookAnswersScenario, webhookSignatureScenario } from './secrets.scenario.js';
import { fixtureFlows } from './security-fixtures.js';
import { NAMESPACES, TOKENS_SPEC, tokenOf, type Namespace } from './security-principals.js';
import { KAFKA_GRANTS, suiteHelpers, TOPIC_PREFIX, type SecuritySuite } from './security-suite.js';

/**
 * The security suite (issue 18): one standalone Chronicle in this process (real Postgres,
 * in-process bus), every role unrestricted and limited to `teamA`, against every GraphQL
 * field, REST route, subscription, SSE stream, file, export/import and trigger kind, plus the
 * abuse cases: Kafka triggers on Chronicle's own topics, Subflows and Flow triggers across
 * namespaces, SECRET inputs in every read path, webhook keys for readers. Prints the number of
 * cases it checked.
 */
describe('security: namespace isolation and secrets', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let suite: SecuritySuite;
  const counts = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase('security_suite');
    const config = loadConfig({
      PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: TOKENS_SPEC, CHRONICLE_LOG_LEVEL: 'error',
      CHRONICLE_TOPIC_PREFIX: TOPIC_PREFIX, CHRONICLE_NAMESPACE_ALLOW: 'teamA->shared',
      CHRONICLE_KAFKA_NAMESPACE_PREFIXES: KAFKA_GRANTS,
    });
    chronicle = await startStandalone(config, createLogger('security', 'error'));
    const helpers = suiteHelpers(chronicle, counts);
    const { admin, start, until } = helpers;
    const execution = {} as Record<Namespace, string>;
    const paused = {} as Record<Namespace, string>;
    const victim = {} as Record<Namespace, string>;
    const file = {} as Record<Namespace, string>;
    const fileUri = {} as Record<Namespace, string>;
    for (const ns of NAMESPACES) {
      for (const source of fixtureFlows(ns)) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: source });
      const form = new FormData();
      form.append('files', new Blob([`a file of ${ns}`], { type: 'text/plain' }), 'doc');
      const res = await fetch(`${chronicle.url}/api/v1/executions/${ns}/f`, { method: 'POST', headers: { authorization: `Bearer ${tokenOf('ADMIN')}` }, body: form });
      const started = (await res.json()) as { id: string; inputs: { doc: string } };
      execution[ns] = started.id;
      fileUri[ns] = started.inputs.doc;
      // An upload by id (GET /api/v1/files/:id): the REST start copies its uploads into the execution's files.
      file[ns] = await new FileStore(chronicle.platform.storage, 1024).put('doc', 'text/plain', Buffer.from(`an upload of ${ns}`), ns);
      paused[ns] = await start(ns, 'p');
      victim[ns] = await start(ns, 'p');
    }
    for (const ns of NAMESPACES) {
      await until(execution[ns], ['SUCCESS']);
      await until(paused[ns], ['PAUSED']);
      await until(victim[ns], ['PAUSED']);
    }
    suite = { ...helpers, fx: { url: chronicle.url, admin, execution, paused, victim, file, fileUri } };
  });

  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const parts = [...counts].map(([part, n]) => `${part}: ${n}`).join(', ');
    console.log(`security suite: ${total} cases checked (${parts})`);
  });

  accessMatrixScenario(() => suite);
  crossNamespaceScenario(() => suite);
  secretsScenario(() => suite);
  restSecretsScenario(() => suite);
  webhookAnswersScenario(() => suite);
  webhookSignatureScenario(() => suite);
  flowReachScenario(() => suite);
  fetchedLogsScenario(() => suite);
  deadLettersScenario(() => suite);
  namedLocksScenario(() => suite);
  publicEndpointsScenario(() => suite);
});
