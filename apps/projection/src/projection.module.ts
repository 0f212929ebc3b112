import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Platform } from '@chronicle/application';
import { ExecutionProjector, LogProjector, type ReadModel } from '@chronicle/read-model';
import type { Logger } from '@chronicle/runtime';

const PROJECTORS = Symbol('PROJECTORS');

interface Projectors {
  readonly executions: ExecutionProjector;
  readonly logs: LogProjector;
}

@Injectable()
class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PROJECTORS) private readonly projectors: Projectors) {}
  async onApplicationBootstrap() {
    await this.projectors.executions.start();
    await this.projectors.logs.start();
  }
  async onApplicationShutdown() {
    await this.projectors.logs.stop();
    await this.projectors.executions.stop();
  }
}

/** Builds the Postgres read models from the log and publishes live updates after each commit. */
@Module({})
export class ProjectionModule {
  static register(platform: Platform, readModel: ReadModel, logger: Logger): DynamicModule {
    const projectionLogger = logger;
    const projectors: Projectors = {
      executions: new ExecutionProjector(readModel.dataSource, platform.store, platform.bus, { topicPrefix: platform.config.topicPrefix, logger: projectionLogger }),
      logs: new LogProjector(readModel.dataSource, platform.bus, { topicPrefix: platform.config.topicPrefix, logger: projectionLogger }),
    };
    return { module: ProjectionModule, providers: [{ provide: PROJECTORS, useValue: projectors }, ProjectionLifecycle] };
  }
}
