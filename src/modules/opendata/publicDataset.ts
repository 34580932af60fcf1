import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope } from '../../platform/db/database';
import { readFile } from '../../platform/files/files';
import { notFound } from '../../platform/http/problems';
import { previewCsv } from './csv';
import { dcatUrls } from './dcat';
import { findPublished } from './search';

import type { DatasetSnapshot } from './snapshot';

/**
 * What anyone may read: published datasets, every published version of them, their files, and a
 * preview of the first rows of CSV files. Withdrawn datasets are gone from all of these.
 */
export function withDownloadUrls(s: DatasetSnapshot, publicUrl: string) {
  const urls = dcatUrls(publicUrl);
  return {
    ...s,
    distributions: s.distributions.map((x) => ({
      ...x,
      downloadUrl: x.kind === 'file' ? urls.download(s.name, s.version, x.id) : x.url!,
    })),
  };
}

async function current(ctx: AppContext, name: string): Promise<DatasetSnapshot> {
  const s = await findPublished(ctx, name);
  if (!s) throw notFound(`Dataset ${name}`);
  return s;
}

export async function publicDataset(ctx: AppContext, name: string) {
  const s = await current(ctx, name);
  const versions = await inScope(ctx.db, { tenant: s.municipalityCode }, (trx) =>
    trx
      .selectFrom('opendata_dataset_version')
      .select(['version', 'published_at', 'change_note'])
      .where('municipality_code', '=', s.municipalityCode)
      .where('dataset_id', '=', s.id)
      .orderBy('version', 'desc')
      .execute(),
  );
  return {
    dataset: withDownloadUrls(s, ctx.config.publicUrl),
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: new Date(v.published_at).toISOString(),
      changeNote: v.change_note,
    })),
  };
}

export async function publicVersion(ctx: AppContext, name: string, version: number): Promise<DatasetSnapshot> {
  const s = await current(ctx, name);
  if (version === s.version) return s;
  const v = await inScope(ctx.db, { tenant: s.municipalityCode }, (trx) =>
    trx
      .selectFrom('opendata_dataset_version')
      .select('snapshot')
      .where('municipality_code', '=', s.municipalityCode)
      .where('dataset_id', '=', s.id)
      .where('version', '=', version)
      .executeTakeFirst(),
  );
  if (!v) throw notFound(`Version ${version} of dataset ${name}`);
  return v.snapshot as DatasetSnapshot;
}

export async function downloadFile(ctx: AppContext, name: string, version: number, distributionId: string) {
  const s = await publicVersion(ctx, name, version);
  const x = s.distributions.find((d) => d.id === distributionId);
  if (!x || !x.fileId) throw notFound(`File ${distributionId} of ${name} version ${version}`);
  const f = await inScope(ctx.db, { tenant: s.municipalityCode }, (trx) =>
    readFile(trx, s.municipalityCode, x.fileId!),
  );
  if (!f) throw notFound(`File ${distributionId}`);
  return { filename: f.filename, mediaType: x.mediaType, content: f.content, sha256: f.sha256 };
}

/** The header and first rows of a CSV distribution of the current version. */
export async function previewDistribution(ctx: AppContext, name: string, distributionId: string, limit = 20) {
  const s = await current(ctx, name);
  const x = s.distributions.find((d) => d.id === distributionId);
  if (!x || !x.fileId || !x.csv) throw notFound(`CSV file ${distributionId} of ${name}`);
  // Only the beginning of the file is needed: read at most 256 kB of it.
  const head = await inScope(ctx.db, { tenant: s.municipalityCode }, async (trx) => {
    const r = await sql<{
      content: Buffer;
    }>`SELECT substring(content FROM 1 FOR 262144) AS content FROM stored_file WHERE municipality_code = ${s.municipalityCode} AND id = ${x.fileId}`.execute(
      trx,
    );
    return r.rows[0]?.content;
  });
  if (!head) throw notFound(`File ${distributionId}`);
  let buf = head;
  if (x.byteSize !== null && head.length < x.byteSize) {
    // Cut at the last complete line (and never inside a UTF-8 sequence).
    const nl = head.lastIndexOf(0x0a);
    buf = nl > 0 ? head.subarray(0, nl + 1) : head;
  }
  const p = previewCsv(buf, x.csv.delimiter, limit);
  return { header: p.header, rows: p.rows, totalRows: x.csv.rowCount, fields: x.csv.fields };
}
