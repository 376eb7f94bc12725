#!/usr/bin/env node
import { main } from './program.js';

// exitCode, not exit(): output still buffered for a pipe (async on macOS) gets written before the process ends.
process.exitCode = await main(process.argv);
