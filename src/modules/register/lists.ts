import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { storeFile } from '../../platform/files/files';
import { invalid, notFound } from '../../platform/http/problems';
import { parseIdCode } from '../../platform/identity/personalIdCode';
import { assertEditable, electorateView } from './electorates';
import { canDefineElectorates } from './policy';
import { type ElectorateTable } from './store';
import { upsertPersons } from '../../platform/auth/persons';

/**
 * Include and exclude lists of an electorate, each uploaded as a file: CSV (comma or semicolon)
 * with a header naming the column `id_code` (or `isikukood`) and optionally `label`, or a plain
 * list of ID codes, one per line. The whole file is checked; any bad line rejects it all, with
 * every bad line named. An upload replaces that list.
 */
export interface ListLineError {
  line: number;
  reason: string;
}

export const MAX_LIST_ROWS = 500_000;

export function parseListFile(content: Buffer): {
  entries: { idCode: string; birthDate: string; label: string | null }[];
  errors: ListLineError[];
} {
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  const errors: ListLineError[] = [];
  const entries: { idCode: string; birthDate: string; label: string | null }[] = [];
  if (text.includes('\u0000')) return { entries, errors: [{ line: 1, reason: 'not a text file' }] };
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return {
      entries,
      errors: [{ line, reason: `not valid CSV: ${(err as Error).message.replace(/^.*?:\s*/, '').slice(0, 120)}` }],
    };
  }
  if (records.length === 0) return { entries, errors: [{ line: 1, reason: 'the file is empty' }] };
  const head = records[0]!.record.map((h) => h.toLowerCase().replace(/[\s-]/g, '_'));
  let codeCol = 0;
  let labelCol = -1;
  let start = 0;
  if (!/^[0-9]{11}$/.test(records[0]!.record[0] ?? '')) {
    codeCol = head.findIndex((h) => h === 'id_code' || h === 'isikukood' || h === 'idcode' || h === 'personal_id_code');
    labelCol = head.findIndex((h) => h === 'label' || h === 'note' || h === 'märkus' || h === 'selgitus');
    if (codeCol < 0)
      return {
        entries,
        errors: [{ line: records[0]!.info.lines, reason: 'the header has no column id_code (or isikukood)' }],
      };
    start = 1;
  }
  if (records.length - start > MAX_LIST_ROWS)
    return { entries, errors: [{ line: 1, reason: `more than ${MAX_LIST_ROWS} rows` }] };
  const seen = new Map<string, number>();
  for (let i = start; i < records.length; i++) {
    const { record, info } = records[i]!;
    const line = info.lines;
    const raw = record[codeCol] ?? '';
    const parsed = parseIdCode(raw);
    if (!parsed.ok) {
      errors.push({
        line,
        reason: raw ? `"${raw.slice(0, 20)}" is not a valid personal ID code (${parsed.problem})` : 'no ID code',
      });
      continue;
    }
    const dup = seen.get(parsed.value.code);
    if (dup !== undefined) {
      errors.push({ line, reason: `the same ID code as line ${dup}` });
      continue;
    }
    seen.set(parsed.value.code, line);
    const label = labelCol >= 0 ? (record[labelCol] ?? '').slice(0, 200) || null : null;
    entries.push({ idCode: parsed.value.code, birthDate: parsed.value.birthDate, label });
  }
  if (entries.length === 0 && errors.length === 0) errors.push({ line: 1, reason: 'the file has no ID codes' });
  return { entries, errors };
}

export function listRejected(errors: ListLineError[], filename: string) {
  const shown = errors.slice(0, 1000);
  return invalid(
    shown.map((e) => ({ pointer: `/file/line/${e.line}`, detail: e.reason })),
    `${filename}: ${errors.length} bad line(s), nothing was loaded. ${shown
      .slice(0, 5)
      .map((e) => `Line ${e.line}: ${e.reason}`)
      .join('; ')}${errors.length > 5 ? '; …' : ''}`,
  );
}

/** Uploads (replaces) the include or exclude list of a draft electorate; audited. */
export async function uploadElectorateList(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  electorateId: string,
  list: 'include' | 'exclude',
  file: { filename: string; mediaType: string; content: Buffer },
) {
  const official = canDefineElectorates(actor, municipalityCode);
  const { entries, errors } = parseListFile(file.content);
  if (errors.length) throw listRejected(errors, file.filename);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const row = (await trx
      .selectFrom('electorate')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', electorateId)
      .forUpdate()
      .executeTakeFirst()) as (ElectorateTable & { id: string; created_at: Date; updated_at: Date }) | undefined;
    if (!row) throw notFound('Electorate');
    assertEditable(row);
    const stored = await storeFile(trx, {
      municipalityCode,
      filename: file.filename,
      mediaType: file.mediaType || 'text/csv',
      content: file.content,
      purpose: `register.electorate-${list}`,
      uploadedBy: official.personId,
    });
    await trx
      .deleteFrom('electorate_list')
      .where('municipality_code', '=', municipalityCode)
      .where('electorate_id', '=', electorateId)
      .where('list', '=', list)
      .execute();
    await trx
      .insertInto('electorate_list')
      .values({
        municipality_code: municipalityCode,
        electorate_id: electorateId,
        list,
        file_id: stored.id,
        filename: stored.filename,
        sha256: stored.sha256,
        entries: entries.length,
        uploaded_by: official.personId,
      })
      .execute();
    for (let i = 0; i < entries.length; i += 10_000) {
      const batch = entries.slice(i, i + 10_000);
      // People on a list may never have logged in: they are created from the ID code alone.
      // By code only through kov_person_upsert (the application role reads no ID code, issue 13).
      const ids = await upsertPersons(
        trx,
        batch.map((e) => ({ idCode: e.idCode, givenName: null, familyName: null, birthDate: e.birthDate })),
      );
      await sql`
        INSERT INTO electorate_list_entry (municipality_code, electorate_id, list, person_id, label)
        SELECT DISTINCT ON (t.id) ${municipalityCode}, ${electorateId}::uuid, ${list}, t.id, t.label
          FROM unnest(${ids}::uuid[], ${batch.map((e) => e.label)}::text[]) WITH ORDINALITY AS t(id, label, n)
         ORDER BY t.id, t.n`.execute(trx);
    }
    await trx
      .updateTable('electorate')
      .set({ updated_at: new Date() })
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', electorateId)
      .execute();
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: `electorate.${list}-list-uploaded`,
      subject: `electorate:${electorateId}`,
      details: { filename: stored.filename, entries: entries.length, sha256: stored.sha256 },
    });
    return electorateView(
      trx,
      await trx
        .selectFrom('electorate')
        .selectAll()
        .where('municipality_code', '=', municipalityCode)
        .where('id', '=', electorateId)
        .executeTakeFirstOrThrow(),
    );
  });
}

/** Removes the include or exclude list of a draft electorate; audited. */
export async function deleteElectorateList(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  electorateId: string,
  list: 'include' | 'exclude',
) {
  const official = canDefineElectorates(actor, municipalityCode);
  return inScope(ctx.db, { tenant: municipalityCode, actor: official.personId }, async (trx) => {
    const row = await trx
      .selectFrom('electorate')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('id', '=', electorateId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('Electorate');
    assertEditable(row);
    const res = await trx
      .deleteFrom('electorate_list')
      .where('municipality_code', '=', municipalityCode)
      .where('electorate_id', '=', electorateId)
      .where('list', '=', list)
      .executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound(`The ${list} list`);
    await appendAudit(trx, {
      municipalityCode,
      actorId: official.personId,
      action: `electorate.${list}-list-removed`,
      subject: `electorate:${electorateId}`,
      details: {},
    });
  });
}
