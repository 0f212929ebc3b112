import { expect, it } from 'vitest';
import { eventually, type GatewayClient } from '@chronicle/testing';
import { deploy, ended, NS, start } from './engine.scenario.js';

/**
 * The base properties of Kestra's tasks and flows that go through the bus and the durable timers,
 * the same in every mode: `runIf` (SKIPPED), a task `timeout` on a Sleep, a flow `sla`
 * MAX_DURATION, and a task retry with `behavior: CREATE_NEW_EXECUTION` (a chain of executions).
 */
export function flowPropertiesScenario(client: () => GatewayClient): void {
  it("runIf: a task whose condition is false ends SKIPPED, one that cannot render fails (Kestra's flows/valids/task-runif.yml)", async () => {
    const c = client();
    await deploy(c, `id: task-runif
namespace: ${NS}
tasks:
  - id: output
    type: io.kestra.plugin.core.output.OutputValues
    values:
      taskrun_data: 1
  - id: executed
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.output['values']['taskrun_data'] == 1 }}"
    message: success
  - id: notexecuted
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.output['values']['taskrun_data'] == 2 }}"
    message: should not be printed
  - id: willfailedtheflow
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.notexists == 2 }}"
    message: should failed
`);
    const done = await ended(c, await start(c, 'task-runif'));
    expect(done.state).toBe('FAILED');
    expect(done.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['output:SUCCESS', 'executed:SUCCESS', 'notexecuted:SKIPPED', 'willfailedtheflow:FAILED']);
  });

  it('a PT1S timeout on a 100 s Sleep ends it FAILED (kestra.io/docs/workflow-components/timeout)', async () => {
    const c = client();
    await deploy(c, `id: sleep-timeout\nnamespace: ${NS}\ntasks:\n  - { id: sleep, type: io.kestra.plugin.core.flow.Sleep, duration: PT100S, timeout: PT1S }\n`);
    const done = await ended(c, await start(c, 'sleep-timeout'), 60_000);
    expect(done.state).toBe('FAILED');
    expect(done.taskRuns[0]).toMatchObject({ taskId: 'sleep', state: 'FAILED', error: 'Timeout after 00:00:01.000: task sleep ran longer than its timeout PT1S' });
  });

  it("sla MAX_DURATION with FAIL fails an execution still running (Kestra's flows/valids/sla-max-duration-fail.yaml)", async () => {
    const c = client();
    await deploy(c, `id: sla-max-duration-fail
namespace: ${NS}
sla:
  - id: maxDuration
    type: MAX_DURATION
    behavior: FAIL
    duration: PT0.5S
tasks:
  - id: sleep
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
`);
    const done = await ended(c, await start(c, 'sla-max-duration-fail'), 60_000);
    expect(done.state).toBe('FAILED');
    expect(done.error).toMatch(/SLA 'maxDuration' violated/);
  });

  it("sla EXECUTION_ASSERTION: CANCEL when false; NONE adds its labels (Kestra's flows/valids/sla-execution-condition.yaml)", async () => {
    const c = client();
    await deploy(c, `id: sla-execution-condition
namespace: ${NS}
inputs:
  - id: string
    type: SELECT
    values: [PASS, CANCEL, LABEL]
    defaults: PASS
sla:
  - id: condition
    type: EXECUTION_ASSERTION
    behavior: CANCEL
    assert: "{{inputs.string != 'CANCEL'}}"
  - id: condition
    type: EXECUTION_ASSERTION
    behavior: NONE
    assert: "{{inputs.string != 'LABEL'}}"
    labels:
      sla: violated
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "true"
`);
    expect((await ended(c, await start(c, 'sla-execution-condition', { string: 'CANCEL' }))).state).toBe('CANCELLED');
    const labelled = await start(c, 'sla-execution-condition', { string: 'LABEL' });
    expect((await ended(c, labelled)).state).toBe('SUCCESS');
    const { execution } = await c.data('query($id:ID!){ execution(id:$id){ labels } }', { id: labelled });
    expect(execution.labels).toMatchObject({ sla: 'violated' });
  });

  it("task retry CREATE_NEW_EXECUTION: RETRIED, RETRIED, FAILED (Kestra's flows/valids/retry-new-execution-task-attempts.yml)", async () => {
    const c = client();
    await deploy(c, `id: retry-new-execution-task-attempts
namespace: ${NS}
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    retry:
      behavior: CREATE_NEW_EXECUTION
      type: constant
      maxAttempt: 3
      interval: PT1S
`);
    const first = await start(c, 'retry-new-execution-task-attempts');
    const chain = await eventually('three executions, the last one FAILED', async () => {
      const page = await c.data(`query($o:ID){ executions(namespace:"${NS}", originalId:$o, first: 10){ edges { node { id state } } } }`, { o: first });
      const nodes = (page.executions.edges as Array<{ node: { id: string; state: string } }>).map((e) => e.node);
      return nodes.length === 3 && nodes.every((n) => ['RETRIED', 'FAILED'].includes(n.state)) ? nodes : undefined;
    }, 60_000);
    expect(chain.map((n) => n.state).sort()).toEqual(['FAILED', 'RETRIED', 'RETRIED']);
  });

  // Kestra's Task.java: `logLevel` ("the task's log lines below it are not sent"), `description`
  // (documentation, no effect). The flow's last task is logged after the others, so once its line is
  // in the log store, a line of the first task would be too.
  it('task logLevel drops the lines below it; description changes nothing', async () => {
    const c = client();
    await deploy(c, `id: task-log-level
namespace: ${NS}
description: A flow whose tasks log below and above their logLevel
tasks:
  - id: quiet
    type: io.kestra.plugin.core.log.Log
    description: logs at INFO under a WARN logLevel
    logLevel: WARN
    level: INFO
    message: dropped-line
  - id: loud
    type: io.kestra.plugin.core.log.Log
    logLevel: WARN
    level: ERROR
    message: kept-line
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: last-line
`);
    const id = await start(c, 'task-log-level');
    const done = await ended(c, id);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['quiet:SUCCESS', 'loud:SUCCESS', 'last:SUCCESS']);
    const lines = await eventually('the last task\'s line in the log store', async () => {
      const { logs } = await c.data('query($id:ID!){ logs(executionId:$id){ taskId level message } }', { id });
      return (logs as Array<{ taskId: string; level: string; message: string }>).some((l) => l.message === 'last-line') && logs;
    }, 60_000, 250);
    expect(lines).toContainEqual({ taskId: 'loud', level: 'ERROR', message: 'kept-line' });
    expect(lines.filter((l: { message: string }) => l.message === 'dropped-line')).toEqual([]);
  });

  // Kestra's docs (kestra.io/docs/workflow-components/afterexecution): tasks run once the execution's
  // outcome is known, reading it as execution.state; they leave the outcome as it was.
  it('afterExecution runs once the outcome is known, reads execution.state, and leaves the outcome FAILED', async () => {
    const c = client();
    await deploy(c, `id: after-execution
namespace: ${NS}
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
afterExecution:
  - id: onSuccess
    runIf: "{{ execution.state == 'SUCCESS' }}"
    type: io.kestra.plugin.core.debug.Return
    format: succeeded
  - id: onFailure
    runIf: "{{ execution.state == 'FAILED' }}"
    type: io.kestra.plugin.core.debug.Return
    format: "ended {{ execution.state }}"
`);
    const done = await ended(c, await start(c, 'after-execution'), 60_000);
    expect(done.state).toBe('FAILED');
    expect(done.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['fail:FAILED', 'onSuccess:SKIPPED', 'onFailure:SUCCESS']);
    expect(done.taskRuns.find((t) => t.taskId === 'onFailure')?.outputs).toEqual({ value: 'ended FAILED' });
  });

  // Kestra's Flow.labels: a map or a list of { key, value } (Label.java); both become the execution's labels.
  it('flow labels as a map and as a list of { key, value } both label the execution', async () => {
    const c = client();
    await deploy(c, `id: labels-map\nnamespace: ${NS}\nlabels:\n  team: data\n  tier: 1\ntasks:\n  - { id: t, type: io.kestra.plugin.core.debug.Return, format: "{{ labels.team }}-{{ labels.tier }}" }\n`);
    await deploy(c, `id: labels-list\nnamespace: ${NS}\nlabels:\n  - key: team\n    value: ops\n  - key: tier\n    value: "2"\ntasks:\n  - { id: t, type: io.kestra.plugin.core.debug.Return, format: "{{ labels.team }}-{{ labels.tier }}" }\n`);
    for (const [flowId, team, tier] of [['labels-map', 'data', '1'], ['labels-list', 'ops', '2']] as const) {
      const id = await start(c, flowId);
      const done = await ended(c, id);
      expect(done.state).toBe('SUCCESS');
      expect(done.taskRuns[0]?.outputs).toEqual({ value: `${team}-${tier}` });
      const { execution } = await c.data('query($id:ID!){ execution(id:$id){ labels } }', { id });
      expect(execution.labels).toMatchObject({ team, tier });
    }
  });

  // Kestra's Flow.pluginDefaults (PluginDefault.java: type, values, forced) and the older taskDefaults
  // (kestra.io/docs/workflow-components/plugin-defaults): a default fills a property the task leaves out;
  // a forced one wins over the task's own value.
  it('pluginDefaults fill what a task leaves out, forced ones win; taskDefaults do the same', async () => {
    const c = client();
    const logsOf = async (id: string, last: string) => eventually('the last task\'s line in the log store', async () => {
      const { logs } = await c.data('query($id:ID!){ logs(executionId:$id){ taskId level message } }', { id });
      return (logs as Array<{ taskId: string; level: string; message: string }>).some((l) => l.taskId === last) && logs;
    }, 60_000, 250);
    await deploy(c, `id: plugin-defaults
namespace: ${NS}
pluginDefaults:
  - type: io.kestra.plugin.core.log.Log
    values:
      level: WARN
  - type: io.kestra.plugin.core.debug
    forced: true
    values:
      format: forced
tasks:
  - { id: defaulted, type: io.kestra.plugin.core.log.Log, message: defaulted }
  - { id: own, type: io.kestra.plugin.core.log.Log, level: ERROR, message: own }
  - { id: echo, type: io.kestra.plugin.core.debug.Return, format: mine }
`);
    const id = await start(c, 'plugin-defaults');
    const done = await ended(c, id);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.find((t) => t.taskId === 'echo')?.outputs).toEqual({ value: 'forced' });
    const lines = await logsOf(id, 'own');
    expect(lines).toContainEqual({ taskId: 'defaulted', level: 'WARN', message: 'defaulted' });
    expect(lines).toContainEqual({ taskId: 'own', level: 'ERROR', message: 'own' });

    await deploy(c, `id: task-defaults\nnamespace: ${NS}\ntaskDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: ERROR\ntasks:\n  - { id: old, type: io.kestra.plugin.core.log.Log, message: old-style }\n`);
    const old = await start(c, 'task-defaults');
    expect((await ended(c, old)).state).toBe('SUCCESS');
    expect(await logsOf(old, 'old')).toContainEqual({ taskId: 'old', level: 'ERROR', message: 'old-style' });
  });

  // Kestra's Flow.variables (read as `vars`, not rendered again: Kestra 0.21's variables are raw unless
  // render() is called; kestra.io/docs/workflow-components/variables).
  it('variables are read raw as vars; render() renders the expression they hold', async () => {
    const c = client();
    await deploy(c, `id: flow-variables
namespace: ${NS}
variables:
  name: World
  greeting: "Hello {{ vars.name }}"
tasks:
  - { id: raw, type: io.kestra.plugin.core.debug.Return, format: "{{ vars.greeting }}" }
  - { id: rendered, type: io.kestra.plugin.core.debug.Return, format: "{{ render(vars.greeting) }}" }
`);
    const done = await ended(c, await start(c, 'flow-variables'));
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.map((t) => t.outputs)).toEqual([{ value: 'Hello {{ vars.name }}' }, { value: 'Hello World' }]);
  });

  // Kestra's SLA.java behaviours on MAX_DURATION: CANCEL ends the execution CANCELLED; NONE only adds its labels.
  it('sla MAX_DURATION with CANCEL cancels a late execution; with NONE it adds its labels and the execution goes on', async () => {
    const c = client();
    const flow = (id: string, behavior: string) => `id: ${id}
namespace: ${NS}
sla:
  - id: maxDuration
    type: MAX_DURATION
    behavior: ${behavior}
    duration: PT0.5S
    labels:
      sla: late
tasks:
  - { id: sleep, type: io.kestra.plugin.core.flow.Sleep, duration: PT2S }
`;
    await deploy(c, flow('sla-cancel', 'CANCEL'));
    await deploy(c, flow('sla-none', 'NONE'));
    expect((await ended(c, await start(c, 'sla-cancel'), 60_000)).state).toBe('CANCELLED');
    const none = await start(c, 'sla-none');
    expect((await ended(c, none, 60_000)).state).toBe('SUCCESS');
    const labelled = await eventually('the SLA labels on the execution', async () => {
      const { execution } = await c.data('query($id:ID!){ execution(id:$id){ labels } }', { id: none });
      return execution.labels?.sla === 'late' && execution.labels;
    }, 30_000, 250);
    expect(labelled).toMatchObject({ sla: 'late' });
  });
}
