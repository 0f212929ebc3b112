import { Module, type DynamicModule } from '@nestjs/common';
import type { Platform } from '@chronicle/composition';
import { ExecutorModule } from '@chronicle/executor';
import { GatewayModule, type TokenRegistry } from '@chronicle/gateway';
import { ProjectionModule } from '@chronicle/projection';
import type { ReadModel } from '@chronicle/read-model';
import { SchedulerModule } from '@chronicle/scheduler';
import type { Logger } from '@chronicle/runtime';

/** All four services in one process, sharing one platform (event store, bus, pool). */
@Module({})
export class StandaloneModule {
  static register(platform: Platform, readModel: ReadModel, tokens: TokenRegistry, logger: Logger, instanceId: string): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        ProjectionModule.register(platform, readModel, logger.child({ service: 'projection' })),
        ExecutorModule.register(platform, logger.child({ service: 'executor' }), instanceId),
        SchedulerModule.register(platform, logger.child({ service: 'scheduler' })),
        GatewayModule.register({ platform, readModel: readModel.queries, tokens, logger: logger.child({ service: 'gateway' }), instanceId }),
      ],
    };
  }
}
