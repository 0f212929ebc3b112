import { expect, it } from 'vitest';
import { createDeadLetterStore } from '@chronicle/composition';
import { eventually, GatewayClient } from '@chronicle/testing';
import { PRINCIPALS } from './security-principals.js';
import type { SecuritySuite } from './security-suite.js';

const SECRET = 'dlq-S3CRET-value-0123456789';

/**
 * Dead letters keep the message that failed, and with it whatever it carried: a trigger event's
 * SECRET input is in its value. Who may read dead letters (an unrestricted OPERATOR or ADMIN)
 * sees the mask there, as in every other answer; the topic keeps the value for a redrive.
 */
export function deadLettersScenario(suite: () => SecuritySuite): void {
  it('masks SECRET input values in dead letters (listing, one letter, its reason), for every reader', async () => {
    const { chronicle, admin, counted } = suite();
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: dlq-secret\nnamespace: teamA\ninputs:\n  - id: password\n    type: SECRET\n  - id: count\n    type: INT\ntasks:\n  - id: a\n    type: Log\n    message: "{{ inputs.count }}"\n`,
    });
    // A trigger event the flow refuses (count is no INT): it goes to the dead-letter topic as it was.
    const topic = chronicle.platform.topics.triggers;
    await chronicle.platform.bus.publish(topic, [{ key: 'dlq-secret', value: { namespace: 'teamA', flowId: 'dlq-secret', inputs: { password: SECRET, count: `not a number ${SECRET}` }, idempotencyKey: `dlq-${Date.now()}` } }]);
    const list = `query($t: String!) { deadLetters(topic: $t, first: 500) { key value json headers reason offset partition } }`;
    const letters = await eventually('the refused trigger event in its dead-letter topic', async () => {
      const found = (await admin.data(list, { t: topic })).deadLetters as Array<{ value: string; offset: string; partition: number }>;
      const ours = found.filter((l) => l.value?.includes('dlq-secret'));
      return ours.length > 0 ? ours : undefined;
    }, 60_000);
    const { offset, partition } = letters[0]!;
    for (const principal of PRINCIPALS.filter((p) => (p.role === 'OPERATOR' || p.role === 'ADMIN') && !p.namespaces)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      const answers = [
        JSON.stringify(await c.data(list, { t: topic })),
        JSON.stringify(await c.data(`query($t: String!, $o: String!, $p: Int) { deadLetter(topic: $t, offset: $o, partition: $p) { key value json headers reason } }`, { t: topic, o: offset, p: partition })),
      ];
      for (const answer of answers) {
        expect(answer, `dead letters as ${principal.name}`).not.toContain(SECRET);
        expect(answer).toContain('dlq-secret');
        counted('abuse: SECRET masking');
      }
    }
    const one = (await admin.data(`query($t: String!, $o: String!, $p: Int) { deadLetter(topic: $t, offset: $o, partition: $p) { json } }`, { t: topic, o: offset, p: partition })).deadLetter;
    expect(one.json.inputs.password).toBe('******');
    // The stored message is untouched: a redrive sends what was sent.
    const store = createDeadLetterStore(chronicle.platform);
    try {
      expect((await store.get({ topic, partition, offset }))?.value).toContain(SECRET);
    } finally {
      await store.close();
    }
  });
}
