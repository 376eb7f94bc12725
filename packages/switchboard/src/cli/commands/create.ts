import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { paletteFor } from '../colors.js';
import { defaultName, scaffold } from '../create/scaffold.js';
import { listTemplates } from '../create/templates.js';
import { switchboardSpec } from '../create/versions.js';
import { examples } from '../help-text.js';

interface CreateOptions {
  template: string;
  name?: string;
  switchboard?: string;
}

/** `switchboard create <dir>`: scaffolds a server project from a template. */
export function registerCreate(program: Command): void {
  const templates = listTemplates();
  program
    .command('create')
    .description('Create a server project: a tool, a test, a README, dev/start/test scripts and a tsconfig.')
    .argument('<dir>', 'folder for the new project (created; must be empty)')
    .addOption(
      new Option('-t, --template <name>', templates.map((t) => `${t.name}: ${t.description}`).join('; '))
        .choices(templates.map((t) => t.name))
        .default('basic'),
    )
    .option('--name <name>', 'npm package and server name (default: the folder name)')
    .option('--switchboard <spec>', 'where npm gets switchboard-mcp: a range, a packed .tgz or a git URL')
    .addHelpText(
      'after',
      examples(
        ['switchboard create weather', 'a new project in ./weather from the basic template'],
        [
          'switchboard create crm --switchboard ./switchboard-mcp-0.1.0.tgz',
          'depend on a packed tarball instead of the registry',
        ],
      ),
    )
    .action((dir: string, options: CreateOptions) => {
      const target = resolve(dir);
      const template = templates.find((t) => t.name === options.template);
      if (template === undefined) throw new Error(`template ${options.template} is missing from this package`);
      const files = scaffold(target, {
        template,
        name: options.name ?? defaultName(target),
        switchboard: switchboardSpec(options.switchboard),
      });
      const { bold, dim, green } = paletteFor(process.stdout);
      const nearby = relative(process.cwd(), target);
      const shown = nearby === '' ? '.' : nearby.startsWith('..') ? target : nearby;
      const lines = [
        `${green('✔')} Created ${bold(shown)} from the ${template.name} template`,
        ...files.map((file) => dim(`  ${file}`)),
        '',
        'Next:',
        `  cd ${shown}`,
        '  npm install',
        `  npm run dev    ${dim('# serves http://127.0.0.1:3000/mcp and reloads on change')}`,
        `  npm test`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
