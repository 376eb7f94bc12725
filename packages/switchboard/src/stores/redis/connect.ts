import type { Redis, RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../protocol/errors.js';

export interface RedisConnectOptions {
  /** How long the first connection may take before start-up fails (default 5 s). */
  connectTimeoutMs?: number;
  /** Shown in Redis's `CLIENT LIST` (default `switchboard`). */
  name?: string;
}

/**
 * Connects to Redis and checks that it answers, so a server whose Redis is down fails at start with a clear
 * message instead of on its first request. Once running, a lost connection is retried forever in the background;
 * meanwhile commands fail after a short wait (they are not queued without bound), so requests get clear errors and
 * the server recovers by itself when Redis is back.
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  const redis = await createRedisClient(url, options);
  await checkRedis(redis, url);
  return redis;
}

/** A client that has not connected yet (`lazyConnect`), with the retry and queueing settings described above. */
export async function createRedisClient(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const settings: RedisOptions = {
    connectionName: options.name ?? 'switchboard',
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  const redis = new Redis(url, settings);
  // Errors are reported by the commands that fail; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** Connects a client made by `createRedisClient` and checks that Redis answers; a failure disconnects it. */
export async function checkRedis(redis: Redis, url: string): Promise<void> {
  try {
    if (redis.status === 'wait') await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StoreUnavailableError(`Cannot reach Redis at ${redact(url)}: ${(error as Error).message}`);
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
