import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { storeFile } from '../../platform/files/files';
import { Problem, conflict, defineProblem, invalid, notFound } from '../../platform/http/problems';
import { canEdit } from './policy';
import { findDataset, type DatasetRow } from './store';
import { inspectCsv, type CsvInfo } from './csv';
import { FORMATS, formatByExtension, formatInfo } from './vocab';
import { getDatasetIn } from './getDataset';
import type { LinkInput } from './schemas';

/** Largest file a dataset distribution may have. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export const P_CSV = defineProblem(
  'opendata-csv-invalid',
  422,
  'The CSV file cannot be published as it is',
  'The file was checked and not stored: `report` lists each problem (not UTF-8, no header, rows with the wrong number of values, an unclosed quote) with its line. Fix the file and upload it again.',
);
export const P_FILE = defineProblem(
  'opendata-file-invalid',
  422,
  'The file cannot be used',
  'The file is not what its name says (for example JSON that does not parse); it was not stored.',
);

async function editableDataset(trx: Trx, code: string, id: string): Promise<NonNullable<DatasetRow>> {
  const d = await findDataset(trx, code, id);
  if (!d) throw notFound(`Dataset ${id}`);
  if (d.origin === 'auto')
    throw conflict(
      'The platform publishes the files of this dataset automatically; files cannot be added or removed by hand.',
    );
  return d;
}

async function nextPosition(trx: Trx, code: string, datasetId: string): Promise<number> {
  const r = await trx
    .selectFrom('opendata_distribution')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('municipality_code', '=', code)
    .where('dataset_id', '=', datasetId)
    .executeTakeFirst();
  return r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
}

/** Checks a file's content by its format. CSV: encoding, header, ragged rows; JSON: parses. */
export function checkFileContent(format: string, content: Buffer): CsvInfo | null {
  if (format === 'CSV') {
    const r = inspectCsv(content);
    if (!r.ok) throw new Problem(P_CSV, r.problems.map((p) => p.detail).join(' '), { report: r.problems });
    return r.info;
  }
  if (format === 'JSON' || format === 'GeoJSON') {
    try {
      JSON.parse(content.toString('utf8'));
    } catch (err) {
      throw new Problem(
        P_FILE,
        `The file is named .${format.toLowerCase()} but is not valid JSON (${(err as Error).message}).`,
      );
    }
  }
  return null;
}

/**
 * Adds an uploaded file. The file is checked before anything is stored: a CSV that is not UTF-8,
 * has no header or ragged rows is refused with a report of every problem and its line.
 */
export async function addFileDistribution(
  ctx: AppContext,
  actor: Actor,
  code: string,
  id: string,
  upload: { filename: string; content: Buffer; titleEt?: string; titleEn?: string },
) {
  const editor = canEdit(actor, code);
  const fmt = formatByExtension(upload.filename);
  if (!fmt) {
    throw invalid([
      {
        pointer: '/body/file',
        detail: `Files of this type cannot be added. Use one of: ${FORMATS.filter((f) => f.ext.length)
          .map((f) => f.ext.map((e) => '.' + e).join(', '))
          .join(', ')}.`,
        code: 'unknown-format',
      },
    ]);
  }
  const csv = checkFileContent(fmt.format, upload.content);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const d = await editableDataset(trx, code, id);
    const meta = await storeFile(trx, {
      municipalityCode: code,
      filename: upload.filename,
      mediaType: fmt.mediaType,
      content: upload.content,
      purpose: 'opendata.distribution',
      uploadedBy: editor.personId,
    });
    const base = meta.filename.replace(/\.[^.]+$/, '');
    const row = await trx
      .insertInto('opendata_distribution')
      .values({
        municipality_code: code,
        dataset_id: d.id,
        position: await nextPosition(trx, code, d.id),
        title_et: upload.titleEt?.trim() || base,
        title_en: upload.titleEn?.trim() || base,
        file_id: meta.id,
        url: null,
        format: fmt.format,
        media_type: fmt.mediaType,
        byte_size: meta.sizeBytes,
        sha256: meta.sha256,
        csv: csv ? JSON.stringify(csv) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('opendata_dataset')
      .set({ state: 'draft', updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', d.id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.distribution.added',
      subject: `dataset:${d.id}`,
      details: { distribution: row.id, file: meta.filename, bytes: meta.sizeBytes, sha256: meta.sha256 },
    });
    return getDatasetIn(trx, code, d.id);
  });
}

/** Adds a link to data kept elsewhere (an API, another portal). */
export async function addLinkDistribution(ctx: AppContext, actor: Actor, code: string, id: string, input: LinkInput) {
  const editor = canEdit(actor, code);
  const errors = [];
  let url: URL | undefined;
  try {
    url = new URL(input.url.trim());
  } catch {
    /* below */
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    errors.push({
      pointer: '/body/url',
      detail: 'Give the full address starting with https:// (or http://).',
      code: 'bad-url',
    });
  const fmt = formatInfo(input.format);
  if (!fmt)
    errors.push({
      pointer: '/body/format',
      detail: `Unknown format "${input.format}"; use one of ${FORMATS.map((f) => f.format).join(', ')}.`,
      code: 'unknown-format',
    });
  if (errors.length) throw invalid(errors as never);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const d = await editableDataset(trx, code, id);
    await trx
      .insertInto('opendata_distribution')
      .values({
        municipality_code: code,
        dataset_id: d.id,
        position: await nextPosition(trx, code, d.id),
        title_et: input.titleEt.trim(),
        title_en: input.titleEn.trim(),
        file_id: null,
        url: url!.toString(),
        format: fmt!.format,
        media_type: fmt!.mediaType,
        byte_size: null,
        sha256: null,
        csv: null,
      })
      .execute();
    await trx
      .updateTable('opendata_dataset')
      .set({ state: 'draft', updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', d.id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.distribution.added',
      subject: `dataset:${d.id}`,
      details: { url: url!.toString() },
    });
    return getDatasetIn(trx, code, d.id);
  });
}

/** Removes a distribution from the working copy (published versions keep their files). */
export async function removeDistribution(
  ctx: AppContext,
  actor: Actor,
  code: string,
  id: string,
  distributionId: string,
) {
  const editor = canEdit(actor, code);
  return inScope(ctx.db, { tenant: code, actor: editor.personId }, async (trx) => {
    const d = await editableDataset(trx, code, id);
    const res = await trx
      .deleteFrom('opendata_distribution')
      .where('municipality_code', '=', code)
      .where('dataset_id', '=', d.id)
      .where('id', '=', distributionId)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound(`Distribution ${distributionId}`);
    await trx
      .updateTable('opendata_dataset')
      .set({ state: 'draft', updated_at: new Date() })
      .where('municipality_code', '=', code)
      .where('id', '=', d.id)
      .execute();
    await appendAudit(trx, {
      municipalityCode: code,
      actorId: editor.personId,
      action: 'opendata.distribution.removed',
      subject: `dataset:${d.id}`,
      details: { distribution: distributionId },
    });
    return getDatasetIn(trx, code, d.id);
  });
}
