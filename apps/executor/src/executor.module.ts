import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@chronicle/runtime';
import { executorProviders } from './executor.providers.js';
import { ExecutorService } from './executor.service.js';

@Injectable()
class ExecutorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ExecutorService) private readonly executor: ExecutorService) {}
  async onApplicationBootstrap() {
    await this.executor.start();
  }
  async onApplicationShutdown() {
    await this.executor.stop();
  }
}

/** The executor as a Nest module: hosted alone (main.ts) or inside the standalone process, beside PlatformModule. */
@Module({})
export class ExecutorModule {
  static register(logger: Logger, instanceId: string): DynamicModule {
    return {
      module: ExecutorModule,
      providers: [...executorProviders(logger, instanceId), ExecutorService, ExecutorLifecycle],
    };
  }
}
