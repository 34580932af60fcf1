import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { conflict, invalid } from '../../platform/http/problems';
import { requireCatalogueAdmin } from './policy';
import { ELVL } from './store';
import { currentVersion, insertCatalogue, readCatalogue } from './eitsStore';
import { diffCatalogues, parseCatalogue } from './catalogue';

/** Imports a catalogue version from RIA's file (ELVL admins); reports what changed since the current version. */
export async function importCatalogue(ctx: AppContext, actor: Actor, version: string, doc: unknown, sourceName = '') {
  const admin = requireCatalogueAdmin(actor);
  return storeCatalogue(ctx, version, doc, admin.personId, sourceName);
}

/** The import itself (also the CLI's and the demo seed's): all or nothing, in one transaction. */
export async function storeCatalogue(
  ctx: AppContext,
  version: string,
  doc: unknown,
  actorId: string | null,
  sourceName = '',
) {
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(version))
    throw invalid([{ pointer: '/params/version', detail: 'letters, digits, dot, dash or underscore, at most 40' }]);
  const catalogue = parseCatalogue(doc);
  return inScope(ctx.db, { tenant: ELVL, ...(actorId ? { actor: actorId } : {}) }, async (trx) => {
    // One import at a time, so that "the version before" is well defined.
    await sql`select pg_advisory_xact_lock(hashtext('eits_catalogue'))`.execute(trx);
    if (await readCatalogue(trx, version)) throw conflict(`Catalogue version ${version} is imported already`);
    const previous = (await currentVersion(trx)) ?? null;
    const before = previous ? await readCatalogue(trx, previous) : undefined;
    const diff = diffCatalogues(previous, before, catalogue);
    await insertCatalogue(trx, { version, sourceName, previous, diff, importedBy: actorId, catalogue });
    await appendAudit(trx, {
      municipalityCode: ELVL,
      actorId,
      action: 'eits.catalogue.imported',
      subject: `eits:${version}`,
      details: {
        previous,
        modules: catalogue.modules.length,
        measures: catalogue.measures.length,
        added: diff.added.length,
        removed: diff.removed.length,
        changed: diff.changed.length,
      },
    });
    return {
      version,
      previousVersion: previous,
      modules: catalogue.modules.length,
      measures: catalogue.measures.length,
      diff,
    };
  });
}
