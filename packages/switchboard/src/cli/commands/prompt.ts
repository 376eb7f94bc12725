import type { Command } from 'commander';
import type { ClientCommandOptions } from '../client/open-client.js';
import { addClientOptions, openClient, splitOperands } from '../client/open-client.js';
import { FileSaver, renderBlocks } from '../client/render-content.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';

interface PromptOptions extends ClientCommandOptions {
  args?: string;
  saveTo: string;
}

/** `switchboard prompt <target> <name> [key=value...]`: gets one prompt's messages. */
export function registerPrompt(program: Command, server: string[] | undefined): void {
  addClientOptions(
    program
      .command('prompt')
      .usage('[options] <target> <name> [key=value...]   (or: prompt <name> [key=value...] -- <command> [args...])')
      .description("Get a prompt's messages, with its arguments as key=value.")
      .argument(
        '[operands...]',
        'the target (a URL or a configured server name), the prompt, then key=value arguments',
      ),
  )
    .option('--args <json>', "the arguments as one JSON object of strings; --json '{…}' is --json --args '{…}'")
    .option('--save-to <dir>', 'folder for images and audio in the messages', '.')
    .addHelpText(
      'after',
      examples(
        ['switchboard prompt http://127.0.0.1:3000/mcp triage lead=42', 'the messages of the triage prompt'],
        ['switchboard prompt test_simple_prompt --json -- node server.js', 'as JSON, from a stdio server'],
      ),
    )
    .action(async (operands: string[], options: PromptOptions) => {
      const [target, rest] = splitOperands(operands, server);
      const [name, ...pairs] = rest;
      if (name === undefined) throw new UsageError('missing the name of the prompt');
      const args = promptArguments(pairs, options.args);
      const session = await openClient(target, options);
      try {
        const result = await session.client.getPrompt(name, args);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const palette = paletteFor(process.stdout);
        const saver = new FileSaver(options.saveTo, name);
        const lines = result.description === undefined ? [] : [palette.dim(result.description)];
        for (const message of result.messages) {
          lines.push(
            `${palette.bold(`${message.role}:`)} ${renderBlocks([message.content], saver, palette).join('\n')}`,
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await session.close();
      }
    });
}

/** Prompt arguments are strings (2025-11-25 server/prompts): key=value as written, or a JSON object of strings. */
function promptArguments(pairs: readonly string[], json: string | undefined): Record<string, string> {
  const args: Record<string, string> = {};
  if (json !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new UsageError(`--args: not valid JSON: ${json}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError('--args: expected a JSON object of arguments');
    }
    for (const [key, item] of Object.entries(value)) args[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`"${pair}" is not key=value`);
    args[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return args;
}
