import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Platform } from '@chronicle/composition';
import type { Logger } from '@chronicle/runtime';
import { ExecutorService } from './executor.service.js';

const EXECUTOR_SERVICE = Symbol('EXECUTOR_SERVICE');

@Injectable()
class ExecutorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(EXECUTOR_SERVICE) private readonly executor: ExecutorService) {}
  async onApplicationBootstrap() {
    await this.executor.start();
  }
  async onApplicationShutdown() {
    await this.executor.stop();
  }
}

/** The executor as a Nest module: hosted alone (main.ts) or inside the standalone process. */
@Module({})
export class ExecutorModule {
  static register(platform: Platform, logger: Logger, instanceId: string): DynamicModule {
    return {
      module: ExecutorModule,
      providers: [{ provide: EXECUTOR_SERVICE, useValue: new ExecutorService(platform, logger, instanceId) }, ExecutorLifecycle],
    };
  }
}
