import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { canAdministerRoles } from './policy';
import { listGrants } from './store';

export async function listRoleGrants(ctx: AppContext, actor: Actor, municipalityCode: string) {
  const admin = canAdministerRoles(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, (trx) =>
    listGrants(trx, municipalityCode),
  );
}
