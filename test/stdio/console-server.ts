// A stdio server whose tool writes to console.log, as a forgotten debug line would.
import { Switchboard } from 'switchboard-mcp';

const server = new Switchboard({ name: 'console', version: '1.0.0' });
server.tool('chatty', {}, () => {
  console.log('debug output from a tool');
  console.info({ note: 'an object' });
  return 'done';
});
await server.run();
