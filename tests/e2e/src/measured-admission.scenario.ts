import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/**
 * Admission sized from measurements (CHRONICLE_ADMISSION_TARGET_MS): a configured bound far above
 * the load, a target no engine meets (1 ms), a floor of 2. The gateway measures the queueing delay
 * of what it admitted and shrinks its bound to the floor: the excess of a burst is then refused
 * with 429 + Retry-After although the configured bound (1000) is never reached.
 */
export const MEASURED_ADMISSION_ENV = {
  CHRONICLE_MAX_IN_FLIGHT: '1000',
  CHRONICLE_ADMISSION_TARGET_MS: '1',
  CHRONICLE_MIN_IN_FLIGHT: '2',
  // The per-key webhook rate limit is another refusal (RATE_LIMITED); out of the way here.
  CHRONICLE_WEBHOOK_RATE_PER_SECOND: '100000',
};

const NS = 'measured.admission.e2e';
const FLOW = `id: quick
namespace: ${NS}
inputs:
  - { id: n, type: INT, defaults: 0 }
tasks:
  - id: greet
    type: io.kestra.plugin.core.output.OutputValues
    values:
      n: "{{ inputs.n }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: measured-key-123
`;

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  /** Kestra's execution (its `state.current`), or the error. */
  readonly body: { id?: string; state?: { current?: string }; reason?: string; code?: string };
}

export function measuredAdmissionScenario(client: () => GatewayClient): void {
  it('bursts past the measured bound are refused at once with 429 + Retry-After; every accepted call runs to its end, none is lost, and starts are admitted again when the load falls', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });
    const call = async (n: number): Promise<Answer> => {
      const res = await fetch(`${c.url}/api/v1/executions/webhook/${NS}/quick/measured-key-123?wait=true&inputs.n=${n}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
    };
    const answers: Answer[] = [];
    const failures: unknown[] = [];
    let n = 0;
    // Bursts of concurrent calls until the gateway has measured and refuses some.
    await eventually('a burst refused past the measured bound', async () => {
      const burst = await Promise.allSettled(Array.from({ length: 16 }, () => call(++n)));
      for (const result of burst) {
        if (result.status === 'fulfilled') answers.push(result.value);
        else failures.push(result.reason);
      }
      return failures.length > 0 || answers.some((a) => a.status === 429);
    }, 120_000, 100);
    // A call without an answer leaves unknown whether it started anything.
    expect(failures).toEqual([]);

    const refused = answers.filter((a) => a.status === 429);
    const accepted = answers.filter((a) => a.status === 200 || a.status === 202);
    // Nothing else: a start is either admitted or refused as overloaded.
    expect(refused.length + accepted.length).toBe(answers.length);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED' });
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(accepted.length).toBeGreaterThan(0);

    // Every accepted call's execution ends, and exactly the accepted ones exist (refusals started nothing).
    const ids = accepted.map((a) => a.body.id!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect((await untilTerminal(c, id, 60_000)).state).toBe('SUCCESS');
    await eventually('the read model holds exactly the accepted executions', async () => {
      const { executions } = await c.data(`query { executions(namespace:"${NS}", flowId:"quick", first: 500){ edges { node { id } } } }`);
      const stored = new Set((executions.edges as Array<{ node: { id: string } }>).map((e) => e.node.id));
      return stored.size === ids.length && ids.every((id) => stored.has(id));
    }, 60_000, 200);

    // The load fell: a start is admitted again.
    const again = await eventually('a start admitted once the load fell', async () => {
      const answer = await call(++n);
      return answer.status === 200 ? answer : undefined;
    }, 60_000, 200);
    expect(again.body.state?.current).toBe('SUCCESS');
  });
}
