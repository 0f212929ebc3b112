import { TASK_TYPES } from '@chronicle/domain';
import type { RunnableTask } from './runnable-task.js';
import { pureRunTask } from './pure-run.task.js';
import { IO_RUNNABLE_TASKS } from './io-runners.js';
import { templatedTask } from './templating/templated.task.js';
import { echoTask } from './debug/echo.task.js';
import { failTask } from './execution/fail.task.js';
import { forEachItemMergeTask, forEachItemSplitTask } from './for-each-item/for-each-item.tasks.js';
import { logTask } from './log/log.task.js';
import { requestTask } from './http/request.task.js';
import { scriptTask } from './script/script.task.js';

/** The runners, by canonical short type name; registry.ts joins them with the domain's definitions (and refuses a mismatch). */
export const RUNNABLE_TASKS: Readonly<Record<string, RunnableTask>> = {
  ...IO_RUNNABLE_TASKS,
  // Runs the task its spec describes, looked up in this registry when it runs.
  'templating.TemplatedTask': templatedTask((type) => RUNNABLE_TASKS[type]),
  Log: logTask,
  Echo: echoTask,
  // Their whole work is their definition's pure run, the one the executor runs for local tasks.
  Return: pureRunTask(TASK_TYPES.Return),
  OutputValues: pureRunTask(TASK_TYPES.OutputValues),
  Fail: failTask,
  Request: requestTask,
  Script: scriptTask,
  ForEachItemSplit: forEachItemSplitTask,
  ForEachItemMergeOutputs: forEachItemMergeTask,
};
