import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, ChronicleProcessModule } from '@chronicle/composition';
import { createReadModel } from '@chronicle/read-model';
import { TokenRegistry } from './auth/token-registry.js';
import { DISTRIBUTED_MAX_LOOP_UTILISATION, GatewayModule } from './gateway.module.js';
import { configureHttp, listenHttp } from './http-app.js';

const { config, logger, platform, instanceId, shutdown } = await bootstrapService('gateway');
const tokens = new TokenRegistry(config.tokens, config.authDisabled);
if (tokens.size === 0 && !config.authDisabled) {
  logger.fatal('CHRONICLE_TOKENS: required in distributed mode (ROLE=token,...); set CHRONICLE_AUTH=disabled to run without authentication');
  process.exit(2);
}
const readModel = await shutdown.step(createReadModel(platform.databaseUrl, { migrate: false, poolSize: config.readModelPoolSize }));
shutdown.undoOnEarlyStop(() => readModel.close());
const app = await shutdown.step(NestFactory.create(ChronicleProcessModule.hosting(platform, logger, [GatewayModule.register({ readModel: readModel.queries, tokens, logger, instanceId, defaultMaxLoopUtilisation: DISTRIBUTED_MAX_LOOP_UTILISATION })]), { logger: false, bodyParser: false, rawBody: true }));
// A signal during start-up stops what started (consumers, leader locks) before the read model and platform close.
shutdown.undoOnEarlyStop(() => app.close());
configureHttp(app, logger);
await shutdown.step(listenHttp(app, config.port, config.host));
logger.info({ url: `http://${config.host}:${config.port}`, instanceId, startupMs: Math.round(performance.now()) }, 'gateway listening');
// A plain line as well, whatever the log level: scripts and operators wait for it.
console.log(`chronicle gateway listening on http://${config.host}:${config.port} (pid ${process.pid}, instance ${instanceId})`);
shutdown.started(async () => {
  await app.close();
  await readModel.close();
  await platform.close();
});
