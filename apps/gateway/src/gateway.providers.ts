import { parseNamespaceAllow } from '@chronicle/domain';
import type { Provider } from '@nestjs/common';
import { platformHealthChecks, platformPortProviders, triggerStatesProvider, type Platform } from '@chronicle/composition';
import { findStalledExecutions, NamedLocks } from '@chronicle/stores';
import {
  backfillSchedule, changeFlowLifecycle, createExecution, deployFlow, FileStore, forceReleaseLock, sendExecutionCommand, startTriggeredExecution,
  type CreateExecutionDeps, type SendExecutionCommandDeps,
} from '@chronicle/use-cases';
import { MAX_UPLOAD_BYTES } from './rest/upload-limits.js';
import {
  BACKFILL_SCHEDULE, CHANGE_FLOW_LIFECYCLE, CREATE_EXECUTION, DEPLOY_FLOW, FILE_STORE, FORCE_RELEASE_LOCK,
  HEALTH_CHECKS, NAMED_LOCKS, SEND_EXECUTION_COMMAND, STALLED_EXECUTIONS, START_TRIGGERED_EXECUTION, type ForceReleaseLockUseCase,
  type BackfillScheduleUseCase, type ChangeFlowLifecycleUseCase, type CreateExecutionUseCase, type DeployFlowUseCase, type FindStalledExecutions,
  type HealthChecks, type SendExecutionCommandUseCase, type StartTriggeredExecutionUseCase,
} from './gateway.tokens.js';


/**
 * The gateway's composition: each port of the platform (built from the configuration by
 * @chronicle/composition) under its own token, and each use case bound to the ports it needs.
 */
export function gatewayProviders(platform: Platform): Provider[] {
  const createDeps: CreateExecutionDeps = { ...platform, namespaceAllow: parseNamespaceAllow(platform.config.namespaceAllow) };
  const commandDeps: SendExecutionCommandDeps = platform;
  const namedLocks = new NamedLocks(platform.pool);
  return [
    ...platformPortProviders(platform),
    triggerStatesProvider(platform),
    { provide: STALLED_EXECUTIONS, useValue: ((since, limit) => findStalledExecutions(platform.pool, since, limit)) satisfies FindStalledExecutions },
    { provide: HEALTH_CHECKS, useFactory: (): HealthChecks => platformHealthChecks(platform) },
    { provide: CREATE_EXECUTION, useValue: ((request) => createExecution(createDeps, request)) satisfies CreateExecutionUseCase },
    { provide: START_TRIGGERED_EXECUTION, useValue: ((start) => startTriggeredExecution(createDeps, start)) satisfies StartTriggeredExecutionUseCase },
    { provide: SEND_EXECUTION_COMMAND, useValue: ((executionId, request) => sendExecutionCommand(commandDeps, executionId, request)) satisfies SendExecutionCommandUseCase },
    { provide: DEPLOY_FLOW, useValue: ((source, actor) => deployFlow(platform, source, actor)) satisfies DeployFlowUseCase },
    { provide: CHANGE_FLOW_LIFECYCLE, useValue: ((namespace, flowId, action, actor) => changeFlowLifecycle(platform, namespace, flowId, action, actor)) satisfies ChangeFlowLifecycleUseCase },
    { provide: BACKFILL_SCHEDULE, useValue: ((request) => backfillSchedule(createDeps, request)) satisfies BackfillScheduleUseCase },
    { provide: NAMED_LOCKS, useValue: namedLocks },
    { provide: FORCE_RELEASE_LOCK, useValue: ((name, by, authorize) => forceReleaseLock({ ...platform, locks: namedLocks }, name, by, authorize)) satisfies ForceReleaseLockUseCase },
    { provide: FILE_STORE, useValue: new FileStore(platform.storage, MAX_UPLOAD_BYTES) },
  ];
}
