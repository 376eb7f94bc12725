import type { NotificationBus, ServerEvent } from '../stores/bus.js';

/** Publications older than this are given up on (the bus dropped them, or this instance does not hear itself). */
const GIVE_UP_MS = 30_000;
const MAX_PENDING = 1_000;

/**
 * Wraps `bus` so each event published here is timed until the bus delivers it back to this instance (a shared bus
 * delivers to every instance, this one included): the lag of the bus, observed in seconds.
 */
export function measureBusLag<B extends NotificationBus>(bus: B, observe: (seconds: number) => void): B {
  /** Publication times by the event's JSON, oldest first per key. */
  const pending = new Map<string, number[]>();
  let size = 0;
  let listening: Promise<unknown> | undefined;
  const hear = (event: ServerEvent) => {
    const key = JSON.stringify(event);
    const times = pending.get(key);
    const sent = times?.shift();
    if (sent === undefined) return;
    size--;
    if (times?.length === 0) pending.delete(key);
    observe((performance.now() - sent) / 1000);
  };
  const forgetOld = (now: number) => {
    for (const [key, times] of pending) {
      while (times.length > 0 && (now - (times[0] as number) > GIVE_UP_MS || size > MAX_PENDING)) {
        times.shift();
        size--;
      }
      if (times.length === 0) pending.delete(key);
    }
  };
  const publish = async (event: ServerEvent) => {
    listening ??= bus.subscribe(hear);
    await listening;
    const now = performance.now();
    if (size >= MAX_PENDING) forgetOld(now);
    const key = JSON.stringify(event);
    const times = pending.get(key);
    if (times === undefined) pending.set(key, [now]);
    else times.push(now);
    size++;
    return bus.publish(event);
  };
  return new Proxy(bus, {
    get(target, property, receiver) {
      if (property === 'publish') return publish;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
