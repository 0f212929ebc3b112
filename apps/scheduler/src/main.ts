import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, ChronicleProcessModule, startServiceHealth } from '@chronicle/composition';
import { SchedulerModule } from './scheduler.module.js';

const { logger, platform, instanceId, shutdown } = await bootstrapService('scheduler');
const app = await shutdown.step(NestFactory.createApplicationContext(ChronicleProcessModule.hosting(platform, logger, [SchedulerModule.register(logger)]), { logger: false }));
// A signal during start-up stops what started (consumers, leader locks) before the platform closes.
shutdown.undoOnEarlyStop(() => app.close());
await shutdown.step(app.init());
// Readiness on HEALTH_PORT once the service is up (the gateway serves its own on PORT).
const health = await shutdown.step(startServiceHealth(platform, logger));
logger.info({ instanceId, startupMs: Math.round(performance.now()) }, 'scheduler ready');
// A plain line as well, whatever the log level: scripts and operators wait for it.
console.log(`chronicle scheduler ready (pid ${process.pid}, instance ${instanceId})`);
shutdown.started(async () => {
  await health?.close();
  await app.close();
  await platform.close();
});
