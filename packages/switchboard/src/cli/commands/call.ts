import type { Command } from 'commander';
import type { CallToolResult, Params, ToolDefinition } from '../../protocol/messages.js';
import { askMissingArguments } from '../client/ask-arguments.js';
import type { ClientCommandOptions } from '../client/open-client.js';
import { addClientOptions, openClient, splitOperands } from '../client/open-client.js';
import { ProgressDisplay } from '../client/progress-bar.js';
import { FileSaver, renderBlocks } from '../client/render-content.js';
import { parseToolArguments } from '../client/tool-arguments.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';

interface CallOptions extends ClientCommandOptions {
  args?: string;
  saveTo: string;
}

/** `switchboard call <target> <tool> [key=value...]`: calls one tool and prints its result. */
export function registerCall(program: Command, server: string[] | undefined): void {
  addClientOptions(
    program
      .command('call')
      .usage('[options] <target> <tool> [key=value...]   (or: call <tool> [key=value...] -- <command> [args...])')
      .description(
        "Call a tool. key=value arguments are typed by the tool's input schema; missing required ones are asked for at a terminal.",
      )
      .argument('[operands...]', 'the target (a URL or a configured server name), the tool, then key=value arguments'),
  )
    .option(
      '--args <json>',
      "the arguments as one JSON object (key=value operands win); --json '{…}' is --json --args '{…}'",
    )
    .option('--save-to <dir>', 'folder for images, audio and other binary content', '.')
    .addHelpText(
      'after',
      examples(
        ['switchboard call http://127.0.0.1:3000/mcp add a=2 b=3', 'a and b are sent as numbers, as the schema says'],
        [
          'switchboard call add --json \'{"a":2,"b":3}\' -- node server.js',
          'a stdio server: JSON arguments, JSON result',
        ],
        ['switchboard call weather forecast city=Paris --json', 'the whole result as JSON, for scripts'],
      ),
    )
    .action(async (operands: string[], options: CallOptions) => {
      const [target, rest] = splitOperands(operands, server);
      const [tool, ...pairs] = rest;
      if (tool === undefined) throw new UsageError('missing the tool to call');
      const session = await openClient(target, options);
      const progress = new ProgressDisplay();
      try {
        const { client } = session;
        const definition = (await client.listTools()).find((candidate) => candidate.name === tool);
        if (definition === undefined) throw new UsageError(`the server has no tool named "${tool}"`);
        let args = parseToolArguments(pairs, options.args, definition.inputSchema);
        if (session.prompter.interactive && !options.json) {
          args = await askMissingArguments(definition, args, session.prompter, session.palette);
        }
        const result = await client.callTool(tool, args, { onProgress: (update) => progress.update(update) });
        progress.done();
        printResult(result, definition, options);
        if (result.isError === true) process.exitCode = 1;
      } finally {
        progress.done();
        await session.close();
      }
    });
}

function printResult(result: CallToolResult, tool: ToolDefinition, options: CallOptions): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const failed = result.isError === true;
  const stream = failed ? process.stderr : process.stdout;
  const palette = paletteFor(stream);
  const lines = renderBlocks(result.content ?? [], new FileSaver(options.saveTo, tool.name), palette);
  const structured = result.structuredContent as Params | undefined;
  if (structured !== undefined) {
    const pretty = JSON.stringify(structured, null, 2);
    // The text block of a structured result is usually the same JSON: show it once, pretty.
    const duplicates = lines.length === 1 && sameJson(lines[0] ?? '', structured);
    if (duplicates) lines.splice(0, 1);
    lines.push(pretty);
  }
  if (failed) lines.unshift(palette.red(`${tool.name} answered with an error:`));
  stream.write(`${lines.join('\n')}\n`);
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}
