import { ECHO_TASK_TYPE } from './echo.task-type.js';
import { EXECUTION_TASK_TYPES } from './execution.task-types.js';
import { FAIL_TASK_TYPE } from './fail.task-type.js';
import { FLOWABLE_TASK_TYPES } from './flow.task-types.js';
import { FOR_EACH_ITEM_TASK_TYPES } from './for-each-item.task-types.js';
import { LOG_TASK_TYPE } from './log.task-type.js';
import { OUTPUT_VALUES_TASK_TYPE } from './output-values.task-type.js';
import { RETURN_TASK_TYPE } from './return.task-type.js';
import { taskCatalogOf, type TaskCatalog } from './task-catalog.js';
import type { TaskTypeDefinition } from './task-type-definition.js';
import { WRAPPER_TASK_TYPES } from './wrapper.task-types.js';

/**
 * The engine's own task types: the flowables the decider decides (flow.task-types.ts,
 * execution.task-types.ts, ForEachItem and its internal tasks, RunWrapped) and the runnable types
 * whose whole work is a pure function (Log, OutputValues, Return, Fail, Echo: one file each). The
 * types that do I/O are modules of `libs/tasks`, which builds the full catalog with
 * `coreTaskCatalogWith`.
 */
const FLOWABLES: readonly TaskTypeDefinition[] = Object.values(FLOWABLE_TASK_TYPES);
const PURE_RUNNABLES: readonly TaskTypeDefinition[] = [LOG_TASK_TYPE, OUTPUT_VALUES_TASK_TYPE, FAIL_TASK_TYPE, RETURN_TASK_TYPE, ECHO_TASK_TYPE];
const EXECUTION_UPDATES: readonly TaskTypeDefinition[] = [...Object.values(EXECUTION_TASK_TYPES), ...Object.values(FOR_EACH_ITEM_TASK_TYPES), ...Object.values(WRAPPER_TASK_TYPES)];

/**
 * The core types with `more` (libs/tasks' I/O modules) listed after the pure runnables: the order
 * of the names an unknown type's message lists (flowables, runnables, then the execution's own).
 */
export const coreTaskCatalogWith = (more: readonly TaskTypeDefinition[]): TaskCatalog =>
  taskCatalogOf([...FLOWABLES, ...PURE_RUNNABLES, ...more, ...EXECUTION_UPDATES]);

/** The domain's own types only: what the domain's tests parse and decide with. Production code uses libs/tasks' full catalog. */
export const CORE_TASK_CATALOG: TaskCatalog = coreTaskCatalogWith([]);
