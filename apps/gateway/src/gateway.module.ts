import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { CONFIG, EXECUTIONS, MESSAGE_BUS, TOPICS } from '@chronicle/composition';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { ReadModelQueries } from '@chronicle/read-model';
import { InFlightLimit, type ChronicleConfig, type Logger } from '@chronicle/runtime';
import type { ExecutionRepository } from '@chronicle/use-cases';
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
import { EXECUTION_ADMISSION, LIVE_UPDATES, LOGGER, READ_MODEL } from './gateway.tokens.js';
import { gatewayProviders } from './gateway.providers.js';
import { ExecutionAdmission } from './admission/execution-admission.js';
import { WEBHOOK_OPTIONS, type WebhookOptions } from './webhooks/webhook.options.js';
import { SecretMasking } from './secrets/secret-masking.js';
import { DeadLetterMasking } from './secrets/dead-letter-masking.js';

@Injectable()
class GatewayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(EXECUTION_ADMISSION) private readonly admission: ExecutionAdmission,
  ) {}
  async onApplicationBootstrap() {
    this.admission.listen();
    await this.live.start();
  }
  async onApplicationShutdown() {
    this.admission.stop();
    await this.live.stop();
  }
}

export interface GatewayOptions {
  readonly readModel: ReadModelQueries;
  readonly tokens: TokenRegistry;
  readonly logger: Logger;
  readonly instanceId: string;
  /** GraphQL introspection; default: the configuration (CHRONICLE_GRAPHQL_INTROSPECTION). */
  readonly introspection?: boolean;
  readonly queryLimits?: QueryLimits;
  /**
   * Admission's event-loop utilisation bound when CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION is not
   * set (0 = off): the distributed gateway passes DISTRIBUTED_MAX_LOOP_UTILISATION; the standalone
   * leaves it off, its loop runs the engine as well and is meant to be busy at its knee.
   */
  readonly defaultMaxLoopUtilisation?: number;
}

/** The distributed gateway's default bound on its loop's utilisation (see InFlightLimit `loopUtilisation`). */
export const DISTRIBUTED_MAX_LOOP_UTILISATION = 0.9;

/**
 * The only public entry: GraphQL (+ graphql-ws), REST, SSE, health. Hosted alone or in standalone,
 * beside PlatformModule, whose ports its controllers and resolvers inject by their tokens.
 */
@Module({})
export class GatewayModule {
  static register(options: GatewayOptions): DynamicModule {
    const access = new AccessControl(options.tokens);
    return {
      module: GatewayModule,
      imports: [
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [CONFIG],
          useFactory: (config: ChronicleConfig) => ({
            driver: ApolloDriver,
            ...graphqlOptions(access, options.readModel, options.logger, { introspection: options.introspection ?? config.graphqlIntrospection ?? true, limits: options.queryLimits }),
          }),
        }),
      ],
      controllers: REST_CONTROLLERS,
      providers: [
        ...gatewayProviders,
        { provide: READ_MODEL, useValue: options.readModel },
        { provide: LOGGER, useValue: options.logger },
        {
          provide: WEBHOOK_OPTIONS,
          inject: [CONFIG],
          useFactory: (config: ChronicleConfig): WebhookOptions => ({ waitTimeoutMs: config.webhookWaitTimeoutMs, ratePerSecond: config.webhookRatePerSecond, signatureToleranceSeconds: config.webhookSignatureToleranceSeconds }),
        },
        { provide: TOKEN_REGISTRY, useValue: options.tokens },
        { provide: AccessControl, useValue: access },
        {
          provide: LIVE_UPDATES,
          inject: [MESSAGE_BUS, TOPICS, EXECUTIONS],
          useFactory: (bus: MessageBus, topics: Topics, executions: ExecutionRepository) => new LiveUpdates(bus, topics, options.instanceId, options.logger, executionViewAt(executions)),
        },
        {
          provide: EXECUTION_ADMISSION,
          inject: [LIVE_UPDATES, CONFIG],
          useFactory: (live: LiveUpdates, config: ChronicleConfig) =>
            new ExecutionAdmission(
              new InFlightLimit({
                max: config.maxInFlight,
                holdMs: config.inFlightHoldMs,
                maxRssMb: config.maxRssMb,
                measured: { targetDelayMs: config.admissionTargetMs, floor: config.minInFlight },
                loopDelay: { maxMs: config.admissionMaxLoopDelayMs, floor: config.minInFlight },
                loopUtilisation: { max: config.admissionMaxLoopUtilisation ?? options.defaultMaxLoopUtilisation ?? 0, floor: config.minInFlight },
              }),
              live,
            ),
        },
        GatewayLifecycle,
        ExecutionCommands,
        BulkExecutionCommands,
        ExecutionReader,
        ExecutionPresenter,
        { provide: OPENAPI_DOCUMENT, useFactory: () => openApiDocument(REST_CONTROLLERS) },
        SecretMasking,
        DeadLetterMasking,
        ...GATEWAY_RESOLVERS,
      ],
    };
  }
}
