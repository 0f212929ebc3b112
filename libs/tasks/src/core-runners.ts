import { CORE_TASK_CATALOG } from '@chronicle/domain';
import type { RunnableTask } from './runnable-task.js';
import { pureRunTask } from './pure-run.task.js';
import { echoTask } from './debug/echo.task.js';
import { failTask } from './execution/fail.task.js';
import { forEachItemMergeTask, forEachItemSplitTask } from './for-each-item/for-each-item.tasks.js';
import { logTask } from './log/log.task.js';

const core = (name: string) => {
  const definition = CORE_TASK_CATALOG.find(name);
  if (definition === undefined) throw new Error(`the domain has no core task type ${name}`);
  return definition;
};

/**
 * How the worker runs the domain's own runnable types (catalog.ts refuses one without a runner or a
 * runner for no such type). The pure types' work is their definition's pure run, the one the
 * executor runs for local tasks and the domain's test driver runs: Return and OutputValues are that
 * run alone; Log, Echo and Fail also log what it gives. ForEachItem's split and merge are the
 * engine's internal tasks; their runners read and write the internal storage.
 */
export const CORE_RUNNERS: Readonly<Record<string, RunnableTask>> = {
  Log: logTask,
  Echo: echoTask,
  Fail: failTask,
  Return: pureRunTask(core('Return')),
  OutputValues: pureRunTask(core('OutputValues')),
  ForEachItemSplit: forEachItemSplitTask,
  ForEachItemMergeOutputs: forEachItemMergeTask,
};
