import { describe, expect, it } from 'vitest';
import { CoalescingSender, type TopicMessages } from './coalescing-sender.js';

const msg = (key: string, value = '"v"') => ({ key, value });

/** A request function that records what it was given and settles when told to. */
function recordingRequests() {
  const requests: TopicMessages[][] = [];
  const gates: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  const send = (batch: readonly TopicMessages[]) => {
    requests.push(batch.map((t) => ({ topic: t.topic, messages: [...t.messages] })));
    return new Promise<void>((resolve, reject) => gates.push({ resolve, reject }));
  };
  const settle = async (outcome: 'ok' | Error = 'ok') => {
    const gate = gates.shift()!;
    if (outcome === 'ok') gate.resolve();
    else gate.reject(outcome);
    await new Promise((r) => setImmediate(r));
  };
  return { requests, send, settle };
}

describe('CoalescingSender', () => {
  it('sends publishes of the same tick as one request, grouped by topic in queue order', async () => {
    const r = recordingRequests();
    const sender = new CoalescingSender(r.send);
    const done = Promise.all([sender.publish('a', [msg('1')]), sender.publish('b', [msg('2')]), sender.publish('a', [msg('3'), msg('4')])]);
    await new Promise((res) => setImmediate(res));
    expect(r.requests).toEqual([[{ topic: 'a', messages: [msg('1'), msg('3'), msg('4')] }, { topic: 'b', messages: [msg('2')] }]]);
    await r.settle();
    await done;
  });

  it('sends at once when idle, and gathers what arrives during a request into the next one', async () => {
    const r = recordingRequests();
    const sender = new CoalescingSender(r.send);
    const first = sender.publish('a', [msg('1')]);
    await new Promise((res) => setImmediate(res));
    expect(r.requests).toHaveLength(1);
    const later = [sender.publish('a', [msg('2')]), sender.publish('a', [msg('3')])];
    await new Promise((res) => setImmediate(res));
    expect(r.requests).toHaveLength(1); // one request in flight at a time
    await r.settle();
    await first;
    expect(r.requests[1]).toEqual([{ topic: 'a', messages: [msg('2'), msg('3')] }]);
    await r.settle();
    await Promise.all(later);
    expect(sender.pending).toBe(0);
  });

  it('splits a backlog at the request size limit, never splitting one publish', async () => {
    const r = recordingRequests();
    const sender = new CoalescingSender(r.send, 100);
    const big = 'x'.repeat(60);
    const all = Promise.all([sender.publish('a', [msg('1', big)]), sender.publish('a', [msg('2', big)]), sender.publish('a', [msg('3', big), msg('4', big)])]);
    await new Promise((res) => setImmediate(res));
    await r.settle();
    await r.settle();
    await r.settle();
    await all;
    expect(r.requests.map((req) => req[0]!.messages.map((m) => m.key))).toEqual([['1'], ['2'], ['3', '4']]);
  });

  it('retries a failed shared request publish by publish, so one bad topic fails only its own publish', async () => {
    const sent: string[][] = [];
    const sender = new CoalescingSender(async (batch) => {
      sent.push(batch.map((t) => t.topic));
      if (batch.some((t) => t.topic === 'missing')) throw new Error('unknown topic');
    });
    const results = await Promise.allSettled([sender.publish('a', [msg('1')]), sender.publish('missing', [msg('2')]), sender.publish('b', [msg('3')])]);
    expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sent).toEqual([['a', 'missing', 'b'], ['a'], ['missing'], ['b']]);
  });

  it('keeps working after a failure', async () => {
    let fail = true;
    const sender = new CoalescingSender(async () => {
      if (fail) throw new Error('broker down');
    });
    await expect(sender.publish('a', [msg('1')])).rejects.toThrow('broker down');
    fail = false;
    await expect(sender.publish('a', [msg('2')])).resolves.toBeUndefined();
  });
});
