import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config';
import { createLogger } from '../platform/log';
import { prepareDatabase } from '../platform/db/bootstrap';
import { createContext } from '../platform/context';
import { modules } from '../modules';
import { platformCommands } from './platformCommands';
import { UsageError, type CliCommand } from './command';

/** `kov` — the operators' command line. */
const commands: CliCommand[] = [...platformCommands, ...modules.flatMap((m) => m.commands ?? [])];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: kov <command> [options]   (npm run kov -- <command> …)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run kov <command> --help for its options.`;
}

export async function runCli(argv: string[], out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const command = commands.find((c) => {
    const words = c.name.split(' ');
    return words.every((w, i) => argv[i] === w);
  });
  if (!command) {
    console.error(`kov: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${overview()}`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command.help);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`kov ${command.name}: ${(err as Error).message}\n\n${command.help}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  try {
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      config,
      out,
      async openOwner() {
        const prepared = await prepareDatabase({
          databaseUrl: config.databaseUrl,
          appDatabaseUrl: config.appDatabaseUrl,
          dataDir: config.dataDir,
          log: (l) => out(l),
        });
        return { ownerUrl: prepared.ownerUrl, close: () => prepared.stop() };
      },
      async openContext() {
        const prepared = await prepareDatabase({
          databaseUrl: config.databaseUrl,
          appDatabaseUrl: config.appDatabaseUrl,
          dataDir: config.dataDir,
          log: (l) => out(l),
        });
        const ctx = createContext(config, prepared.ownerUrl, log, { jobWorkers: false, poolSize: 8 });
        try {
          for (const m of modules) await m.start?.(ctx);
        } catch (err) {
          await ctx.database.close();
          await prepared.stop();
          throw err;
        }
        return {
          ctx,
          ownerUrl: prepared.ownerUrl,
          close: async () => {
            await ctx.database.close();
            await prepared.stop();
          },
        };
      },
    });
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`kov ${command.name}: ${err.message}\n\n${command.help}`);
      return 2;
    }
    console.error(`kov ${command.name}: ${(err as Error).message}`);
    return 1;
  }
}
