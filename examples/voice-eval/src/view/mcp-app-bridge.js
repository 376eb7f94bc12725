// The view's side of MCP Apps (SEP-1865, io.modelcontextprotocol/ui, 2026-01-26): JSON-RPC 2.0 over postMessage
// with the host window (or the sandbox proxy that forwards for it). No SDK: the protocol is a handful of messages.
globalThis.McpAppBridge = (() => {
  let nextId = 1;
  const pending = new Map();
  const handlers = new Map();

  function post(message) {
    window.parent.postMessage({ jsonrpc: '2.0', ...message }, '*');
  }

  function request(method, params) {
    const id = nextId++;
    post({ id, method, params });
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }

  function notify(method, params) {
    post({ method, params });
  }

  function answer(message) {
    const handler = handlers.get(message.method);
    const work = handler
      ? Promise.resolve().then(() => handler(message.params ?? {}))
      : Promise.reject({ code: -32601, message: `Method not found: ${message.method}` });
    work.then(
      (result) => post({ id: message.id, result: result ?? {} }),
      (error) =>
        post({ id: message.id, error: { code: error?.code ?? -32603, message: String(error?.message ?? error) } }),
    );
  }

  window.addEventListener('message', (event) => {
    // Only the embedding window speaks for the host; anything else posting to us is ignored.
    if (event.source !== window.parent) return;
    const message = event.data;
    if (typeof message !== 'object' || message === null || message.jsonrpc !== '2.0') return;
    if (typeof message.method !== 'string') {
      const waiting = pending.get(message.id);
      if (waiting === undefined) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else waiting.resolve(message.result);
      return;
    }
    if ('id' in message) answer(message);
    else handlers.get(message.method)?.(message.params ?? {});
  });

  /** Reports the content size so hosts with flexible containers can fit the iframe to it. */
  function reportSize() {
    let last = '';
    const send = () => {
      // The content's own box, not scrollHeight, which never drops below the iframe's current height.
      const box = document.documentElement.getBoundingClientRect();
      const size = { width: Math.ceil(box.width), height: Math.ceil(box.height) };
      const key = `${size.width}x${size.height}`;
      if (key === last) return;
      last = key;
      notify('ui/notifications/size-changed', size);
    };
    new ResizeObserver(send).observe(document.body);
    send();
  }

  /**
   * `ui/initialize`, then `ui/notifications/initialized`: the host sends tool input and results only after it.
   * Register handlers with `on` first so nothing sent right after the handshake is missed.
   */
  async function connect(appInfo) {
    handlers.set('ping', () => ({}));
    const result = await request('ui/initialize', {
      protocolVersion: '2026-01-26',
      appInfo,
      appCapabilities: { availableDisplayModes: ['inline'] },
    });
    notify('ui/notifications/initialized', {});
    reportSize();
    return result ?? {};
  }

  return { connect, request, notify, on: (method, handler) => handlers.set(method, handler) };
})();
