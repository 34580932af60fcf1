import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import type { Role } from '../../platform/db/tables';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, notFound } from '../../platform/http/problems';
import { canAdministerRoles } from './policy';
import { countAdmins, deleteGrant } from './store';

/** Revokes a role. The last admin of a municipality cannot be removed (someone must hold the keys). */
export async function revokeRole(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  personId: string,
  role: Role,
) {
  const admin = canAdministerRoles(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    if (role === 'admin' && (await countAdmins(trx, municipalityCode)) <= 1) {
      const isThatAdmin = await trx
        .selectFrom('role_grant')
        .select('person_id')
        .where('municipality_code', '=', municipalityCode)
        .where('person_id', '=', personId)
        .where('role', '=', 'admin')
        .executeTakeFirst();
      if (isThatAdmin)
        throw conflict('This is the last admin of the municipality; grant the role to someone else first');
    }
    const removed = await deleteGrant(trx, { municipalityCode, personId, role });
    if (!removed) throw notFound(`Role ${role} of person ${personId}`);
    await appendAudit(trx, {
      municipalityCode,
      actorId: admin.personId,
      action: 'role.revoked',
      subject: `person:${personId}`,
      details: { role },
    });
  });
}
