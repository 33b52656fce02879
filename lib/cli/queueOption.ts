/** `--queue URL` of `experiment`, `worker` and `queue`: the Redis connection, or a usage error naming the command. */
import { parseRedisUrl, type RedisConnection } from '../experiment/queue/redisUrl.ts';
import { UsageError } from './args.ts';

export function queueConnection(command: string, url: string): RedisConnection {
  try {
    return parseRedisUrl(url);
  } catch (e) {
    throw new UsageError(`ladtl ${command}: ${(e as Error).message}`);
  }
}
