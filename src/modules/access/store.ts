import type { Trx } from '../../platform/db/database';
import type { Role } from '../../platform/db/tables';

export async function listGrants(trx: Trx, municipalityCode: string) {
  const rows = await trx
    .selectFrom('role_grant as g')
    .innerJoin('person as p', 'p.id', 'g.person_id')
    .select([
      'g.municipality_code',
      'g.person_id',
      'g.role',
      'g.granted_at',
      'p.given_name',
      'p.family_name',
      'p.id_code_masked',
    ])
    .where('g.municipality_code', '=', municipalityCode)
    .orderBy('p.family_name')
    .orderBy('p.given_name')
    .orderBy('g.role')
    .execute();
  return rows.map((r) => ({
    municipalityCode: r.municipality_code,
    personId: r.person_id,
    givenName: r.given_name,
    familyName: r.family_name,
    idCodeMasked: r.id_code_masked,
    role: r.role,
    grantedAt: r.granted_at.toISOString(),
  }));
}

export async function insertGrant(
  trx: Trx,
  g: { municipalityCode: string; personId: string; role: Role; grantedBy: string },
) {
  const res = await trx
    .insertInto('role_grant')
    .values({ municipality_code: g.municipalityCode, person_id: g.personId, role: g.role, granted_by: g.grantedBy })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteGrant(trx: Trx, g: { municipalityCode: string; personId: string; role: Role }) {
  const res = await trx
    .deleteFrom('role_grant')
    .where('municipality_code', '=', g.municipalityCode)
    .where('person_id', '=', g.personId)
    .where('role', '=', g.role)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function countAdmins(trx: Trx, municipalityCode: string) {
  const r = await trx
    .selectFrom('role_grant')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality_code', '=', municipalityCode)
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The head of every audit chain (scope '*'): what a checkpoint signs. */
export async function auditChainHeads(trx: Trx) {
  const rows = await trx
    .selectFrom('audit_chain')
    .select(['municipality_code', 'last_seq', 'last_hash'])
    .orderBy('municipality_code')
    .execute();
  return rows.map((r) => ({ m: r.municipality_code, seq: Number(r.last_seq), hash: r.last_hash.toString('hex') }));
}
