import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { currentCouncil, loadCouncil, personName, type Council } from './access';
import { MANAGER_ROLES, canManageCouncil } from './policy';

import { quorumNeeded } from './rules';

export async function loadMembers(trx: Trx, code: string, councilId: string) {
  const rows = await trx
    .selectFrom('council_member as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('council_faction as f', (j) =>
      j.onRef('f.municipality_code', '=', 'm.municipality_code').onRef('f.id', '=', 'm.faction_id'),
    )
    .select([
      'm.id',
      'm.person_id',
      'm.kind',
      'm.status',
      'm.faction_id',
      'm.list_position',
      'm.office',
      'm.replaces_member_id',
      'p.given_name',
      'p.family_name',
      'f.name as faction',
    ])
    .where('m.municipality_code', '=', code)
    .where('m.council_id', '=', councilId)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: personName(r),
    kind: r.kind,
    status: r.status,
    faction: r.faction ?? null,
    factionId: r.faction_id,
    listPosition: r.list_position,
    office: r.office,
    replacesMemberId: r.replaces_member_id,
  }));
}

async function describe(trx: Trx, council: Council) {
  const code = council.municipality_code;
  const factions = await trx
    .selectFrom('council_faction')
    .select(['id', 'name'])
    .where('municipality_code', '=', code)
    .where('council_id', '=', council.id)
    .orderBy('name')
    .execute();
  const members = await loadMembers(trx, code, council.id);
  return {
    id: council.id,
    municipalityCode: code,
    name: council.name,
    seats: council.seats,
    termStart: council.term_start,
    termEnd: council.term_end,
    quorum: {
      num: council.quorum_num,
      den: council.quorum_den,
      needed: quorumNeeded(council.seats, { num: council.quorum_num, den: council.quorum_den }),
    },
    factions,
    members,
    acting: members.filter((m) => m.status === 'active').length,
  };
}

/** The council's composition (public: members, factions, offices, substitutes). */
export async function getCouncil(ctx: AppContext, actor: Actor, code: string, councilId?: string) {
  return inScope(ctx.db, { tenant: code, actor: actor.kind === 'person' ? actor.personId : undefined }, async (t) => {
    const trx = t;
    const council = councilId ? await loadCouncil(trx, code, councilId) : await currentCouncil(trx, code, ctx.now());
    if (!council) throw notFound(`A council of municipality ${code}`);
    return describe(trx, council);
  });
}

/** Officials who may keep a sitting's minutes (the council's managers), for choosing a secretary. */
export async function listMinuteKeepers(ctx: AppContext, actor: Actor, code: string) {
  const mgr = canManageCouncil(actor, code);
  return inScope(ctx.db, { tenant: code, actor: mgr.personId }, async (t) => {
    const rows = await t
      .selectFrom('role_grant as g')
      .innerJoin('person as p', 'p.id', 'g.person_id')
      .select(['p.id', 'p.given_name', 'p.family_name', 'p.id_code_masked'])
      .distinct()
      .where('g.municipality_code', '=', code)
      .where('g.role', 'in', MANAGER_ROLES)
      .orderBy('p.family_name')
      .execute();
    return rows.map((p) => ({ personId: p.id, name: personName(p), idCodeMasked: p.id_code_masked }));
  });
}
