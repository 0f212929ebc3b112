import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DelayedModule, failUpdates, received, UpdatesModule, WrongModule } from '../test-support/bus-transport.fixtures.js';
import { describe, expect, it } from 'vitest';
import { InProcessMessageBus } from '../in-process-message-bus.js';
import { topicNames } from '../topics.js';
import { ChronicleBusTransport } from './chronicle-bus.transport.js';

const topics = topicNames('transport-test');
describe('ChronicleBusTransport: the bus as a NestJS microservice transport', () => {
  it('delivers a topic to its @EventPattern handler in the handler\'s group, retrying a failed handling', async () => {
    const bus = new InProcessMessageBus({ retryBackoff: { initialMs: 5, maxMs: 20 }, onHandlerError: () => undefined });
    await bus.ensureTopics(Object.values(topics));
    const app = await NestFactory.createMicroservice(UpdatesModule, { strategy: new ChronicleBusTransport(bus, topics), logger: false });
    await app.listen();
    failUpdates(2);
    await bus.publish(topics.updates, [{ key: 'e1', value: { n: 1 } }, { key: 'e1', value: { n: 2 } }]);
    for (let i = 0; i < 200 && received.length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual([{ n: 1 }, { n: 2 }]);
    await app.close();
  });

  it('subscribes again while the broker answers with a retriable error (a topic whose partitions have no leader yet)', async () => {
    const bus = new InProcessMessageBus();
    await bus.ensureTopics(Object.values(topics));
    let refusals = 2;
    const flaky = Object.create(bus) as InProcessMessageBus;
    flaky.consume = (async (...args: Parameters<InProcessMessageBus['consume']>) => {
      if (refusals-- > 0) throw Object.assign(new Error('This server does not host this topic-partition'), { retriable: true });
      return bus.consume(...args);
    }) as InProcessMessageBus['consume'];
    const app = await NestFactory.createMicroservice(UpdatesModule, { strategy: new ChronicleBusTransport(flaky, topics), logger: false });
    await app.listen();
    expect(refusals).toBe(-1);
    await app.close();
  });

  it('subscribes with the delay a handler allows (maxDelayMs), and at once when it says none', async () => {
    const bus = new InProcessMessageBus();
    await bus.ensureTopics(Object.values(topics));
    const asked: unknown[] = [];
    const recording = Object.create(bus) as InProcessMessageBus;
    recording.consume = (async (...args: Parameters<InProcessMessageBus['consume']>) => {
      asked.push(args[0]);
      return bus.consume(...args);
    }) as InProcessMessageBus['consume'];
    for (const module of [DelayedModule, UpdatesModule]) {
      const app = await NestFactory.createMicroservice(module, { strategy: new ChronicleBusTransport(recording, topics), logger: false });
      await app.listen();
      await app.close();
    }
    expect(asked).toEqual([
      { topic: topics.updates, groupId: 'delayed-group', fromBeginning: false, maxDelayMs: 1000 },
      { topic: topics.updates, groupId: 'transport-test-group', fromBeginning: false },
    ]);
  });

  it('refuses a pattern that names no topic of the bus', async () => {
    const bus = new InProcessMessageBus();
    await bus.ensureTopics(Object.values(topics));
    const app = await NestFactory.createMicroservice(WrongModule, { strategy: new ChronicleBusTransport(bus, topics), logger: false });
    await expect(app.listen()).rejects.toThrow("@EventPattern('no-such-topic') names no topic of the bus");
  });
});
