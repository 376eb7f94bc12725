import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Switchboard } from 'switchboard-mcp';
import { jwtVerifier } from 'switchboard-mcp/auth';
import { z } from 'zod';
import { announce, transport } from './child.js';

/**
 * The Switchboard server behind OAuth: every request carries a bearer JWT (ES256, `at+jwt`) verified against a
 * JWKS served over HTTP from this process, as it would be from an authorization server. The token goes to the
 * runner in the announced URL's fragment (`#bearer=`), which the load driver turns into an Authorization header.
 */
if (transport === 'stdio') throw new Error('the protected server is HTTP only: stdio carries no OAuth');

const { publicKey, privateKey } = await generateKeyPair('ES256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const jwks = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
);
await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;

const server = new Switchboard({ name: 'bench-switchboard-protected', version: '1.0.0' });
server.tool(
  'add',
  { description: 'Add two numbers', input: { a: z.number(), b: z.number() }, scopes: ['calc'] },
  ({ a, b }) => String(a + b),
);
const handle = await server.listen({
  port: 0,
  auth: {
    authorizationServers: [issuer],
    verifier: jwtVerifier({ issuer, jwksUri: `${issuer}/jwks` }),
    scopesSupported: ['calc'],
  },
});
const token = await new SignJWT({ sub: 'bench', scope: 'calc', client_id: 'bench' })
  .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'at+jwt' })
  .setIssuer(issuer)
  .setAudience(handle.url)
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(privateKey);
announce(`${handle.url}#bearer=${token}`);
