import type { RedisOptions } from 'bullmq';
import { UsageError } from '../errors';

/** A parsed `--queue` URL: the connection options BullMQ passes to ioredis, and the URL safe to print. */
export interface QueueTarget {
  readonly options: RedisOptions;
  /** The URL with its password replaced by `***`: the only form of it that is printed or written. */
  readonly display: string;
}

/** How a connection behaves when Redis goes away. */
export type ConnectionRole = 'worker' | 'submitter';

const FORMAT = 'expected redis://[[user]:password@]host:port[/db] or rediss://… for TLS';

/** Every `scheme://…` up to the next white space: the candidates for a URL with a password. */
const URL_TOKEN = /[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/**
 * `token` with the user information of its authority (up to the authority's last `@`, as the URL
 * parser splits it) replaced by `shown`.
 */
function replaceUserInfo(token: string, shown: string): string {
  const start = token.indexOf('//') + 2;
  const rest = token.slice(start);
  const authorityEnd = rest.search(/[/?#\\]/);
  const at = (authorityEnd < 0 ? rest : rest.slice(0, authorityEnd)).lastIndexOf('@');
  return at < 0 ? token : `${token.slice(0, start)}${shown}${rest.slice(at)}`;
}

/** A URL's text with its password replaced by `***`, parsed as the connection parses it (`new URL`). */
function redactUrl(token: string): string {
  let url: URL;
  try {
    url = new URL(token);
  } catch {
    // Not a URL the connection could use: hide all its user information, where a password could be.
    return replaceUserInfo(token, '***');
  }
  return url.password === '' ? token : replaceUserInfo(token, `${url.username}:***`);
}

/**
 * Replaces the password of every URL (`scheme://user:password@…`) in `text` with `***`, finding it
 * with the same parser as the connection (`new URL`), so that a password holding `@` or `:` is
 * hidden whole.
 */
export function redact(text: string): string {
  return text.replace(URL_TOKEN, redactUrl);
}

/**
 * Parses `--queue URL` into ioredis options: `redis://[[user]:password@]host:port[/db]`, or
 * `rediss://…` for TLS (the server's certificate is verified against the system's CAs; set
 * `NODE_EXTRA_CA_CERTS` for a private CA). A malformed URL is a UsageError whose message never
 * contains the password. Workers and submitters retry every command through a Redis outage
 * (`maxRetriesPerRequest: null`), reconnecting with a backoff of at most 2 s.
 */
export function parseQueueUrl(url: string, role: ConnectionRole): QueueTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: without a parsable URL there is no telling which part is a password.
    throw new UsageError(`--queue: the value is not a URL; ${FORMAT}`);
  }
  const display = redact(url);
  const tls = parsed.protocol === 'rediss:';
  if (parsed.protocol !== 'redis:' && !tls) {
    throw new UsageError(`--queue: unsupported scheme '${parsed.protocol}' in ${display}; ${FORMAT}`);
  }
  if (parsed.hostname === '') throw new UsageError(`--queue: no host in ${display}; ${FORMAT}`);
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (!/^\d*$/.test(dbText) || parsed.search !== '' || parsed.hash !== '') {
    throw new UsageError(
      `--queue: '${dbText}${parsed.search}${parsed.hash}' is not a database number in ${display}; ${FORMAT}`,
    );
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RedisOptions = {
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(tls ? { tls: { servername: host } } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
    connectionName: `fbt-repro-${role}`,
  };
  return { options, display };
}

/**
 * Connects once to the Redis of `target` (no retries) and throws a UsageError naming the redacted
 * URL and the reason when it cannot be reached within `timeoutMs`.
 */
export async function checkReachable(target: QueueTarget, timeoutMs = 10_000): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({
    ...target.options,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  // The connection's own error (e.g. ECONNREFUSED) says more than the rejection ("Connection is closed").
  let cause: Error | null = null;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    // The 'error' event may follow the rejection: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const message = ((cause as Error | null) ?? (error as Error)).message.split('\n')[0] ?? '';
    throw new UsageError(`--queue: cannot reach Redis at ${target.display}: ${redact(message)}`);
  } finally {
    client.disconnect();
  }
}
