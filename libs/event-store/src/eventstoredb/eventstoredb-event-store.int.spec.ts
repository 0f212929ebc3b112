import { afterAll, beforeAll } from 'vitest';
import { EsdbTestServer } from '@chronicle/testing';
import { eventStoreConformance } from '../test-support/event-store-conformance.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

// (a) Always: the unmodified official client against the in-process gRPC server of
// @chronicle/testing (EventStoreDB's protocol, in memory; see its README for what it models).
let server: EsdbTestServer;
beforeAll(async () => {
  server = await EsdbTestServer.start();
});
afterAll(async () => {
  await server?.stop();
});

eventStoreConformance('eventstoredb adapter on the in-process gRPC test server', async () => {
  const store = new EventStoreDbEventStore({ connectionString: server.url });
  return { store, teardown: () => store.close() };
}, { deletedEventsStayInAll: true });

// (b) When EVENTSTORE_URL names one: the same suite against a real EventStoreDB.
const realServer = process.env.EVENTSTORE_URL;
if (realServer) {
  console.log(`EventStoreDB conformance: also running against a REAL EventStoreDB at ${realServer}`);
  eventStoreConformance(`eventstoredb adapter on a real EventStoreDB (${realServer})`, async () => {
    const store = new EventStoreDbEventStore({ connectionString: realServer });
    return { store, teardown: () => store.close() };
  }, { deletedEventsStayInAll: true });
}
