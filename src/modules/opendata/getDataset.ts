import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problems';
import { canRead } from './policy';
import { catalogueOf } from './catalogue';
import { findDataset, listDistributions } from './store';
import { missingMetadata } from './snapshot';
import type { CsvInfo } from './csv';

/** The working copy of a dataset as officials see it: fields, distributions, versions, and what is still missing. */
export async function getDatasetIn(trx: Trx, code: string, id: string) {
  const d = await findDataset(trx, code, id);
  if (!d) throw notFound(`Dataset ${id}`);
  const dists = await listDistributions(trx, code, id);
  const catalogue = await catalogueOf(trx, code);
  const fileIds = dists.map((x) => x.file_id).filter((x): x is string => Boolean(x));
  const files = fileIds.length
    ? await trx
        .selectFrom('stored_file')
        .select(['id', 'filename'])
        .where('municipality_code', '=', code)
        .where('id', 'in', fileIds)
        .execute()
    : [];
  const filenames = new Map(files.map((f) => [f.id, f.filename]));
  const versions = await trx
    .selectFrom('opendata_dataset_version as v')
    .leftJoin('person as p', 'p.id', 'v.published_by')
    .select(['v.version', 'v.published_at', 'v.change_note', 'p.given_name', 'p.family_name'])
    .where('v.municipality_code', '=', code)
    .where('v.dataset_id', '=', id)
    .orderBy('v.version', 'desc')
    .execute();
  return {
    id: d.id,
    municipalityCode: d.municipality_code,
    name: d.name,
    origin: d.origin,
    providerKey: d.provider_key,
    state: d.state,
    titleEt: d.title_et,
    titleEn: d.title_en,
    descriptionEt: d.description_et,
    descriptionEn: d.description_en,
    keywordsEt: d.keywords_et,
    keywordsEn: d.keywords_en,
    themes: d.themes,
    spatial: d.spatial,
    temporalStart: d.temporal_start,
    temporalEnd: d.temporal_end,
    frequency: d.frequency,
    licenseId: d.license_id,
    accessRights: d.access_rights,
    contactName: d.contact_name,
    contactEmail: d.contact_email,
    qualityNote: d.quality_note,
    infoSystemId: d.info_system_id,
    agreedOn: d.agreed_on,
    changeNote: d.change_note,
    currentVersion: d.current_version,
    submittedAt: d.submitted_at ? d.submitted_at.toISOString() : null,
    updatedAt: new Date(d.updated_at).toISOString(),
    distributions: dists.map((x) => ({
      id: x.id,
      title: { et: x.title_et, en: x.title_en },
      kind: (x.file_id ? 'file' : 'url') as 'file' | 'url',
      fileId: x.file_id,
      filename: x.file_id ? (filenames.get(x.file_id) ?? null) : null,
      url: x.url,
      format: x.format,
      mediaType: x.media_type,
      byteSize: x.byte_size,
      sha256: x.sha256,
      csv: (x.csv as CsvInfo | null) ?? null,
    })),
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: new Date(v.published_at).toISOString(),
      publishedBy: v.given_name || v.family_name ? `${v.given_name ?? ''} ${v.family_name ?? ''}`.trim() : null,
      changeNote: v.change_note,
    })),
    missing: missingMetadata(d, dists, catalogue.contactEmail),
  };
}

export async function getDataset(ctx: AppContext, actor: Actor, code: string, id: string) {
  const reader = canRead(actor, code);
  return inScope(ctx.db, { tenant: code, actor: reader.personId }, (trx) => getDatasetIn(trx, code, id));
}
