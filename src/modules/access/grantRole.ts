import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { parseIdCode, idCodeError } from '../../platform/identity/personalIdCode';
import { upsertPerson } from '../../platform/auth/persons';
import { canAdministerRoles } from './policy';
import { insertGrant } from './store';
import type { GrantInput } from './schemas';

/**
 * Grants a role in a municipality to a person named by ID code. A person who has never logged in
 * is created from the code alone (names arrive with their first login).
 */
export async function grantRole(ctx: AppContext, actor: Actor, municipalityCode: string, input: GrantInput) {
  const admin = canAdministerRoles(actor, municipalityCode);
  const parsed = parseIdCode(input.idCode);
  if (!parsed.ok) throw invalid([idCodeError('/body/idCode', parsed.problem)]);
  const tenant = await ctx.db
    .selectFrom('tenant')
    .select('code')
    .where('code', '=', municipalityCode)
    .executeTakeFirst();
  if (!tenant) throw notFound(`Municipality ${municipalityCode}`);
  const personId = await upsertPerson(ctx.db, {
    idCode: parsed.value.code,
    givenName: null,
    familyName: null,
    birthDate: parsed.value.birthDate,
  });
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    const created = await insertGrant(trx, { municipalityCode, personId, role: input.role, grantedBy: admin.personId });
    if (created) {
      await appendAudit(trx, {
        municipalityCode,
        actorId: admin.personId,
        action: 'role.granted',
        subject: `person:${personId}`,
        details: { role: input.role },
      });
    }
    return { personId, role: input.role, created };
  });
}
