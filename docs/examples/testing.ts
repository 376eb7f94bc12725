import { Switchboard } from 'switchboard-mcp';
import { captureLogs, TestClient } from 'switchboard-mcp/testing';
import { z } from 'zod';

/** A server under test and the assertions a unit test would make, without any transport. */
export async function exampleTest(): Promise<{ greeting: string; lookedUpName: string | undefined }> {
  const server = new Switchboard({ name: 'under-test', version: '0.0.1' });
  server.tool('greet', { input: { name: z.string() } }, async ({ name }, ctx) => {
    const answer = await ctx.elicit('Nickname?', { nickname: z.string() });
    return answer.action === 'accept' ? `Hi ${name} (${answer.content.nickname})` : `Hi ${name}`;
  });

  // The test client answers the server's questions with your handler, in either protocol era.
  let lookedUpName: string | undefined;
  const client = new TestClient(server, {
    elicit: async (params) => {
      lookedUpName = String(params.message);
      return { action: 'accept', content: { nickname: 'Ace' } };
    },
  });
  const result = await client.callTool('greet', { name: 'Ada' });
  const [block] = result.content;
  return { greeting: block?.type === 'text' ? block.text : '', lookedUpName };
}

/** Progress and cancellation: `onProgress` asks for progress for you, and aborting `signal` cancels the call. */
export async function progressAndCancellation(): Promise<{ seen: number[]; outcome: string; batchesRun: number }> {
  const server = new Switchboard({ name: 'under-test', version: '0.0.1' });
  let batchesRun = 0;
  server.tool('export_leads', { input: { batches: z.number() } }, ({ batches }, ctx) => {
    for (let batch = 1; batch <= batches; batch++) {
      if (ctx.signal.aborted) break; // the client cancelled: stop working
      batchesRun = batch;
      ctx.progress(batch, batches);
    }
    return `Exported ${batchesRun} batches`;
  });
  const client = new TestClient(server);

  // onProgress sets `_meta.progressToken` and receives this call's progress notifications in order.
  const seen: number[] = [];
  await client.callTool('export_leads', { batches: 3 }, { onProgress: (update) => seen.push(update.progress) });

  // Aborting cancels the call: the handler's ctx.signal aborts, the call rejects, and the late result is dropped.
  const controller = new AbortController();
  const outcome = await client
    .callTool('export_leads', { batches: 3 }, { signal: controller.signal, onProgress: () => controller.abort() })
    .then(
      () => 'finished',
      (error: Error) => `rejected: ${error.name}`,
    );
  return { seen, outcome, batchesRun };
}

/** What the server logged: a masked error reaches the model as a correlation id, and your logs as the error. */
export async function maskedErrorIsLogged(): Promise<{ modelSaw: string; logged: unknown; sameId: boolean }> {
  const { logger, lines } = captureLogs();
  const server = new Switchboard({ name: 'under-test', version: '0.0.1', logger });
  server.tool('flaky', {}, () => {
    throw new Error('connection refused');
  });
  const result = await new TestClient(server).callTool('flaky');
  const [block] = result.content;
  const modelSaw = block?.type === 'text' ? block.text : '';
  const logged = lines.find((line) => line.err !== undefined);
  return { modelSaw, logged: logged?.err?.message, sameId: modelSaw.includes(String(logged?.correlationId)) };
}
