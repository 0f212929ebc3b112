import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, onShutdown } from '@chronicle/application';
import { ExecutorModule } from './executor.module.js';

const { logger, platform, instanceId } = await bootstrapService('executor');
const app = await NestFactory.createApplicationContext(ExecutorModule.register(platform, logger, instanceId), { logger: false });
await app.init();
logger.info({ instanceId }, 'executor ready');
onShutdown(logger, async () => {
  await app.close();
  await platform.close();
});
