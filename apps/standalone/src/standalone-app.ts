import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { createPlatform, waitForDependencies, type Platform, type ProcessShutdown } from '@chronicle/composition';
import { ChronicleBusTransport } from '@chronicle/messaging/nest';
import { configureHttp, listenHttp, TokenRegistry } from '@chronicle/gateway';
import { createReadModel, type ReadModel } from '@chronicle/read-model';
import { localAdminToken, newId, type ChronicleConfig, type Logger } from '@chronicle/runtime';
import { embeddedPostgresMajor, stopOwnedPostgres } from '@chronicle/dev-infra';
import { checkDataFolder } from './data-folder.js';
import { startEmbeddedDatabase } from './embedded-database.js';
import { StandaloneModule } from './standalone.module.js';

export interface RunningStandalone {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The generated ADMIN token, when CHRONICLE_TOKENS was not set. */
  readonly generatedToken?: string;
  readonly platform: Platform;
  /** No flow deployed yet (a first run): `npm start` then says how to deploy the examples. */
  readonly noFlows: boolean;
  close(): Promise<void>;
}

/**
 * All four services in one process: embedded Postgres in the data dir (unless
 * DATABASE_URL is set), the in-process bus (unless KAFKA_BROKERS is set), one HTTP port.
 */
export async function startStandalone(config: ChronicleConfig, logger: Logger, shutdown?: Pick<ProcessShutdown, 'undoOnEarlyStop'>): Promise<RunningStandalone> {
  const dataDir = resolve(config.dataDir);
  if (!config.databaseUrl) checkDataFolder(dataDir, embeddedPostgresMajor());
  // Configuration before anything starts: a malformed CHRONICLE_TOKENS is refused before the embedded Postgres runs.
  if (config.tokens) new TokenRegistry(config.tokens, config.authDisabled);
  // A signal while starting stops the embedded Postgres too, even one still coming up.
  if (!config.databaseUrl) shutdown?.undoOnEarlyStop(() => stopOwnedPostgres(join(dataDir, 'postgres'), process.pid));
  const database = config.databaseUrl
    ? { url: config.databaseUrl, stop: async () => undefined }
    : await startEmbeddedDatabase(dataDir, { fast: config.pgFast, sharedBuffersMb: config.pgSharedBuffersMb }, logger);
  try {
    let tokenSpec = config.tokens;
    let generatedToken: string | undefined;
    if (!tokenSpec && !config.authDisabled) {
      const admin = localAdminToken(dataDir);
      tokenSpec = admin.spec;
      generatedToken = admin.token;
    }
    const tokens = new TokenRegistry(tokenSpec, config.authDisabled);
    await waitForDependencies(config, database.url, logger);
    const platform = await createPlatform(config, database.url, logger);
    shutdown?.undoOnEarlyStop(() => platform.close());
    const readModel = await createReadModel(database.url, { migrate: true, poolSize: config.readModelPoolSize });
    shutdown?.undoOnEarlyStop(() => readModel.close());
    const instanceId = config.instanceId ?? `standalone-${newId()}`;
    const app = await NestFactory.create(StandaloneModule.register(platform, readModel, tokens, logger, instanceId), { logger: false, bodyParser: false, rawBody: true });
    shutdown?.undoOnEarlyStop(() => app.close());
    configureHttp(app, logger);
    // The hosted services' @EventPattern handlers consume the bus through its NestJS transport.
    app.connectMicroservice({ strategy: new ChronicleBusTransport(platform.bus, platform.topics) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await listenHttp(app, config.port, config.host);
    return await running(app, config, dataDir, generatedToken, platform, readModel, database);
  } catch (error) {
    // Whatever failed after the embedded Postgres started must not leave it running.
    await database.stop().catch(() => undefined);
    throw error;
  }
}

async function running(
  app: INestApplication,
  config: ChronicleConfig,
  dataDir: string,
  generatedToken: string | undefined,
  platform: Platform,
  readModel: ReadModel,
  database: { stop(): Promise<void> },
): Promise<RunningStandalone> {
  const port = (app.getHttpServer().address() as { port: number }).port;
  const noFlows = (await readModel.queries.listFlows()).length === 0;
  return {
    url: `http://${config.host}:${port}`,
    port,
    dataDir,
    generatedToken,
    platform,
    noFlows,
    async close() {
      try {
        await app.close();
        await readModel.close();
        await platform.close();
      } finally {
        await database.stop();
      }
    },
  };
}
