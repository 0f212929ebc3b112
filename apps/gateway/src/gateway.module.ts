import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { createDeadLetterStore, type Platform } from '@chronicle/composition';
import type { DeadLetterStore } from '@chronicle/messaging';
import type { ReadModelQueries } from '@chronicle/read-model';
import { InFlightLimit, type Logger } from '@chronicle/runtime';
import { AccessControl, TOKEN_REGISTRY } from './auth/request-principal.js';
import type { TokenRegistry } from './auth/token-registry.js';
import { ExecutionCommands } from './commands/execution-commands.js';
import { executionViewAt } from './reads/execution-reader.js';
import { BulkExecutionCommands } from './commands/bulk-execution-commands.js';
import { ExecutionReader } from './reads/execution-reader.js';
import { graphqlOptions } from './graphql/graphql-options.js';
import type { QueryLimits } from './graphql/query-limits.js';
import { GATEWAY_RESOLVERS } from './graphql/resolvers.js';
import { LiveUpdates } from './live/live-updates.js';
import { ExecutionPresenter } from './rest/execution-presenter.js';
import { REST_CONTROLLERS } from './rest/rest-controllers.js';
import { openApiDocument } from './openapi/openapi-document.js';
import { OPENAPI_DOCUMENT } from './openapi/openapi.controller.js';
import { DEAD_LETTERS, EXECUTION_ADMISSION, LIVE_UPDATES, LOGGER, READ_MODEL } from './gateway.tokens.js';
import { RuntimeDisabledTriggers } from './webhooks/runtime-disabled-triggers.js';
import { gatewayProviders } from './gateway.providers.js';
import { ExecutionAdmission } from './admission/execution-admission.js';
import { WEBHOOK_OPTIONS } from './webhooks/webhook.options.js';
import { SecretMasking } from './secrets/secret-masking.js';

@Injectable()
class GatewayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(DEAD_LETTERS) private readonly deadLetters: DeadLetterStore,
    @Inject(EXECUTION_ADMISSION) private readonly admission: ExecutionAdmission,
  ) {}
  async onApplicationBootstrap() {
    this.admission.listen();
    await this.live.start();
  }
  async onApplicationShutdown() {
    this.admission.stop();
    await this.live.stop();
    await this.deadLetters.close();
  }
}

export interface GatewayOptions {
  readonly platform: Platform;
  readonly readModel: ReadModelQueries;
  readonly tokens: TokenRegistry;
  readonly logger: Logger;
  readonly instanceId: string;
  /** GraphQL introspection; default: the platform's configuration (CHRONICLE_GRAPHQL_INTROSPECTION). */
  readonly introspection?: boolean;
  readonly queryLimits?: QueryLimits;
}

/** The only public entry: GraphQL (+ graphql-ws), REST, SSE, health. Hosted alone or in standalone. */
@Module({})
export class GatewayModule {
  static register(options: GatewayOptions): DynamicModule {
    const access = new AccessControl(options.tokens);
    const introspection = options.introspection ?? options.platform.config.graphqlIntrospection ?? true;
    return {
      module: GatewayModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          ...graphqlOptions(access, options.readModel, options.logger, { introspection, limits: options.queryLimits }),
        }),
      ],
      controllers: REST_CONTROLLERS,
      providers: [
        ...gatewayProviders(options.platform),
        { provide: READ_MODEL, useValue: options.readModel },
        { provide: LOGGER, useValue: options.logger },
        { provide: WEBHOOK_OPTIONS, useValue: { waitTimeoutMs: options.platform.config.webhookWaitTimeoutMs, ratePerSecond: options.platform.config.webhookRatePerSecond, signatureToleranceSeconds: options.platform.config.webhookSignatureToleranceSeconds } },
        { provide: TOKEN_REGISTRY, useValue: options.tokens },
        { provide: AccessControl, useValue: access },
        { provide: DEAD_LETTERS, useValue: createDeadLetterStore(options.platform) },
        { provide: LIVE_UPDATES, useValue: new LiveUpdates(options.platform.bus, options.platform.topics, options.instanceId, options.logger, executionViewAt(options.platform.executions)) },
        {
          provide: EXECUTION_ADMISSION,
          inject: [LIVE_UPDATES],
          useFactory: (live: LiveUpdates) => new ExecutionAdmission(new InFlightLimit({ max: options.platform.config.maxInFlight, holdMs: options.platform.config.inFlightHoldMs, maxRssMb: options.platform.config.maxRssMb }), live),
        },
        GatewayLifecycle,
        ExecutionCommands,
        BulkExecutionCommands,
        ExecutionReader,
        ExecutionPresenter,
        RuntimeDisabledTriggers,
        { provide: OPENAPI_DOCUMENT, useFactory: () => openApiDocument(REST_CONTROLLERS) },
        SecretMasking,
        ...GATEWAY_RESOLVERS,
      ],
    };
  }
}
