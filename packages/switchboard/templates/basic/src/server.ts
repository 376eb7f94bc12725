import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

const server = new Switchboard({ name: '{{name}}', version: '0.1.0' });

server.tool(
  'greet',
  {
    description: 'Greet someone by name',
    input: { name: z.string().min(1).describe('Who to greet') },
    annotations: { readOnlyHint: true },
  },
  ({ name }) => `Hello, ${name}!`,
);

// `switchboard dev` and `switchboard run` serve the default export.
export default server;
