import type { Command } from 'commander';
import type { ClientCommandOptions } from '../client/open-client.js';
import { addClientOptions, openClient, splitOperands } from '../client/open-client.js';
import { FileSaver, renderResourceContents } from '../client/render-content.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';

interface ReadOptions extends ClientCommandOptions {
  saveTo: string;
}

/** `switchboard read <target> <uri>`: reads one resource. */
export function registerRead(program: Command, server: string[] | undefined): void {
  addClientOptions(
    program
      .command('read')
      .usage('[options] <target> <uri>   (or: read <uri> -- <command> [args...])')
      .description('Read a resource: text is printed, binary contents are saved to files.')
      .argument('[operands...]', 'the target (a URL or a configured server name), then the resource URI'),
  )
    .option('--save-to <dir>', 'folder for binary contents', '.')
    .addHelpText(
      'after',
      examples(
        ['switchboard read http://127.0.0.1:3000/mcp docs://readme', 'print a text resource'],
        ['switchboard read test://static-binary --save-to /tmp -- node server.js', 'a blob, saved under /tmp'],
      ),
    )
    .action(async (operands: string[], options: ReadOptions) => {
      const [target, rest] = splitOperands(operands, server);
      const [uri, ...extra] = rest;
      if (uri === undefined) throw new UsageError('missing the URI of the resource to read');
      if (extra.length > 0) throw new UsageError(`too many arguments: ${extra.join(' ')}`);
      const session = await openClient(target, options);
      try {
        const result = await session.client.readResource(uri);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const saver = new FileSaver(options.saveTo, uri.replace(/^[a-z][a-z0-9+.-]*:\/*/i, ''));
        const lines = renderResourceContents(result.contents, saver, paletteFor(process.stdout));
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await session.close();
      }
    });
}
