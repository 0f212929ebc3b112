import * as grpc from '@grpc/grpc-js';
import { serveAppend } from './esdb-append.handler.js';
import { serveDelete } from './esdb-delete.handler.js';
import { EsdbLog } from './esdb-log.js';
import { ServerFeaturesService, StreamsService, SupportedMethod, SupportedMethods, streamName } from './esdb-protocol.js';
import { serveRead } from './esdb-read.handler.js';

/** An error the next matching call answers with, the way EventStoreDB reports it. */
export type EsdbFault = 'not-leader' | 'unavailable' | 'stream-deleted' | 'access-denied';

export interface EsdbTestServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port (kept across `restart()`). */
  readonly port?: number;
}

/**
 * An in-process server speaking the part of EventStoreDB's gRPC protocol that
 * `@eventstore/db-client` uses for streams (see README.md next to this file): ServerFeatures,
 * Streams/Append, Streams/Read, Streams/Delete and Streams/Tombstone over one in-memory log.
 * Not a database: no persistence, no scavenge, no persistent subscriptions, no BatchAppend (not advertised, so the client
 * falls back to Append).
 */
export class EsdbTestServer {
  readonly log = new EsdbLog();
  /** Subscriptions opened so far (tests check that a client really re-subscribed). */
  subscriptionsOpened = 0;
  private server: grpc.Server | undefined;
  private readonly faults: Array<{ readonly method: 'read' | 'append'; readonly error: EsdbFault; readonly stream?: string }> = [];
  private boundPort: number;
  private readonly host: string;

  private constructor(options: EsdbTestServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
  }

  static async start(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
    const server = new EsdbTestServer(options);
    await server.listen();
    return server;
  }

  /** Connection string for the official client (plain text, single node). */
  get url(): string {
    return `esdb://${this.host}:${this.boundPort}?tls=false`;
  }

  get port(): number {
    return this.boundPort;
  }

  /**
   * The next `times` (default 1) calls of `method` (on `stream` only, when given) fail with
   * `error`, answered as EventStoreDB answers it. A test hook, not part of the protocol.
   */
  injectFault(fault: { method: 'read' | 'append'; error: EsdbFault; times?: number; stream?: string }): void {
    for (let i = 0; i < (fault.times ?? 1); i++) this.faults.push({ method: fault.method, error: fault.error, stream: fault.stream });
  }

  /** Drops every connection and call at once, like a node that crashes. The log is kept. */
  async stop(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  /** Listens again on the same port with the same log, like a node that comes back. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  private async listen(): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService as unknown as grpc.ServiceDefinition, {
      read: (call: grpc.ServerWritableStream<any, any>) => {
        const fault = this.takeFault('read', streamName(call.request.getOptions()?.getStream()?.getStreamIdentifier()));
        if (fault) return void call.emit('error', fault);
        const options = call.request.getOptions();
        if (options?.hasStream() && this.log.isTombstoned(streamName(options.getStream()?.getStreamIdentifier()))) {
          return void call.emit('error', this.faultError('stream-deleted', streamName(options.getStream()?.getStreamIdentifier())));
        }
        if (options?.hasSubscription()) this.subscriptionsOpened += 1;
        serveRead(this.log, call).then(
          () => call.end(),
          (error: Error) => call.emit('error', { code: grpc.status.INTERNAL, details: error.message }),
        );
      },
      append: (call: grpc.ServerReadableStream<any, any>, callback: grpc.sendUnaryData<any>) =>
        serveAppend(this.log, call, callback, (stream) => this.takeFault('append', stream), (stream) => this.faultError('stream-deleted', stream)),
      delete: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) =>
        serveDelete(this.log, 'delete', call.request, callback, (stream) => this.faultError('stream-deleted', stream)),
      tombstone: (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) =>
        serveDelete(this.log, 'tombstone', call.request, callback, (stream) => this.faultError('stream-deleted', stream)),
    });
    server.addService(ServerFeaturesService as unknown as grpc.ServiceDefinition, {
      getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, supportedMethods()),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${this.host}:${this.boundPort}`, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
  }

  private takeFault(method: 'read' | 'append', stream: string): grpc.ServerErrorResponse | undefined {
    const index = this.faults.findIndex((f) => f.method === method && (f.stream === undefined || f.stream === stream));
    if (index < 0) return undefined;
    const [{ error: fault }] = this.faults.splice(index, 1);
    return this.faultError(fault, stream);
  }

  /** An error as EventStoreDB sends it (status, details and the `exception` metadata the client reads). */
  private faultError(fault: EsdbFault, stream: string): grpc.ServerErrorResponse {
    const metadata = new grpc.Metadata();
    const status = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details, metadata });
    switch (fault) {
      case 'not-leader':
        // Points back at this node, so the client's reconnect-to-leader lands here again.
        metadata.set('exception', 'not-leader');
        metadata.set('leader-endpoint-host', this.host);
        metadata.set('leader-endpoint-port', String(this.boundPort));
        return status(grpc.status.NOT_FOUND, 'Leader info available');
      case 'stream-deleted':
        metadata.set('exception', 'stream-deleted');
        metadata.set('stream-name', stream);
        return status(grpc.status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`);
      case 'access-denied':
        metadata.set('exception', 'access-denied');
        return status(grpc.status.PERMISSION_DENIED, 'Access denied');
      case 'unavailable':
        return status(grpc.status.UNAVAILABLE, 'Server Is Not Ready');
    }
  }
}

/** Advertises Read, Append, Delete and Tombstone: without BatchAppend the client sends every append through Append. */
function supportedMethods(): InstanceType<typeof SupportedMethods> {
  const method = (service: string, name: string) => new SupportedMethod().setServiceName(service).setMethodName(name);
  return new SupportedMethods()
    .setEventStoreServerVersion('24.10.0-chronicle-test-server')
    .setMethodsList([
      method('event_store.client.streams.streams', 'read'),
      method('event_store.client.streams.streams', 'append'),
      method('event_store.client.streams.streams', 'delete'),
      method('event_store.client.streams.streams', 'tombstone'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ]);
}
