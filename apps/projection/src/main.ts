import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { bootstrapService, onShutdown } from '@chronicle/application';
import { createReadModel } from '@chronicle/read-model';
import { ProjectionModule } from './projection.module.js';

const { logger, platform, instanceId } = await bootstrapService('projection');
const readModel = await createReadModel(platform.databaseUrl, { migrate: true });
const app = await NestFactory.createApplicationContext(ProjectionModule.register(platform, readModel, logger), { logger: false });
await app.init();
logger.info({ instanceId }, 'projection ready');
onShutdown(logger, async () => {
  await app.close();
  await readModel.close();
  await platform.close();
});
