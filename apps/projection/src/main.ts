import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, ChronicleProcessModule, startServiceHealth } from '@chronicle/composition';
import { ChronicleBusTransport } from '@chronicle/messaging/nest';
import { createReadModel } from '@chronicle/read-model';
import { ProjectionModule } from './projection.module.js';

const { config, logger, platform, instanceId, shutdown } = await bootstrapService('projection');
const readModel = await shutdown.step(createReadModel(platform.databaseUrl, { migrate: true, poolSize: config.readModelPoolSize }));
shutdown.undoOnEarlyStop(() => readModel.close());
// A NestJS microservice on Chronicle's bus: its @EventPattern handlers consume bus topics (projection-metrics.ts).
const app = await shutdown.step(NestFactory.createMicroservice(ChronicleProcessModule.hosting(platform, logger, [ProjectionModule.register(readModel, logger)]), {
  strategy: new ChronicleBusTransport(platform.bus, platform.topics), logger: false,
}));
// A signal during start-up stops what started (consumers) before the read model and platform close.
shutdown.undoOnEarlyStop(() => app.close());
await shutdown.step(app.listen());
// Readiness on HEALTH_PORT once the service is up (the gateway serves its own on PORT).
const health = await shutdown.step(startServiceHealth(platform, logger));
logger.info({ instanceId, startupMs: Math.round(performance.now()) }, 'projection ready');
// A plain line as well, whatever the log level: scripts and operators wait for it.
console.log(`chronicle projection ready (pid ${process.pid}, instance ${instanceId})`);
shutdown.started(async () => {
  await health?.close();
  await app.close();
  await readModel.close();
  await platform.close();
});
