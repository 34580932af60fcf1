import type { AppContext } from '../../platform/context';
import { requirePerson, type Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { loadReport } from './reportState';
import { recordEvent } from './submitReport';

/** "Me too": a logged-in resident says the problem affects them as well (once per person). */
export async function supportReport(ctx: AppContext, actor: Actor, municipalityCode: string, id: number) {
  const person = requirePerson(actor);
  return inScope(ctx.db, { tenant: municipalityCode, actor: person.personId }, async (trx) => {
    const r = await loadReport(trx, municipalityCode, id, { lock: true });
    // The reporter's own report, or a hidden one, gains nothing.
    if (r.hidden || r.reporter_person_id === person.personId) return { meTooCount: r.me_too_count, added: false };
    const at = ctx.now();
    const ins = await trx
      .insertInto('report_supporter')
      .values({ municipality_code: municipalityCode, report_id: id, person_id: person.personId, at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) return { meTooCount: r.me_too_count, added: false };
    await recordEvent(trx, {
      municipalityCode,
      reportId: id,
      at,
      kind: 'me_too',
      public: false,
      actorPersonId: person.personId,
      details: { added: 1 },
    });
    const u = await trx
      .updateTable('report')
      .set((eb) => ({ me_too_count: eb('me_too_count', '+', 1), stats_dirty: true }))
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', id)
      .returning('me_too_count')
      .executeTakeFirstOrThrow();
    return { meTooCount: u.me_too_count, added: true };
  });
}
