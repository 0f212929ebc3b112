import pg from 'pg';

export interface NotificationListenerOptions {
  readonly clientConfig: pg.ClientConfig;
  readonly channel: string;
  readonly firstRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

/**
 * One dedicated LISTEN connection, shared by every subscription of a store. It calls `onWake`
 * for each notification (with its payload) and once after every (re)connection (without one):
 * events may have been committed while no one was listening, so subscribers re-read from their
 * last delivered position.
 * A dropped connection is reconnected with capped exponential backoff; there is no polling.
 */
export class PgNotificationListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly options: NotificationListenerOptions,
    private readonly onWake: (payload?: string) => void,
  ) {}

  /** Resolves once LISTEN is active (connecting on first use). */
  ready(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect();
    return this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.connecting?.catch(() => undefined);
  }

  private async connect(): Promise<void> {
    let delay = this.options.firstRetryDelayMs ?? 100;
    while (!this.closed) {
      const client = new pg.Client(this.options.clientConfig);
      // Without an 'error' listener a dropped idle connection would crash the process.
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      client.on('notification', (message) => this.onWake(message.payload));
      try {
        await client.connect();
        await client.query(`LISTEN ${this.options.channel}`);
        if (this.closed) {
          await client.end();
          return;
        }
        this.client = client;
        this.connecting = undefined;
        this.onWake();
        return;
      } catch {
        client.removeAllListeners();
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
        await sleep(delay);
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5_000);
      }
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.connecting ??= this.connect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
