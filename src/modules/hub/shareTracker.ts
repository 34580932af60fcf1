import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { invalid, notFound } from '../../platform/http/problems';
import { requireRole } from '../../platform/auth/actor';
import { OFFICIAL_ROLES, requireOfficial } from './policy';

/** The municipality's admins share its tracker (read only) with another municipality, or stop sharing. */
export async function shareTracker(ctx: AppContext, actor: Actor, owner: string, withCode: string, share: boolean) {
  const admin = requireRole(actor, owner, ['admin']);
  if (owner === withCode)
    throw invalid([{ pointer: '/params/with', detail: 'a municipality always sees its own tracker' }]);
  const tenant = await ctx.db.selectFrom('tenant').select('code').where('code', '=', withCode).executeTakeFirst();
  if (!tenant) throw notFound(`Municipality ${withCode}`);
  return inScope(ctx.db, { tenant: owner, actor: admin.personId }, async (trx) => {
    if (share)
      await trx
        .insertInto('eits_share')
        .values({ municipality_code: owner, shared_with: withCode, granted_by: admin.personId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    else
      await trx
        .deleteFrom('eits_share')
        .where('municipality_code', '=', owner)
        .where('shared_with', '=', withCode)
        .execute();
    await appendAudit(trx, {
      municipalityCode: owner,
      actorId: admin.personId,
      action: share ? 'eits.shared' : 'eits.unshared',
      subject: `tenant:${withCode}`,
      details: {},
    });
    return { sharedWith: withCode, shared: share };
  });
}

/** Trackers other municipalities share with the caller's municipalities (read across tenants, shares only). */
export async function trackersSharedWithMe(ctx: AppContext, actor: Actor) {
  const official = requireOfficial(actor);
  const mine = [
    ...new Set(
      official.roles
        .filter((g) => (OFFICIAL_ROLES as readonly string[]).includes(g.role))
        .map((g) => g.municipalityCode),
    ),
  ];
  if (!mine.length) return [];
  // Platform-wide scope, but only the share rows naming the caller's municipalities are read.
  const rows = await inScope(ctx.db, { tenant: '*', actor: official.personId }, (trx) =>
    trx
      .selectFrom('eits_share as s')
      .innerJoin('tenant as t', 't.code', 's.municipality_code')
      .select(['s.municipality_code', 't.name', 's.shared_with', 's.granted_at'])
      .where('s.shared_with', 'in', mine)
      .orderBy('t.name')
      .execute(),
  );
  return rows.map((r) => ({
    municipalityCode: r.municipality_code,
    name: r.name,
    sharedWith: r.shared_with,
    since: r.granted_at.toISOString(),
  }));
}
