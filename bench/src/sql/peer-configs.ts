/**
 * Configuration files for the two peers, holding the same three statements: MCP Toolbox's tools.yaml (postgres-sql
 * tools) and DBHub's dbhub.toml (custom tools). Both log in as the peer role (see peer-role.ts).
 */
import { TOOL_STATEMENTS } from './tool-statements.js';

export interface Connection {
  host: string;
  port: number;
  database: string;
  user: string;
}

const quoteYaml = (text: string) => JSON.stringify(text);

export function toolboxYaml(db: Connection, poolSize: number): string {
  const lines = [
    'sources:',
    '  leads:',
    '    kind: postgres',
    `    host: ${db.host}`,
    `    port: ${db.port}`,
    `    database: ${db.database}`,
    `    user: ${db.user}`,
    // The server trusts local connections; Toolbox insists on a password all the same.
    '    password: unused-under-trust-auth',
    `    queryParams: { sslmode: disable, pool_max_conns: "${poolSize}" }`,
    'tools:',
  ];
  for (const tool of TOOL_STATEMENTS) {
    lines.push(
      `  ${tool.name}:`,
      '    kind: postgres-sql',
      '    source: leads',
      `    description: ${quoteYaml(tool.name)}`,
    );
    lines.push('    parameters:');
    for (const param of tool.params) {
      lines.push(
        `      - name: ${param.name}`,
        `        type: ${param.type}`,
        `        description: ${param.name}`,
        '        required: false',
      );
    }
    lines.push(`    statement: ${quoteYaml(tool.text)}`);
  }
  return `${lines.join('\n')}\n`;
}

const quoteToml = (text: string) => JSON.stringify(text);

export function dbhubToml(db: Connection, poolSize: number): string {
  const lines = [
    '[[sources]]',
    'id = "leads"',
    `dsn = ${quoteToml(`postgres://${db.user}@${db.host}:${db.port}/${db.database}?sslmode=disable`)}`,
    `pool_max_connections = ${poolSize}`,
    '',
  ];
  for (const tool of TOOL_STATEMENTS) {
    lines.push('[[tools]]', `name = "${tool.name}"`, 'source = "leads"', `description = "${tool.name}"`);
    lines.push(`statement = ${quoteToml(tool.text)}`);
    for (const param of tool.params) {
      lines.push(
        '[[tools.parameters]]',
        `name = "${param.name}"`,
        `type = "${param.type}"`,
        `description = "${param.name}"`,
        'required = false',
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
