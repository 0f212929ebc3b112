import { parseNamespaceAllow, type JsonObject } from '@chronicle/domain';
import type { Provider } from '@nestjs/common';
import { CLOCK, CONFIG, EVENT_STORE, EXECUTIONS, FIRST_DECISION, FLOWS, INTERNAL_STORAGE, MESSAGE_BUS, NAMED_LOCKS, TOPICS } from '@chronicle/composition';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { ChronicleConfig, Clock } from '@chronicle/runtime';
import {
  backfillSchedule, boundOr, changeFlowLifecycle, createExecution, deployFlow, FileStore, FirstStepDecider, forceReleaseLock, sendExecutionCommand, startTriggeredExecution,
  type CreateExecutionDeps, type ExecutionRepository, type FlowRepository, type InternalStorage, type LocalFirstDecision, type NamedLockTable, type SendExecutionCommandDeps,
} from '@chronicle/use-cases';
import { MAX_UPLOAD_BYTES } from './rest/upload-limits.js';
import {
  BACKFILL_SCHEDULE, CHANGE_FLOW_LIFECYCLE, CREATE_EXECUTION, DEPLOY_FLOW, FILE_STORE, FORCE_RELEASE_LOCK, SEND_EXECUTION_COMMAND, START_TRIGGERED_EXECUTION,
  type BackfillScheduleUseCase, type ChangeFlowLifecycleUseCase, type CreateExecutionUseCase, type DeployFlowUseCase, type ForceReleaseLockUseCase,
  type SendExecutionCommandUseCase, type StartTriggeredExecutionUseCase,
} from './gateway.tokens.js';

/** The ports the gateway's use cases run on, gathered once from their tokens. */
const USE_CASE_PORTS = Symbol('GATEWAY_USE_CASE_PORTS');
interface UseCasePorts extends CreateExecutionDeps, SendExecutionCommandDeps {
  readonly storage: InternalStorage;
  readonly config: ChronicleConfig;
  readonly locks: NamedLockTable;
}

/** A use case under its token, bound to the ports it needs. */
const useCase = <T>(provide: symbol, bind: (ports: UseCasePorts) => T): Provider => ({ provide, inject: [USE_CASE_PORTS], useFactory: bind });

/**
 * The gateway's composition: each use case bound to the platform's ports (which PlatformModule
 * binds by their tokens, adapters chosen by @chronicle/composition from the configuration).
 */
export const gatewayProviders: Provider[] = [
  {
    provide: USE_CASE_PORTS,
    inject: [EVENT_STORE, FLOWS, EXECUTIONS, CLOCK, INTERNAL_STORAGE, MESSAGE_BUS, TOPICS, CONFIG, NAMED_LOCKS, FIRST_DECISION],
    useFactory: (
      store: EventStore, flows: FlowRepository, executions: ExecutionRepository, clock: Clock, storage: InternalStorage,
      bus: MessageBus, topics: Topics, config: ChronicleConfig, locks: NamedLockTable, firstDecision: LocalFirstDecision,
    ): UseCasePorts => {
      // A webhook's `inputs` may read `{{ envs.x }}` / `{{ globals.x }}` (CHRONICLE_ENV_VARS_PREFIX, CHRONICLE_GLOBALS).
      const installation = { envs: config.installation.envs, globals: config.installation.globals as JsonObject };
      return {
        store, flows, executions, clock, storage, bus, topics, config, locks, installation, namespaceAllow: parseNamespaceAllow(config.namespaceAllow),
        // Each start's first step is written with its creation: decided by the executor beside this
        // gateway (standalone), else by the gateway itself (distributed), the same pure decision.
        firstDecision: config.firstStepWithCreation
          ? boundOr(firstDecision, new FirstStepDecider(flows, clock, { localTasks: config.localTasks, installation }))
          : firstDecision,
      };
    },
  },
  useCase(CREATE_EXECUTION, (ports): CreateExecutionUseCase => (request) => createExecution(ports, request)),
  useCase(START_TRIGGERED_EXECUTION, (ports): StartTriggeredExecutionUseCase => (start) => startTriggeredExecution(ports, start)),
  useCase(SEND_EXECUTION_COMMAND, (ports): SendExecutionCommandUseCase => (executionId, request) => sendExecutionCommand(ports, executionId, request)),
  useCase(DEPLOY_FLOW, (ports): DeployFlowUseCase => (source, actor) => deployFlow(ports, source, actor)),
  useCase(CHANGE_FLOW_LIFECYCLE, (ports): ChangeFlowLifecycleUseCase => (namespace, flowId, action, actor) => changeFlowLifecycle(ports, namespace, flowId, action, actor)),
  useCase(BACKFILL_SCHEDULE, (ports): BackfillScheduleUseCase => (request) => backfillSchedule(ports, request)),
  useCase(FORCE_RELEASE_LOCK, (ports): ForceReleaseLockUseCase => (lock, by, mayRelease) => forceReleaseLock(ports, lock, by, mayRelease)),
  { provide: FILE_STORE, inject: [INTERNAL_STORAGE], useFactory: (storage: InternalStorage) => new FileStore(storage, MAX_UPLOAD_BYTES) },
];
