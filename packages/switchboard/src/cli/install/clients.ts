import { homedir } from 'node:os';
import { join } from 'node:path';
import { ClientConfigError } from '../errors.js';

/** The clients `install` writes to. */
export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'codex', 'gemini'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];
/** `user`: the client's config for every project; `project`: a file in the current folder, to commit. */
export type Scope = 'user' | 'project';

/** Where this machine keeps things, as the clients look for them. */
export interface InstallEnvironment {
  platform: NodeJS.Platform;
  home: string;
  cwd: string;
  /** `%APPDATA%` on Windows. */
  appData?: string;
  /** `$XDG_CONFIG_HOME` on Linux. */
  xdgConfigHome?: string;
  /** `$CODEX_HOME`, where Codex keeps config.toml. */
  codexHome?: string;
}

/** The server to write: a command the client starts (stdio), or a Streamable HTTP URL. */
export type ServerSpec =
  | { kind: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { kind: 'http'; url: string };

/** One client's config file format, where it lives, and how it spells a server. */
export interface ClientSpec {
  readonly id: ClientId;
  readonly title: string;
  readonly format: 'json' | 'toml';
  /** The key under which the client keeps its servers. */
  readonly serversKey: string;
  readonly defaultScope: Scope;
  readonly locations: Partial<Record<Scope, (env: InstallEnvironment) => string>>;
  /** The client's entry for `server`; throws when the client cannot use such a server from its config file. */
  entry(server: ServerSpec): Record<string, unknown>;
}

/** The OS's per-user application-data folder (macOS Application Support, Windows %APPDATA%, XDG on Linux). */
function appConfigDir(env: InstallEnvironment): string {
  if (env.platform === 'darwin') return join(env.home, 'Library', 'Application Support');
  if (env.platform === 'win32') return env.appData ?? join(env.home, 'AppData', 'Roaming');
  return env.xdgConfigHome ?? join(env.home, '.config');
}

const withEnv = (env: Record<string, string>) => (Object.keys(env).length > 0 ? { env } : {});

/** `{ command, args, env }` for stdio and `{ <urlKey>: url }` for HTTP, the shape most clients share. */
function plainEntry(urlKey: string, typed: boolean) {
  return (server: ServerSpec): Record<string, unknown> =>
    server.kind === 'stdio'
      ? { ...(typed && { type: 'stdio' }), command: server.command, args: server.args, ...withEnv(server.env) }
      : { ...(typed && { type: 'http' }), [urlKey]: server.url };
}

/** Every client `install` knows, by id. */
export const CLIENTS: Readonly<Record<ClientId, ClientSpec>> = {
  'claude-desktop': {
    id: 'claude-desktop',
    title: 'Claude Desktop',
    format: 'json',
    serversKey: 'mcpServers',
    defaultScope: 'user',
    locations: { user: (env) => join(appConfigDir(env), 'Claude', 'claude_desktop_config.json') },
    entry: (server) => {
      if (server.kind === 'http') {
        throw new ClientConfigError(
          'Claude Desktop starts only stdio servers from its config file: add a remote server under Settings → Connectors, or install its entry file instead',
        );
      }
      return plainEntry('url', false)(server);
    },
  },
  'claude-code': {
    id: 'claude-code',
    title: 'Claude Code',
    format: 'json',
    serversKey: 'mcpServers',
    defaultScope: 'project',
    locations: { project: (env) => join(env.cwd, '.mcp.json'), user: (env) => join(env.home, '.claude.json') },
    entry: plainEntry('url', true),
  },
  cursor: {
    id: 'cursor',
    title: 'Cursor',
    format: 'json',
    serversKey: 'mcpServers',
    defaultScope: 'user',
    locations: {
      user: (env) => join(env.home, '.cursor', 'mcp.json'),
      project: (env) => join(env.cwd, '.cursor', 'mcp.json'),
    },
    entry: plainEntry('url', false),
  },
  vscode: {
    id: 'vscode',
    title: 'VS Code',
    format: 'json',
    serversKey: 'servers',
    defaultScope: 'project',
    locations: {
      project: (env) => join(env.cwd, '.vscode', 'mcp.json'),
      user: (env) => join(appConfigDir(env), 'Code', 'User', 'mcp.json'),
    },
    entry: plainEntry('url', true),
  },
  codex: {
    id: 'codex',
    title: 'Codex',
    format: 'toml',
    serversKey: 'mcp_servers',
    defaultScope: 'user',
    locations: {
      user: (env) => join(env.codexHome ?? join(env.home, '.codex'), 'config.toml'),
      project: (env) => join(env.cwd, '.codex', 'config.toml'),
    },
    entry: plainEntry('url', false),
  },
  gemini: {
    id: 'gemini',
    title: 'Gemini CLI',
    format: 'json',
    serversKey: 'mcpServers',
    defaultScope: 'user',
    locations: {
      user: (env) => join(env.home, '.gemini', 'settings.json'),
      project: (env) => join(env.cwd, '.gemini', 'settings.json'),
    },
    // Gemini CLI reads `url` as an SSE endpoint; Streamable HTTP is `httpUrl`.
    entry: plainEntry('httpUrl', false),
  },
};

/** The environment of this process. */
export function currentEnvironment(): InstallEnvironment {
  const env: InstallEnvironment = { platform: process.platform, home: homedir(), cwd: process.cwd() };
  if (process.env.APPDATA) env.appData = process.env.APPDATA;
  if (process.env.XDG_CONFIG_HOME) env.xdgConfigHome = process.env.XDG_CONFIG_HOME;
  if (process.env.CODEX_HOME) env.codexHome = process.env.CODEX_HOME;
  return env;
}
