import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { notFound } from '../../platform/http/problems';
import { canEditPlan } from './policy';
import { ELVL, patchInitiative, readInitiatives } from './store';
import type { InitiativePatch } from './schemas';

/** Status, implementer, partners, expected result or a note of one initiative. */
export async function updateInitiative(
  ctx: AppContext,
  actor: Actor,
  planId: string,
  code: string,
  patch: InitiativePatch,
) {
  const editor = canEditPlan(actor);
  return inScope(ctx.db, { tenant: ELVL, actor: editor.personId }, async (trx) => {
    if (!(await patchInitiative(trx, planId, code, patch))) throw notFound(`Initiative ${code} of plan ${planId}`);
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId: editor.personId,
      action: 'programme.initiative.updated',
      subject: `plan:${planId}/initiative:${code}`,
      details: { ...patch },
    });
    const updated = (await readInitiatives(trx, planId)).find((i) => i.code === code);
    if (!updated) throw notFound(`Initiative ${code} of plan ${planId}`);
    return updated;
  });
}
