import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from 'switchboard-mcp/testing';
import { createServer } from './server.js';

test('books_by_author answers from the database in both protocol eras', async () => {
  const server = await createServer('memory');
  for (const era of ['modern', 'legacy'] as const) {
    const result = await new TestClient(server, { era }).callTool('books_by_author', { author: 'butler' });
    assert.equal(result.isError, undefined);
    const rows = (result.structuredContent as { rows: { title: string }[] }).rows;
    assert.deepEqual(
      rows.map((row) => row.title),
      ['Kindred', 'Parable of the Sower'],
    );
  }
});

test('books_by_author tells the model what is wrong with its arguments', async () => {
  const server = await createServer('memory');
  const result = await new TestClient(server).callTool('books_by_author', { author: 'x' });
  assert.equal(result.isError, true);
});
