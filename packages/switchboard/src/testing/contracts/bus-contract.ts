import assert from 'node:assert/strict';
import type { ServerEvent } from '../../protocol/events.js';
import type { NotificationBus } from '../../stores/bus.js';
import type { ContractRunner, StoreFactory } from './runner.js';
import { uniqueId, withStore } from './runner.js';

/** Resolves once `events` holds `count` items (a shared bus delivers asynchronously). */
async function received(events: ServerEvent[], count: number, within = 5000): Promise<void> {
  const deadline = Date.now() + within;
  while (events.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${events.length}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * What every `NotificationBus` must do for change notifications to reach clients on every instance: deliver each
 * published event to every subscriber, in publish order, and nothing after unsubscribing. One case calls `factory`
 * twice and expects the two handles to be on the same bus (two connections to one Redis; for an in-process bus,
 * return the same instance): an event published on one reaches subscribers of the other.
 */
export function busContract(name: string, factory: StoreFactory<NotificationBus>, runner: ContractRunner): void {
  const { describe, it } = runner;
  describe(`NotificationBus contract: ${name}`, () => {
    it('delivers each event to every subscriber in publish order', () =>
      withStore(factory, async (bus) => {
        const a: ServerEvent[] = [];
        const b: ServerEvent[] = [];
        const stopA = await bus.subscribe((event) => a.push(event));
        const stopB = await bus.subscribe((event) => b.push(event));
        const uri = `memo://${uniqueId('doc')}`;
        await bus.publish({ type: 'tools/list_changed' });
        await bus.publish({ type: 'resources/updated', uri });
        await received(a, 2);
        await received(b, 2);
        const expected = [{ type: 'tools/list_changed' }, { type: 'resources/updated', uri }];
        assert.deepEqual(a, expected);
        assert.deepEqual(b, expected);
        stopA();
        stopB();
      }));

    it('stops delivering to a subscriber that unsubscribed', () =>
      withStore(factory, async (bus) => {
        const kept: ServerEvent[] = [];
        const stopped: ServerEvent[] = [];
        const stopKept = await bus.subscribe((event) => kept.push(event));
        const stop = await bus.subscribe((event) => stopped.push(event));
        stop();
        await bus.publish({ type: 'prompts/list_changed' });
        await received(kept, 1);
        assert.deepEqual(stopped, []);
        stopKept();
      }));

    it('carries a request id past 2^53 exactly (a client may cancel its request 9007199254740993)', () =>
      withStore(factory, async (publisher) =>
        withStore(factory, async (listener) => {
          const events: ServerEvent[] = [];
          const stop = await listener.subscribe((event) => events.push(event));
          const message = {
            jsonrpc: '2.0' as const,
            method: 'notifications/cancelled',
            params: { requestId: 9007199254740993n, reason: 'x' },
          };
          const event: ServerEvent = { type: 'session/relay', sessionId: 's', message, relayId: 'r', from: 'a' };
          await publisher.publish(event);
          await received(events, 1);
          assert.deepEqual(events, [event]);
          stop();
        }),
      ));

    it('reaches the subscribers of another handle on the same bus', () =>
      withStore(factory, async (publisher) =>
        withStore(factory, async (listener) => {
          const events: ServerEvent[] = [];
          const stop = await listener.subscribe((event) => events.push(event));
          await publisher.publish({ type: 'resources/list_changed' });
          await received(events, 1);
          assert.deepEqual(events, [{ type: 'resources/list_changed' }]);
          stop();
        }),
      ));
  });
}
