export * from './postgres-fixture.js';
export * from './kafka-fixture.js';
export * from './e2e/gateway-client.js';
export * from './e2e/benchmark01.flow.js';
export * from './e2e/foundation.scenario.js';
export * from './e2e/api.scenario.js';
export * from './e2e/service-processes.js';
export { EsdbTestServer, type EsdbFault, type EsdbTestServerOptions } from './esdb-server/esdb-test-server.js';
export * from './e2e/raw-http.js';
