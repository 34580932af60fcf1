import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid, notFound } from '../../platform/http/problems';
import { R_COMMUNITY } from './reasons';
import { sql } from 'kysely';
import { homeMunicipality, isOfficial } from './access';
import { requireOrganiser } from './policy';
import { requireOfficial } from '../../platform/auth/officials';
import { ELVL, eventById } from './store';
import type { GroupInput, ProgrammeInput } from './schemas';

export async function createProgramme(ctx: AppContext, actor: Actor, input: ProgrammeInput) {
  const o = requireOrganiser(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: o.personId }, async (trx) => {
    const row = await trx
      .insertInto('training_programme')
      .values({
        municipality_code: ELVL,
        title: input.title,
        description: input.description ?? '',
        required_sessions: input.requiredSessions,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: o.personId,
      action: 'training.programme.created',
      subject: `training:${row.id}`,
      details: { title: input.title },
    });
    return { id: row.id };
  });
}

export async function createGroup(ctx: AppContext, actor: Actor, programmeId: string, input: GroupInput) {
  const o = requireOrganiser(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: o.personId }, async (trx) => {
    const p = await trx
      .selectFrom('training_programme')
      .select('id')
      .where('municipality_code', '=', ELVL)
      .where('id', '=', programmeId)
      .executeTakeFirst();
    if (!p) throw notFound(`Training programme ${programmeId}`);
    if (input.regionCode) {
      const county = await trx
        .selectFrom('place')
        .select('code')
        .where('code', '=', input.regionCode)
        .where('level', '=', 'county')
        .executeTakeFirst();
      if (!county) throw invalid([fieldError('/body/regionCode', R_COMMUNITY.notCounty)]);
    }
    const row = await trx
      .insertInto('training_group')
      .values({
        municipality_code: ELVL,
        programme_id: programmeId,
        name: input.name,
        region_code: input.regionCode ?? null,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: o.personId,
      action: 'training.group.created',
      subject: `training-group:${row.id}`,
      details: { name: input.name },
    });
    return { id: row.id };
  });
}

/** Adds an official to a group (organisers). */
export async function addMember(ctx: AppContext, actor: Actor, groupId: string, personId: string) {
  const o = requireOrganiser(actor);
  const roles = await inScope(ctx.db, { tenant: '*' }, (trx) =>
    trx.selectFrom('role_grant').select(['municipality_code', 'role']).where('person_id', '=', personId).execute(),
  );
  const member = {
    kind: 'person' as const,
    personId,
    roles: roles.map((r) => ({ municipalityCode: r.municipality_code, role: r.role })),
    givenName: null,
    familyName: null,
    birthDate: '',
    idCodeMasked: '',
    acr: null,
  };
  if (!isOfficial(member)) throw invalid([fieldError('/body/personId', R_COMMUNITY.groupOfficialsOnly)]);
  return inScope(ctx.db, { tenant: ELVL, actor: o.personId }, async (trx) => {
    const g = await trx
      .selectFrom('training_group')
      .select('id')
      .where('municipality_code', '=', ELVL)
      .where('id', '=', groupId)
      .executeTakeFirst();
    if (!g) throw notFound(`Training group ${groupId}`);
    await trx
      .insertInto('training_member')
      .values({
        municipality_code: ELVL,
        group_id: groupId,
        person_id: personId,
        member_municipality: homeMunicipality(member),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: o.personId,
      action: 'training.member.added',
      subject: `training-group:${groupId}`,
      details: { personId },
    });
    return { groupId, personId };
  });
}

/** Members of a group with sessions attended and completion (completed at the required number). */
async function groupProgress(trx: Trx, groupId: string) {
  const g = await trx
    .selectFrom('training_group as g')
    .innerJoin('training_programme as p', (j) =>
      j.onRef('p.municipality_code', '=', 'g.municipality_code').onRef('p.id', '=', 'g.programme_id'),
    )
    .select(['g.id', 'g.name', 'g.region_code', 'p.id as programme_id', 'p.title', 'p.required_sessions'])
    .where('g.municipality_code', '=', ELVL)
    .where('g.id', '=', groupId)
    .executeTakeFirst();
  if (!g) throw notFound(`Training group ${groupId}`);
  const sessions = await trx
    .selectFrom('community_event')
    .select(['id', 'title', 'starts_at', 'status'])
    .where('municipality_code', '=', ELVL)
    .where('group_id', '=', groupId)
    .orderBy('starts_at')
    .execute();
  const members = await trx
    .selectFrom('training_member as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .select([
      'm.person_id',
      'm.member_municipality',
      'm.completed_at',
      'p.given_name',
      'p.family_name',
      sql<number>`(SELECT count(*)::int FROM community_registration r JOIN community_event e ON e.municipality_code = r.municipality_code AND e.id = r.event_id WHERE r.municipality_code = m.municipality_code AND r.person_id = m.person_id AND e.group_id = m.group_id AND r.attended)`.as(
        'attended',
      ),
    ])
    .where('m.municipality_code', '=', ELVL)
    .where('m.group_id', '=', groupId)
    .orderBy('p.family_name')
    .execute();
  return {
    id: g.id,
    name: g.name,
    regionCode: g.region_code,
    programme: { id: g.programme_id, title: g.title, requiredSessions: g.required_sessions },
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      startsAt: s.starts_at.toISOString(),
      status: s.status,
    })),
    members: members.map((m) => ({
      personId: m.person_id,
      name: [m.given_name, m.family_name].filter(Boolean).join(' ') || '—',
      municipality: m.member_municipality,
      attended: Number(m.attended),
      completed: m.completed_at !== null,
      completedAt: m.completed_at?.toISOString() ?? null,
    })),
  };
}

export async function readGroup(ctx: AppContext, actor: Actor, groupId: string) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, (trx) => groupProgress(trx, groupId));
}

export async function listProgrammes(ctx: AppContext, actor: Actor) {
  const official = requireOfficial(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: official.personId }, async (trx) => {
    const programmes = await trx
      .selectFrom('training_programme')
      .selectAll()
      .where('municipality_code', '=', ELVL)
      .orderBy('created_at')
      .execute();
    const groups = await trx
      .selectFrom('training_group')
      .selectAll()
      .where('municipality_code', '=', ELVL)
      .orderBy('name')
      .execute();
    const out = [];
    for (const p of programmes) {
      const gs = [];
      for (const g of groups.filter((x) => x.programme_id === p.id)) {
        const gp = await groupProgress(trx, g.id);
        gs.push({
          id: g.id,
          name: g.name,
          regionCode: g.region_code,
          members: gp.members.length,
          completed: gp.members.filter((m) => m.completed).length,
          sessions: gp.sessions.length,
        });
      }
      out.push({
        id: p.id,
        title: p.title,
        description: p.description,
        requiredSessions: p.required_sessions,
        groups: gs,
      });
    }
    return out;
  });
}

/**
 * Attendance after an event (organisers). For a training-group meeting, each member's completion
 * is brought up to date in the same transaction: completed once they attended the programme's
 * required number of the group's sessions, and un-completed if a correction drops them below.
 */
export async function recordAttendance(
  ctx: AppContext,
  actor: Actor,
  eventId: string,
  marks: { personId: string; attended: boolean }[],
) {
  const o = requireOrganiser(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: o.personId }, async (trx) => {
    const e = await eventById(trx, eventId, true);
    if (!e) throw notFound(`Event ${eventId}`);
    const missing: string[] = [];
    for (const m of marks) {
      const r = await trx
        .updateTable('community_registration')
        .set({ attended: m.attended })
        .where('municipality_code', '=', ELVL)
        .where('event_id', '=', eventId)
        .where('person_id', '=', m.personId)
        .where('status', '=', 'registered')
        .executeTakeFirst();
      if (!Number(r.numUpdatedRows)) missing.push(m.personId);
    }
    if (missing.length)
      throw invalid(
        missing.map((p) =>
          fieldError(`/body/marks/${marks.findIndex((m) => m.personId === p)}/personId`, R_COMMUNITY.notRegistered),
        ),
      );
    let completed = 0;
    if (e.group_id) {
      const gp = await groupProgress(trx, e.group_id);
      for (const m of gp.members) {
        const done = m.attended >= gp.programme.requiredSessions;
        if (done !== m.completed) {
          await trx
            .updateTable('training_member')
            .set({ completed_at: done ? new Date() : null })
            .where('municipality_code', '=', ELVL)
            .where('group_id', '=', e.group_id)
            .where('person_id', '=', m.personId)
            .execute();
        }
        if (done) completed += 1;
      }
    }
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: o.personId,
      action: 'community.attendance',
      subject: `event:${eventId}`,
      details: { marks: marks.length },
    });
    return { eventId, marked: marks.length, groupCompleted: completed };
  });
}
