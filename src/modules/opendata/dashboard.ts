import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { canRead } from './policy';
import type { GovernanceDashboard } from './schemas';

/**
 * The data governance dashboard of a municipality: systems not registered in RIHA, datasets
 * agreed vs published (and agreed but not yet published), systems without a data owner,
 * published datasets without a data-quality note, and the latest automatic publication failures.
 */
export async function governanceDashboard(ctx: AppContext, actor: Actor, code: string): Promise<GovernanceDashboard> {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, async (trx) => {
    const db = trx;
    const systems = await db
      .selectFrom('opendata_info_system')
      .select(['id', 'name', 'short_name', 'riha_registered', 'system_status'])
      .where('municipality_code', '=', code)
      .orderBy('name')
      .execute();
    const owners = await db
      .selectFrom('opendata_governance_role')
      .select(['info_system_id', 'role'])
      .where('municipality_code', '=', code)
      .execute();
    const head = owners.some((o) => o.role === 'head_of_data_governance');
    const municipalOwner = owners.some((o) => o.role === 'data_owner' && o.info_system_id === null);
    const ownedSystems = new Set(
      owners.filter((o) => o.role === 'data_owner' && o.info_system_id).map((o) => o.info_system_id),
    );
    const datasets = await db
      .selectFrom('opendata_dataset')
      .select(['id', 'name', 'title_et', 'state', 'agreed_on', 'current_version', 'quality_note', 'origin'])
      .where('municipality_code', '=', code)
      .orderBy('name')
      .execute();
    const published = datasets.filter((d) => d.current_version !== null && d.state !== 'withdrawn');
    const agreed = datasets.filter((d) => d.agreed_on !== null);
    const failures = (
      await sql<{
        id: string;
        provider_key: string;
        started_at: Date;
        error: string | null;
        changes: { key: string; change: string; error?: string }[];
      }>`
        SELECT DISTINCT ON (provider_key) id, provider_key, started_at, error, changes, status FROM opendata_publication_run
        WHERE municipality_code = ${code} ORDER BY provider_key, started_at DESC`.execute(trx)
    ).rows.filter((r) => r.error || r.changes.some((c) => c.change === 'failed'));
    return {
      systems: {
        total: systems.length,
        notRegistered: systems
          .filter((s) => !s.riha_registered && s.system_status !== 'FINISHED')
          .map((s) => ({ id: s.id, name: s.name, shortName: s.short_name })),
        withoutOwner: municipalOwner
          ? []
          : systems
              .filter((s) => !ownedSystems.has(s.id))
              .map((s) => ({ id: s.id, name: s.name, shortName: s.short_name })),
      },
      datasets: {
        total: datasets.length,
        agreed: agreed.length,
        published: published.length,
        agreedPublished: agreed.filter((d) => d.current_version !== null && d.state !== 'withdrawn').length,
        agreedNotPublished: agreed
          .filter((d) => d.current_version === null || d.state === 'withdrawn')
          .map((d) => ({ id: d.id, name: d.name, titleEt: d.title_et, state: d.state })),
        withoutQualityNote: published
          .filter((d) => d.origin === 'manual' && !d.quality_note)
          .map((d) => ({ id: d.id, name: d.name, titleEt: d.title_et, state: d.state })),
        waitingForReview: datasets.filter((d) => d.state === 'review').length,
      },
      roles: { headOfDataGovernance: head },
      automaticFailures: failures.map((f) => ({
        runId: f.id,
        providerKey: f.provider_key,
        at: f.started_at.toISOString(),
        error:
          f.error ??
          f.changes
            .filter((c) => c.change === 'failed')
            .map((c) => c.error)
            .join('; '),
      })),
    };
  });
}
