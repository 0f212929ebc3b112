import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Platform } from '@chronicle/composition';
import { ExecutionProjector, LogProjector, ProjectionRebuildService, type ReadModel } from '@chronicle/read-model';
import type { Logger } from '@chronicle/runtime';
import { PROJECTION_METRICS_DEPS, ProjectionMetrics, ProjectionMetricsController } from './projection-metrics.js';

const PROJECTORS = Symbol('PROJECTORS');

interface Projectors {
  readonly executions: ExecutionProjector;
  readonly logs: LogProjector;
  /** Runs requested rebuilds; it owns no projector, it pauses `executions` across the swap. */
  readonly rebuilds: ProjectionRebuildService;
}

@Injectable()
class ProjectionLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PROJECTORS) private readonly projectors: Projectors) {}
  async onApplicationBootstrap() {
    await this.projectors.executions.start();
    await this.projectors.logs.start();
    this.projectors.rebuilds.start();
  }
  async onApplicationShutdown() {
    await this.projectors.rebuilds.stop();
    await this.projectors.logs.stop();
    await this.projectors.executions.stop();
  }
}

/** Builds the Postgres read models from the log and publishes live updates after each commit. */
@Module({})
export class ProjectionModule {
  static register(platform: Platform, readModel: ReadModel, logger: Logger): DynamicModule {
    const projectionLogger = logger;
    const executions = new ExecutionProjector(readModel.dataSource, platform.store, platform.bus, { topicPrefix: platform.config.topicPrefix, logger: projectionLogger });
    const projectors: Projectors = {
      executions,
      logs: new LogProjector(readModel.dataSource, platform.bus, { topicPrefix: platform.config.topicPrefix, logger: projectionLogger }),
      rebuilds: new ProjectionRebuildService(readModel.dataSource, platform.store, executions, { logger: projectionLogger }),
    };
    return { module: ProjectionModule, controllers: [ProjectionMetricsController], providers: [{ provide: PROJECTORS, useValue: projectors }, ProjectionLifecycle, { provide: PROJECTION_METRICS_DEPS, useValue: { platform, readModel } }, ProjectionMetrics] };
  }
}
