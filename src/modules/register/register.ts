import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { guardPoolErrors, inScope, type Db, type Trx } from '../../platform/db/database';
import type { LookupResult } from './model';
import { RegisterError, registerUnavailable } from './problems';
import { appendQueryLog, residenceFromRow, type QueryOutcome } from './store';
import { XRoadPopulationRegister } from './xroad';
import type { PopulationRegister, RegisterQuery } from './port';

/**
 * One interface to the population register, whatever stands behind it:
 * - `XRoadPopulationRegister`: the live register through X-Road (production; tests run it
 *   against the simulator, `simulator.ts`);
 * - `ExtractPopulationRegister`: the municipality's imported extract (and the demo data).
 * Implementations throw `RegisterError` when they get no usable answer.
 */
export type { PopulationRegister, RegisterQuery } from './port';

export class ExtractPopulationRegister implements PopulationRegister {
  readonly source = 'extract' as const;
  readonly service = null;
  constructor(private readonly ctx: AppContext) {}

  async lookup(q: RegisterQuery, outer?: Trx): Promise<{ result: LookupResult }> {
    // Inside the caller's transaction when there is one: no second connection while it holds one.
    const run = outer
      ? <T>(fn: (trx: Trx) => Promise<T>) => fn(outer)
      : <T>(fn: (trx: Trx) => Promise<T>) => inScope(this.ctx.db, { tenant: q.municipalityCode }, fn);
    return run(async (trx) => ({ result: extractAnswer(q.idCode, await extractResidences(trx, q)) }));
  }
}

export type ExtractRow = Parameters<typeof residenceFromRow>[0] & {
  given_name: string | null;
  family_name: string | null;
  birth_date: string;
};

/**
 * The extract's residence records of a person with their row (register_extract_residences, one
 * round trip; every live cast asks): null when there is no record or row-level security does not
 * show the person here.
 */
async function extractResidences(trx: Trx, q: Pick<RegisterQuery, 'municipalityCode' | 'personId'>) {
  const { rows } = await sql<{ r: ExtractRow[] | null }>`
    SELECT register_extract_residences(${q.municipalityCode}, ${q.personId}::uuid) AS r`.execute(trx);
  return rows[0]?.r ?? null;
}

/** The extract's answer from its rows (register_extract_residences, or register_live_check). */
export function extractAnswer(idCode: string, rows: ExtractRow[] | null): LookupResult {
  const p = rows?.[0];
  if (!p) return { found: false };
  return {
    found: true,
    person: {
      idCode,
      givenName: p.given_name,
      familyName: p.family_name,
      birthDate: p.birth_date,
      residences: rows.map(residenceFromRow),
    },
  };
}

interface CacheEntry {
  result: LookupResult;
  expires: number;
}

class RegisterService {
  readonly cache = new Map<string, CacheEntry>();
  readonly inFlight = new Map<string, Promise<LookupResult>>();
  /**
   * The query log is written through a small pool of its own: callers hold a connection of the
   * main pool (their transaction) while they wait for the register, so logging through the main
   * pool could wait forever for a free connection under load.
   */
  readonly logDb: Db;
  constructor(
    public register: PopulationRegister,
    appUrl: string,
  ) {
    const pool = new pg.Pool({
      connectionString: appUrl,
      max: 4,
      idleTimeoutMillis: 5_000,
      allowExitOnIdle: true,
    });
    guardPoolErrors(pool);
    this.logDb = new Kysely({ dialect: new PostgresDialect({ pool }) }) as unknown as Db;
  }
}

const services = new WeakMap<AppContext, RegisterService>();
const MAX_CACHE = 100_000;

function service(ctx: AppContext): RegisterService {
  let s = services.get(ctx);
  if (!s) {
    const cfg = ctx.config.register;
    s = new RegisterService(
      cfg.source === 'xroad' ? new XRoadPopulationRegister(cfg.xroad) : new ExtractPopulationRegister(ctx),
      ctx.database.appUrl,
    );
    services.set(ctx, s);
  }
  return s;
}

/** The register this platform instance uses. */
export const populationRegister = (ctx: AppContext): PopulationRegister => service(ctx).register;

/** Replaces the register of a context (tests; a platform pointed at a simulator). Clears the cache. */
export function usePopulationRegister(ctx: AppContext, register: PopulationRegister) {
  const s = service(ctx);
  s.register.close?.();
  s.register = register;
  s.cache.clear();
}

export function clearRegisterCache(ctx: AppContext) {
  service(ctx).cache.clear();
}

/**
 * Asks the register about a person, logs the query (who, about whom, why, outcome, time) in the
 * municipality's register query log — in a transaction of its own, so the log keeps the query
 * even when the caller's transaction rolls back — and turns failures into the 503
 * `service-unavailable` (dependency `population-register`) problem. Live (X-Road) answers are reused for `cacheSeconds`; parallel
 * questions about the same person share one query.
 */
export async function queryRegister(ctx: AppContext, q: RegisterQuery, trx?: Trx): Promise<LookupResult> {
  const s = service(ctx);
  const reg = s.register;
  const useCache = reg.source === 'xroad' && ctx.config.register.cacheSeconds > 0;
  const key = `${q.municipalityCode}:${q.personId}`;
  if (useCache) {
    const hit = s.cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.result;
    const pending = s.inFlight.get(key);
    if (pending) return pending;
  }
  const run = (async () => {
    const t0 = performance.now();
    let outcome: QueryOutcome;
    let messageId: string | undefined;
    let detail: string | null;
    try {
      const answer = await reg.lookup(q, trx);
      messageId = answer.messageId;
      outcome = answer.result.found ? 'found' : 'not-found';
      await log(s, q, reg, outcome, t0, messageId, null);
      if (useCache) {
        if (s.cache.size >= MAX_CACHE) s.cache.delete(s.cache.keys().next().value!);
        s.cache.set(key, { result: answer.result, expires: Date.now() + ctx.config.register.cacheSeconds * 1000 });
      }
      return answer.result;
    } catch (err) {
      if (!(err instanceof RegisterError)) {
        ctx.log.error({ err }, 'population register lookup failed unexpectedly');
        outcome = 'error';
        detail = 'unexpected failure';
      } else {
        outcome = err.failure;
        messageId = err.messageId;
        detail = err.message.slice(0, 500);
        ctx.log.warn(
          { failure: err.failure, detail, municipality: q.municipalityCode },
          'population register did not answer correctly',
        );
      }
      await log(s, q, reg, outcome, t0, messageId, detail);
      throw registerUnavailable(outcome === 'timeout' ? 'timeout' : outcome === 'malformed' ? 'malformed' : 'error');
    }
  })();
  if (!useCache) return run;
  s.inFlight.set(key, run);
  try {
    return await run;
  } finally {
    s.inFlight.delete(key);
  }
}

async function log(
  s: RegisterService,
  q: RegisterQuery,
  reg: PopulationRegister,
  outcome: QueryOutcome,
  t0: number,
  messageId: string | undefined,
  detail: string | null,
) {
  await inScope(s.logDb, { tenant: q.municipalityCode }, (trx) =>
    appendQueryLog(trx, {
      municipality_code: q.municipalityCode,
      asked_by: q.askedBy,
      subject_id: q.personId,
      purpose: q.purpose,
      reference: q.reference ?? null,
      source: reg.source,
      service: reg.service,
      outcome,
      duration_ms: Math.round(performance.now() - t0),
      message_id: messageId ?? null,
      detail,
    }),
  );
}
