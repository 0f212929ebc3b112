import { expect, it } from 'vitest';
import type { GatewayClient } from '@chronicle/testing';

/** Publishes raw values on one of Chronicle's topics (the in-process bus, or Kafka). */
export type RawPublish = (topic: string, messages: ReadonlyArray<{ key: string; value: unknown }>) => Promise<void>;

interface Letter { key: string; reason: string; sourceTopic: string }

async function deadLetters(client: GatewayClient, topic: string): Promise<Letter[]> {
  const data = await client.data<{ deadLetters: Letter[] }>('query($topic: String!) { deadLetters(topic: $topic, first: 500) { key reason sourceTopic } }', { topic: `${topic}.dlq` });
  return data.deadLetters;
}

async function letterOf(client: GatewayClient, topic: string, key: string): Promise<Letter> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await deadLetters(client, topic)).find((l) => l.key === key);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no dead letter with key ${key} on ${topic}.dlq`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The bus contracts (libs/contracts) at work in a running Chronicle: a message of a
 * schemaVersion this build does not read, or that does not fit its topic's schema, lands on
 * `<topic>.dlq` with a reason naming the version or the field; a message without any
 * schemaVersion (written by an older build) is read as version 1 and handled.
 */
export function contractDeadLettersScenario(client: () => GatewayClient, publish: () => RawPublish, topics: () => { commands: string; timers: string }) {
  it('dead-letters bus messages of an unknown schemaVersion or a wrong shape with the reason, and reads unversioned ones as version 1', async () => {
    const run = `${Date.now().toString(36)}`;
    const now = new Date().toISOString();
    const { commands, timers } = topics();
    await publish()(commands, [
      { key: `future-${run}`, value: { type: 'KillExecution', executionId: `future-${run}`, now, schemaVersion: 99 } },
      { key: `nameless-${run}`, value: { type: 'KillExecution', executionId: '', now } },
      // An older build's message: no schemaVersion. It parses; the aggregate then refuses it (no such execution).
      { key: `old-${run}`, value: { type: 'KillExecution', executionId: `old-${run}`, now } },
    ]);
    await publish()(timers, [{ key: `timer-${run}`, value: { type: 'ScheduleTimer', timerId: `t-${run}`, executionId: `timer-${run}`, fireAt: 'half past never' } }]);

    expect((await letterOf(client(), commands, `future-${run}`)).reason).toMatch(/commands: unknown schemaVersion 99; this build reads version 1/);
    expect((await letterOf(client(), commands, `nameless-${run}`)).reason).toMatch(/commands KillExecution: executionId: /);
    expect((await letterOf(client(), timers, `timer-${run}`)).reason).toMatch(/timers ScheduleTimer: fireAt: must be an ISO-8601 date-time/);
    const old = await letterOf(client(), commands, `old-${run}`);
    expect(old.reason).toMatch(/does not exist/);
    expect(old.reason).not.toMatch(/schemaVersion|commands KillExecution:/);
  });
}
