import { describe, expect, it } from 'vitest';
import { readEvents } from './sse-reader.js';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readEvents', () => {
  it('joins data lines, keeps ids, skips comments and priming events, across chunk boundaries', async () => {
    const events = [];
    for await (const event of readEvents(
      streamOf(
        'id: s.1\nretry: 1000\ndata: \n\n: keep-alive\n\nid: s.2\nevent: mess',
        'age\ndata: {"a":\ndata: 1}\r\n\r\n',
        'data: cut off',
      ),
    )) {
      events.push(event);
    }
    expect(events).toEqual([{ data: '{"a":\n1}', id: 's.2', event: 'message' }]);
  });
});
