import type { Trx } from '../../platform/db/database';
import type { LookupResult } from './model';

/**
 * The population register as the module sees it: the query and the interface both sources (X-Road
 * and the imported extract) implement. Kept apart from register.ts so that an implementation does
 * not import the module that chooses it.
 */
export interface RegisterQuery {
  /** On whose behalf: the municipality whose X-Road client asks and whose log records it. */
  municipalityCode: string;
  /** The person asked about (platform id) and their ID code. */
  personId: string;
  idCode: string;
  /** Why: e.g. `vote`, `eligibility`, `profile`. Logged and sent as X-Road-Issue. */
  purpose: string;
  /** Free reference logged with the purpose, e.g. `electorate:<id>`. */
  reference?: string | undefined;
  /** Who asked (person id), null for the platform itself. */
  askedBy: string | null;
  /** The asker's ID code, sent as X-Road-UserId. */
  askedByIdCode?: string | null | undefined;
}

export interface PopulationRegister {
  readonly source: 'xroad' | 'extract';
  /** Service name for the log (RR434), null for local data. */
  readonly service: string | null;
  /** `trx`: the caller's transaction (in the municipality's scope), for implementations that read the database. */
  lookup(q: RegisterQuery, trx?: Trx): Promise<{ result: LookupResult; messageId?: string }>;
  close?(): void;
}
