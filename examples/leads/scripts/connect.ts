/**
 * Connects the official MCP client (`@modelcontextprotocol/sdk`) to a running leads server, signing in through its
 * authorization server the way any OAuth-capable MCP client does: discovery from the 401, dynamic registration,
 * PKCE, a loopback redirect. Usage (with `npm start` running in another terminal):
 *
 *   npm run connect -w switchboard-example-leads [-- http://127.0.0.1:3000/mcp "search text"]
 *
 * It prints the sign-in URL (and tries to open it), waits for the redirect, then lists the tools and runs one search
 * (the newest leads without search text).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.argv[2] ?? 'http://127.0.0.1:3000/mcp');
const query = process.argv[3];

/** Resolves with the `code` of the first redirect that reaches the loopback listener. */
function listenForRedirect(): Promise<{ redirectUrl: string; code: Promise<string> }> {
  return new Promise((ready) => {
    let deliver: (code: string) => void;
    const code = new Promise<string>((resolve) => {
      deliver = resolve;
    });
    const listener = createServer((req, res) => {
      const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      const received = params.get('code');
      res.writeHead(received ? 200 : 400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(received ? 'Signed in. You can close this tab.' : `Sign-in failed: ${params.get('error') ?? 'no code'}`);
      if (received) {
        listener.close();
        deliver(received);
      }
    });
    listener.listen(0, '127.0.0.1', () => {
      const { port } = listener.address() as AddressInfo;
      ready({ redirectUrl: `http://127.0.0.1:${port}/callback`, code });
    });
  });
}

/** Keeps registration, tokens and the PKCE verifier for this run only. */
function memoryProvider(redirectUrl: string): OAuthClientProvider {
  const kept: Record<string, unknown> = {};
  return {
    redirectUrl,
    clientMetadata: {
      client_name: 'Leads connect script',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    clientInformation: () => kept.client as never,
    saveClientInformation: (client) => {
      kept.client = client;
    },
    tokens: () => kept.tokens as never,
    saveTokens: (tokens) => {
      kept.tokens = tokens;
    },
    saveCodeVerifier: (verifier) => {
      kept.verifier = verifier;
    },
    codeVerifier: () => String(kept.verifier),
    redirectToAuthorization: (authorizationUrl) => {
      console.error(`Sign in (user "demo", the password npm start printed):\n  ${authorizationUrl.href}`);
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [authorizationUrl.href], { stdio: 'ignore', detached: true }).on('error', () => {});
    },
  };
}

const redirect = await listenForRedirect();
const provider = memoryProvider(redirect.redirectUrl);
const client = new Client({ name: 'leads-connect', version: '1.0.0' });
let transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
try {
  await client.connect(transport);
} catch (error) {
  if (!(error instanceof UnauthorizedError)) throw error;
  await transport.finishAuth(await redirect.code);
  transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await client.connect(transport);
}

const { tools } = await client.listTools();
console.log(`Tools: ${tools.map((tool) => tool.name).join(', ')}`);
const result = await client.callTool({ name: 'search_leads', arguments: query ? { query } : { sort: 'newest' } });
console.log(JSON.stringify(result.structuredContent ?? result.content, null, 2));
await client.close();
