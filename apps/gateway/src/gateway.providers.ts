import type { Provider } from '@nestjs/common';
import { platformHealthChecks, type Platform } from '@chronicle/composition';
import { findStalledExecutions, TriggerStateStore } from '@chronicle/stores';
import {
  backfillSchedule, changeFlowLifecycle, createExecution, deployFlow, FileStore, sendExecutionCommand, startTriggeredExecution,
  type CreateExecutionDeps, type SendExecutionCommandDeps,
} from '@chronicle/use-cases';
import { MAX_UPLOAD_BYTES } from './rest/upload-limits.js';
import {
  BACKFILL_SCHEDULE, CHANGE_FLOW_LIFECYCLE, CLOCK, CONFIG, CREATE_EXECUTION, DEPLOY_FLOW, EVENT_STORE, EXECUTIONS, FILE_STORE, FLOWS,
  HEALTH_CHECKS, INTERNAL_STORAGE, SEND_EXECUTION_COMMAND, STALLED_EXECUTIONS, START_TRIGGERED_EXECUTION, TRIGGER_STATES,
  type BackfillScheduleUseCase, type ChangeFlowLifecycleUseCase, type CreateExecutionUseCase, type DeployFlowUseCase, type FindStalledExecutions,
  type HealthChecks, type SendExecutionCommandUseCase, type StartTriggeredExecutionUseCase,
} from './gateway.tokens.js';


/**
 * The gateway's composition: each port of the platform (built from the configuration by
 * @chronicle/composition) under its own token, and each use case bound to the ports it needs.
 */
export function gatewayProviders(platform: Platform): Provider[] {
  const createDeps: CreateExecutionDeps = platform;
  const commandDeps: SendExecutionCommandDeps = platform;
  return [
    { provide: EVENT_STORE, useValue: platform.store },
    { provide: FLOWS, useValue: platform.flows },
    { provide: EXECUTIONS, useValue: platform.executions },
    { provide: INTERNAL_STORAGE, useValue: platform.storage },
    { provide: CLOCK, useValue: platform.clock },
    { provide: CONFIG, useValue: platform.config },
    {
      provide: TRIGGER_STATES,
      useFactory: async () => {
        const states = new TriggerStateStore(platform.pool);
        await states.ensureSchema();
        return states;
      },
    },
    { provide: STALLED_EXECUTIONS, useValue: ((since, limit) => findStalledExecutions(platform.pool, since, limit)) satisfies FindStalledExecutions },
    { provide: HEALTH_CHECKS, useFactory: (): HealthChecks => platformHealthChecks(platform) },
    { provide: CREATE_EXECUTION, useValue: ((request) => createExecution(createDeps, request)) satisfies CreateExecutionUseCase },
    { provide: START_TRIGGERED_EXECUTION, useValue: ((start) => startTriggeredExecution(createDeps, start)) satisfies StartTriggeredExecutionUseCase },
    { provide: SEND_EXECUTION_COMMAND, useValue: ((executionId, request) => sendExecutionCommand(commandDeps, executionId, request)) satisfies SendExecutionCommandUseCase },
    { provide: DEPLOY_FLOW, useValue: ((source, actor) => deployFlow(platform, source, actor)) satisfies DeployFlowUseCase },
    { provide: CHANGE_FLOW_LIFECYCLE, useValue: ((namespace, flowId, action, actor) => changeFlowLifecycle(platform, namespace, flowId, action, actor)) satisfies ChangeFlowLifecycleUseCase },
    { provide: BACKFILL_SCHEDULE, useValue: ((request) => backfillSchedule(createDeps, request)) satisfies BackfillScheduleUseCase },
    { provide: FILE_STORE, useValue: new FileStore(platform.storage, MAX_UPLOAD_BYTES) },
  ];
}
