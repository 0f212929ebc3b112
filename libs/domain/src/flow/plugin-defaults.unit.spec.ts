import { describe, expect, it } from 'vitest';
import { parseFlow } from './flow.parser.js';
import { FlowValidationError } from './flow-validation.error.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

describe('pluginDefaults and taskDefaults', () => {
  it("fills a property the task does not set; the task's own value wins (flows/valids/logs.yaml's taskDefaults)", () => {
    // Kestra's core/src/test/resources/flows/valids/logs.yaml, shortened.
    const flow = parseFlow(`id: logs
namespace: io.kestra.tests
taskDefaults:
  - type: io.kestra.plugin.core.log.Log
    values:
      message: third {{flow.id}}
tasks:
- id: t1
  type: io.kestra.plugin.core.log.Log
  message: first {{task.id}}
  level: TRACE
- id: t3
  type: io.kestra.plugin.core.log.Log
  level: ERROR
`, CORE_TASK_CATALOG);
    expect(flow.tasks.map((t) => t.properties)).toEqual([
      { message: 'first {{task.id}}', level: 'TRACE' },
      { message: 'third {{flow.id}}', level: 'ERROR' },
    ]);
  });

  it('matches by full name, short name and package prefix, at any depth, errors and triggers included', () => {
    const flow = parseFlow(`id: f
namespace: n
pluginDefaults:
  - type: io.kestra.plugin.core.log
    values: { level: WARN }
  - type: Sleep
    values: { duration: PT1S }
  - type: io.kestra.plugin.core.trigger.Schedule
    values: { cron: "0 * * * *" }
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: deep, type: Log, message: deep }
      - { id: nap, type: io.kestra.plugin.core.flow.Sleep }
errors:
  - { id: alert, type: io.kestra.plugin.core.log.Log, message: failed }
triggers:
  - { id: hourly, type: io.kestra.plugin.core.trigger.Schedule }
`, CORE_TASK_CATALOG);
    const seq = flow.tasks[0]!;
    expect(seq.lists?.tasks?.map((t) => t.properties)).toEqual([{ message: 'deep', level: 'WARN' }, { duration: 'PT1S' }]);
    expect(seq.properties).toEqual({});
    expect(flow.errors?.[0]?.properties).toEqual({ message: 'failed', level: 'WARN' });
    expect(flow.triggers).toEqual([{ id: 'hourly', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '0 * * * *' }]);
  });

  it('forced defaults override the task; of two forced ones the first wins (PluginDefaultServiceTest.forced)', () => {
    const flow = parseFlow(`id: default-test
namespace: io.kestra.tests
pluginDefaults:
  - { type: io.kestra.plugin.core.log.Log, forced: true, values: { level: ERROR } }
  - { type: io.kestra.plugin.core.log.Log, forced: true, values: { level: DEBUG } }
  - { type: io.kestra.plugin.core.log.Log, values: { level: INFO, message: fallback } }
tasks:
  - { id: test, type: Log, message: mine, level: TRACE }
`, CORE_TASK_CATALOG);
    expect(flow.tasks[0]?.properties).toEqual({ message: 'mine', level: 'ERROR' });
  });

  it('defaults may carry base properties (retry, timeout, runIf); mappings merge and lists concatenate (MapUtils.merge)', () => {
    const flow = parseFlow(`id: f
namespace: n
pluginDefaults:
  - type: OutputValues
    values:
      timeout: PT30S
      retry: { type: constant, interval: PT1S, maxAttempt: 3 }
      values: { accept: application/json }
  - type: Log
    values: { message: [first] }
tasks:
  - { id: call, type: OutputValues, values: { x-id: "1" } }
  - { id: lines, type: Log, message: [second] }
`, CORE_TASK_CATALOG);
    expect(flow.tasks[0]).toMatchObject({ timeout: 'PT30S', retry: { type: 'constant', maxAttempt: 3 }, properties: { values: { accept: 'application/json', 'x-id': '1' } } });
    expect(flow.tasks[1]?.properties).toEqual({ message: ['first', 'second'] });
  });

  it('refuses a malformed default with its line', () => {
    const error = (() => {
      try {
        parseFlow('id: f\nnamespace: n\npluginDefaults:\n  - type: Log\n    value: { level: INFO }\ntasks:\n  - { id: a, type: Log, message: x }\n', CORE_TASK_CATALOG);
        return undefined;
      } catch (e) {
        return e as FlowValidationError;
      }
    })();
    expect(error?.issues.map((i) => [i.path, i.line])).toEqual([['pluginDefaults[0].value', 5], ['pluginDefaults[0].values', 4]]);
  });
});
