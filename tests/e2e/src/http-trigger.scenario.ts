import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';
import { executionsOf } from './triggers.scenario.js';

/**
 * Kestra's HTTP polling trigger through the whole service (deploy, the scheduler's runner, the
 * executor, stopAfter, the triggers view), against an HTTP server on 127.0.0.1: modelled on the
 * price-alert example of Kestra's http Trigger (core/src/main/java/io/kestra/plugin/core/http/Trigger.java).
 */
export function httpTriggerScenario(client: () => GatewayClient): void {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"price": 99}');
  });
  let uri = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/products/1`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('an HTTP trigger starts one execution when its responseCondition holds, with trigger.body, then stops after SUCCESS', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: price-alert
namespace: triggers.http
tasks:
  - id: alert
    type: io.kestra.plugin.core.log.Log
    message: "The price is now: {{ json(trigger.body).price }}"
triggers:
  - id: http
    type: io.kestra.plugin.core.http.Trigger
    uri: ${uri}
    responseCondition: "{{ json(response.body).price <= 110 }}"
    interval: PT1S
    stopAfter: [SUCCESS]
` });
    const [started] = await eventually('the triggered execution', async () => {
      const list = await executionsOf(c, 'triggers.http', 'price-alert');
      return list.length > 0 && list;
    }, 20_000);
    expect(started!.trigger).toMatchObject({ id: 'http', type: 'io.kestra.plugin.core.http.Trigger', code: 200, body: '{"price": 99}', uri });
    expect((await untilTerminal(c, started!.id)).state).toBe('SUCCESS');
    // stopAfter: SUCCESS disabled it at run time; the triggers view says so, and nothing more is sent or started.
    await eventually('the trigger disabled', async () => {
      const { triggers } = await c.data(`query{ triggers { namespace flowId id kind enabled } }`);
      return triggers.find((t: any) => t.flowId === 'price-alert' && t.kind === 'Http' && t.enabled === false);
    }, 10_000);
    const sent = requests;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(requests).toBe(sent);
    expect(await executionsOf(c, 'triggers.http', 'price-alert')).toHaveLength(1);
  });
}
