import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, fieldError, invalid } from '../../platform/http/problems';
import { R_COUNCIL } from './reasons';
import { parseIdCode, idCodeError } from '../../platform/identity/personalIdCode';
import { upsertPerson } from '../../platform/auth/persons';
import { loadCouncil, loadMember } from './access';
import { canManageCouncil } from './policy';
import { type Office } from './store';
import type { MemberInput } from './schemas';
import { notifyCouncilOpenSittings } from './notify';

export async function activeCount(trx: Trx, code: string, councilId: string): Promise<number> {
  const r = await trx
    .selectFrom('council_member')
    .select(sql<number>`count(*)`.as('n'))
    .where('municipality_code', '=', code)
    .where('council_id', '=', councilId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Grants the platform role `council_member` (so the person's session knows), idempotently. */
export async function grantCouncilRole(trx: Trx, code: string, personId: string, by: string | null) {
  await trx
    .insertInto('role_grant')
    .values({ municipality_code: code, person_id: personId, role: 'council_member', granted_by: by })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Adds a person to the composition: an elected member takes a free seat at once; a substitute
 * waits on their list (faction) in the given order until a member of the list is suspended.
 */
export async function addMember(ctx: AppContext, actor: Actor, code: string, councilId: string, input: MemberInput) {
  const mgr = canManageCouncil(actor, code);
  const parsed = parseIdCode(input.idCode);
  if (!parsed.ok) throw invalid([idCodeError('/body/idCode', parsed.problem)]);
  if (input.kind === 'substitute' && !input.factionId)
    throw invalid([fieldError('/body/factionId', R_COUNCIL.substituteNeedsFaction)]);
  const personId = await upsertPerson(ctx.db, {
    idCode: parsed.value.code,
    givenName: input.givenName ?? null,
    familyName: input.familyName ?? null,
    birthDate: parsed.value.birthDate,
  });
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    const council = await loadCouncil(trx, code, councilId);
    await sql`SELECT 1 FROM council WHERE municipality_code = ${code} AND id = ${councilId} FOR UPDATE`.execute(trx);
    if (input.factionId) {
      const f = await trx
        .selectFrom('council_faction')
        .select('id')
        .where('municipality_code', '=', code)
        .where('council_id', '=', councilId)
        .where('id', '=', input.factionId)
        .executeTakeFirst();
      if (!f) throw invalid([fieldError('/body/factionId', R_COUNCIL.noSuchFaction)]);
    }
    const existing = await trx
      .selectFrom('council_member')
      .select(['id', 'status'])
      .where('municipality_code', '=', code)
      .where('council_id', '=', councilId)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (existing)
      throw conflict(`This person is already in the composition (${existing.status})`, { memberId: existing.id });
    if (input.kind === 'elected' && (await activeCount(trx, code, councilId)) >= council.seats) {
      throw conflict(`All ${council.seats} seats are taken; end or suspend a mandate first`);
    }
    let listPosition = input.listPosition ?? null;
    if (input.kind === 'substitute' && listPosition === null) {
      const r = await trx
        .selectFrom('council_member')
        .select(sql<number>`coalesce(max(list_position), 0)`.as('m'))
        .where('municipality_code', '=', code)
        .where('council_id', '=', councilId)
        .where('faction_id', '=', input.factionId!)
        .where('kind', '=', 'substitute')
        .executeTakeFirstOrThrow();
      listPosition = Number(r.m) + 1;
    }
    const row = await trx
      .insertInto('council_member')
      .values({
        municipality_code: code,
        council_id: councilId,
        person_id: personId,
        kind: input.kind,
        faction_id: input.factionId ?? null,
        list_position: listPosition,
        status: input.kind === 'elected' ? 'active' : 'waiting',
        replaces_member_id: null,
        office: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await grantCouncilRole(trx, code, personId, mgr.personId);
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.member-added',
      subject: `person:${personId}`,
      details: { councilId, memberId: row.id, kind: input.kind, factionId: input.factionId ?? null },
    });
    await notifyCouncilOpenSittings(ctx, trx, code, councilId);
    return { id: row.id, personId };
  });
}

/** Makes an acting member the chair or a vice-chair (a new chair replaces the previous one), or clears the office. */
export async function setOffice(
  ctx: AppContext,
  actor: Actor,
  code: string,
  councilId: string,
  memberId: string,
  office: Office | null,
) {
  const mgr = canManageCouncil(actor, code);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    await loadCouncil(trx, code, councilId);
    const m = await loadMember(trx, code, councilId, memberId);
    if (office && m.status !== 'active')
      throw conflict(`Only an acting member can hold an office; this mandate is ${m.status}`);
    if (office === 'chair') {
      await trx
        .updateTable('council_member')
        .set({ office: null })
        .where('municipality_code', '=', code)
        .where('council_id', '=', councilId)
        .where('office', '=', 'chair')
        .where('id', '!=', memberId)
        .execute();
    }
    await trx
      .updateTable('council_member')
      .set({ office })
      .where('municipality_code', '=', code)
      .where('id', '=', memberId)
      .execute();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.office-set',
      subject: `person:${m.person_id}`,
      details: { councilId, memberId, office },
    });
    await notifyCouncilOpenSittings(ctx, trx, code, councilId);
  });
}
