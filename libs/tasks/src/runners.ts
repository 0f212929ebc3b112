import type { RunnableTask } from './runnable-task.js';
import { IO_RUNNABLE_TASKS } from './io-runners.js';
import { templatedTask } from './templating/templated.task.js';
import { echoTask } from './debug/echo.task.js';
import { failTask } from './execution/fail.task.js';
import { forEachItemMergeTask, forEachItemSplitTask } from './for-each-item/for-each-item.tasks.js';
import { logTask } from './log/log.task.js';
import { outputValuesTask } from './output/output-values.task.js';
import { requestTask } from './http/request.task.js';
import { returnTask } from './debug/return.task.js';
import { scriptTask } from './script/script.task.js';

/** The runners, by canonical short type name; registry.ts joins them with the domain's definitions (and refuses a mismatch). */
export const RUNNABLE_TASKS: Readonly<Record<string, RunnableTask>> = {
  ...IO_RUNNABLE_TASKS,
  // Runs the task its spec describes, looked up in this registry when it runs.
  'templating.TemplatedTask': templatedTask((type) => RUNNABLE_TASKS[type]),
  Log: logTask,
  Echo: echoTask,
  Return: returnTask,
  OutputValues: outputValuesTask,
  Fail: failTask,
  Request: requestTask,
  Script: scriptTask,
  ForEachItemSplit: forEachItemSplitTask,
  ForEachItemMergeOutputs: forEachItemMergeTask,
};
