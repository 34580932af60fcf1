import type { AppContext } from '../../platform/context';
import { sql } from 'kysely';
import { inScope, type Trx } from '../../platform/db/database';
import { Problem, invalid, notFound } from '../../platform/http/problems';
import { loadElectorateRow, type ElectorateRow } from './electorates';
import { ageReason, residenceOn, tallinnDate, type EligibilityAnswer } from './model';
import { ELECTORATE_NOT_FROZEN } from './problems';
import {
  ExtractPopulationRegister,
  extractAnswer,
  populationRegister,
  queryRegister,
  type ExtractRow,
} from './register';
import type { LookupResult } from './model';

import { frozenList } from './frozenLists';
import { parseIdCode } from '../../platform/identity/personalIdCode';

/**
 * The person's birth date: their row, visible in the tenant's scope to themself and to the
 * municipality they are linked to (row-level security on `person`, migration 0901). A person the
 * municipality does not know yet (an official entering a paper voter by code, live register mode)
 * is read off the ID code the caller holds; otherwise they are nobody this caller may ask about.
 */
async function birthDateOf(trx: Trx, input: EligibilityInput): Promise<{ birth_date: string }> {
  const row = await trx.selectFrom('person').select(['birth_date']).where('id', '=', input.personId).executeTakeFirst();
  return row ?? fromCode(input);
}

function fromCode(input: EligibilityInput): { birth_date: string } {
  const parsed = input.idCode ? parseIdCode(input.idCode) : undefined;
  if (parsed?.ok) return { birth_date: parsed.value.birthDate };
  throw notFound('Person');
}

/**
 * What a live check needs to know of the person, in one round trip (a cast asks this on every
 * first ballot): the birth date (their row, as row-level security shows it: see birthDateOf), the
 * include/exclude entries, and the ID codes a register query is asked with — the person's and the
 * asking official's — as kov_person_codes answers them (read even when an exclusion or the age
 * settles the answer first: they stay in this process, and a second round trip costs more).
 */
async function liveFacts(
  trx: Trx,
  e: ElectorateRow,
  personId: string,
  askedBy: string | null,
): Promise<{ birthDate: string | null; include: boolean; exclude: boolean; codes: Map<string, string> }> {
  const ids = askedBy && askedBy !== personId ? [personId, askedBy] : [personId];
  const { rows } = await sql<{ birth_date: string | null; lists: string[]; codes: [string, string][] | null }>`
    SELECT (SELECT p.birth_date FROM person p WHERE p.id = ${personId}) AS birth_date,
           ARRAY(SELECT l.list FROM electorate_list_entry l
                  WHERE l.municipality_code = ${e.municipality_code} AND l.electorate_id = ${e.id}
                    AND l.person_id = ${personId}) AS lists,
           (SELECT json_agg(json_build_array(c.person_id, c.id_code)) FROM kov_person_codes(${ids}::uuid[]) c) AS codes`.execute(
    trx,
  );
  const r = rows[0]!;
  return {
    birthDate: r.birth_date,
    include: r.lists.includes('include'),
    exclude: r.lists.includes('exclude'),
    codes: new Map(r.codes ?? []),
  };
}

export interface EligibilityInput {
  municipalityCode: string;
  electorateId: string;
  personId: string;
  /** The moment of voting: residence "at voting time" is taken on this day (Europe/Tallinn). */
  at: Date;
  /** Why the register is asked, e.g. `vote`, `vote-preview`; logged with every register query. */
  purpose: string;
  /** Who asks, if not the person themselves (an official at a service point); null = the platform. */
  askedBy?: string | null;
  /** Logged with the purpose, e.g. `poll:<id>`. */
  reference?: string;
  /**
   * The person's ID code when the caller holds it already (an official entering a paper vote by
   * code); otherwise it is read with kov_person_codes (the acting person, or one linked to the tenant).
   */
  idCode?: string;
  /**
   * The person's birth date when the caller holds it already (a voter's own, from their session):
   * a live check without a transaction of the caller then asks the age first and needs no read of
   * the person's row (see checkEligibility).
   */
  birthDate?: string;
}

// Frozen definitions never change again, nor do those locked by a vote that uses them
// (assertEditable refuses both), so they are kept in memory: the hot path of a frozen check is
// then a single primary-key lookup (which row-level security still guards), and a live check does
// not read the definition again on every cast.
const fixedDefinitions = new WeakMap<AppContext, Map<string, ElectorateRow>>();

async function electorate(
  ctx: AppContext,
  trx: Trx,
  municipalityCode: string,
  id: string,
): Promise<ElectorateRow | undefined> {
  let cache = fixedDefinitions.get(ctx);
  if (!cache) fixedDefinitions.set(ctx, (cache = new Map()));
  const key = `${municipalityCode}:${id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await loadElectorateRow(trx, municipalityCode, id);
  if (row?.frozen_at || row?.locked_at) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, row);
  }
  return row;
}

function cachedElectorate(ctx: AppContext, municipalityCode: string, id: string): ElectorateRow | undefined {
  return fixedDefinitions.get(ctx)?.get(`${municipalityCode}:${id}`);
}

const PURPOSE = /^[a-z][a-z0-9.:_-]{1,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * May this person vote in this electorate? Usable inside the caller's transaction, which must be
 * in the municipality's scope (`inScope(ctx.db, { tenant: municipalityCode }, …)`).
 *
 * Frozen mode: membership of the frozen voter list (kept in memory once loaded; frozen lists never
 * change); not on it → the age
 * reason if the age window explains it, `excluded` if the exclude list does, else `not-on-list`.
 * Live mode: exclude list → age on the reference date → include list → the register's residence
 * on the reference date or the voting day (asked through `queryRegister`: logged, cached shortly).
 *
 * Throws the 503 problem `service-unavailable` (dependency `population-register`) when the live register does not answer
 * correctly — never a guessed answer. The caller's transaction then rolls back: nothing recorded.
 */
export async function checkEligibility(
  ctx: AppContext,
  outer: Trx | null,
  input: EligibilityInput,
): Promise<EligibilityAnswer> {
  if (!PURPOSE.test(input.purpose))
    throw invalid([{ pointer: '/purpose', detail: 'a short lowercase word such as "vote"' }]);
  if (!UUID.test(input.electorateId)) throw notFound('Electorate');
  const askedBy = input.askedBy === undefined ? input.personId : input.askedBy;
  const scope = { tenant: input.municipalityCode, actor: askedBy ?? undefined };
  const e = outer
    ? await electorate(ctx, outer, input.municipalityCode, input.electorateId)
    : (cachedElectorate(ctx, input.municipalityCode, input.electorateId) ??
      (await inScope(ctx.db, scope, (trx) => electorate(ctx, trx, input.municipalityCode, input.electorateId))));
  if (!e) throw notFound('Electorate');
  if (!outer) {
    // Without the caller's transaction: a live check of a person whose birth date the caller holds,
    // against the register extract, is one statement (liveCheckAlone); anything else runs in a
    // transaction of its own, as the caller's would.
    if (e.mode === 'live' && input.birthDate && populationRegister(ctx) instanceof ExtractPopulationRegister)
      return liveCheckAlone(ctx, e, input, input.birthDate, askedBy);
    return inScope(ctx.db, scope, (trx) => checkEligibility(ctx, trx, input));
  }
  const trx = outer;
  const db = trx;

  if (e.mode === 'frozen') {
    if (!e.frozen_at)
      throw new Problem(ELECTORATE_NOT_FROZEN, `The voter list of "${e.name}" has not been frozen yet.`);
    const list = await frozenList(ctx, trx, e.municipality_code, e.id, e.frozen_size!);
    if (list) {
      const hit = list.find(input.personId);
      if (hit)
        return {
          eligible: true,
          municipalityCode: e.municipality_code,
          settlementCode: hit.settlementCode,
          basis: hit.basis,
          mode: 'frozen',
        };
    }
    // Without the list in memory (the transaction did not see all of it), ask the database.
    const v = list
      ? undefined
      : await db
          .selectFrom('electorate_voter')
          .select(['settlement_code', 'basis'])
          .where('municipality_code', '=', e.municipality_code)
          .where('electorate_id', '=', e.id)
          .where('person_id', '=', input.personId)
          .executeTakeFirst();
    if (v)
      return {
        eligible: true,
        municipalityCode: e.municipality_code,
        settlementCode: v.settlement_code,
        basis: v.basis,
        mode: 'frozen',
      };
    const person = await birthDateOf(trx, input);
    const age = ageReason(person.birth_date, e.reference_date, e.min_age, e.max_age);
    if (age) return { eligible: false, reason: age, mode: 'frozen' };
    const lists = await listsOf(trx, e, input.personId);
    return { eligible: false, reason: lists.exclude ? 'excluded' : 'not-on-list', mode: 'frozen' };
  }

  const facts = await liveFacts(trx, e, input.personId, askedBy);
  const person = facts.birthDate ? { birth_date: facts.birthDate } : fromCode(input);
  return liveRule(e, input, person.birth_date, facts, async () => {
    // The codes the register query needs: the caller's, or those kov_person_codes answers (the
    // acting person, persons linked to the municipality). Otherwise not this caller's to ask about.
    const codes = facts.codes;
    const idCode = input.idCode ?? codes.get(input.personId);
    if (!idCode) throw notFound('Person');
    let askedByIdCode: string | null = null;
    if (askedBy === input.personId) askedByIdCode = idCode;
    else if (askedBy) askedByIdCode = codes.get(askedBy) ?? null;
    return queryRegister(
      ctx,
      {
        municipalityCode: e.municipality_code,
        personId: input.personId,
        idCode,
        purpose: input.purpose,
        reference: input.reference ?? `electorate:${e.id}`,
        askedBy,
        askedByIdCode,
      },
      trx,
    );
  });
}

/**
 * The live rule, in this order: exclude list → age on the reference date → include list →
 * (list-only electorates: not on the list) → the register's residence on the reference date or
 * the voting day. `ask` asks the register (and logs the query); it is called only when the rule
 * gets that far.
 */
async function liveRule(
  e: ElectorateRow,
  input: EligibilityInput,
  birthDate: string,
  lists: { include: boolean; exclude: boolean },
  ask: () => Promise<LookupResult>,
): Promise<EligibilityAnswer> {
  if (lists.exclude) return { eligible: false, reason: 'excluded', mode: 'live' };
  const age = ageReason(birthDate, e.reference_date, e.min_age, e.max_age);
  if (age) return { eligible: false, reason: age, mode: 'live' };
  if (lists.include)
    return {
      eligible: true,
      municipalityCode: e.municipality_code,
      settlementCode: null,
      basis: 'include-list',
      mode: 'live',
    };
  if (e.scope === 'list') return { eligible: false, reason: 'not-on-list', mode: 'live' };
  const answer = await ask();
  if (!answer.found) return { eligible: false, reason: 'not-resident', mode: 'live' };
  const day = e.residence_at === 'voting-time' ? tallinnDate(input.at) : e.reference_date;
  const r = residenceOn(answer.person.residences, day);
  if (!r || r.municipalityCode !== e.municipality_code)
    return { eligible: false, reason: 'not-resident', mode: 'live' };
  if (e.scope === 'settlements' && (!r.settlementCode || !e.settlement_codes.includes(r.settlementCode)))
    return { eligible: false, reason: 'wrong-settlement', mode: 'live' };
  return {
    eligible: true,
    municipalityCode: e.municipality_code,
    settlementCode: r.settlementCode,
    basis: 'residence',
    mode: 'live',
  };
}

/**
 * A live check on its own, against the register extract, in one statement (register_live_check:
 * its own transaction, the query log included): the list entries, and the extract's answer when
 * the rule will need it — the age (from the birth date the caller holds) passes, the electorate
 * is not list-only, and no list entry settles it first; then the same rule as in a transaction.
 */
async function liveCheckAlone(
  ctx: AppContext,
  e: ElectorateRow,
  input: EligibilityInput,
  birthDate: string,
  askedBy: string | null,
): Promise<EligibilityAnswer> {
  const ask = !ageReason(birthDate, e.reference_date, e.min_age, e.max_age) && e.scope !== 'list';
  const { rows } = await sql<{ o_lists: string[]; o_asked: boolean; o_residences: ExtractRow[] | null }>`
    SELECT o_lists, o_asked, o_residences
      FROM register_live_check(${e.municipality_code}, ${askedBy}::uuid, ${e.id}::uuid, ${input.personId}::uuid,
                               ${ask}, ${askedBy}::uuid, ${input.purpose}, ${input.reference ?? `electorate:${e.id}`})`.execute(
    ctx.db,
  );
  const r = rows[0]!;
  const lists = { include: r.o_lists.includes('include'), exclude: r.o_lists.includes('exclude') };
  return liveRule(e, input, birthDate, lists, async () => {
    if (!r.o_asked) throw new Error('register_live_check did not ask the register where the rule does');
    return extractAnswer(input.idCode ?? '', r.o_residences);
  });
}

async function listsOf(trx: Trx, e: ElectorateRow, personId: string): Promise<{ include: boolean; exclude: boolean }> {
  const rows = await trx
    .selectFrom('electorate_list_entry')
    .select('list')
    .where('municipality_code', '=', e.municipality_code)
    .where('electorate_id', '=', e.id)
    .where('person_id', '=', personId)
    .execute();
  return { include: rows.some((r) => r.list === 'include'), exclude: rows.some((r) => r.list === 'exclude') };
}
