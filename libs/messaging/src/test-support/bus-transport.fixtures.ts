import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';

/*
 * A module whose handler consumes the bus's `updates` topic through ChronicleBusTransport
 * (chronicle-bus.transport.unit.spec.ts). Decorated classes live here, in a file the TypeScript
 * project compiles with its decorator settings, not in the spec.
 */
export const received: unknown[] = [];
let failuresLeft = 0;
/** The next `n` deliveries fail, as a handler whose store is briefly down would. */
export const failUpdates = (n: number): void => {
  failuresLeft = n;
};

@Controller()
class UpdatesController {
  @EventPattern('updates', { groupId: 'transport-test-group' })
  async onUpdate(value: { n: number }): Promise<void> {
    // A handler that fails is retried by the bus (the transport awaits it), never silently dropped.
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      throw new Error('not yet');
    }
    received.push(value);
  }
}

@Module({ controllers: [UpdatesController] })
export class UpdatesModule {}

@Controller()
class WrongController {
  @EventPattern('no-such-topic', { groupId: 'g' })
  handle(_value: unknown): void {}
}

@Module({ controllers: [WrongController] })
export class WrongModule {}

@Controller()
class DelayedController {
  @EventPattern('updates', { groupId: 'delayed-group', maxDelayMs: 1000 })
  handle(_value: unknown): void {}
}

/** A handler that may receive its updates late (BusEventExtras.maxDelayMs). */
@Module({ controllers: [DelayedController] })
export class DelayedModule {}
