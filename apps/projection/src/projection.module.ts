import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, EVENT_STORE, MESSAGE_BUS, postgresNotices } from '@chronicle/composition';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus } from '@chronicle/messaging';
import { ExecutionProjector, LogProjector, ProjectionRebuildService, type ReadModel } from '@chronicle/read-model';
import type { ChronicleConfig, Logger } from '@chronicle/runtime';
import { ProjectionMetrics, ProjectionMetricsController, READ_MODEL } from './projection-metrics.js';

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
    await this.projectors.rebuilds.start();
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
  static register(readModel: ReadModel, logger: Logger): DynamicModule {
    const projectors = (store: EventStore, bus: MessageBus, config: ChronicleConfig): Projectors => {
      const executions = new ExecutionProjector(readModel.dataSource, store, bus, { topicPrefix: config.topicPrefix, logger });
      return {
        executions,
        logs: new LogProjector(readModel.dataSource, bus, { topicPrefix: config.topicPrefix, logger }),
        rebuilds: new ProjectionRebuildService(readModel.dataSource, store, executions, { logger, listen: postgresNotices(readModel.url) }),
      };
    };
    return {
      module: ProjectionModule,
      controllers: [ProjectionMetricsController],
      providers: [
        { provide: READ_MODEL, useValue: readModel },
        { provide: PROJECTORS, useFactory: projectors, inject: [EVENT_STORE, MESSAGE_BUS, CONFIG] },
        ProjectionLifecycle,
        ProjectionMetrics,
      ],
    };
  }
}
