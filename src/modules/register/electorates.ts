import { createHash } from 'node:crypto';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { Problem, fieldError, invalid, notFound, type FieldError } from '../../platform/http/problems';
import { R_REGISTER } from './reasons';
import { placeStore } from '../places';
import { isIsoDate } from './model';
import { canDefineElectorates, canReadVoterList, canViewElectorates } from './policy';
import { ELECTORATE_LOCKED, ELECTORATE_NOT_FROZEN, NO_REGISTER_DATA } from './problems';
import type { ElectorateInput, ElectorateView, Preview } from './schemas';
import { type ElectorateTable } from './store';

/**
 * Electorates: who may vote. A definition names the municipality or some of its settlement
 * units (or only an include list), an age window on a reference date, when residence counts, and
 * the mode — live (asked from the register when the person votes) or frozen (a voter list built
 * once from the register data at the cut-off, kept with its size and SHA-256).
 */
export type ElectorateRow = Selectable<ElectorateTable>;

export interface Definition {
  municipalityCode: string;
  scope: 'municipality' | 'settlements' | 'list';
  settlementCodes: string[];
  minAge: number | null;
  maxAge: number | null;
  referenceDate: string;
}

export const VOTER_LIST_HEADER = 'id_code,settlement_code,basis\n';

async function validate(
  ctx: AppContext,
  municipalityCode: string,
  input: ElectorateInput,
  pointer = '/body',
): Promise<void> {
  const errors: FieldError[] = [];
  const codes = input.settlementCodes ?? [];
  if (input.scope === 'settlements' && codes.length === 0)
    errors.push(fieldError(`${pointer}/settlementCodes`, R_REGISTER.chooseSettlement));
  if (input.scope !== 'settlements' && codes.length > 0)
    errors.push(fieldError(`${pointer}/settlementCodes`, R_REGISTER.settlementsOnlyInScope));
  if (codes.length) {
    const own = new Set((await placeStore(ctx.db).settlementsOf(municipalityCode)).map((p) => p.code));
    const foreign = codes.filter((c) => !own.has(c));
    if (foreign.length)
      errors.push(
        fieldError(`${pointer}/settlementCodes`, R_REGISTER.foreignSettlements, {
          municipality: municipalityCode,
          value: foreign.join(', '),
        }),
      );
  }
  const minAge = input.minAge ?? null;
  const maxAge = input.maxAge ?? null;
  if (minAge !== null && maxAge !== null && minAge > maxAge)
    errors.push(fieldError(`${pointer}/maxAge`, R_REGISTER.maxBelowMin));
  if (!isIsoDate(input.referenceDate)) errors.push(fieldError(`${pointer}/referenceDate`, R_REGISTER.notADate));
  if (input.mode === 'frozen' && input.residenceAt !== 'reference-date') {
    errors.push(fieldError(`${pointer}/residenceAt`, R_REGISTER.frozenNeedsReferenceDate));
  }
  if (!input.name.trim()) errors.push(fieldError(`${pointer}/name`, R_REGISTER.blankName));
  if (errors.length) throw invalid(errors);
}

function rowValues(input: ElectorateInput) {
  return {
    name: input.name.trim(),
    scope: input.scope,
    settlement_codes: [...(input.settlementCodes ?? [])].sort(),
    min_age: input.minAge ?? null,
    max_age: input.maxAge ?? null,
    reference_date: input.referenceDate,
    residence_at: input.residenceAt,
    mode: input.mode,
  };
}

export async function loadElectorateRow(
  trx: Trx,
  municipalityCode: string,
  id: string,
): Promise<ElectorateRow | undefined> {
  return (await trx
    .selectFrom('electorate')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id)
    .executeTakeFirst()) as ElectorateRow | undefined;
}

async function requireRow(trx: Trx, municipalityCode: string, id: string, forUpdate = false): Promise<ElectorateRow> {
  let q = trx
    .selectFrom('electorate')
    .selectAll()
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = (await q.executeTakeFirst()) as ElectorateRow | undefined;
  if (!row) throw notFound('Electorate');
  return row;
}

export function assertEditable(row: ElectorateRow) {
  if (row.frozen_at)
    throw new Problem(
      ELECTORATE_LOCKED,
      `The voter list of "${row.name}" was frozen on ${row.frozen_at.toISOString()}; it cannot change.`,
    );
  if (row.locked_at)
    throw new Problem(
      ELECTORATE_LOCKED,
      `"${row.name}" is in use${row.locked_reason ? ` (${row.locked_reason})` : ''} since ${row.locked_at.toISOString()}; it cannot change.`,
    );
}

export async function electorateView(trx: Trx, row: ElectorateRow): Promise<ElectorateView> {
  const lists = await trx
    .selectFrom('electorate_list')
    .selectAll()
    .where('municipality_code', '=', row.municipality_code)
    .where('electorate_id', '=', row.id)
    .execute();
  const list = (l: 'include' | 'exclude') => {
    const x = lists.find((r) => r.list === l);
    return x
      ? { filename: x.filename, entries: x.entries, sha256: x.sha256, uploadedAt: x.uploaded_at.toISOString() }
      : null;
  };
  return {
    id: row.id,
    municipalityCode: row.municipality_code,
    name: row.name,
    scope: row.scope,
    settlementCodes: row.settlement_codes,
    minAge: row.min_age,
    maxAge: row.max_age,
    referenceDate: row.reference_date,
    residenceAt: row.residence_at,
    mode: row.mode,
    state: row.frozen_at ? 'frozen' : row.locked_at ? 'locked' : 'draft',
    frozen: row.frozen_at
      ? { at: row.frozen_at.toISOString(), size: row.frozen_size!, sha256: row.frozen_sha256! }
      : null,
    lockedAt: row.locked_at ? row.locked_at.toISOString() : null,
    lockedReason: row.locked_reason,
    lists: { include: list('include'), exclude: list('exclude') },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface TxOption {
  /** Run inside the caller's transaction (which must be in the municipality's scope). */
  trx?: Trx;
}

const withTrx = <T>(
  ctx: AppContext,
  municipalityCode: string,
  actorId: string,
  opts: TxOption,
  fn: (trx: Trx) => Promise<T>,
) => (opts.trx ? fn(opts.trx) : inScope(ctx.db, { tenant: municipalityCode, actor: actorId }, fn));

/** Creates an electorate (admins, editors); audited. */
export async function createElectorate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  input: ElectorateInput,
  opts: TxOption = {},
): Promise<ElectorateView> {
  const official = canDefineElectorates(actor, municipalityCode);
  await validate(ctx, municipalityCode, input);
  return withTrx(ctx, municipalityCode, official.personId, opts, async (trx) => {
    const row = (await trx
      .insertInto('electorate')
      .values({
        municipality_code: municipalityCode,
        ...rowValues(input),
        created_by: official.personId,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as ElectorateRow;
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'electorate.created',
      subject: `electorate:${row.id}`,
      details: { ...rowValues(input) },
    });
    return electorateView(trx, row);
  });
}

/** Replaces an electorate's definition while it is a draft; audited. */
export async function updateElectorate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  input: ElectorateInput,
  opts: TxOption = {},
): Promise<ElectorateView> {
  const official = canDefineElectorates(actor, municipalityCode);
  return withTrx(ctx, municipalityCode, official.personId, opts, async (trx) => {
    const before = await requireRow(trx, municipalityCode, id, true);
    assertEditable(before);
    await validate(ctx, municipalityCode, input);
    const row = (await trx
      .updateTable('electorate')
      .set({ ...rowValues(input), updated_at: new Date() })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as ElectorateRow;
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'electorate.updated',
      subject: `electorate:${id}`,
      details: { ...rowValues(input) },
    });
    return electorateView(trx, row);
  });
}

/** Deletes a draft electorate (never a frozen or locked one); audited. */
export async function deleteElectorate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<void> {
  const official = canDefineElectorates(actor, municipalityCode);
  await inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const row = await requireRow(trx, municipalityCode, id, true);
    assertEditable(row);
    await trx.deleteFrom('electorate').where('municipality_code', '=', municipalityCode).where('id', '=', id).execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'electorate.deleted',
      subject: `electorate:${id}`,
      details: { name: row.name },
    });
  });
}

export async function getElectorate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<ElectorateView> {
  const official = canViewElectorates(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) =>
    electorateView(trx, await requireRow(trx, municipalityCode, id)),
  );
}

export async function listElectorates(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
): Promise<ElectorateView[]> {
  const official = canViewElectorates(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const rows = (await trx
      .selectFrom('electorate')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .orderBy('created_at', 'desc')
      .execute()) as ElectorateRow[];
    return Promise.all(rows.map((r) => electorateView(trx, r)));
  });
}

/**
 * Marks an electorate as used by a vote that has opened: from now on nothing about it can change.
 * For participation (call when a vote opens, in its transaction). A frozen-mode electorate must
 * have been frozen first. Idempotent.
 */
export async function lockElectorate(trx: Trx, municipalityCode: string, id: string, reason: string): Promise<void> {
  const row = await requireRow(trx, municipalityCode, id, true);
  if (row.mode === 'frozen' && !row.frozen_at)
    throw new Problem(ELECTORATE_NOT_FROZEN, `Freeze the voter list of "${row.name}" before the vote opens.`);
  if (row.locked_at) return;
  await trx
    .updateTable('electorate')
    .set({ locked_at: new Date(), locked_reason: reason.slice(0, 200) })
    .where('municipality_code', '=', municipalityCode)
    .where('id', '=', id)
    .execute();
}

/**
 * The members of an electorate according to the register data held by the platform (imported
 * extracts, demo data): person, settlement unit on the reference date, and basis. A person who
 * qualifies by residence counts as such even if also on the include list; the exclude list
 * removes people whatever else holds. Ages by `register_age_on` (same rule as `ageOn`).
 */
function membersSql(def: Definition, electorateId: string | null) {
  const m = def.municipalityCode;
  const d = def.referenceDate;
  const codes = def.settlementCodes;
  const byResidence =
    def.scope === 'list'
      ? sql`SELECT NULL::uuid AS person_id, NULL::text AS settlement_code, 'residence'::text AS basis WHERE false`
      : sql`SELECT person_id, settlement_code, 'residence'::text AS basis FROM res
            WHERE residence_municipality_code = ${m} ${def.scope === 'settlements' ? sql`AND settlement_code = ANY(${codes}::text[])` : sql``}`;
  const included = electorateId
    ? sql`SELECT person_id, NULL::text AS settlement_code, 'include-list'::text AS basis FROM electorate_list_entry
          WHERE municipality_code = ${m} AND electorate_id = ${electorateId} AND list = 'include'`
    : sql`SELECT NULL::uuid, NULL::text, 'include-list'::text WHERE false`;
  const excluded = electorateId
    ? sql`EXISTS (SELECT 1 FROM electorate_list_entry x WHERE x.municipality_code = ${m} AND x.electorate_id = ${electorateId} AND x.list = 'exclude' AND x.person_id = c.person_id)`
    : sql`false`;
  const ageOk = sql`(${def.minAge}::int IS NULL OR register_age_on(p.birth_date, ${d}::date) >= ${def.minAge}::int)
                AND (${def.maxAge}::int IS NULL OR register_age_on(p.birth_date, ${d}::date) <= ${def.maxAge}::int)`;
  return sql<{
    person_id: string;
    settlement_code: string | null;
    basis: 'residence' | 'include-list';
    excluded: boolean;
  }>`
    WITH res AS (
      SELECT DISTINCT ON (r.person_id) r.person_id, r.residence_municipality_code, r.settlement_code
      FROM register_residence r
      WHERE r.municipality_code = ${m} AND r.valid_from <= ${d}::date AND (r.valid_until IS NULL OR r.valid_until >= ${d}::date)
      ORDER BY r.person_id, r.valid_from DESC
    ),
    cand AS (
      SELECT DISTINCT ON (person_id) person_id, settlement_code, basis FROM (${byResidence} UNION ALL ${included}) u
      ORDER BY person_id, (basis = 'residence') DESC
    )
    SELECT c.person_id, c.settlement_code, c.basis, ${excluded} AS excluded
    FROM cand c JOIN person p ON p.id = c.person_id
    WHERE ${ageOk}`;
}

async function dataAsOf(trx: Trx, municipalityCode: string): Promise<{ rows: boolean; at: string | null }> {
  const r = await sql<{ any: boolean; at: Date | null }>`
    SELECT EXISTS (SELECT 1 FROM register_residence WHERE municipality_code = ${municipalityCode}) AS any,
           (SELECT max(imported_at) FROM register_import WHERE municipality_code = ${municipalityCode}) AS at`.execute(
    trx,
  );
  const row = r.rows[0]!;
  return { rows: row.any, at: row.at ? row.at.toISOString() : null };
}

async function preview(ctx: AppContext, trx: Trx, def: Definition, electorateId: string | null): Promise<Preview> {
  const data = await dataAsOf(trx, def.municipalityCode);
  if (!data.rows && def.scope !== 'list')
    throw new Problem(NO_REGISTER_DATA, `No register extract is loaded for municipality ${def.municipalityCode}.`);
  const rows = await sql<{
    settlement_code: string | null;
    basis: 'residence' | 'include-list';
    excluded: boolean;
    n: number;
  }>`
    SELECT settlement_code, basis, excluded, count(*)::int AS n FROM (${membersSql(def, electorateId)}) m GROUP BY 1, 2, 3`.execute(
    trx,
  );
  const places = await placeStore(ctx.db).all();
  const by = new Map<string | null, number>();
  let residence = 0;
  let includeList = 0;
  let excluded = 0;
  for (const r of rows.rows) {
    if (r.excluded) {
      excluded += r.n;
      continue;
    }
    if (r.basis === 'residence') residence += r.n;
    else includeList += r.n;
    by.set(r.settlement_code, (by.get(r.settlement_code) ?? 0) + r.n);
  }
  const bySettlement = [...by.entries()]
    .map(([code, count]) => ({ code, name: code ? (places.get(code)?.name ?? null) : null, count }))
    .sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '', 'et')));
  return {
    total: residence + includeList,
    byBasis: { residence, includeList },
    excluded,
    bySettlement,
    referenceDate: def.referenceDate,
    dataAsOf: data.at,
  };
}

const definitionOf = (row: ElectorateRow): Definition => ({
  municipalityCode: row.municipality_code,
  scope: row.scope,
  settlementCodes: row.settlement_codes,
  minAge: row.min_age,
  maxAge: row.max_age,
  referenceDate: row.reference_date,
});

/**
 * Who is in an electorate, as a query with one column `person_id` (for other modules to join, e.g.
 * the notifications of a vote): the frozen voter list, or for a live electorate its members by the
 * register data held on its reference date (lists applied).
 */
export async function electorateMembers(
  trx: Trx,
  municipalityCode: string,
  id: string,
): Promise<RawBuilder<{ person_id: string }> | undefined> {
  const row = await loadElectorateRow(trx, municipalityCode, id);
  if (!row) return undefined;
  if (row.frozen_at)
    return sql<{ person_id: string }>`SELECT person_id FROM electorate_voter
      WHERE municipality_code = ${municipalityCode} AND electorate_id = ${id}`;
  return sql<{
    person_id: string;
  }>`SELECT person_id FROM (${membersSql(definitionOf(row), row.id)}) m WHERE NOT m.excluded`;
}

/** Size of a saved electorate by settlement unit, from the register data held (its lists included). */
export async function previewElectorate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<Preview> {
  const official = canViewElectorates(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const row = await requireRow(trx, municipalityCode, id);
    if (row.frozen_at) {
      // A frozen list is what it is: count it, not today's data.
      const rows = await sql<{ settlement_code: string | null; basis: string; n: number }>`
        SELECT settlement_code, basis, count(*)::int AS n FROM electorate_voter WHERE municipality_code = ${municipalityCode} AND electorate_id = ${id} GROUP BY 1, 2`.execute(
        trx,
      );
      const places = await placeStore(ctx.db).all();
      const by = new Map<string | null, number>();
      let residence = 0;
      let includeList = 0;
      for (const r of rows.rows) {
        if (r.basis === 'residence') residence += r.n;
        else includeList += r.n;
        by.set(r.settlement_code, (by.get(r.settlement_code) ?? 0) + r.n);
      }
      const bySettlement = [...by.entries()]
        .map(([code, count]) => ({ code, name: code ? (places.get(code)?.name ?? null) : null, count }))
        .sort((a, b) =>
          a.code === null ? 1 : b.code === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '', 'et'),
        );
      return {
        total: residence + includeList,
        byBasis: { residence, includeList },
        excluded: 0,
        bySettlement,
        referenceDate: row.reference_date,
        dataAsOf: row.frozen_at.toISOString(),
      };
    }
    return preview(ctx, trx, definitionOf(row), id);
  });
}

/** Size of a definition not saved yet ("what if"), without lists. */
export async function previewDefinition(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  input: ElectorateInput,
): Promise<Preview> {
  const official = canViewElectorates(actor, municipalityCode);
  await validate(ctx, municipalityCode, input);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, (trx) =>
    preview(
      ctx,
      trx,
      {
        municipalityCode,
        scope: input.scope,
        settlementCodes: input.settlementCodes ?? [],
        minAge: input.minAge ?? null,
        maxAge: input.maxAge ?? null,
        referenceDate: input.referenceDate,
      },
      null,
    ),
  );
}

/** The voter list as CSV, sorted by ID code: exactly the bytes whose SHA-256 is stored when frozen. */
async function voterListCsv(trx: Trx, municipalityCode: string, id: string): Promise<string> {
  const r = await sql<{ body: string | null }>`
    SELECT string_agg(p.id_code || ',' || coalesce(v.settlement_code, '') || ',' || v.basis || E'\n', '' ORDER BY p.id_code) AS body
    FROM electorate_voter v
    JOIN kov_person_codes(ARRAY(SELECT x.person_id FROM electorate_voter x
                                 WHERE x.municipality_code = ${municipalityCode} AND x.electorate_id = ${id})) p
      ON p.person_id = v.person_id
    WHERE v.municipality_code = ${municipalityCode} AND v.electorate_id = ${id}`.execute(trx);
  return VOTER_LIST_HEADER + (r.rows[0]?.body ?? '');
}

export const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * Builds the voter list of a frozen-mode electorate from the register data on its reference date
 * (the cut-off), stores it with its size and SHA-256, and fixes the electorate; audited.
 */
export async function freezeElectorate(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  opts: TxOption = {},
): Promise<ElectorateView> {
  const official = canDefineElectorates(actor, municipalityCode);
  return withTrx(ctx, municipalityCode, official.personId, opts, async (trx) => {
    const row = await requireRow(trx, municipalityCode, id, true);
    if (row.mode !== 'frozen')
      throw invalid(
        [fieldError('/body/mode', R_REGISTER.notFrozen)],
        'This electorate is checked live; it has no voter list to freeze.',
      );
    assertEditable(row);
    const def = definitionOf(row);
    const data = await dataAsOf(trx, municipalityCode);
    if (!data.rows && def.scope !== 'list')
      throw new Problem(NO_REGISTER_DATA, `No register extract is loaded for municipality ${municipalityCode}.`);
    await sql`INSERT INTO electorate_voter (municipality_code, electorate_id, person_id, settlement_code, basis)
              SELECT ${municipalityCode}, ${id}::uuid, person_id, settlement_code, basis FROM (${membersSql(def, id)}) m WHERE NOT excluded`.execute(
      trx,
    );
    const csv = await voterListCsv(trx, municipalityCode, id);
    const size = csv.length === VOTER_LIST_HEADER.length ? 0 : csv.split('\n').length - 2;
    const sha = sha256Hex(csv);
    const now = new Date();
    const updated = (await trx
      .updateTable('electorate')
      .set({ frozen_at: now, frozen_by: official.personId, frozen_size: size, frozen_sha256: sha, updated_at: now })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as ElectorateRow;
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'electorate.frozen',
      subject: `electorate:${id}`,
      details: { size, sha256: sha, referenceDate: row.reference_date, dataAsOf: data.at },
    });
    return electorateView(trx, updated);
  });
}

async function requireFrozen(trx: Trx, municipalityCode: string, id: string): Promise<ElectorateRow> {
  const row = await requireRow(trx, municipalityCode, id);
  if (!row.frozen_at)
    throw new Problem(
      ELECTORATE_NOT_FROZEN,
      `"${row.name}" has no frozen voter list${row.mode === 'live' ? ' (it is checked live)' : ' yet'}.`,
    );
  return row;
}

/** A page of a frozen voter list, ID codes masked (admins, editors). */
export async function listVoters(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
  page: { offset: number; limit: number; settlementCode?: string | undefined },
) {
  const official = canReadVoterList(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const row = await requireFrozen(trx, municipalityCode, id);
    let q = trx
      .selectFrom('electorate_voter as v')
      .innerJoin('person as p', 'p.id', 'v.person_id')
      .select(['v.person_id', 'p.id_code_masked', 'p.given_name', 'p.family_name', 'v.settlement_code', 'v.basis'])
      .where('v.municipality_code', '=', municipalityCode)
      .where('v.electorate_id', '=', id);
    if (page.settlementCode) q = q.where('v.settlement_code', '=', page.settlementCode);
    const rows = await q
      .orderBy('p.family_name')
      .orderBy('p.given_name')
      .orderBy('p.id_code_masked')
      .orderBy('v.person_id')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return {
      total: row.frozen_size!,
      voters: rows.map((r) => ({
        personId: r.person_id,
        idCodeMasked: r.id_code_masked,
        givenName: r.given_name,
        familyName: r.family_name,
        settlementCode: r.settlement_code,
        basis: r.basis,
      })),
    };
  });
}

/** The frozen voter list as CSV with full ID codes (admins, editors); the export is audited. */
export async function exportVoterList(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  id: string,
): Promise<{ csv: string; sha256: string; filename: string }> {
  const official = canReadVoterList(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const row = await requireFrozen(trx, municipalityCode, id);
    const csv = await voterListCsv(trx, municipalityCode, id);
    const sha = sha256Hex(csv);
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: 'electorate.exported',
      subject: `electorate:${id}`,
      details: { size: row.frozen_size, sha256: sha, matchesFrozen: sha === row.frozen_sha256 },
    });
    return { csv, sha256: sha, filename: `voters-${municipalityCode}-${id.slice(0, 8)}.csv` };
  });
}
