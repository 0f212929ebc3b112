import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

const EXEC = `id state trigger inputs labels`;

/** Executions of one flow, oldest first (the trigger payload tells how each started). */
export async function executionsOf(client: GatewayClient, namespace: string, flowId: string): Promise<Array<{ id: string; state: string; trigger: any; inputs: any }>> {
  const { executions } = await client.data(`query($n:String,$f:String){ executions(namespace:$n, flowId:$f, first:500){ edges { node { ${EXEC} } } } }`, { n: namespace, f: flowId });
  return executions.edges.map((e: any) => e.node).reverse();
}

/** Flow triggers and schedules: the parts that need no Kafka. */
export function flowAndScheduleTriggerScenario(client: () => GatewayClient): void {
  it('a Flow trigger fires on FAILED but not on SUCCESS when so conditioned, with the upstream as `trigger`', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: upstream\nnamespace: triggers.flow\ninputs:\n  - id: fail\n    type: BOOLEAN\n    defaults: false\ntasks:\n  - id: work\n    type: Log\n    message: "{{ inputs.fail ? missing.variable : 'fine' }}"\n` });
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: on-failure\nnamespace: triggers.flow\ninputs:\n  - id: upstreamId\n    type: STRING\n    required: false\ntasks:\n  - id: report\n    type: Log\n    message: "upstream {{ trigger.executionId }} ended {{ trigger.state }}"\ntriggers:\n  - id: when-upstream-fails\n    type: io.kestra.plugin.core.trigger.Flow\n    inputs:\n      upstreamId: "{{ trigger.executionId }}"\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: triggers.flow\n        flowId: upstream\n      - type: io.kestra.plugin.core.condition.ExecutionStatusCondition\n        in: [FAILED]\n` });
    await new Promise((r) => setTimeout(r, 300)); // the scheduler indexes the new trigger from the log
    const ok = (await c.data(`mutation{ createExecution(namespace:"triggers.flow", flowId:"upstream", inputs:{fail:false}){ id } }`)).createExecution;
    expect((await untilTerminal(c, ok.id)).state).toBe('SUCCESS');
    const bad = (await c.data(`mutation{ createExecution(namespace:"triggers.flow", flowId:"upstream", inputs:{fail:true}){ id } }`)).createExecution;
    expect((await untilTerminal(c, bad.id)).state).toBe('FAILED');
    const [started] = await eventually('the downstream execution', async () => {
      const list = await executionsOf(c, 'triggers.flow', 'on-failure');
      return list.length > 0 && list;
    });
    expect(started!.trigger).toMatchObject({ id: 'when-upstream-fails', executionId: bad.id, state: 'FAILED', namespace: 'triggers.flow', flowId: 'upstream' });
    expect(started!.inputs).toEqual({ upstreamId: bad.id });
    expect((await untilTerminal(c, started!.id)).state).toBe('SUCCESS');
    await new Promise((r) => setTimeout(r, 500));
    expect(await executionsOf(c, 'triggers.flow', 'on-failure')).toHaveLength(1);
  });

  // Modelled on Kestra's MultipleConditionTriggerCaseTest.trigger (core/src/test/resources/flows/valids/
  // trigger-multiplecondition-listener.yaml): the listener fires once, after BOTH upstream flows succeeded.
  it('a MultipleCondition waits for every upstream flow within its window, then fires once', async () => {
    const c = client();
    const upstream = (id: string) => `id: ${id}\nnamespace: triggers.multiple\ntasks:\n  - id: only\n    type: io.kestra.plugin.core.debug.Return\n    format: "from ${id}"\n`;
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: upstream('flow-a') });
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: upstream('flow-b') });
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: listener\nnamespace: triggers.multiple\ntasks:\n  - id: only-listener\n    type: io.kestra.plugin.core.debug.Return\n    format: "childs"\ntriggers:\n  - id: multiple-listen-flow\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - id: multiple\n        type: io.kestra.plugin.core.condition.MultipleCondition\n        window: P1D\n        windowAdvance: P0D\n        conditions:\n          success:\n            type: io.kestra.plugin.core.condition.ExecutionStatus\n            in:\n              - SUCCESS\n          flow-a:\n            type: io.kestra.plugin.core.condition.ExecutionFlow\n            namespace: triggers.multiple\n            flowId: flow-a\n          flow-b:\n            type: io.kestra.plugin.core.condition.ExecutionFlow\n            namespace: triggers.multiple\n            flowId: flow-b\n` });
    await new Promise((r) => setTimeout(r, 300)); // the scheduler indexes the new trigger from the log
    const a = (await c.data(`mutation{ createExecution(namespace:"triggers.multiple", flowId:"flow-a"){ id } }`)).createExecution;
    expect((await untilTerminal(c, a.id)).state).toBe('SUCCESS');
    // Only one of the two has run: nothing may start (the old any-of reading started one here).
    await new Promise((r) => setTimeout(r, 1000));
    expect(await executionsOf(c, 'triggers.multiple', 'listener')).toHaveLength(0);
    const b = (await c.data(`mutation{ createExecution(namespace:"triggers.multiple", flowId:"flow-b"){ id } }`)).createExecution;
    expect((await untilTerminal(c, b.id)).state).toBe('SUCCESS');
    const [started] = await eventually('the listener execution', async () => {
      const list = await executionsOf(c, 'triggers.multiple', 'listener');
      return list.length > 0 && list;
    });
    expect(started!.trigger).toMatchObject({ executionId: b.id, namespace: 'triggers.multiple', flowId: 'flow-b' });
    expect((await untilTerminal(c, started!.id)).state).toBe('SUCCESS');
    await new Promise((r) => setTimeout(r, 500));
    expect(await executionsOf(c, 'triggers.multiple', 'listener')).toHaveLength(1);
  });

  // Modelled on trigger-flow-listener-with-pause.yaml: a Flow trigger may listen to RUNNING and PAUSED too.
  it('a Flow trigger listening to PAUSED fires when the upstream pauses, before it ends', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: with-pause\nnamespace: triggers.pause\ntasks:\n  - id: pause\n    type: io.kestra.plugin.core.flow.Pause\n` });
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: on-pause\nnamespace: triggers.pause\noutputs:\n  - id: status\n    type: STRING\n    value: "{{ trigger.state }}"\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ trigger.executionId }} is {{ trigger.state }}"\ntriggers:\n  - id: listen-flow\n    type: io.kestra.plugin.core.trigger.Flow\n    states: [PAUSED]\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlow\n        namespace: triggers.pause\n        flowId: with-pause\n` });
    await new Promise((r) => setTimeout(r, 300));
    const paused = (await c.data(`mutation{ createExecution(namespace:"triggers.pause", flowId:"with-pause"){ id } }`)).createExecution;
    const [started] = await eventually('the execution started on PAUSED', async () => {
      const list = await executionsOf(c, 'triggers.pause', 'on-pause');
      return list.length > 0 && list;
    });
    expect(started!.trigger).toMatchObject({ executionId: paused.id, state: 'PAUSED' });
    expect((await untilTerminal(c, started!.id)).state).toBe('SUCCESS');
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: paused.id });
  });

  it('a Schedule with seconds fires every tick once, with trigger.date/next/previous', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: every-second\nnamespace: triggers.schedule\ntasks:\n  - id: tick\n    type: Log\n    message: "tick {{ trigger.date }}"\ntriggers:\n  - id: each-second\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "* * * * * *"\n    withSeconds: true\n` });
    const list = await eventually('three ticks', async () => {
      const l = await executionsOf(c, 'triggers.schedule', 'every-second');
      return l.length >= 3 && l;
    }, 60_000);
    const dates = list.map((e) => e.trigger.date as string);
    expect(new Set(dates).size).toBe(dates.length);
    for (const e of list) {
      expect(Date.parse(e.trigger.date) % 1000).toBe(0);
      expect(Date.parse(e.trigger.next) - Date.parse(e.trigger.date)).toBe(1000);
      expect(Date.parse(e.trigger.date) - Date.parse(e.trigger.previous)).toBe(1000);
    }
    // Stop it so it does not fire for the rest of the suite.
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: every-second\nnamespace: triggers.schedule\ntasks:\n  - id: tick\n    type: Log\n    message: stopped\n` });
  });

  // Kestra: core/src/test/java/io/kestra/core/schedulers/SchedulerScheduleOnDatesTest.java#scheduleOnDates
  // (dates before, after and later than the trigger's creation: the two ahead start one execution each,
  // with the trigger's inputs over the flow's defaults; AbstractSchedulerTest.createFlow's inputs) and
  // ScheduleOnDates.java (its executions carry no trigger variables). The dates ahead leave the
  // scheduler 20 s to see the flow on a loaded machine.
  it('a ScheduleOnDates starts one execution at each date still ahead when deployed, with its inputs', async () => {
    const c = client();
    const at = (seconds: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000).toISOString();
    const dates = [at(-60), at(20), at(25)];
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, {
      s: `id: on-dates\nnamespace: triggers.ondates\ninputs:\n  - { id: testInputs, type: STRING, required: false, defaults: test }\n  - { id: def, type: STRING, required: false, defaults: awesome }\n`
        + `tasks:\n  - id: test\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ inputs.testInputs }} {{ inputs.def }}"\n`
        + `triggers:\n  - id: schedule\n    type: io.kestra.plugin.core.trigger.ScheduleOnDates\n    timezone: Europe/Paris\n    inputs:\n      testInputs: test-inputs\n    dates:\n${dates.map((d) => `      - "${d}"`).join('\n')}\n`,
    });
    // The trigger list reads the read model, which may lag the deploy.
    const t = await eventually('the trigger listed', async () => (await c.data(`{ triggers(namespace:"triggers.ondates"){ id kind nextFireAt } }`)).triggers[0], 60_000, 250);
    expect(t).toMatchObject({ id: 'schedule', kind: 'Schedule' });
    expect([dates[1], dates[2]].map((d) => Date.parse(d!))).toContain(Date.parse(t.nextFireAt));
    const list = await eventually('both dates ahead started and ended', async () => {
      const l = await executionsOf(c, 'triggers.ondates', 'on-dates');
      return l.length >= 2 && l.every((e) => e.state === 'SUCCESS') && l;
    }, 90_000, 250);
    expect(list).toHaveLength(2);
    for (const e of list) {
      expect(e.inputs).toEqual({ testInputs: 'test-inputs', def: 'awesome' });
      expect(e.trigger?.date).toBeUndefined();
    }
    // Every date is behind: the trigger has nothing left to fire.
    const after = await eventually('the last date recorded as fired', async () => {
      const [x] = (await c.data(`{ triggers(namespace:"triggers.ondates"){ lastFiredAt nextFireAt } }`)).triggers;
      return x.lastFiredAt && Date.parse(x.lastFiredAt) === Date.parse(dates[2]!) && x;
    });
    expect(after.nextFireAt).toBeNull();
    // Kestra's ScheduleOnDates.evaluate reads no backfill: only a cron Schedule has one.
    const refused = await c.graphql(`mutation{ backfillTrigger(namespace:"triggers.ondates", flowId:"on-dates", triggerId:"schedule", from:"2026-01-01T00:00:00Z", to:"2026-01-02T00:00:00Z"){ started } }`);
    expect(refused.errors?.[0]?.message).toMatch(/schedule is a ScheduleOnDates trigger, which has no backfill/);
  });

  it('lists triggers with next and last fire, disables and enables them, and backfills a past range once', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: hourly\nnamespace: triggers.api\ntasks:\n  - id: tick\n    type: Log\n    message: "slot {{ trigger.date }}"\ntriggers:\n  - id: every-hour\n    type: Schedule\n    cron: "0 * * * *"\n    timezone: Europe/Paris\n` });
    const list = async () => (await c.data(`{ triggers(namespace:"triggers.api"){ id kind enabled nextFireAt lastFiredAt cron timezone } }`)).triggers;
    const [t] = await eventually('the trigger in the read model', async () => {
      const l = await list();
      return l.length > 0 && l;
    });
    expect(t).toMatchObject({ id: 'every-hour', kind: 'Schedule', enabled: true, cron: '0 * * * *', timezone: 'Europe/Paris' });
    expect(new Date(t.nextFireAt).getUTCMinutes()).toBe(0);
    expect(Date.parse(t.nextFireAt)).toBeGreaterThan(Date.now());

    const off = await c.data(`mutation{ disableTrigger(namespace:"triggers.api", flowId:"hourly", triggerId:"every-hour"){ enabled nextFireAt } }`);
    expect(off.disableTrigger).toEqual({ enabled: false, nextFireAt: null });
    const on = await c.data(`mutation{ enableTrigger(namespace:"triggers.api", flowId:"hourly", triggerId:"every-hour"){ enabled } }`);
    expect(on.enableTrigger.enabled).toBe(true);

    const range = { from: '2026-01-01T00:30:00Z', to: '2026-01-01T03:00:00Z' };
    const first = (await c.data(`mutation($f:DateTime!,$t:DateTime!){ backfillTrigger(namespace:"triggers.api", flowId:"hourly", triggerId:"every-hour", from:$f, to:$t){ started skipped } }`, { f: range.from, t: range.to })).backfillTrigger;
    expect(first.started).toHaveLength(3); // 01:00, 02:00, 03:00 UTC
    for (const id of first.started) expect((await untilTerminal(c, id)).state).toBe('SUCCESS');
    // Lists read the read model, which may lag the log (reads by id do not): wait for all three.
    const runs = await eventually('the three backfilled runs in the list', async () => {
      const list = await executionsOf(c, 'triggers.api', 'hourly');
      return list.length >= 3 && list;
    });
    expect(runs.map((r) => r.trigger.date).sort()).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z']);
    expect(runs.every((r) => r.trigger.backfill === true)).toBe(true);

    const again = (await c.data(`mutation($f:DateTime!,$t:DateTime!){ backfillTrigger(namespace:"triggers.api", flowId:"hourly", triggerId:"every-hour", from:$f, to:$t){ started skipped } }`, { f: range.from, t: range.to })).backfillTrigger;
    expect(again).toEqual({ started: [], skipped: expect.arrayContaining(first.started) });
    const rerun = (await c.data(`mutation($f:DateTime!,$t:DateTime!){ backfillTrigger(namespace:"triggers.api", flowId:"hourly", triggerId:"every-hour", from:$f, to:$t, rerunSucceeded:true){ started skipped } }`, { f: range.from, t: range.to })).backfillTrigger;
    expect(rerun.started).toHaveLength(3);
    expect(rerun.started.some((id: string) => first.started.includes(id))).toBe(false);

    const missing = await c.graphql(`mutation{ disableTrigger(namespace:"triggers.api", flowId:"hourly", triggerId:"nope"){ enabled } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
}
