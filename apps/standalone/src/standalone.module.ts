import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Platform } from '@chronicle/composition';
import { ExecutorModule } from '@chronicle/executor';
import { GatewayModule, type TokenRegistry } from '@chronicle/gateway';
import { ProjectionModule } from '@chronicle/projection';
import type { ReadModel } from '@chronicle/read-model';
import { SchedulerModule } from '@chronicle/scheduler';
import type { Logger } from '@chronicle/runtime';

/** All four services in one process, sharing one platform: its ports bound once (PlatformModule), injected by token. */
@Module({})
export class StandaloneModule {
  static register(platform: Platform, readModel: ReadModel, tokens: TokenRegistry, logger: Logger, instanceId: string): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        PlatformModule.of(platform, logger),
        ProjectionModule.register(readModel, logger.child({ service: 'projection' })),
        ExecutorModule.register(logger.child({ service: 'executor' }), instanceId),
        SchedulerModule.register(logger.child({ service: 'scheduler' })),
        GatewayModule.register({ readModel: readModel.queries, tokens, logger: logger.child({ service: 'gateway' }), instanceId }),
      ],
    };
  }
}
