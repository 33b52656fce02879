/**
 * Redis connections of the grid queue from URLs, as Redis clients take them:
 * `redis://[[user]:password@]host[:port][/db]`, and `rediss://` for TLS (certificates checked by
 * Node's default CA store; `NODE_EXTRA_CA_CERTS` adds a private CA). Nothing else is read from
 * the URL; a password never appears in messages (`redisUrlForDisplay`).
 */

/** What ioredis (through BullMQ) is given. */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: { servername: string };
  /** BullMQ's workers block on Redis; ioredis must not give up on a command. */
  maxRetriesPerRequest: null;
}

/** Parses a queue URL; throws an Error that says what is wrong with it. */
export function parseRedisUrl(text: string): RedisConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--queue: not a URL: "${redisUrlForDisplay(text)}" (expected redis://HOST:PORT[/DB] or rediss://...)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`--queue: the scheme must be redis:// or rediss:// (TLS), got "${url.protocol}//"`);
  if (!url.hostname) throw new Error(`--queue: no host in "${redisUrlForDisplay(text)}"`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText)) throw new Error(`--queue: the path must be a database number, got "/${dbText}"`);
  if (url.search || url.hash) throw new Error('--queue: query strings and fragments are not read; give options in the URL\'s user, password, host, port and database');
  const connection: RedisConnection = { host: url.hostname.replace(/^\[|\]$/g, ''), port, db: dbText === '' ? 0 : Number(dbText), maxRetriesPerRequest: null };
  if (url.username) connection.username = decodeURIComponent(url.username);
  if (url.password) connection.password = decodeURIComponent(url.password);
  if (url.protocol === 'rediss:') connection.tls = { servername: connection.host };
  return connection;
}

/** The URL with its password replaced by `***`, for messages. */
export function redisUrlForDisplay(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return text.replace(/:[^:@/]*@/, ':***@');
  }
}

/** A command line with the value of `--queue` masked (`redisUrlForDisplay`), for lock files, reports and logs. */
export function maskQueueArguments(argv: readonly string[]): string[] {
  return argv.map((a, i) => (argv[i - 1] === '--queue' ? redisUrlForDisplay(a) : a.startsWith('--queue=') ? `--queue=${redisUrlForDisplay(a.slice(8))}` : a));
}
