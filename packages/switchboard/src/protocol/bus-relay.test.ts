import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../stores/bus.js';
import { BusRelay } from './bus-relay.js';
import type { ServerEvent } from './events.js';

const logger = pino({ level: 'silent' });

/** A sender and an owner of task input on one bus, as two instances; `takes` says whether the owner holds the task. */
async function pair(takes: boolean) {
  const bus = new MemoryBus();
  const sender = new BusRelay(bus, 'tasks/input', 'sender', 1_000, logger);
  const owner = new BusRelay(bus, 'tasks/input', 'owner', 1_000, logger);
  const delivered: unknown[] = [];
  const heard: ServerEvent[] = [];
  await bus.subscribe((event) => {
    heard.push(event);
    if (event.type === 'tasks/input')
      owner.received(event, () => {
        if (takes) delivered.push(event.responses);
        return takes;
      });
    if (event.type === 'tasks/input-ack' || event.type === 'session/relay-ack') sender.acknowledged(event);
  });
  return { bus, sender, delivered, heard };
}

describe('BusRelay', () => {
  it('resolves true once the owner took the message, delivers a repeat of it once and acknowledges it again', async () => {
    const { bus, sender, delivered, heard } = await pair(true);
    expect(await sender.send({ taskId: 't1', responses: { k: { action: 'accept' } } })).toBe(true);
    const relayed = heard.find((event) => event.type === 'tasks/input');
    expect(relayed).toMatchObject({ type: 'tasks/input', from: 'sender', relayId: expect.any(String) });
    await bus.publish(relayed as ServerEvent);
    expect(delivered).toEqual([{ k: { action: 'accept' } }]);
    expect(heard.filter((event) => event.type === 'tasks/input-ack')).toHaveLength(2);
  });

  it('resolves false at once on a bus of one process when nothing took the message', async () => {
    const { sender, delivered } = await pair(false);
    expect(await sender.send({ taskId: 't2', responses: {} })).toBe(false);
    expect(delivered).toEqual([]);
  });

  it('is not settled by an acknowledgement of another kind of relay', async () => {
    const bus = new MemoryBus();
    const sender = new BusRelay(bus, 'tasks/input', 'sender', 1_000, logger);
    await bus.subscribe((event) => {
      if (event.type === 'tasks/input')
        void bus.publish({ type: 'session/relay-ack', relayId: event.relayId, to: event.from });
      if (event.type === 'session/relay-ack') sender.acknowledged(event);
    });
    expect(await sender.send({ taskId: 't3', responses: {} })).toBe(false);
  });
});
