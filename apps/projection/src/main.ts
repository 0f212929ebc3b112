import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, ChronicleProcessModule, onShutdown, startServiceHealth } from '@chronicle/composition';
import { ChronicleBusTransport } from '@chronicle/messaging/nest';
import { createReadModel } from '@chronicle/read-model';
import { ProjectionModule } from './projection.module.js';

const { config, logger, platform, instanceId } = await bootstrapService('projection');
const readModel = await createReadModel(platform.databaseUrl, { migrate: true, poolSize: config.readModelPoolSize });
// A NestJS microservice on Chronicle's bus: its @EventPattern handlers consume bus topics (projection-metrics.ts).
const app = await NestFactory.createMicroservice(ChronicleProcessModule.hosting(platform, logger, [ProjectionModule.register(readModel, logger)]), {
  strategy: new ChronicleBusTransport(platform.bus, platform.topics), logger: false,
});
await app.listen();
// Readiness on HEALTH_PORT once the service is up (the gateway serves its own on PORT).
const health = await startServiceHealth(platform, logger);
logger.info({ instanceId, startupMs: Math.round(performance.now()) }, 'projection ready');
// A plain line as well, whatever the log level: scripts and operators wait for it.
console.log(`chronicle projection ready (pid ${process.pid}, instance ${instanceId})`);
onShutdown(logger, async () => {
  await health?.close();
  await app.close();
  await readModel.close();
  await platform.close();
});
