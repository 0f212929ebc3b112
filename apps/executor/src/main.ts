import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, ChronicleProcessModule, onShutdown, startServiceHealth } from '@chronicle/composition';
import { ExecutorModule } from './executor.module.js';

const { logger, platform, instanceId } = await bootstrapService('executor');
const app = await NestFactory.createApplicationContext(ChronicleProcessModule.hosting(platform, logger, [ExecutorModule.register(logger, instanceId)]), { logger: false });
await app.init();
// Readiness on HEALTH_PORT once the service is up (the gateway serves its own on PORT).
const health = await startServiceHealth(platform, logger);
logger.info({ instanceId, startupMs: Math.round(performance.now()) }, 'executor ready');
// A plain line as well, whatever the log level: scripts and operators wait for it.
console.log(`chronicle executor ready (pid ${process.pid}, instance ${instanceId})`);
onShutdown(logger, async () => {
  await health?.close();
  await app.close();
  await platform.close();
});
