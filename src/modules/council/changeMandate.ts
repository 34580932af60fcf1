import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, invalid } from '../../platform/http/problems';
import { sql } from 'kysely';
import { loadCouncil, loadMember, type Member } from './access';
import { canManageCouncil } from './policy';

import type { MandateChange } from './schemas';
import { notifyCouncilOpenSittings } from './notify';

/** The substitute named, or the first one waiting on the member's list. */
async function pickSubstitute(trx: Trx, member: Member, substituteId: string | undefined): Promise<Member | undefined> {
  if (substituteId) {
    const s = await loadMember(trx, member.municipality_code, member.council_id, substituteId);
    if (s.kind !== 'substitute' || s.status !== 'waiting')
      throw invalid([
        { pointer: '/body/substituteId', detail: `is not a waiting substitute (${s.kind}, ${s.status})` },
      ]);
    if (member.faction_id && s.faction_id !== member.faction_id)
      throw invalid([
        { pointer: '/body/substituteId', detail: "a substitute comes from the member's own list (faction)" },
      ]);
    return s;
  }
  if (!member.faction_id) return undefined;
  return trx
    .selectFrom('council_member')
    .selectAll()
    .where('municipality_code', '=', member.municipality_code)
    .where('council_id', '=', member.council_id)
    .where('faction_id', '=', member.faction_id)
    .where('kind', '=', 'substitute')
    .where('status', '=', 'waiting')
    .orderBy('list_position')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Suspends, restores or ends a mandate. Suspension: the first waiting substitute of the member's
 * list (or the one named) takes the seat until the member is restored; the member cannot vote
 * meanwhile. End: the substitute in the seat stays for good (or the next one takes it).
 * A vote in progress keeps the ballots already cast.
 */
export async function changeMandate(
  ctx: AppContext,
  actor: Actor,
  code: string,
  councilId: string,
  memberId: string,
  input: MandateChange,
) {
  const mgr = canManageCouncil(actor, code);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    await loadCouncil(trx, code, councilId);
    await sql`SELECT 1 FROM council WHERE municipality_code = ${code} AND id = ${councilId} FOR UPDATE`.execute(trx);
    const m = await loadMember(trx, code, councilId, memberId);
    const actingFor = () =>
      trx
        .selectFrom('council_member')
        .selectAll()
        .where('municipality_code', '=', code)
        .where('council_id', '=', councilId)
        .where('replaces_member_id', '=', m.id)
        .where('status', '=', 'active')
        .executeTakeFirst();
    const set = (id: string, v: Partial<Pick<Member, 'status' | 'replaces_member_id' | 'office' | 'kind'>>) =>
      trx.updateTable('council_member').set(v).where('municipality_code', '=', code).where('id', '=', id).execute();
    let substitute: Member | undefined;
    switch (input.action) {
      case 'suspend': {
        if (m.status !== 'active' || m.replaces_member_id)
          throw conflict(
            `Only a member holding their own seat can be suspended; this mandate is ${m.status}${m.replaces_member_id ? ' (a substitute in place of a suspended member)' : ''}`,
          );
        substitute = await pickSubstitute(trx, m, input.substituteId);
        await set(m.id, { status: 'suspended', office: null });
        if (substitute) await set(substitute.id, { status: 'active', replaces_member_id: m.id });
        break;
      }
      case 'restore': {
        if (m.status !== 'suspended')
          throw conflict(`Only a suspended mandate can be restored; this one is ${m.status}`);
        substitute = await actingFor();
        if (substitute) await set(substitute.id, { status: 'waiting', replaces_member_id: null, office: null });
        await set(m.id, { status: 'active' });
        break;
      }
      case 'end': {
        if (m.status === 'ended') throw conflict('This mandate has ended already');
        if (m.replaces_member_id)
          throw conflict(
            "A substitute in a suspended member's place leaves when that member is restored or their mandate ends",
          );
        if (m.status === 'waiting') {
          await set(m.id, { status: 'ended' });
          break;
        }
        substitute = m.status === 'suspended' ? await actingFor() : undefined;
        await set(m.id, { status: 'ended', office: null });
        if (substitute) {
          await set(substitute.id, { kind: 'elected', replaces_member_id: null });
        } else {
          substitute = await pickSubstitute(trx, m, input.substituteId);
          if (substitute) await set(substitute.id, { status: 'active', kind: 'elected', replaces_member_id: null });
        }
        await trx
          .deleteFrom('role_grant')
          .where('municipality_code', '=', code)
          .where('person_id', '=', m.person_id)
          .where('role', '=', 'council_member')
          .execute();
        break;
      }
    }
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: `council.mandate-${input.action}`,
      subject: `person:${m.person_id}`,
      details: { councilId, memberId, substituteMemberId: substitute?.id ?? null },
    });
    await notifyCouncilOpenSittings(ctx, trx, code, councilId);
    return { memberId, substituteMemberId: substitute?.id ?? null };
  });
}
