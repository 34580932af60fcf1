import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, invalid } from '../../platform/http/problems';
import { loadMember, loadSitting, requireActingMember, requireOperator, requireStatus, type Sitting } from './access';
import { type AttendanceMode } from './store';
import { notifySitting } from './notify';

async function record(
  ctx: AppContext,
  trx: Trx,
  s: Sitting,
  memberId: string,
  present: boolean,
  mode: AttendanceMode,
  actorId: string,
) {
  const code = s.municipality_code;
  const before = await trx
    .selectFrom('council_attendance')
    .select(['present', 'mode'])
    .where('municipality_code', '=', code)
    .where('sitting_id', '=', s.id)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  const changed = !before || before.present !== present || (present && before.mode !== mode);
  if (!changed) return { present, mode, changed: false };
  await trx
    .insertInto('council_attendance')
    .values({ municipality_code: code, sitting_id: s.id, member_id: memberId, present, mode, since: new Date() })
    .onConflict((oc) =>
      oc.columns(['municipality_code', 'sitting_id', 'member_id']).doUpdateSet({ present, mode, since: new Date() }),
    )
    .execute();
  await trx
    .insertInto('council_attendance_log')
    .values({ municipality_code: code, sitting_id: s.id, member_id: memberId, present, mode, actor_id: actorId })
    .execute();
  await notifySitting(ctx, trx, s.id, ['attendance']);
  return { present, mode, changed: true };
}

/**
 * A member registers their own presence (or departure). Online in a virtual sitting, in the room
 * in one held in person; in a hybrid sitting the member says which. A lost connection does not
 * end presence: the member simply reconnects.
 */
export async function registerOwnAttendance(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  input: { present: boolean; mode?: AttendanceMode },
) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'share');
    const { person, member } = await requireActingMember(trx, actor, code, s.council_id);
    requireStatus(s, ['published', 'open'], 'register attendance');
    const mode: AttendanceMode =
      s.format === 'virtual' ? 'online' : s.format === 'in_person' ? 'room' : (input.mode ?? 'online');
    if (s.format !== 'hybrid' && input.mode && input.mode !== mode)
      throw invalid([
        { pointer: '/body/mode', detail: `this sitting is ${s.format === 'virtual' ? 'virtual' : 'held in person'}` },
      ]);
    const r = await record(ctx, trx, s, member.id, input.present, mode, person.personId);
    return { memberId: member.id, ...r };
  });
}

/** The chair or secretary records a member's presence in the room (or online, or their departure). */
export async function markAttendance(
  ctx: AppContext,
  actor: Actor,
  code: string,
  sittingId: string,
  memberId: string,
  input: { present: boolean; mode?: AttendanceMode },
) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const s = await loadSitting(trx, code, sittingId, 'share');
    const op = await requireOperator(trx, actor, s);
    requireStatus(s, ['published', 'open'], 'register attendance');
    const m = await loadMember(trx, code, s.council_id, memberId);
    if (m.status !== 'active') throw conflict(`Only acting members attend; this mandate is ${m.status}`);
    const mode: AttendanceMode = input.mode ?? (s.format === 'virtual' ? 'online' : 'room');
    const r = await record(ctx, trx, s, memberId, input.present, mode, op.person.personId);
    if (r.changed)
      await appendAudit(t, {
        municipalityCode: code,
        actorId: op.person.personId,
        action: 'council.attendance-marked',
        subject: `sitting:${sittingId}`,
        details: { memberId, present: input.present, mode },
      });
    return { memberId, ...r };
  });
}
