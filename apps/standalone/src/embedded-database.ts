import { join } from 'node:path';
import { createDatabase, freePort, startPostgres, type Logger } from '@chronicle/runtime';

/** The standalone default: a real Postgres from the embedded binaries, kept in the data dir. */
export async function startEmbeddedDatabase(dataDir: string, fast: boolean, logger: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  const server = await startPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort(), fast });
  await createDatabase(server.adminUrl, 'chronicle');
  logger.info({ pid: server.pid, port: server.port }, 'embedded Postgres started');
  return { url: server.urlFor('chronicle'), stop: () => server.stop() };
}
