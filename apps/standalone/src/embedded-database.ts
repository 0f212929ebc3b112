import { join } from 'node:path';
import { EMBEDDED_MAX_CONNECTIONS, type Logger } from '@chronicle/runtime';
import { createDatabase, freePort, startPostgres } from '@chronicle/dev-infra';

/**
 * The standalone default: a real Postgres from the embedded binaries, kept in the data dir and
 * owned by this process. It is stopped on every way out: `stop()` on a graceful stop or a
 * failed start, and a SIGINT (Postgres's fast shutdown) from the `exit` handler when the process
 * exits any other way (an uncaught error, `process.exit`). Only SIGKILL escapes both; the next
 * start then finds the server's owner dead and stops it before starting its own.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  options: { readonly fast: boolean; readonly sharedBuffersMb: number },
  logger: Logger,
): Promise<{ url: string; stop(): Promise<void> }> {
  // shared_buffers from CHRONICLE_PG_SHARED_BUFFERS_MB; max_connections is what the configuration checked the pools against.
  const settings = { shared_buffers: `${options.sharedBuffersMb}MB`, max_connections: EMBEDDED_MAX_CONNECTIONS };
  const server = await startPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort(), fast: options.fast, owner: process.pid, settings });
  const onExit = () => {
    try {
      process.kill(server.pid, 'SIGINT');
    } catch {
      /* already stopped */
    }
  };
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await server.stop();
  };
  try {
    await createDatabase(server.adminUrl, 'chronicle');
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ pid: server.pid, port: server.port }, 'embedded Postgres started');
  return { url: server.localUrlFor('chronicle'), stop };
}
