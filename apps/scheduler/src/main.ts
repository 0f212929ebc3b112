import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, onShutdown } from '@chronicle/application';
import { SchedulerModule } from './scheduler.module.js';

const { logger, platform, instanceId } = await bootstrapService('scheduler');
const app = await NestFactory.createApplicationContext(SchedulerModule.register(platform, logger), { logger: false });
await app.init();
logger.info({ instanceId }, 'scheduler ready');
onShutdown(logger, async () => {
  await app.close();
  await platform.close();
});
