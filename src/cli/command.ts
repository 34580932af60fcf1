import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config';
import type { AppContext } from '../platform/context';

/** A `kov` sub-command. Modules export theirs in their manifest (`commands`). */
export interface CliCommand {
  /** One or two words, e.g. `db migrate`, `register import`. */
  name: string;
  summary: string;
  /** Full help text shown by `kov <name> --help`: usage line, arguments and options. */
  help: string;
  options?: ParseArgsConfig['options'];
  run(io: CliIo): Promise<number>;
}

export interface CliIo {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  config: Config;
  /** Progress and results (stdout). */
  out: (line: string) => void;
  /** Opens the platform database (embedded or DATABASE_URL), migrated; close it when done. */
  openContext(): Promise<{ ctx: AppContext; ownerUrl: string; close(): Promise<void> }>;
  /**
   * Prepares the database as its owner (migrations, places, roles' grants, job queue) without
   * opening the application's connections: for `db migrate` and `db roles`, which an operator runs
   * with the owner's URL only (the application role's password may be one they chose).
   */
  openOwner(): Promise<{ ownerUrl: string; close(): Promise<void> }>;
}

export class UsageError extends Error {}
