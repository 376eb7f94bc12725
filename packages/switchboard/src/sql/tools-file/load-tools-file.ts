import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import type { Registration } from '../../server/registry.js';
import type { Switchboard } from '../../server/switchboard.js';
import type { Database } from '../database.js';
import { DatabaseUnavailableError, openDatabase } from '../database.js';
import { positionalToNamed } from '../named-params.js';
import { SqlCheckError } from '../sql-check-error.js';
import type { SqlToolOptions } from '../sql-tool.js';
import { sqlTool } from '../sql-tool.js';
import type { SourceConfig, ToolConfig, ToolsConfig } from './config-schema.js';
import { parametersShape } from './parameters.js';
import type { ParsedToolsFile, ParseOptions } from './parse-tools-file.js';
import { parseToolsFile } from './parse-tools-file.js';
import { ToolsFileError } from './tools-file-error.js';

/** A loaded tools.yaml: its sources are open; `register` checks and registers its tools on a server. */
export interface ToolsFile {
  readonly path: string;
  /** Tool names, in file order. */
  readonly tools: readonly string[];
  readonly toolsets: Readonly<Record<string, readonly string[]>>;
  /** An open source by name, for migrations or seeds before serving. */
  source(name: string): Database;
  /**
   * Checks every tool (or a toolset's) against its database and registers it on `server`. A tool that does not
   * check out fails the whole call with a message that starts with its place in the file; none stays registered.
   */
  register(server: Switchboard, options?: { toolset?: string }): Promise<Registration[]>;
  /** Closes the sources this file opened. */
  close(): Promise<void>;
}

/**
 * Loads a tools.yaml for `switchboard serve|run`: parses and validates it (with `${NAME}` from `env`), then opens
 * its sources. A source that cannot be reached fails the load with a DatabaseUnavailableError naming it.
 */
export async function loadToolsFile(path: string, options: Omit<ParseOptions, 'path'> = {}): Promise<ToolsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ToolsFileError(`${path}: cannot read the tools file: ${(error as Error).message}`);
  }
  const parsed = parseToolsFile(text, { ...options, path });
  const sources = new Map<string, Database>();
  try {
    for (const [name, source] of Object.entries(parsed.config.sources)) {
      sources.set(name, await openSource(name, source, dirname(path), parsed));
    }
  } catch (error) {
    await Promise.all([...sources.values()].map((db) => db.close()));
    throw error;
  }
  return new LoadedToolsFile(path, parsed, sources);
}

async function openSource(
  name: string,
  source: SourceConfig,
  base: string,
  parsed: ParsedToolsFile,
): Promise<Database> {
  const where = `${parsed.locate(['sources', name])}: source "${name}"`;
  try {
    if (source.kind === 'pglite') {
      const dataDir =
        source.dataDir === undefined || source.dataDir === 'memory' ? source.dataDir : resolve(base, source.dataDir);
      return await openDatabase({ dataDir, extensions: source.extensions ?? [] });
    }
    return await openDatabase({
      url: postgresUrl(source, where),
      poolSize: source.poolSize,
      connectTimeoutMs: source.connectTimeoutMs,
    });
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw new DatabaseUnavailableError(`${where}: ${error.message}`);
    if (error instanceof ToolsFileError) throw error;
    throw new ToolsFileError(`${where}: ${(error as Error).message}`);
  }
}

/** The source's `url`, or one built from MCP Toolbox's host, port, database, user, password and queryParams. */
function postgresUrl(source: SourceConfig, where: string): string {
  if (source.url !== undefined) return source.url;
  if (source.host === undefined)
    throw new ToolsFileError(`${where}: a postgres source needs url, or host and database`);
  const url = new URL('postgres://localhost');
  url.hostname = source.host;
  if (source.port !== undefined) url.port = String(source.port);
  url.pathname = `/${encodeURIComponent(source.database ?? 'postgres')}`;
  if (source.user !== undefined) url.username = encodeURIComponent(source.user);
  if (source.password !== undefined) url.password = encodeURIComponent(source.password);
  for (const [key, value] of Object.entries(source.queryParams ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

class LoadedToolsFile implements ToolsFile {
  readonly path: string;
  readonly tools: readonly string[];
  readonly toolsets: Readonly<Record<string, readonly string[]>>;
  readonly #parsed: ParsedToolsFile;
  readonly #sources: Map<string, Database>;

  constructor(path: string, parsed: ParsedToolsFile, sources: Map<string, Database>) {
    this.path = path;
    this.#parsed = parsed;
    this.#sources = sources;
    this.tools = Object.keys(parsed.config.tools);
    this.toolsets = parsed.config.toolsets ?? {};
  }

  source(name: string): Database {
    const db = this.#sources.get(name);
    if (db === undefined) throw new ToolsFileError(`${this.path}: no source "${name}"`);
    return db;
  }

  async register(server: Switchboard, options: { toolset?: string } = {}): Promise<Registration[]> {
    const config = this.#parsed.config;
    let names = this.tools;
    if (options.toolset !== undefined) {
      const members = this.toolsets[options.toolset];
      if (members === undefined) {
        const known = Object.keys(this.toolsets);
        throw new ToolsFileError(
          `${this.path}: no toolset "${options.toolset}" (toolsets: ${known.join(', ') || 'none defined'})`,
        );
      }
      names = members;
    }
    const registered: Registration[] = [];
    try {
      for (const name of names) {
        const tool = config.tools[name] as ToolConfig;
        const sourceName = tool.source ?? (Object.keys(config.sources)[0] as string);
        registered.push(await this.#registerTool(server, name, tool, sourceName, config));
      }
    } catch (error) {
      for (const registration of registered) registration.remove();
      throw error;
    }
    return registered;
  }

  async #registerTool(
    server: Switchboard,
    name: string,
    tool: ToolConfig,
    sourceName: string,
    config: ToolsConfig,
  ): Promise<Registration> {
    const locate = this.#parsed.locate;
    const source = config.sources[sourceName] as SourceConfig;
    const parameters = tool.parameters ?? [];
    const input = parametersShape(parameters, `${locate(['tools', name, 'parameters'])}: tool "${name}"`);
    const options: SqlToolOptions<z.ZodRawShape> = {
      name,
      description: tool.description,
      input,
      sql: '',
      maxRows: tool.maxRows ?? source.maxRows,
      maxBytes: tool.maxBytes ?? source.maxBytes,
      timeoutMs: tool.timeoutMs ?? source.timeoutMs,
      lockTimeoutMs: tool.lockTimeoutMs ?? source.lockTimeoutMs,
      plan: tool.plan ?? source.plan,
      jit: tool.jit ?? source.jit,
      identity: { role: tool.role ?? source.role, claims: tool.claims ?? source.claims },
      orderBy: tool.orderBy,
      paginate: tool.paginate === true ? { secret: config.cursorSecret, ttlMs: config.cursorTtlMs } : false,
      result: tool.result,
      notFound: tool.notFound,
      costGuard: tool.costGuard,
    };
    if (tool.title !== undefined) options.title = tool.title;
    if (tool.annotations !== undefined) options.annotations = tool.annotations;
    if (tool.scopes !== undefined) options.scopes = tool.scopes;
    try {
      options.sql = positionalToNamed(
        tool.statement,
        parameters.map((p) => p.name),
      );
      return await sqlTool(server, this.source(sourceName), options);
    } catch (error) {
      const where = locate(['tools', name, 'statement']);
      if (error instanceof SqlCheckError) {
        const what = error.message.startsWith('SQL tool ') ? '' : `SQL tool "${name}": `;
        throw new SqlCheckError(`${where}: ${what}${error.message}`);
      }
      if (error instanceof DatabaseUnavailableError) throw new DatabaseUnavailableError(`${where}: ${error.message}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#sources.values()].map((db) => db.close()));
  }
}
