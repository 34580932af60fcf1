import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './context';
import type { SyntheticPerson } from './demo/population';
import type { CliCommand } from '../cli/command';
import type { DatasetProvider } from './openData';
import type { WorkQueueProvider } from './workQueue';

/** A Fastify instance whose route schemas (TypeBox) type the handlers. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface SeedOptions {
  /** Deterministic seed for generated data. */
  seed: number;
  log: (line: string) => void;
  /** The synthetic residents just seeded (with their register residence), and their person ids. */
  population: (SyntheticPerson & { personId: string })[];
  /** Demo officials by municipality and role: `officials['0793'].admin` is a person id. */
  officials: Record<string, Partial<Record<'admin' | 'editor' | 'analyst', string>>>;
}

/**
 * Every domain module has the same anatomy (routes.ts, one file per use case, store.ts,
 * policy.ts, schemas.ts, tests beside them) and exports one manifest. `src/modules/index.ts`
 * lists the manifests; the app, the job runner and the demo seeder read that list.
 */
export interface KovModule {
  name: string;
  /** OpenAPI tag description. */
  description: string;
  /** Routes under /api/v1. */
  api?: (app: Api, ctx: AppContext) => Promise<void> | void;
  /** Routes at the root, for standards that fix their own paths (Open311, CKAN, iCalendar). */
  root?: (app: Api, ctx: AppContext) => Promise<void> | void;
  /** Defines the module's job queues and schedules (before the queue starts). */
  jobs?: (ctx: AppContext) => void;
  /**
   * Runs at start-up (server, `kov` commands, tests) after migrations and before any request:
   * checks of the module's secrets against the database and upgrade steps that need them.
   * Throwing stops the start with the error's message.
   */
  start?: (ctx: AppContext) => Promise<void>;
  /** Seeds demo data; runs once, in module order, on an empty database. */
  seedDemo?: (ctx: AppContext, opts: SeedOptions) => Promise<void>;
  /** `kov` sub-commands of this module. */
  commands?: CliCommand[];
  /**
   * The module's own data published as open datasets on a schedule, under the anonymisation
   * contract described in `src/platform/openData.ts` (the open data module runs them).
   */
  openData?: DatasetProvider[];
  /**
   * What waits for the module's officials (reports to handle, ideas to review, sittings to
   * prepare …), shown on their work queue page (`src/platform/workQueue.ts`).
   */
  workQueue?: WorkQueueProvider[];
}
