import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
export function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

export type Route = (res: ServerResponse, origin: string) => void;

/** An https server on 127.0.0.1 serving client metadata documents (and misbehaving ones) by path. */
export async function startDocumentServer(routes: Record<string, Route>) {
  const { cert, key } = selfSignedCertificate();
  const held = new Set<ServerResponse>();
  let origin = '';
  const server = createServer({ cert, key }, (req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) return void res.writeHead(404).end();
    held.add(res);
    res.once('close', () => held.delete(res));
    route(res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    cert,
    url: (path: string) => `${origin}${path}`,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Serves a JSON document. */
export const json =
  (document: (origin: string) => unknown, headers: Record<string, string> = {}): Route =>
  (res, origin) =>
    void res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(document(origin)));
