import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { ELVL_TENANT } from '../../platform/places/ehak';
import { maskIdCode } from '../../platform/identity/personalIdCode';
import { notFound } from '../../platform/http/problems';
import { placeStore } from '../places';
import { residenceOn, tallinnDate, type Residence } from './model';
import { canImportExtract, canReadRegisterLog, seesFullIdCodes } from './policy';
import { queryRegister } from './register';
import { residenceFromRow } from './store';

/**
 * "My details": the resident's registered residence (current and earlier). From the extracts
 * the platform holds (the person may read their own rows in any municipality), or — with the
 * X-Road source — asked live from the register (purpose `profile`, logged under ELVL's tenant
 * as the platform's own query for the person).
 */
export async function myResidence(ctx: AppContext, actor: Actor) {
  const me = requirePerson(actor);
  let residences: Residence[];
  let source: 'extract' | 'xroad' = 'extract';
  if (ctx.config.register.source === 'xroad') {
    source = 'xroad';
    const person = await ctx.db.selectFrom('person').select('id_code').where('id', '=', me.personId).executeTakeFirst();
    if (!person) throw notFound('Person');
    const answer = await queryRegister(ctx, {
      municipalityCode: ELVL_TENANT,
      personId: me.personId,
      idCode: person.id_code,
      purpose: 'profile',
      askedBy: me.personId,
      askedByIdCode: person.id_code,
    });
    residences = answer.found ? answer.person.residences : [];
  } else {
    const rows = await inScope(ctx.db, { actor: me.personId }, (trx) =>
      trx
        .selectFrom('register_residence')
        .select([
          'municipality_code',
          'residence_municipality_code',
          'settlement_code',
          'address',
          'ads_adr_id',
          'valid_from',
          'valid_until',
          'status',
        ])
        .where('person_id', '=', me.personId)
        .execute(),
    );
    // Several municipalities' extracts may hold the same record: keep one, preferring the
    // extract of the municipality the record is about.
    const seen = new Map<string, (typeof rows)[number]>();
    for (const r of rows) {
      const key = `${r.valid_from}|${r.residence_municipality_code}`;
      const prev = seen.get(key);
      if (
        !prev ||
        (r.municipality_code === r.residence_municipality_code &&
          prev.municipality_code !== prev.residence_municipality_code)
      )
        seen.set(key, r);
    }
    residences = [...seen.values()].map(residenceFromRow);
  }
  const today = tallinnDate(ctx.now());
  const current = residenceOn(residences, today);
  const places = await placeStore(ctx.db).all();
  const view = (r: Residence) => ({
    municipalityCode: r.municipalityCode,
    municipalityName: places.get(r.municipalityCode)?.name ?? null,
    settlementCode: r.settlementCode,
    settlementName: r.settlementCode ? (places.get(r.settlementCode)?.name ?? null) : null,
    address: r.address,
    adsAdrId: r.adsAdrId,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
    status: r.status,
    current: r === current,
  });
  return {
    source,
    asOf: today,
    current: current ? view(current) : null,
    residences: [...residences].sort((a, b) => b.validFrom.localeCompare(a.validFrom)).map(view),
  };
}

/** The municipality's register query log, newest first (admins); full ID codes only for its own admins. */
export async function listRegisterQueries(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  page: { limit: number; beforeId?: number | undefined; subjectIdCode?: string | undefined },
) {
  const admin = canReadRegisterLog(actor, municipalityCode);
  const full = seesFullIdCodes(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    let q = trx
      .selectFrom('register_query_log as l')
      .innerJoin('person as s', 's.id', 'l.subject_id')
      .leftJoin('person as a', 'a.id', 'l.asked_by')
      .select([
        'l.id',
        'l.at',
        'l.asked_by',
        'a.id_code as asker_code',
        'a.given_name as asker_given',
        'a.family_name as asker_family',
        'l.subject_id',
        's.id_code as subject_code',
        's.given_name as subject_given',
        's.family_name as subject_family',
        'l.purpose',
        'l.reference',
        'l.source',
        'l.service',
        'l.outcome',
        'l.duration_ms',
        'l.message_id',
        'l.detail',
      ])
      .where('l.municipality_code', '=', municipalityCode);
    if (page.beforeId) q = q.where('l.id', '<', page.beforeId);
    if (page.subjectIdCode && full) q = q.where('s.id_code', '=', page.subjectIdCode);
    const rows = await q.orderBy('l.id', 'desc').limit(page.limit).execute();
    const code = (c: string) => (full ? c : maskIdCode(c));
    const name = (g: string | null, f: string | null) => [g, f].filter(Boolean).join(' ') || null;
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      askedBy: r.asked_by
        ? { personId: r.asked_by, name: name(r.asker_given, r.asker_family), idCode: code(r.asker_code ?? '') }
        : null,
      subject: { personId: r.subject_id, name: name(r.subject_given, r.subject_family), idCode: code(r.subject_code) },
      purpose: r.purpose,
      reference: r.reference,
      source: r.source,
      service: r.service,
      outcome: r.outcome,
      durationMs: r.duration_ms,
      messageId: r.message_id,
      detail: r.detail,
    }));
  });
}

export async function listImports(ctx: AppContext, actor: Actor, municipalityCode: string) {
  const admin = canImportExtract(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    const rows = await trx
      .selectFrom('register_import')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .orderBy('imported_at', 'desc')
      .limit(100)
      .execute();
    const counts = await sql<{
      n: number;
      persons: number;
    }>`SELECT count(*)::int AS n, count(DISTINCT person_id)::int AS persons FROM register_residence WHERE municipality_code = ${municipalityCode}`.execute(
      trx,
    );
    return {
      records: counts.rows[0]!.n,
      persons: counts.rows[0]!.persons,
      imports: rows.map((r) => ({
        id: r.id,
        filename: r.filename,
        format: r.format,
        sha256: r.sha256,
        rows: r.row_count,
        persons: r.person_count,
        importedAt: r.imported_at.toISOString(),
      })),
    };
  });
}
