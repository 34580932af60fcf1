import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { forbidden, notFound } from '../../platform/http/problems';
import { homeMunicipality, isElvlEditor, requireOfficial } from './policy';
import { ELVL } from './store';
import { offersWithLoad } from './mentorStore';
import type { OfferInput } from './schemas';

/** An official offers to mentor other municipalities on some E-ITS modules. */
export async function offerMentoring(ctx: AppContext, actor: Actor, input: OfferInput) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const row = await trx
      .insertInto('mentor_offer')
      .values({
        municipality_code: ELVL,
        person_id: official.personId,
        home_municipality: homeMunicipality(official),
        eits_modules: input.eitsModules,
        description: input.description ?? '',
        capacity: input.capacity ?? 2,
        active: input.active ?? true,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: official.personId,
      action: 'mentor.offer.created',
      subject: `mentor-offer:${row.id}`,
      details: { modules: input.eitsModules },
    });
    return (await offersWithLoad(trx)).find((o) => o.id === row.id)!;
  });
}

/** The mentor (or an ELVL coordinator) changes modules, capacity or pauses the offer. */
export async function updateOffer(ctx: AppContext, actor: Actor, offerId: string, input: Partial<OfferInput>) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const o = await trx
      .selectFrom('mentor_offer')
      .selectAll()
      .where('municipality_code', '=', ELVL)
      .where('id', '=', offerId)
      .forUpdate()
      .executeTakeFirst();
    if (!o) throw notFound(`Mentoring offer ${offerId}`);
    if (o.person_id !== official.personId && !isElvlEditor(official))
      throw forbidden('Only the mentor or an ELVL coordinator may change this offer');
    const set: Record<string, unknown> = {};
    if (input.eitsModules) set.eits_modules = input.eitsModules;
    if (input.description !== undefined) set.description = input.description;
    if (input.capacity !== undefined) set.capacity = input.capacity;
    if (input.active !== undefined) set.active = input.active;
    if (Object.keys(set).length)
      await trx
        .updateTable('mentor_offer')
        .set(set)
        .where('municipality_code', '=', ELVL)
        .where('id', '=', offerId)
        .execute();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: official.personId,
      action: 'mentor.offer.updated',
      subject: `mentor-offer:${offerId}`,
      details: { ...input },
    });
    return (await offersWithLoad(trx)).find((x) => x.id === offerId)!;
  });
}

export async function listOffers(ctx: AppContext, actor: Actor) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, (trx) => offersWithLoad(trx));
}
