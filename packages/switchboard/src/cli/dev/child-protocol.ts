import type { EntryKind } from '../entry/load-entry.js';

/** What `switchboard dev` tells each server process it starts, in the `SWITCHBOARD_DEV_CHILD` variable. */
export interface ChildConfig {
  entry: string;
  kind: EntryKind;
  transport: 'http' | 'stdio';
  port: number;
  host: string | undefined;
  path: string;
  /** `--shared-stores`: the child takes shared stores from REDIS_URL and DATABASE_URL. */
  sharedStores?: boolean;
}

/** The variable that carries a child's `ChildConfig` as JSON. */
export const CHILD_CONFIG_VARIABLE = 'SWITCHBOARD_DEV_CHILD';

/** What a server process reports to `switchboard dev` over IPC. */
export type ChildReport =
  | { type: 'ready'; url: string | undefined; name: string; version: string; stores: string }
  | { type: 'failed'; stage: 'load' | 'listen'; message: string; detail: string };
