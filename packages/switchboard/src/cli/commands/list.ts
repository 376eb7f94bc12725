import type { Command } from 'commander';
import type { ClientCommandOptions } from '../client/open-client.js';
import { addClientOptions, openClient, splitOperands } from '../client/open-client.js';
import { table } from '../client/render-content.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';

const KINDS = ['tools', 'resources', 'templates', 'prompts'] as const;
type Kind = (typeof KINDS)[number];

/** `switchboard list <target> [kind]`: what a server offers. */
export function registerList(program: Command, server: string[] | undefined): void {
  addClientOptions(
    program
      .command('list')
      .usage('[options] <target> [tools|resources|templates|prompts]   (or: list [kind] -- <command> [args...])')
      .description("List a server's tools, resources, resource templates and prompts.")
      .argument('[operands...]', 'the target (a URL or a configured server name), then what to list (default: all)'),
  )
    .addHelpText(
      'after',
      examples(
        ['switchboard list http://127.0.0.1:3000/mcp', 'everything the server offers'],
        ['switchboard list tools -- node server.js', 'the tools of a stdio server started for the occasion'],
        ['switchboard list weather prompts --json', 'the prompts of a server from a client config file, as JSON'],
      ),
    )
    .action(async (operands: string[], options: ClientCommandOptions) => {
      const [target, rest] = splitOperands(operands, server);
      if (rest.length > 1) throw new UsageError(`too many arguments: ${rest.join(' ')}`);
      const kind = rest[0] as Kind | undefined;
      if (kind !== undefined && !KINDS.includes(kind)) {
        throw new UsageError(`cannot list "${kind}": expected one of ${KINDS.join(', ')}`);
      }
      const session = await openClient(target, options);
      try {
        const { client } = session;
        const offers = client.server.capabilities;
        const wanted = (k: Kind) =>
          kind === k || (kind === undefined && offers[k === 'templates' ? 'resources' : k] !== undefined);
        const listing = {
          tools: wanted('tools') ? await client.listTools() : undefined,
          resources: wanted('resources') ? await client.listResources() : undefined,
          resourceTemplates: wanted('templates') ? await client.listResourceTemplates() : undefined,
          prompts: wanted('prompts') ? await client.listPrompts() : undefined,
        };
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ server: client.server, ...listing }, null, 2)}\n`);
          return;
        }
        const palette = paletteFor(process.stdout);
        const { serverInfo, protocolVersion } = client.server;
        const sections = [
          palette.dim(
            `${serverInfo?.name ?? 'server'} ${serverInfo?.version ?? ''} · ${protocolVersion} · ${session.label}`,
          ),
        ];
        const oneLine = (text: unknown) => (typeof text === 'string' ? (text.split('\n')[0] ?? '') : '');
        if (listing.tools !== undefined) {
          const rows = listing.tools.map((tool) => [tool.name, hints(tool.annotations), oneLine(tool.description)]);
          sections.push(section('Tools', ['name', 'hints', 'description'], rows, palette));
        }
        if (listing.resources !== undefined) {
          const rows = listing.resources.map((r) => [r.uri, r.mimeType ?? '', oneLine(r.description ?? r.name)]);
          sections.push(section('Resources', ['uri', 'type', 'description'], rows, palette));
        }
        if (listing.resourceTemplates !== undefined) {
          const rows = listing.resourceTemplates.map((t) => [t.uriTemplate, oneLine(t.description ?? t.name)]);
          sections.push(section('Resource templates', ['uri template', 'description'], rows, palette));
        }
        if (listing.prompts !== undefined) {
          const rows = listing.prompts.map((p) => [
            p.name,
            (p.arguments ?? []).map((a) => (a.required ? a.name : `[${a.name}]`)).join(' '),
            oneLine(p.description),
          ]);
          sections.push(section('Prompts', ['name', 'arguments', 'description'], rows, palette));
        }
        process.stdout.write(`${sections.join('\n\n')}\n`);
      } finally {
        await session.close();
      }
    });
}

function section(title: string, header: string[], rows: string[][], palette: ReturnType<typeof paletteFor>): string {
  if (rows.length === 0) return `${palette.bold(title)}: none`;
  return `${palette.bold(`${title} (${rows.length})`)}\n${table(header, rows, palette)}`;
}

/** A tool's annotations, short: ro (read-only), destructive, idempotent, open-world. */
function hints(annotations: Record<string, unknown> | undefined): string {
  if (annotations === undefined) return '';
  const marks: string[] = [];
  if (annotations.readOnlyHint === true) marks.push('read-only');
  if (annotations.destructiveHint === true && annotations.readOnlyHint !== true) marks.push('destructive');
  if (annotations.idempotentHint === true) marks.push('idempotent');
  return marks.join(',');
}
