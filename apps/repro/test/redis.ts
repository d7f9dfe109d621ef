import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { describe, it } from 'vitest';

/** Whether Debian's `redis-server` is on the PATH. */
export const HAS_REDIS = spawnSync('redis-server', ['--version']).status === 0;

/**
 * `describe` for tests that need a Redis server: skipped, with the reason printed, when
 * `redis-server` is absent, unless CI=true, where its absence is a failure.
 */
export function describeRedis(name: string, body: () => void): void {
  if (HAS_REDIS) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error('redis-server is not installed; CI=true requires it (apt-get install redis-server)');
      });
    });
  } else {
    console.log(`skipping "${name}": redis-server is not installed (apt-get install redis-server)`);
    describe.skip(name, body);
  }
}

/** A Redis server of a test's own, on 127.0.0.1, without persistence. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM; its data are lost). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** Starts `redis-server` on a free port of 127.0.0.1 with `--save '' --appendonly no`. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      for (let i = 0; i < 100; i++) {
        if (await answersPing(port)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async stop() {
      const c = child;
      if (c === null || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
      child = null;
    },
  };
  await redis.start();
  return redis;
}
