import { readFileSync } from 'node:fs';
import { serve } from 'switchboard-mcp/http';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { legacyHeaders, openLegacySession, post } from '../test/support/http.js';
import { redisUrl } from '../test/support/services.js';
import { createServer } from './examples/deploy.js';

const deployDoc = readFileSync(new URL('./deploy.md', import.meta.url), 'utf8');

describe('docs/deploy.md', () => {
  it('keeps memory stores without REDIS_URL', () => {
    expect(createServer({}).stores).toBeUndefined();
  });

  it.skipIf(redisUrl() === undefined)('shares a session between two instances with REDIS_URL', async () => {
    const env = { REDIS_URL: redisUrl(), STATE_SECRET: 'deploy-doc-state-secret-0123456789abcdef' };
    const [one, two] = [createServer(env), createServer(env)];
    const [first, second] = await Promise.all([serve(one, { port: 0 }), serve(two, { port: 0 })]);
    try {
      const session = await openLegacySession(first.url);
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_lead_by_phone', arguments: { phone: '+14155550100' } },
      });
      const response = await post(second.url, body, legacyHeaders(session));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Lead for +14155550100: stage=trial');
    } finally {
      await Promise.all([first.close(), second.close()]);
      await Promise.all([one.stores?.close(), two.stores?.close()]);
    }
  });

  it('has compose and Kubernetes YAML that parses, with three replicas', () => {
    const blocks = [...deployDoc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    expect(blocks).toHaveLength(2);
    const [compose, kubernetes] = blocks.map((block) => parseAllDocuments(block).map((doc) => doc.toJS()));
    expect(compose?.[0]).toMatchObject({
      services: { mcp: { deploy: { replicas: 3 } }, lb: {}, redis: {}, postgres: {} },
    });
    const kinds = (kubernetes ?? []).map((doc) => (doc as { kind: string }).kind);
    expect(kinds).toEqual(['Deployment', 'Service', 'Ingress']);
    expect(kubernetes?.[0]).toMatchObject({ spec: { replicas: 3 } });
  });
});
