import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, ChronicleProcessModule, onShutdown, startServiceHealth } from '@chronicle/composition';
import { SchedulerModule } from './scheduler.module.js';

const { logger, platform, instanceId } = await bootstrapService('scheduler');
const app = await NestFactory.createApplicationContext(ChronicleProcessModule.hosting(platform, logger, [SchedulerModule.register(logger)]), { logger: false });
await app.init();
// Readiness on HEALTH_PORT once the service is up (the gateway serves its own on PORT).
const health = await startServiceHealth(platform, logger);
logger.info({ instanceId, startupMs: Math.round(performance.now()) }, 'scheduler ready');
// A plain line as well, whatever the log level: scripts and operators wait for it.
console.log(`chronicle scheduler ready (pid ${process.pid}, instance ${instanceId})`);
onShutdown(logger, async () => {
  await health?.close();
  await app.close();
  await platform.close();
});
