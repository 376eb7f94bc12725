import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';
import { announce, announceStdio, transport } from './child.js';

const server = new Switchboard({ name: 'bench-switchboard', version: '1.0.0' });
server.tool('add', { description: 'Add two numbers', input: { a: z.number(), b: z.number() } }, ({ a, b }) =>
  String(a + b),
);
// BENCH_MIDDLEWARES=n registers n trivial pass-through middlewares: the cost of the chain itself.
const middlewares = Number(process.env.BENCH_MIDDLEWARES ?? 0);
for (let i = 0; i < middlewares; i++) server.use((_call, next) => next());

if (transport === 'stdio') {
  await server.stdio();
  announceStdio();
} else {
  const handle = await server.listen({ port: 0 });
  announce(handle.url);
}
