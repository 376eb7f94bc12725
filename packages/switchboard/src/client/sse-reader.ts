/** One server-sent event's data (its `data:` lines joined); events without data are skipped. */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r?\n|\r/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      const ending = buffer[newline] === '\r' && buffer[newline + 1] === '\n' ? 2 : 1;
      buffer = buffer.slice(newline + ending);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        // The SSE spec: one space after the colon is not part of the value.
        data.push(line.slice(line[5] === ' ' ? 6 : 5));
      }
      newline = buffer.search(/\r?\n|\r/);
    }
  }
  if (data.length > 0) yield data.join('\n');
}
