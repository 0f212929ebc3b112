import { ExecutionEntity } from './execution.entity.js';
import { FlowRevisionEntity } from './flow-revision.entity.js';
import { FlowEntity } from './flow.entity.js';
import { LogEntity } from './log.entity.js';
import { ProjectionCheckpointEntity } from './projection-checkpoint.entity.js';
import { ProjectionErrorEntity } from './projection-error.entity.js';
import { TaskRunEntity } from './task-run.entity.js';

export {
  ExecutionEntity, FlowEntity, FlowRevisionEntity, LogEntity, ProjectionCheckpointEntity, ProjectionErrorEntity, TaskRunEntity,
};

export const READ_MODEL_ENTITIES = [
  FlowEntity, FlowRevisionEntity, ExecutionEntity, TaskRunEntity, LogEntity, ProjectionCheckpointEntity, ProjectionErrorEntity,
];
