import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Switchboard } from 'switchboard-mcp';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import { serve } from 'switchboard-mcp/http';
import { sqlTool } from 'switchboard-mcp/sql';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sqlEngines } from '../support/services.js';
import { contactsDatabase, SQL_SETUP_TIMEOUT } from '../support/sql-fixture.js';

interface AnyClient {
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  listTools(): Promise<{ tools: { name: string; outputSchema?: unknown }[] }>;
  close(): Promise<void>;
}

type Page = { structuredContent?: { rows: Record<string, unknown>[]; nextCursor?: string }; isError?: boolean };

/**
 * The official clients validate every structuredContent against the tool's listed outputSchema (Ajv in v1): a
 * schema the gateway derived wrongly from the column types, or a value that does not fit it, fails the call.
 */
describe.each(sqlEngines())('SQL tools through the official SDK clients over HTTP on $name', ({ url }) => {
  let db: TestDatabase;
  let http: HttpServerHandle;

  beforeAll(async () => {
    db = await contactsDatabase(url);
    await db.exec(
      'INSERT INTO contacts (id, name, phone, owner, stage, created_at, visits, vip, tags) VALUES (' +
        "99, 'Nully', '+14155559999', 'alice', 'new', now(), 9007199254740993, false, ARRAY[NULL]::text[])",
    );
    const server = new Switchboard({ name: 'sql-interop', version: '1.0.0' });
    await sqlTool(server, db, {
      name: 'get_contact_by_phone',
      description: 'A contact by phone',
      input: { phone: z.string() },
      sql: 'SELECT id, name, stage, created_at, born, score, visits, vip, tags, meta FROM contacts WHERE phone = :phone',
    });
    await sqlTool(server, db, {
      name: 'get_contact',
      description: 'One contact by id',
      input: { id: z.number().int() },
      sql: 'SELECT id, name, stage FROM contacts WHERE id = :id',
      result: 'one',
    });
    await sqlTool(server, db, {
      name: 'list_contacts',
      description: 'Contacts, a page at a time',
      sql: 'SELECT id, name FROM contacts',
      orderBy: 'id',
      paginate: true,
      maxRows: 20,
    });
    http = await serve(server, { port: 0 });
  }, SQL_SETUP_TIMEOUT);
  afterAll(async () => {
    await http.close();
    await db.dispose();
  });

  const clients: [string, () => Promise<AnyClient>][] = [
    [
      'v1',
      async () => {
        const client = new ClientV1({ name: 'sql-v1', version: '1.0.0' });
        await client.connect(new TransportV1(new URL(http.url)));
        return client as unknown as AnyClient;
      },
    ],
    [
      'v2',
      async () => {
        const client = new ClientV2({ name: 'sql-v2', version: '1.0.0' });
        await client.connect(new TransportV2(new URL(http.url)));
        return client as unknown as AnyClient;
      },
    ],
  ];

  it.each(clients)('%s: every column type, nulls, a single row and all pages validate', async (_version, connect) => {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['get_contact_by_phone', 'get_contact', 'list_contacts']);
      const full = (await client.callTool({
        name: 'get_contact_by_phone',
        arguments: { phone: '+14155550003' },
      })) as Page;
      expect(full.structuredContent?.rows[0]).toMatchObject({ id: 3, stage: 'new', tags: ['t3'], meta: { n: 3 } });
      const nulls = (await client.callTool({
        name: 'get_contact_by_phone',
        arguments: { phone: '+14155559999' },
      })) as Page;
      expect(nulls.structuredContent?.rows[0]).toMatchObject({
        born: null,
        score: null,
        meta: null,
        tags: [null],
        visits: '9007199254740993',
      });
      expect(await client.callTool({ name: 'get_contact', arguments: { id: 5 } })).toMatchObject({
        structuredContent: { id: 5, name: 'Contact 5', stage: 'customer' },
      });
      expect(await client.callTool({ name: 'get_contact', arguments: { id: 1000 } })).toMatchObject({ isError: true });
      const ids: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = (await client.callTool({
          name: 'list_contacts',
          arguments: cursor === undefined ? {} : { cursor },
        })) as Page;
        ids.push(...(page.structuredContent?.rows ?? []).map((row) => row.id));
        cursor = page.structuredContent?.nextCursor;
      } while (cursor !== undefined);
      expect(ids).toEqual([...Array.from({ length: 50 }, (_, i) => i + 1), 99]);
    } finally {
      await client.close();
    }
  });
});
