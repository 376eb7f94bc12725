/**
 * Steps a tool waits for: `release(n)` lets step n run and settles once the tool has sent its progress for it, so
 * a test knows which events exist without sleeping.
 */
export function steps() {
  const gates = new Map<number, { open: () => void; opened: Promise<void>; sent: () => void; done: Promise<void> }>();
  const gate = (n: number) => {
    let entry = gates.get(n);
    if (entry === undefined) {
      let open!: () => void;
      let sent!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      const done = new Promise<void>((resolve) => {
        sent = resolve;
      });
      entry = { open, opened, sent, done };
      gates.set(n, entry);
    }
    return entry;
  };
  return {
    wait: (n: number) => gate(n).opened,
    sent: (n: number) => gate(n).sent(),
    release: (n: number) => {
      gate(n).open();
      return gate(n).done;
    },
  };
}
