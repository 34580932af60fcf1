import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { canEdit } from './policy';
import { catalogueOf } from './catalogue';
import { checkDatasetInput, datasetValues } from './datasetRules';

import { DEFAULT_LICENCE, slugify } from './vocab';
import type { DatasetCreate } from './schemas';
import { getDatasetIn } from './getDataset';

/** A free CKAN name: `<organisation>-<short name>`, with -2, -3… if taken. */
export async function freeName(trx: Trx, code: string, organization: string, wanted: string): Promise<string> {
  const base = `${organization}-${slugify(wanted) || 'andmestik'}`.slice(0, 90).replace(/-+$/, '');
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    const taken = await trx
      .selectFrom('opendata_dataset')
      .select('id')
      .where('municipality_code', '=', code)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!taken) return name;
  }
}

/** Starts a dataset as a draft. Only the Estonian title is needed to begin; the rest can follow. */
export async function createDataset(ctx: AppContext, actor: Actor, code: string, input: DatasetCreate) {
  const editor = canEdit(actor, code);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const catalogue = await catalogueOf(trx, code);
    await checkDatasetInput(trx, code, input);
    const name = await freeName(trx, code, catalogue.organization.name, input.shortName ?? input.titleEt ?? '');
    const row = await trx
      .insertInto('opendata_dataset')
      .values({
        municipality_code: code,
        name,
        origin: 'manual',
        provider_key: null,
        source_key: null,
        title_et: '',
        title_en: '',
        description_et: '',
        description_en: '',
        frequency: 'IRREG',
        license_id: DEFAULT_LICENCE,
        access_rights: 'PUBLIC',
        contact_name: null,
        contact_email: null,
        quality_note: null,
        anonymisation_et: null,
        anonymisation_en: null,
        info_system_id: null,
        agreed_on: null,
        current_version: null,
        change_note: null,
        submitted_at: null,
        submitted_by: null,
        temporal_start: null,
        temporal_end: null,
        created_by: editor.personId,
        spatial: code === '0000' ? [] : [code],
        ...datasetValues(input),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.dataset.created',
      subject: `dataset:${row.id}`,
      details: { name },
    });
    return getDatasetIn(trx, code, row.id);
  });
}
