import { Switchboard } from 'switchboard-mcp';
import { TestClient } from 'switchboard-mcp/testing';
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
