import type { Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';

declare module '../../platform/db/tables' {
  interface KovTables {
    mentor_offer: {
      municipality_code: string;
      id: Generated<string>;
      person_id: string;
      home_municipality: string;
      eits_modules: string[];
      description: string;
      capacity: number;
      active: Generated<boolean>;
      created_at: Generated<Date>;
    };
    mentor_request: {
      municipality_code: string;
      id: Generated<string>;
      requesting_municipality: string;
      requested_by: string;
      eits_modules: string[];
      description: string;
      status: Generated<RequestStatus>;
      offer_id: string | null;
      matched_at: Date | null;
      accepted_at: Date | null;
      closed_at: Date | null;
      created_at: Generated<Date>;
    };
    mentor_session: {
      municipality_code: string;
      id: Generated<string>;
      request_id: string;
      held_on: string;
      minutes: number;
      eits_modules: string[];
      notes: string;
      recorded_by: string;
      recorded_at: Generated<Date>;
    };
  }
}
export type RequestStatus = 'open' | 'matched' | 'in_progress' | 'completed' | 'cancelled';

export async function offersWithLoad(trx: Trx) {
  const db = trx;
  const offers = await db
    .selectFrom('mentor_offer as o')
    .innerJoin('person as p', 'p.id', 'o.person_id')
    .select([
      'o.id',
      'o.person_id',
      'o.home_municipality',
      'o.eits_modules',
      'o.description',
      'o.capacity',
      'o.active',
      'o.created_at',
      'p.given_name',
      'p.family_name',
    ])
    .where('o.municipality_code', '=', '0000')
    .orderBy('o.created_at')
    .execute();
  const load = await db
    .selectFrom('mentor_request')
    .select(['offer_id'])
    .where('municipality_code', '=', '0000')
    .where('status', 'in', ['matched', 'in_progress'])
    .execute();
  const counts = new Map<string, number>();
  for (const r of load) if (r.offer_id) counts.set(r.offer_id, (counts.get(r.offer_id) ?? 0) + 1);
  return offers.map((o) => ({
    id: o.id,
    personId: o.person_id,
    mentorName: [o.given_name, o.family_name].filter(Boolean).join(' ') || '—',
    homeMunicipality: o.home_municipality,
    eitsModules: o.eits_modules,
    description: o.description,
    capacity: o.capacity,
    active: o.active,
    activeMentees: counts.get(o.id) ?? 0,
  }));
}

export async function requestById(trx: Trx, id: string, lock = false) {
  let q = trx.selectFrom('mentor_request').selectAll().where('municipality_code', '=', '0000').where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
