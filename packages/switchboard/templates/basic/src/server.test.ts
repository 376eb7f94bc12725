import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from 'switchboard-mcp/testing';
import server from './server.js';

test('greet answers in both protocol eras', async () => {
  for (const era of ['modern', 'legacy'] as const) {
    const client = new TestClient(server, { era });
    const result = await client.callTool('greet', { name: 'Ada' });
    assert.deepEqual(result.content, [{ type: 'text', text: 'Hello, Ada!' }]);
  }
});

test('greet tells the model what is wrong with its arguments', async () => {
  const result = await new TestClient(server).callTool('greet', { name: '' });
  assert.equal(result.isError, true);
  const [block] = result.content;
  assert.match(block?.type === 'text' ? block.text : '', /name/);
});
