import { Redis } from 'ioredis';

/**
 * The shared Redis of a deployment with several server instances. Commands
 * fail fast while it is unreachable (no offline queue, one retry) so a Redis
 * outage slows no request; the client reconnects on its own.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 500,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  // Connection errors are retried by the client; unhandled, the event would end the process.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    const why = e instanceof Error ? e.message : 'unreachable';
    throw new RedisUnreachableError(`cannot reach Redis at REDIS_URL (${redactCredentials(url)}): ${why}`);
  }
  return redis;
}

export class RedisUnreachableError extends Error {
  override name = 'RedisUnreachableError';
}

/** A URL fit for a log line: no password. */
function redactCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'an invalid URL';
  }
}
