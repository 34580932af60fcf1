import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { parseIdCode, idCodeError } from '../../platform/identity/personalIdCode';
import { upsertPerson } from '../../platform/auth/persons';
import { canAdminister, canRead } from './policy';

import type { GovernanceRoleInput } from './schemas';

/**
 * Roles of the data governance framework, assigned to people: head of data governance (for the
 * municipality), data owner and data steward (for the municipality or one information system).
 * A head of data governance or data owner may also publish datasets.
 */
export async function listGovernanceRoles(ctx: AppContext, actor: Actor, code: string) {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, async (trx) => {
    const rows = await trx
      .selectFrom('opendata_governance_role as r')
      .innerJoin('person as p', 'p.id', 'r.person_id')
      .leftJoin('opendata_info_system as s', (j) =>
        j.onRef('s.municipality_code', '=', 'r.municipality_code').onRef('s.id', '=', 'r.info_system_id'),
      )
      .select([
        'r.id',
        'r.person_id',
        'r.role',
        'r.assigned_at',
        'p.given_name',
        'p.family_name',
        'p.id_code_masked',
        's.id as system_id',
        's.name as system_name',
      ])
      .where('r.municipality_code', '=', code)
      .orderBy('r.role')
      .orderBy('p.family_name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      name: r.given_name || r.family_name ? `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim() : null,
      idCodeMasked: r.id_code_masked,
      role: r.role,
      infoSystem: r.system_id ? { id: r.system_id, name: r.system_name ?? '' } : null,
      assignedAt: new Date(r.assigned_at).toISOString(),
    }));
  });
}

export async function assignGovernanceRole(ctx: AppContext, actor: Actor, code: string, input: GovernanceRoleInput) {
  const admin = canAdminister(actor, code);
  const parsed = parseIdCode(input.idCode);
  if (!parsed.ok) throw invalid([idCodeError('/body/idCode', parsed.problem)]);
  if (input.role === 'head_of_data_governance' && input.infoSystemId)
    throw invalid([
      {
        pointer: '/body/infoSystemId',
        detail: 'The head of data governance is appointed for the whole municipality, not for one system.',
      },
    ]);
  const personId = await upsertPerson(ctx.db, {
    idCode: parsed.value.code,
    givenName: null,
    familyName: null,
    birthDate: parsed.value.birthDate,
  });
  return inScope(ctx.db, { tenant: code, actor: admin.personId }, async (trx) => {
    if (input.infoSystemId) {
      const s = await trx
        .selectFrom('opendata_info_system')
        .select('id')
        .where('municipality_code', '=', code)
        .where('id', '=', input.infoSystemId)
        .executeTakeFirst();
      if (!s)
        throw invalid([{ pointer: '/body/infoSystemId', detail: 'No such information system in this municipality.' }]);
    }
    const r = await trx
      .insertInto('opendata_governance_role')
      .values({
        municipality_code: code,
        person_id: personId,
        role: input.role,
        info_system_id: input.infoSystemId ?? null,
        assigned_by: admin.personId,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (r)
      await appendAudit(trx, {
        municipalityCode: code,
        actorId: admin.personId,
        action: 'opendata.role.assigned',
        subject: `person:${personId}`,
        details: { role: input.role, infoSystemId: input.infoSystemId ?? null },
      });
    return { personId, role: input.role, created: Boolean(r) };
  });
}

export async function removeGovernanceRole(ctx: AppContext, actor: Actor, code: string, id: string) {
  const admin = canAdminister(actor, code);
  await inScope(ctx.db, { tenant: code, actor: admin.personId }, async (trx) => {
    const r = await trx
      .deleteFrom('opendata_governance_role')
      .where('municipality_code', '=', code)
      .where('id', '=', id)
      .returning(['person_id', 'role'])
      .executeTakeFirst();
    if (!r) throw notFound(`Role assignment ${id}`);
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: admin.personId,
      action: 'opendata.role.removed',
      subject: `person:${r.person_id}`,
      details: { role: r.role },
    });
  });
}
