import type { AppContext } from '../../platform/context';
import { hasRole, requireRole, type Actor, type PersonActor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problems';
import { OFFICIAL_ROLES, isElvlEditor, requireOfficial } from './policy';
import { ELVL } from './store';
import { offersWithLoad, requestById, type RequestStatus } from './mentorStore';
import type { RequestInput, SessionInput } from './schemas';

const isRequester = (a: PersonActor, m: string) => hasRole(a, m, [...OFFICIAL_ROLES]);

async function mentorOf(trx: Trx, offerId: string | null) {
  if (!offerId) return undefined;
  return trx
    .selectFrom('mentor_offer')
    .selectAll()
    .where('municipality_code', '=', ELVL)
    .where('id', '=', offerId)
    .executeTakeFirst();
}

/** A municipality asks for help with some E-ITS modules. */
export async function askForMentor(ctx: AppContext, actor: Actor, input: RequestInput) {
  const official = requireRole(actor, input.municipalityCode, [...OFFICIAL_ROLES]);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const row = await trx
      .insertInto('mentor_request')
      .values({
        municipality_code: ELVL,
        requesting_municipality: input.municipalityCode,
        requested_by: official.personId,
        eits_modules: input.eitsModules,
        description: input.description,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: official.personId,
      action: 'mentor.request.created',
      subject: `mentor-request:${row.id}`,
      details: { municipality: input.municipalityCode, modules: input.eitsModules },
    });
    return { id: row.id, status: 'open' as RequestStatus };
  });
}

/**
 * Requests an official may see: those of their own municipalities, those matched to their own
 * offers, and open requests (so that mentors can volunteer). ELVL coordinators see all.
 */
export async function listRequests(ctx: AppContext, actor: Actor) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const offers = await offersWithLoad(trx);
    const myOffers = new Set(offers.filter((o) => o.personId === official.personId).map((o) => o.id));
    const rows = await trx
      .selectFrom('mentor_request as r')
      .innerJoin('tenant as t', 't.code', 'r.requesting_municipality')
      .select([
        'r.id',
        'r.requesting_municipality',
        't.name',
        'r.eits_modules',
        'r.description',
        'r.status',
        'r.offer_id',
        'r.created_at',
        'r.matched_at',
        'r.accepted_at',
        'r.closed_at',
      ])
      .where('r.municipality_code', '=', ELVL)
      .orderBy('r.created_at', 'desc')
      .execute();
    const sessions = await trx
      .selectFrom('mentor_session')
      .select(['request_id', 'minutes'])
      .where('municipality_code', '=', ELVL)
      .execute();
    return rows
      .filter(
        (r) =>
          isElvlEditor(official) ||
          isRequester(official, r.requesting_municipality) ||
          (r.offer_id && myOffers.has(r.offer_id)) ||
          r.status === 'open',
      )
      .map((r) => {
        const offer = offers.find((o) => o.id === r.offer_id);
        const held = sessions.filter((s) => s.request_id === r.id);
        return {
          id: r.id,
          municipalityCode: r.requesting_municipality,
          municipalityName: r.name,
          eitsModules: r.eits_modules,
          description: r.description,
          status: r.status,
          mentor: offer
            ? { offerId: offer.id, name: offer.mentorName, homeMunicipality: offer.homeMunicipality }
            : null,
          sessions: held.length,
          minutes: held.reduce((n, s) => n + s.minutes, 0),
          createdAt: r.created_at.toISOString(),
          mine: isRequester(official, r.requesting_municipality),
          mentoring: Boolean(r.offer_id && myOffers.has(r.offer_id)),
        };
      });
  });
}

/**
 * Suggested mentors for a request: active offers with room, from another municipality, sharing at
 * least one module; best overlap first, then the same county, then the least busy.
 */
export async function suggestMentors(ctx: AppContext, actor: Actor, requestId: string) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const r = await requestById(trx, requestId);
    if (!r) throw notFound(`Request ${requestId}`);
    if (!isElvlEditor(official) && !isRequester(official, r.requesting_municipality))
      throw forbidden('Only the requesting municipality and ELVL coordinators see the suggestions');
    const counties = new Map(
      (await trx.selectFrom('place').select(['code', 'parent_code']).where('level', '=', 'municipality').execute()).map(
        (p) => [p.code, p.parent_code],
      ),
    );
    const county = counties.get(r.requesting_municipality);
    return (await offersWithLoad(trx))
      .filter((o) => o.active && o.activeMentees < o.capacity && o.homeMunicipality !== r.requesting_municipality)
      .map((o) => {
        const overlap = o.eitsModules.filter((m) => r.eits_modules.includes(m));
        const sameCounty = county !== undefined && counties.get(o.homeMunicipality) === county;
        return { ...o, overlap, sameCounty, score: overlap.length * 10 + (sameCounty ? 3 : 0) - o.activeMentees };
      })
      .filter((o) => o.overlap.length > 0)
      .sort((a, b) => b.score - a.score);
  });
}

type Transition = 'match' | 'accept' | 'decline' | 'cancel' | 'complete';

/**
 * The request workflow: open → matched (a coordinator assigns a mentor, or a mentor volunteers
 * with their own offer) → in_progress (the municipality accepts) → completed; the mentor may
 * decline (back to open); the municipality may cancel before work starts.
 */
export async function moveRequest(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  step: Transition,
  offerId?: string,
) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const r = await requestById(trx, requestId, true);
    if (!r) throw notFound(`Request ${requestId}`);
    const mentor = await mentorOf(trx, r.offer_id);
    const isMentor = mentor?.person_id === official.personId;
    const requester = isRequester(official, r.requesting_municipality);
    const coordinator = isElvlEditor(official);
    const need = (ok: boolean, who: string) => {
      if (!ok) throw forbidden(`Only ${who} may do this`);
    };
    const from = (...states: RequestStatus[]) => {
      if (!states.includes(r.status))
        throw conflict(`The request is ${r.status}; this step needs it to be ${states.join(' or ')}`);
    };
    const now = new Date();
    let set: Record<string, unknown>;
    if (step === 'match') {
      from('open');
      if (!offerId) throw invalid([{ pointer: '/body/offerId', detail: 'name the mentoring offer' }]);
      const offer = await trx
        .selectFrom('mentor_offer')
        .selectAll()
        .where('municipality_code', '=', ELVL)
        .where('id', '=', offerId)
        .forUpdate()
        .executeTakeFirst();
      if (!offer) throw notFound(`Mentoring offer ${offerId}`);
      need(coordinator || offer.person_id === official.personId, 'an ELVL coordinator or the mentor of this offer');
      if (!offer.active) throw conflict('This offer is paused');
      if (offer.home_municipality === r.requesting_municipality)
        throw conflict('A mentor from the same municipality cannot be matched');
      const load = await trx
        .selectFrom('mentor_request')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('municipality_code', '=', ELVL)
        .where('offer_id', '=', offerId)
        .where('status', 'in', ['matched', 'in_progress'])
        .executeTakeFirstOrThrow();
      if (Number(load.n) >= offer.capacity)
        throw conflict(`The mentor already has ${offer.capacity} mentee${offer.capacity === 1 ? '' : 's'}`);
      set = { status: 'matched', offer_id: offerId, matched_at: now };
    } else if (step === 'accept') {
      from('matched');
      need(requester || coordinator, 'the requesting municipality');
      set = { status: 'in_progress', accepted_at: now };
    } else if (step === 'decline') {
      from('matched', 'in_progress');
      need(isMentor || coordinator, 'the mentor or an ELVL coordinator');
      set = { status: 'open', offer_id: null, matched_at: null, accepted_at: null };
    } else if (step === 'cancel') {
      from('open', 'matched');
      need(requester || coordinator, 'the requesting municipality or an ELVL coordinator');
      set = { status: 'cancelled', closed_at: now };
    } else {
      from('in_progress');
      need(requester || isMentor || coordinator, 'the municipality or its mentor');
      set = { status: 'completed', closed_at: now };
    }
    await trx
      .updateTable('mentor_request')
      .set(set)
      .where('municipality_code', '=', ELVL)
      .where('id', '=', requestId)
      .execute();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: official.personId,
      action: `mentor.request.${step}`,
      subject: `mentor-request:${requestId}`,
      details: { from: r.status, to: set.status, ...(offerId ? { offerId } : {}) },
    });
    return { id: requestId, status: set.status as RequestStatus };
  });
}

/** A session held between the mentor and the municipality, recorded by either. */
export async function recordMentorSession(ctx: AppContext, actor: Actor, requestId: string, input: SessionInput) {
  const official = requireOfficial(actor);
  if (input.heldOn > ctx.now().toISOString().slice(0, 10))
    throw invalid([{ pointer: '/body/heldOn', detail: 'a session is recorded after it was held' }]);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const r = await requestById(trx, requestId, true);
    if (!r) throw notFound(`Request ${requestId}`);
    const mentor = await mentorOf(trx, r.offer_id);
    if (!(
      mentor?.person_id === official.personId ||
      isRequester(official, r.requesting_municipality) ||
      isElvlEditor(official)
    ))
      throw forbidden('Only the mentor or the municipality record sessions');
    if (r.status !== 'in_progress' && r.status !== 'completed')
      throw conflict(`The request is ${r.status}; sessions are recorded once the municipality has accepted the mentor`);
    const row = await trx
      .insertInto('mentor_session')
      .values({
        municipality_code: ELVL,
        request_id: requestId,
        held_on: input.heldOn,
        minutes: input.minutes,
        eits_modules: input.eitsModules ?? r.eits_modules,
        notes: input.notes ?? '',
        recorded_by: official.personId,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: official.personId,
      action: 'mentor.session.recorded',
      subject: `mentor-request:${requestId}`,
      details: { heldOn: input.heldOn, minutes: input.minutes },
    });
    return { id: row.id };
  });
}

export async function listMentorSessions(ctx: AppContext, actor: Actor, requestId: string) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const r = await requestById(trx, requestId);
    if (!r) throw notFound(`Request ${requestId}`);
    const mentor = await mentorOf(trx, r.offer_id);
    if (!(
      mentor?.person_id === official.personId ||
      isRequester(official, r.requesting_municipality) ||
      isElvlEditor(official)
    ))
      throw forbidden('Only the mentor and the municipality see the sessions');
    const rows = await trx
      .selectFrom('mentor_session')
      .selectAll()
      .where('municipality_code', '=', ELVL)
      .where('request_id', '=', requestId)
      .orderBy('held_on')
      .execute();
    return rows.map((s) => ({
      id: s.id,
      heldOn: s.held_on,
      minutes: s.minutes,
      eitsModules: s.eits_modules,
      notes: s.notes,
    }));
  });
}
