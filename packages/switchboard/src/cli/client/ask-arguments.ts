import type { Params, ToolDefinition } from '../../protocol/messages.js';
import type { Palette } from '../colors.js';
import type { TerminalPrompter } from './terminal-prompter.js';
import { coerceValue, schemaProperties } from './tool-arguments.js';

/**
 * At a terminal: asks for each required argument the command line did not give, typed by its schema; a value
 * that does not fit is asked again.
 */
export async function askMissingArguments(
  tool: ToolDefinition,
  given: Params,
  prompter: TerminalPrompter,
  palette: Palette,
): Promise<Params> {
  const { properties, required } = schemaProperties(tool.inputSchema);
  const missing = required.filter((key) => given[key] === undefined);
  if (missing.length === 0) return given;
  process.stderr.write(`${palette.bold(tool.name)} needs ${missing.join(', ')}\n`);
  const args = { ...given };
  for (const key of missing) {
    const property = properties[key];
    const about = [property?.type, property?.description].filter((part) => part !== undefined).join(', ');
    for (;;) {
      const answer = await prompter.ask(`  ${key}${about === '' ? '' : ` (${about})`}: `);
      if (answer === undefined) return args;
      try {
        args[key] = coerceValue(key, answer, property);
        break;
      } catch (error) {
        process.stderr.write(`  ${(error as Error).message}\n`);
      }
    }
  }
  return args;
}
