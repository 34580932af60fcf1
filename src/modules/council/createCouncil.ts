import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, fieldError, invalid, notFound } from '../../platform/http/problems';
import { R_COUNCIL } from './reasons';
import { loadCouncil } from './access';
import { canManageCouncil } from './policy';

import type { CouncilInput, CouncilUpdate } from './schemas';
import { notifyCouncilOpenSittings } from './notify';

function checkQuorum(q: { num: number; den: number } | undefined, pointer: string) {
  // KOKS asks for more than half; a statute may ask for more, never for less.
  if (q && !(q.num < q.den && q.num * 2 >= q.den)) throw invalid([fieldError(pointer, R_COUNCIL.quorumShare)]);
}

/** Creates the council of a term (managers: admins and editors of the municipality). */
export async function createCouncil(ctx: AppContext, actor: Actor, code: string, input: CouncilInput) {
  const mgr = canManageCouncil(actor, code);
  checkQuorum(input.quorum, '/body/quorum');
  if (input.termEnd && input.termEnd <= input.termStart)
    throw invalid([fieldError('/body/termEnd', R_COUNCIL.termEndAfterStart)]);
  const tenant = await ctx.db
    .selectFrom('tenant')
    .select('code')
    .where('code', '=', code)
    .where('kind', '=', 'municipality')
    .executeTakeFirst();
  if (!tenant) throw notFound(`Municipality ${code}`);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    const clash = await trx
      .selectFrom('council')
      .select('id')
      .where('municipality_code', '=', code)
      .where('term_start', '=', input.termStart)
      .executeTakeFirst();
    if (clash) throw conflict(`A council whose term starts on ${input.termStart} exists already`);
    const row = await trx
      .insertInto('council')
      .values({
        municipality_code: code,
        name: input.name,
        seats: input.seats,
        term_start: input.termStart,
        term_end: input.termEnd ?? null,
        quorum_num: input.quorum?.num ?? 1,
        quorum_den: input.quorum?.den ?? 2,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.created',
      subject: `council:${row.id}`,
      details: { name: input.name, seats: input.seats, termStart: input.termStart },
    });
    return { id: row.id };
  });
}

/** Renames the council, ends its term or changes its quorum rule (not while a sitting is open). */
export async function updateCouncil(
  ctx: AppContext,
  actor: Actor,
  code: string,
  councilId: string,
  input: CouncilUpdate,
) {
  const mgr = canManageCouncil(actor, code);
  checkQuorum(input.quorum, '/body/quorum');
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    const council = await loadCouncil(trx, code, councilId);
    if (input.termEnd && input.termEnd <= council.term_start)
      throw invalid([fieldError('/body/termEnd', R_COUNCIL.termEndAfterStart)]);
    if (input.quorum) {
      const open = await trx
        .selectFrom('council_sitting')
        .select('id')
        .where('municipality_code', '=', code)
        .where('council_id', '=', councilId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (open) throw conflict('The quorum rule cannot change while a sitting is open');
    }
    await trx
      .updateTable('council')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.termEnd !== undefined ? { term_end: input.termEnd } : {}),
        ...(input.quorum ? { quorum_num: input.quorum.num, quorum_den: input.quorum.den } : {}),
      })
      .where('municipality_code', '=', code)
      .where('id', '=', councilId)
      .execute();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.updated',
      subject: `council:${councilId}`,
      details: { ...input },
    });
    await notifyCouncilOpenSittings(ctx, trx, code, councilId);
  });
}

export async function addFaction(ctx: AppContext, actor: Actor, code: string, councilId: string, name: string) {
  const mgr = canManageCouncil(actor, code);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const trx = t;
    await loadCouncil(trx, code, councilId);
    const exists = await trx
      .selectFrom('council_faction')
      .select('id')
      .where('municipality_code', '=', code)
      .where('council_id', '=', councilId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (exists) throw conflict(`The faction ${name} exists already`);
    const row = await trx
      .insertInto('council_faction')
      .values({ municipality_code: code, council_id: councilId, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(t, {
      municipalityCode: code,
      actorId: mgr.personId,
      action: 'council.faction-added',
      subject: `council:${councilId}`,
      details: { factionId: row.id, name },
    });
    return { id: row.id, name };
  });
}
