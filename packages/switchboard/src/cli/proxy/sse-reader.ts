/** One Server-Sent Event: its data (lines joined with \n) and id, if any. */
export interface ServerSentEvent {
  data: string;
  id?: string;
  event?: string;
}

/**
 * Reads a `text/event-stream` body event by event (WHATWG HTML §9.2.6): `data` lines are joined, comment lines
 * (keep-alives) and events with empty data (priming events) are skipped, and a trailing event without its blank line
 * is dropped, as the format requires.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data: string[] = [];
  let id: string | undefined;
  let event: string | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.join('') !== '')
            yield { data: data.join('\n'), ...(id !== undefined ? { id } : {}), ...(event ? { event } : {}) };
          data = [];
          event = undefined;
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') data.push(text);
          else if (field === 'id' && !text.includes('\0')) id = text;
          else if (field === 'event') event = text;
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}
