import { createVoiceEvalServer } from './src/create-server.js';
import { openVoiceEvalDatabase } from './src/prepare-database.js';

// PostgreSQL when DATABASE_URL is set, else embedded PGlite in .switchboard/voice-eval (VOICE_EVAL_DATA_DIR).
const db = await openVoiceEvalDatabase(process.env.DATABASE_URL || undefined, process.env.VOICE_EVAL_DATA_DIR);
// `prepare`: migrations, then the demo data on first run (logged to stderr; stdout is the protocol's under stdio).
const server = await createVoiceEvalServer({
  db,
  prepare: true,
  cursorSecret: process.env.VOICE_EVAL_CURSOR_SECRET || undefined,
});

// Streamable HTTP at http://127.0.0.1:3001/mcp (PORT, HOST to change it); pass --stdio for stdio.
await server.run({ port: process.env.PORT === undefined ? 3001 : Number(process.env.PORT) });
