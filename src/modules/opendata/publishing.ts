import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database';
import { catalogueOf, type Catalogue } from './catalogue';
import { placeNames } from './store';
import type { DatasetRecord, DatasetSnapshot, DistributionRecord, SnapshotDistribution } from './snapshot';

/**
 * Publishing one version: the working copy (metadata + distributions) becomes an immutable
 * snapshot in opendata_dataset_version, replaces the dataset's row in opendata_published (what
 * the CKAN API, the DCAT-AP export and the public pages read), and the working copy is marked
 * published. Used by officials' publishing and by automatic publication alike.
 */
export async function buildSnapshot(
  trx: Trx,
  d: DatasetRecord,
  distributions: DistributionRecord[],
  catalogue: Catalogue,
  version: number,
  at: Date,
  issued: string,
): Promise<DatasetSnapshot> {
  const places = await placeNames(trx, d.spatial);
  const fileIds = distributions.map((x) => x.file_id).filter((x): x is string => Boolean(x));
  const files = fileIds.length
    ? await trx
        .selectFrom('stored_file')
        .select(['id', 'filename'])
        .where('municipality_code', '=', d.municipality_code)
        .where('id', 'in', fileIds)
        .execute()
    : [];
  const filenames = new Map(files.map((f) => [f.id, f.filename]));
  let infoSystem: DatasetSnapshot['infoSystem'] = null;
  if (d.info_system_id) {
    const s = await trx
      .selectFrom('opendata_info_system')
      .select(['id', 'name', 'short_name'])
      .where('municipality_code', '=', d.municipality_code)
      .where('id', '=', d.info_system_id)
      .executeTakeFirst();
    if (s) infoSystem = { id: s.id, name: s.name, shortName: s.short_name };
  }
  const email = d.contact_email || catalogue.contactEmail;
  return {
    id: d.id,
    name: d.name,
    municipalityCode: d.municipality_code,
    organization: catalogue.organization,
    version,
    origin: d.origin,
    providerKey: d.provider_key,
    title: { et: d.title_et.trim(), en: d.title_en.trim() },
    description: { et: d.description_et.trim(), en: d.description_en.trim() },
    keywords: { et: d.keywords_et, en: d.keywords_en },
    themes: d.themes,
    spatial: d.spatial.map((code) => ({ code, name: places.get(code) ?? code })),
    temporal: d.temporal_start || d.temporal_end ? { start: d.temporal_start, end: d.temporal_end } : null,
    frequency: d.frequency,
    licenseId: d.license_id,
    accessRights: d.access_rights,
    contact: email
      ? { name: d.contact_email ? d.contact_name : (catalogue.contactName ?? d.contact_name), email }
      : null,
    qualityNote: d.quality_note,
    anonymisation: d.anonymisation_et && d.anonymisation_en ? { et: d.anonymisation_et, en: d.anonymisation_en } : null,
    infoSystem,
    issued,
    modified: at.toISOString(),
    changeNote: d.change_note,
    distributions: distributions.map((x): SnapshotDistribution => ({
      id: x.id,
      title: { et: x.title_et, en: x.title_en },
      kind: x.file_id ? 'file' : 'url',
      fileId: x.file_id,
      filename: x.file_id ? (filenames.get(x.file_id) ?? null) : null,
      url: x.url,
      format: x.format,
      mediaType: x.media_type,
      byteSize: x.byte_size,
      sha256: x.sha256,
      csv: (x.csv as DatasetSnapshot['distributions'][number]['csv']) ?? null,
    })),
  };
}

export async function publishVersion(
  trx: Trx,
  d: DatasetRecord,
  opts: { publishedBy: string | null; at: Date },
): Promise<DatasetSnapshot> {
  const db = trx;
  const distributions = await db
    .selectFrom('opendata_distribution')
    .selectAll()
    .where('municipality_code', '=', d.municipality_code)
    .where('dataset_id', '=', d.id)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const catalogue = await catalogueOf(trx, d.municipality_code);
  const version = (d.current_version ?? 0) + 1;
  const first = await db
    .selectFrom('opendata_dataset_version')
    .select('published_at')
    .where('municipality_code', '=', d.municipality_code)
    .where('dataset_id', '=', d.id)
    .where('version', '=', 1)
    .executeTakeFirst();
  const issued = (first?.published_at ?? opts.at).toISOString();
  const snapshot = await buildSnapshot(trx, d, distributions, catalogue, version, opts.at, issued);

  await db
    .insertInto('opendata_dataset_version')
    .values({
      municipality_code: d.municipality_code,
      dataset_id: d.id,
      version,
      published_at: opts.at,
      published_by: opts.publishedBy,
      change_note: d.change_note,
      snapshot: JSON.stringify(snapshot),
    })
    .execute();
  await upsertPublished(trx, snapshot);
  await db
    .updateTable('opendata_dataset')
    .set({
      state: 'published',
      current_version: version,
      change_note: null,
      submitted_at: null,
      submitted_by: null,
      updated_at: opts.at,
    })
    .where('municipality_code', '=', d.municipality_code)
    .where('id', '=', d.id)
    .execute();
  return snapshot;
}

export function tagsOf(s: DatasetSnapshot): string[] {
  return [...new Set([...s.keywords.et, ...s.keywords.en].map((k) => k.trim()).filter(Boolean))];
}

/**
 * The search columns of a snapshot as opendata_published holds them — written by publishing, and
 * made the same way for the private datasets a CKAN client may include in a search.
 */
export function publishedColumns(s: DatasetSnapshot) {
  const tags = tagsOf(s);
  const text = (v: string) => sql`${v}::text`;
  const arr = (v: string[]) => sql`${v}::text[]`;
  return {
    municipalityCode: s.municipalityCode,
    datasetId: s.id,
    name: s.name,
    version: s.version,
    organization: s.organization.name,
    origin: s.origin,
    titleEt: s.title.et,
    titleEn: s.title.en,
    tags: arr(tags),
    themes: arr(s.themes),
    formats: arr([...new Set(s.distributions.map((x) => x.format))]),
    licenseId: s.licenseId,
    spatial: arr(s.spatial.map((p) => p.code)),
    frequency: s.frequency,
    created: s.issued,
    modified: s.modified,
    snapshot: JSON.stringify(s),
    search: sql`setweight(to_tsvector('simple', ${text(s.title.et + ' ' + s.title.en + ' ' + s.name)}), 'A')
      || setweight(to_tsvector('simple', ${text(tags.join(' ') + ' ' + s.themes.join(' ') + ' ' + s.spatial.map((p) => p.name).join(' '))}), 'B')
      || setweight(to_tsvector('simple', ${text(s.description.et + ' ' + s.description.en + ' ' + s.organization.title + ' ' + s.distributions.map((x) => x.format).join(' '))}), 'C')`,
  };
}

export async function upsertPublished(trx: Trx, s: DatasetSnapshot): Promise<void> {
  const v = publishedColumns(s);
  await sql`
    INSERT INTO opendata_published (municipality_code, dataset_id, name, version, organization, origin, title_et, title_en, tags, themes, formats,
      license_id, spatial, frequency, metadata_created, metadata_modified, snapshot, search)
    VALUES (${v.municipalityCode}, ${v.datasetId}, ${v.name}, ${v.version}, ${v.organization}, ${v.origin}, ${v.titleEt}, ${v.titleEn}, ${v.tags}, ${v.themes}, ${v.formats},
      ${v.licenseId}, ${v.spatial}, ${v.frequency}, ${v.created}, ${v.modified}, ${v.snapshot}::jsonb, ${v.search})
    ON CONFLICT (municipality_code, dataset_id) DO UPDATE SET
      name = EXCLUDED.name, version = EXCLUDED.version, organization = EXCLUDED.organization, origin = EXCLUDED.origin,
      title_et = EXCLUDED.title_et, title_en = EXCLUDED.title_en, tags = EXCLUDED.tags, themes = EXCLUDED.themes,
      formats = EXCLUDED.formats, license_id = EXCLUDED.license_id, spatial = EXCLUDED.spatial, frequency = EXCLUDED.frequency,
      metadata_modified = EXCLUDED.metadata_modified, snapshot = EXCLUDED.snapshot, search = EXCLUDED.search`.execute(
    trx,
  );
}
