import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as oauth from 'oauth4webapi';
import { OAuthClientError } from './errors.js';

/** The tokens of one server, as the token endpoint gave them, with the time the access token stops working. */
export interface CachedTokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  scope?: string;
  /** Epoch milliseconds; absent when the server gave no `expires_in`. */
  expires_at?: number;
}

/** Everything the CLI keeps for one protected server (keyed by its URL, the RFC 8707 resource). */
export interface CachedLogin {
  resource: string;
  /** The authorization server's RFC 8414 metadata, so a refresh needs no discovery. */
  authorizationServer: oauth.AuthorizationServer;
  /** The registration (DCR) or the metadata document URL (CIMD) used as `client_id`. */
  client: { client_id: string; client_secret?: string; token_endpoint_auth_method?: string; redirect_uri?: string };
  /** How the client was registered, for `whoami`. */
  registration: 'dynamic' | 'metadata-document' | 'preregistered';
  tokens: CachedTokens;
  /** Epoch milliseconds of the sign-in. */
  signed_in_at: number;
}

interface CacheFile {
  version: 1;
  servers: Record<string, CachedLogin>;
}

/**
 * Where the CLI keeps its tokens: `$XDG_CONFIG_HOME/switchboard`, else `~/.config/switchboard` (also on macOS,
 * like most developer CLIs), else `%APPDATA%\switchboard` on Windows.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '') return join(env.XDG_CONFIG_HOME, 'switchboard');
  if (process.platform === 'win32' && env.APPDATA !== undefined) return join(env.APPDATA, 'switchboard');
  return join(homedir(), '.config', 'switchboard');
}

/** The key of a server in the cache: its URL without a fragment, as `URL` spells it. */
export function resourceKey(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

/**
 * The token cache: one JSON file, readable and writable by this user only (mode 0600, in a 0700 folder), written
 * whole to a temporary file and renamed into place so a crash or a second CLI never leaves half a file.
 */
export class TokenCache {
  readonly path: string;

  constructor(dir: string = configDir()) {
    this.path = join(dir, 'tokens.json');
  }

  get(resource: string): CachedLogin | undefined {
    return this.#read().servers[resourceKey(resource)];
  }

  list(): CachedLogin[] {
    return Object.values(this.#read().servers);
  }

  set(login: CachedLogin): void {
    const file = this.#read();
    file.servers[resourceKey(login.resource)] = login;
    this.#write(file);
  }

  /** Forgets a server; true when there was something to forget. */
  delete(resource: string): boolean {
    const file = this.#read();
    const key = resourceKey(resource);
    if (file.servers[key] === undefined) return false;
    delete file.servers[key];
    this.#write(file);
    return true;
  }

  #read(): CacheFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, servers: {} };
      throw new OAuthClientError(`cannot read the token cache ${this.path}: ${(error as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as CacheFile;
      if (parsed.version !== 1 || typeof parsed.servers !== 'object' || parsed.servers === null) throw new Error();
      return parsed;
    } catch {
      throw new OAuthClientError(
        `the token cache ${this.path} is not a Switchboard token file; delete it to sign in afresh`,
      );
    }
  }

  #write(file: CacheFile): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    // The mode of `writeFileSync` is masked by the umask and ignored for an existing file: set it outright.
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }
}
