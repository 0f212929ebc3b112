import { isTruthy, type JsonValue } from '@chronicle/domain';
import { renderAtRunTime } from '../deferred-properties.js';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import type { TaskModule } from '../task-module.js';
import { ioDefinition, optional, required, string, stringList } from '../io-property-checks.js';

/**
 * Kestra's `Assert` (io.kestra.plugin.core.execution.Assert, Kestra >= 0.22): renders each of its
 * `conditions` with the variables of the dispatch (they reach the worker unrendered) and decides
 * each on the rendered text as every condition (TruthUtils: `false`, `0`, `-0` and empty are false).
 * Each falsy or unrenderable one logs an ERROR line naming it; the `success` and `failed` counters
 * are recorded; any failure fails the task with `<n> assertion(s) failed!` and the `errorMessage`.
 */
/** A rendered value as the text a condition is decided on: JSON for structures. */
const textOf = (value: JsonValue): string =>
  typeof value === 'string' ? value : value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

export const assertTask: RunnableTask = async (context) => {
  const { job } = context;
  const conditions = Array.isArray(job.properties.conditions) ? job.properties.conditions : [];
  let success = 0;
  let failed = 0;
  for (const condition of conditions) {
    const written = textOf(condition);
    try {
      const rendered = await renderAtRunTime(job, context.services, condition);
      if (isTruthy(textOf(rendered))) success++;
      else {
        failed++;
        context.log('ERROR', `Assertion \`${written}\` failed!`);
      }
    } catch (error) {
      failed++;
      context.log('ERROR', `Assertion \`${written}\` failed, failed to render \`${(error as Error).message}\``);
    }
  }
  context.metric({ name: 'success', type: 'counter', value: success });
  context.metric({ name: 'failed', type: 'counter', value: failed });
  if (failed > 0) {
    const extra = typeof job.properties.errorMessage === 'string' && job.properties.errorMessage !== '' ? `\n${job.properties.errorMessage}` : '';
    throw new TaskFailure(`${failed} assertion${failed > 1 ? 's' : ''} failed!${extra}`);
  }
  return {};
};

/** The worker renders each condition with the dispatch's variables: they reach it unrendered. */
export const EXECUTION_ASSERT: TaskModule = {
  definition: ioDefinition('execution.Assert', 'io.kestra.plugin.core.execution.Assert', {
    conditions: required('conditions', stringList), errorMessage: optional(string),
  }, { io: { rawProperties: ['conditions'], renderContext: true } }),
  run: assertTask,
};
