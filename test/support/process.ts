import { fork, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import path from 'node:path';
import { freePort } from '../../src/platform/db/embedded';

/**
 * The platform as a separate OS process on a given database: for tests with two app nodes on
 * one database, and for crash tests (SIGKILL). Resolves once the server listens.
 */
export interface AppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Lines the process wrote to stdout and stderr (only with `captureOutput`). */
  output: string[];
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');

export async function startAppProcess(
  ownerUrl: string,
  env: Record<string, string> = {},
  opts: { captureOutput?: boolean } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATABASE_URL: ownerUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      KOV_MODE: 'test',
      KOV_SEED_DEMO: 'false',
      KOV_DEMO_IDP: 'true',
      KOV_WEB_DIST: '',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: opts.captureOutput ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // With captureOutput the log lines are kept (tests read them); warnings and errors are still shown.
  const output: string[] = [];
  for (const [stream, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      output.push(...lines);
      for (const line of lines) {
        const level = /^\{"level":(\d+)/.exec(line)?.[1];
        if (!level || Number(level) >= 40) to.write(line + '\n');
      }
    });
    stream.on('end', () => rest && output.push(rest));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app process did not start within 180 s')), 180_000);
    child.once('message', (m: any) => {
      if (m?.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app process exited with ${code} before it was ready`));
    });
  });
  const proc: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  after(() => proc.kill('SIGTERM'));
  return proc;
}
