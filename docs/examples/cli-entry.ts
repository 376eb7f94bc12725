import { Switchboard } from 'switchboard-mcp';
import { z } from 'zod';

const server = new Switchboard({ name: 'weather', version: '1.0.0' });

server.tool(
  'forecast',
  {
    description: "Tomorrow's forecast for a city",
    input: { city: z.string().describe('City name, e.g. Lisbon') },
    annotations: { readOnlyHint: true },
  },
  ({ city }) => `Sunny in ${city}, 21 °C`,
);

// `switchboard dev`, `switchboard run` and `switchboard install` serve the default export.
export default server;
