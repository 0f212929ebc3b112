import type { Type } from '@nestjs/common';
import { HealthController } from '../health/health.controller.js';
import { OpenApiController } from '../openapi/openapi.controller.js';
import { WebhookController } from '../webhooks/webhook.controller.js';
import { AdminEventsController } from './admin-events.controller.js';
import { BulkExecutionsController } from './bulk-executions.controller.js';
import { ExecutionControlController } from './execution-control.controller.js';
import { ExecutionRewindController } from './execution-rewind.controller.js';
import { ExecutionEventsController } from './execution-events.controller.js';
import { ExecutionSteeringController } from './execution-steering.controller.js';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionFilesController } from './execution-files.controller.js';
import { FilesController } from './files.controller.js';
import { NamespaceFilesController } from './namespace-files.controller.js';
import { KvController } from './kv.controller.js';
import { FlowsController } from './flows.controller.js';
import { LogsController } from './logs.controller.js';
import { TriggersController } from './triggers.controller.js';
import { ExecutionBreakpointsController } from './execution-breakpoints.controller.js';
import { NamedLocksController } from './named-locks.controller.js';

/**
 * Every HTTP controller, in routing order (the first match wins: the bulk routes `/executions/kill/by-ids`
 * before `/executions/{id}`, the control routes
 * `/executions/{id}/pause` before the start route `/executions/{namespace}/{flowId}`).
 * The module registers them and the OpenAPI document is generated from them.
 */
export const REST_CONTROLLERS: Type[] = [
  BulkExecutionsController, ExecutionBreakpointsController, NamedLocksController, ExecutionControlController, ExecutionRewindController, ExecutionSteeringController, ExecutionsController, ExecutionEventsController, LogsController, FlowsController, TriggersController,
  ExecutionFilesController, NamespaceFilesController, KvController, HealthController, WebhookController, FilesController, AdminEventsController, OpenApiController,
];
