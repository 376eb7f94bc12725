import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

const server = new Switchboard({ name: 'quickstart', version: '1.0.0' });

server.tool('add', { description: 'Add two numbers', input: { a: z.number(), b: z.number() } }, ({ a, b }) =>
  String(a + b),
);

// Streamable HTTP at http://127.0.0.1:3000/mcp; pass --stdio for stdio.
await server.run();
