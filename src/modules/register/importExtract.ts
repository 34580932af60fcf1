import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Kysely, PostgresDialect } from 'kysely';
import { parse } from 'csv-parse';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context';
import { inScope, type Db } from '../../platform/db/database';
import type { KovTables } from '../../platform/db/tables';
import { appendAudit } from '../../platform/audit/audit';
import { readEhak } from '../../platform/places/ehak';
import { parseIdCode } from '../../platform/identity/personalIdCode';
import { isIsoDate } from './model';

/**
 * `kov register import FILE`: loads a population register extract of one municipality.
 *
 * Formats: CSV (comma or semicolon, UTF-8, header row) or JSON (an array of objects, or
 * `{ "rows": [...] }`, or JSON Lines with one object per line). Columns / keys, with the
 * register's own names accepted as aliases:
 *
 *   id_code (Isikukood)            personal ID code                          required
 *   given_name (Eesnimi)           first name(s)                             optional
 *   family_name (Perenimi)         family name                               optional
 *   municipality_code (VallaKood)  EHAK municipality of the residence        required
 *   settlement_code (KylaKood)     EHAK settlement unit inside it            optional
 *   address (Tekst)                full address text                         required
 *   ads_adr_id (AdsAdrID)          ADS address id                            optional
 *   valid_from (Alates)            YYYY-MM-DD or DD.MM.YYYY                  required
 *   valid_until (Kuni)             YYYY-MM-DD or DD.MM.YYYY, inclusive       optional
 *   status (Staatus)               the register's status of the record       optional
 *
 * One row per residence record; several rows per person give the history. Every row is checked
 * (ID code, EHAK codes, dates, lengths), then across rows (a person's records must not overlap;
 * touching is fine). Any bad row rejects the whole file — every bad line is reported, nothing is
 * loaded. A good file replaces the municipality's register data in one transaction. Loading the
 * same file again changes nothing ("unchanged").
 */
export interface LineError {
  line: number;
  reason: string;
}

export interface ImportReport {
  status: 'imported' | 'unchanged' | 'rejected' | 'valid';
  filename: string;
  format: 'csv' | 'json';
  sha256: string;
  rows: number;
  persons: number;
  newPersons: number;
  errors: LineError[];
  /** Total bad lines (errors lists at most 10,000). */
  errorCount: number;
  importId: string | null;
  durationMs: number;
}

export interface ImportOptions {
  municipalityCode: string;
  source: { path: string } | { content: Buffer; filename: string };
  format?: 'csv' | 'json';
  /** Check only; load nothing. */
  dryRun?: boolean;
  /** Person id of the official (null from the command line). */
  importedBy?: string | null;
  onProgress?: (line: string) => void;
}

const COLUMNS = {
  id_code: ['id_code', 'isikukood', 'idcode'],
  given_name: ['given_name', 'eesnimi', 'first_name'],
  family_name: ['family_name', 'perenimi', 'last_name', 'surname'],
  municipality_code: ['municipality_code', 'vallakood', 'elukoht.vallakood', 'omavalitsus'],
  settlement_code: ['settlement_code', 'kylakood', 'elukoht.kylakood', 'asustusyksus'],
  address: ['address', 'tekst', 'elukoht.tekst', 'aadress'],
  ads_adr_id: ['ads_adr_id', 'adsadrid', 'elukoht.adsadrid'],
  valid_from: ['valid_from', 'alates', 'elukoht.alates'],
  valid_until: ['valid_until', 'kuni', 'elukoht.kuni'],
  status: ['status', 'staatus', 'elukoht.staatus'],
} as const;
type Column = keyof typeof COLUMNS;
const ALIAS = new Map<string, Column>();
for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][])
  for (const n of names) ALIAS.set(n, col);
const normal = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

interface StagedRow {
  line: number;
  idCode: string;
  givenName: string | null;
  familyName: string | null;
  birthDate: string;
  municipalityCode: string;
  settlementCode: string | null;
  address: string;
  adsAdrId: string | null;
  validFrom: string;
  validUntil: string | null;
  status: string | null;
}

let ehak: { municipalities: Set<string>; settlementParent: Map<string, string> } | undefined;
function places() {
  if (!ehak) {
    const units = readEhak();
    ehak = {
      municipalities: new Set(units.filter((u) => u.level === 'municipality').map((u) => u.code)),
      settlementParent: new Map(units.filter((u) => u.level === 'settlement').map((u) => [u.code, u.parent ?? ''])),
    };
  }
  return ehak;
}

const EE_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
// Extracts repeat the same dates many times over: remember what each spelling means.
const dates = new Map<string, string | null>();
function toDate(s: string): string | undefined {
  let d = dates.get(s);
  if (d === undefined) {
    const m = EE_DATE.exec(s);
    const iso = m ? `${m[3]}-${m[2]}-${m[1]}` : s;
    d = isIsoDate(iso) ? iso : null;
    if (dates.size > 200_000) dates.clear();
    dates.set(s, d);
  }
  return d ?? undefined;
}

/** Checks one row; returns the row to stage or the reasons it is bad. */
export function checkRow(get: (c: Column) => string, line: number): StagedRow | string[] {
  const reasons: string[] = [];
  const { municipalities, settlementParent } = places();
  const idRaw = get('id_code');
  const id = parseIdCode(idRaw);
  if (!id.ok)
    reasons.push(
      idRaw ? `id_code "${idRaw.slice(0, 20)}" is not a valid personal ID code (${id.problem})` : 'id_code is missing',
    );
  const municipalityCode = get('municipality_code');
  if (!municipalityCode) reasons.push('municipality_code is missing');
  else if (!municipalities.has(municipalityCode))
    reasons.push(`municipality_code "${municipalityCode.slice(0, 10)}" is not an EHAK municipality`);
  const settlementCode = get('settlement_code') || null;
  if (settlementCode) {
    const parent = settlementParent.get(settlementCode);
    if (parent === undefined)
      reasons.push(`settlement_code "${settlementCode.slice(0, 10)}" is not an EHAK settlement unit`);
    else if (municipalityCode && parent !== municipalityCode)
      reasons.push(`settlement_code ${settlementCode} is not in municipality ${municipalityCode}`);
  }
  const address = get('address');
  if (!address) reasons.push('address is missing');
  else if (address.length > 500) reasons.push('address is longer than 500 characters');
  const fromRaw = get('valid_from');
  const validFrom = fromRaw ? toDate(fromRaw) : undefined;
  if (!fromRaw) reasons.push('valid_from is missing');
  else if (!validFrom) reasons.push(`valid_from "${fromRaw.slice(0, 20)}" is not a date`);
  const untilRaw = get('valid_until');
  const validUntil = untilRaw ? toDate(untilRaw) : undefined;
  if (untilRaw && !validUntil) reasons.push(`valid_until "${untilRaw.slice(0, 20)}" is not a date`);
  if (validFrom && validUntil && validUntil < validFrom) reasons.push('valid_until is before valid_from');
  if (id.ok && validFrom && validFrom < id.value.birthDate)
    reasons.push('valid_from is before the birth date in the ID code');
  const ads = get('ads_adr_id');
  if (ads && !/^[0-9]{1,15}$/.test(ads)) reasons.push(`ads_adr_id "${ads.slice(0, 20)}" is not a number`);
  const givenName = get('given_name') || null;
  const familyName = get('family_name') || null;
  if ((givenName?.length ?? 0) > 100 || (familyName?.length ?? 0) > 100)
    reasons.push('a name is longer than 100 characters');
  const status = get('status') || null;
  if ((status?.length ?? 0) > 30) reasons.push('status is longer than 30 characters');
  for (const c of ['given_name', 'family_name', 'address', 'status'] as const) {
    if (/[\u0000-\u001f\u007f]/.test(get(c)))
      reasons.push(`${c} contains a line break, tab or other control character`);
  }
  if (reasons.length || !id.ok) return reasons;
  return {
    line,
    idCode: id.value.code,
    givenName,
    familyName,
    birthDate: id.value.birthDate,
    municipalityCode,
    settlementCode,
    address,
    adsAdrId: ads || null,
    validFrom: validFrom!,
    validUntil: validUntil ?? null,
    status,
  };
}

/** Line numbers where the top-level elements of a JSON array start. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (depth === 1 && c === 123) lines.push(line);
      depth++;
    } else if (c === 93 || c === 125) depth--;
  }
  return lines;
}

type RowSink = (get: (c: Column) => string, line: number) => void;
type AsyncRowSink = (get: (c: Column) => string, line: number) => void | Promise<void>;

async function readCsv(input: Readable, sink: AsyncRowSink, fail: (e: LineError) => void): Promise<void> {
  const parser = input.pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
      delimiter: [',', ';'],
    }),
  );
  let index: Partial<Record<Column, number>> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!index) {
        index = {};
        const unknown: string[] = [];
        record.forEach((h, i) => {
          const col = ALIAS.get(normal(h));
          if (col) index![col] = i;
          else if (h.trim()) unknown.push(h.trim());
        });
        const missing = (['id_code', 'municipality_code', 'address', 'valid_from'] as Column[]).filter(
          (c) => index![c] === undefined,
        );
        if (missing.length) {
          fail({
            line: info.lines,
            reason: `the header lacks ${missing.join(', ')}${unknown.length ? ` (unknown columns: ${unknown.slice(0, 5).join(', ')})` : ''}`,
          });
          return;
        }
        continue;
      }
      const idx = index;
      const pending = sink((c) => {
        const i = idx[c];
        return i === undefined ? '' : (record[i] ?? '');
      }, info.lines);
      if (pending) await pending;
    }
  } catch (err) {
    fail({
      line: (err as { lines?: number }).lines ?? 0,
      reason: `not valid CSV: ${(err as Error).message.slice(0, 160)}`,
    });
  }
  if (!index) fail({ line: 1, reason: 'the file is empty' });
}

function jsonGetter(o: unknown): ((c: Column) => string) | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const map: Partial<Record<Column, string>> = {};
  for (const [k, v] of Object.entries(o)) {
    const col = ALIAS.get(normal(k));
    if (col && v !== null && v !== undefined) map[col] = String(v).trim();
  }
  return (c) => map[c] ?? '';
}

function readJson(text: string, sink: RowSink, fail: (e: LineError) => void) {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && /^\{\s*"rows"\s*:/.test(trimmed))) {
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
      fail({ line, reason: `not valid JSON: ${(err as Error).message.slice(0, 160)}` });
      return;
    }
    const rows = Array.isArray(doc) ? doc : (doc as { rows?: unknown }).rows;
    if (!Array.isArray(rows)) {
      fail({ line: 1, reason: 'expected an array of rows (or {"rows": [...]})' });
      return;
    }
    const inner = Array.isArray(doc) ? text : text.slice(text.indexOf('['));
    const offset = Array.isArray(doc) ? 0 : text.slice(0, text.indexOf('[')).split('\n').length - 1;
    const lines = elementLines(inner).map((l) => l + offset);
    rows.forEach((r, i) => {
      const line = lines[i] ?? i + 1;
      const get = jsonGetter(r);
      if (!get) fail({ line, reason: 'a row must be an object' });
      else sink(get, line);
    });
    return;
  }
  // JSON Lines
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (!l.trim()) return;
    let o: unknown;
    try {
      o = JSON.parse(l);
    } catch {
      fail({ line: i + 1, reason: 'not a JSON object' });
      return;
    }
    const get = jsonGetter(o);
    if (!get) fail({ line: i + 1, reason: 'a row must be an object' });
    else sink(get, i + 1);
  });
}

/** A row as a line of COPY's text format (values never hold control characters: checkRow refuses them). */
const copyValue = (v: string | null) => (v === null ? '\\N' : v.includes('\\') ? v.replace(/\\/g, '\\\\') : v);
function copyLine(r: StagedRow): string {
  return `${r.line}\t${r.idCode}\t${copyValue(r.givenName)}\t${copyValue(r.familyName)}\t${r.birthDate}\t${r.municipalityCode}\t${copyValue(r.settlementCode)}\t${copyValue(r.address)}\t${copyValue(r.adsAdrId)}\t${r.validFrom}\t${copyValue(r.validUntil)}\t${copyValue(r.status)}\n`;
}

/**
 * A query builder on one pooled connection, so that the import can stream COPY on the very
 * connection (and transaction) its other statements use.
 */
function onConnection(client: pg.PoolClient): Db {
  const pool = { connect: async () => ({ query: client.query.bind(client), release() {} }), end: async () => {} };
  return new Kysely<KovTables>({ dialect: new PostgresDialect({ pool: pool as never }) });
}

class Rejected extends Error {}

export async function importExtract(ctx: AppContext, opts: ImportOptions): Promise<ImportReport> {
  const t0 = Date.now();
  const say = opts.onProgress ?? (() => {});
  const filename = 'path' in opts.source ? path.basename(opts.source.path) : opts.source.filename;
  const format: 'csv' | 'json' = opts.format ?? (/\.(json|jsonl|ndjson)$/i.test(filename) ? 'json' : 'csv');
  const hash = createHash('sha256');
  const errors: LineError[] = [];
  let errorCount = 0;
  const fail = (e: LineError) => {
    errorCount++;
    if (errors.length < 10_000) errors.push(e);
  };
  const report = (
    status: ImportReport['status'],
    rows: number,
    persons: number,
    newPersons: number,
    importId: string | null,
  ): ImportReport => ({
    status,
    filename,
    format,
    sha256: hash.copy().digest('hex'),
    rows,
    persons,
    newPersons,
    errors: errors.sort((a, b) => a.line - b.line),
    errorCount,
    importId,
    durationMs: Date.now() - t0,
  });
  const municipalityCode = opts.municipalityCode;
  if (!places().municipalities.has(municipalityCode))
    throw new Error(`${municipalityCode} is not an EHAK municipality code`);

  let result: ImportReport | undefined;
  const client = await ctx.database.pool.connect();
  try {
    await inScope(
      onConnection(client),
      { tenant: municipalityCode, ...(opts.importedBy ? { actor: opts.importedBy } : {}) },
      async (trx) => {
        await sql`CREATE TEMP TABLE register_stage (line int NOT NULL, id_code text NOT NULL, given_name text, family_name text, birth_date date NOT NULL,
        residence_municipality_code text NOT NULL, settlement_code text, address text NOT NULL, ads_adr_id bigint, valid_from date NOT NULL, valid_until date, status text) ON COMMIT DROP`.execute(
          trx,
        );
        // Good rows stream into the staging table through COPY while the file is read and checked.
        const copy = client.query(
          copyFrom(
            'COPY register_stage (line, id_code, given_name, family_name, birth_date, residence_municipality_code, settlement_code, address, ads_adr_id, valid_from, valid_until, status) FROM STDIN',
          ),
        );
        const copied = once(copy, 'finish');
        copied.catch(() => {});
        let buf = '';
        let staged = 0;
        let seen = 0;
        const flush = async (force = false) => {
          if (!buf || (!force && buf.length < 1 << 20)) return;
          const b = buf;
          buf = '';
          if (!copy.write(b)) await once(copy, 'drain');
        };
        const sink: RowSink = (get, line) => {
          seen++;
          const r = checkRow(get, line);
          if (Array.isArray(r)) fail({ line, reason: r.join('; ') });
          else if (errorCount === 0) {
            buf += copyLine(r);
            staged++;
          }
        };
        say(`checking ${filename} (${format}) for municipality ${municipalityCode}`);
        try {
          if (format === 'csv') {
            const input =
              'path' in opts.source ? createReadStream(opts.source.path) : Readable.from([opts.source.content]);
            input.on('data', (c: Buffer | string) => hash.update(c));
            let lastReport = 0;
            await readCsv(
              input,
              async (get, line) => {
                sink(get, line);
                await flush();
                if (seen - lastReport >= 50_000) {
                  lastReport = seen;
                  say(`  ${seen} rows read${errorCount ? `, ${errorCount} bad` : ''}`);
                }
              },
              fail,
            );
          } else {
            const content = 'path' in opts.source ? readFileSync(opts.source.path) : opts.source.content;
            hash.update(content);
            readJson(content.toString('utf8'), sink, fail);
          }
          await flush(true);
        } catch (err) {
          // End the COPY (CopyFail) so that the transaction can roll back on this connection.
          copy.destroy(err as Error);
          await copied.catch(() => {});
          throw err;
        }
        copy.end();
        await copied;
        if (seen === 0 && errorCount === 0) fail({ line: 1, reason: 'the file has no rows' });
        if (errorCount) throw new Rejected();
        const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
        say(`  ${seen} rows read and checked, ${staged} staged (${secs()})`);

        // Across rows: a person's records must not overlap (touching is fine) nor start twice.
        const overlaps = await sql<{ line: number; prev_line: number; kind: string }>`
        SELECT line, prev_line, CASE WHEN valid_from = prev_from THEN 'same' WHEN prev_until IS NULL THEN 'open' ELSE 'overlap' END AS kind FROM (
          SELECT line, valid_from, lag(line) OVER w AS prev_line, lag(valid_from) OVER w AS prev_from, lag(valid_until) OVER w AS prev_until
          FROM register_stage WINDOW w AS (PARTITION BY id_code ORDER BY valid_from, line)) x
        WHERE prev_line IS NOT NULL AND (valid_from = prev_from OR prev_until IS NULL OR valid_from < prev_until)
        ORDER BY line LIMIT 10000`.execute(trx);
        for (const o of overlaps.rows) {
          fail({
            line: o.line,
            reason:
              o.kind === 'same'
                ? `the same person and valid_from as line ${o.prev_line}`
                : o.kind === 'open'
                  ? `line ${o.prev_line} of the same person has no valid_until but this record starts later`
                  : `overlaps line ${o.prev_line} of the same person`,
          });
        }
        if (errorCount) throw new Rejected();
        const persons = Number(
          (await sql<{ n: number }>`SELECT count(DISTINCT id_code)::int AS n FROM register_stage`.execute(trx)).rows[0]!
            .n,
        );
        const sha256 = hash.copy().digest('hex');
        if (opts.dryRun) {
          result = report('valid', seen, persons, 0, null);
          throw new Rejected(); // roll back the staging
        }
        const last = await trx
          .selectFrom('register_import')
          .select(['sha256', 'id'])
          .where('municipality_code', '=', municipalityCode)
          .orderBy('imported_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (last?.sha256 === sha256) {
          result = report('unchanged', seen, persons, 0, last.id);
          return;
        }
        say(`  loading ${persons} persons`);
        // Persons by code only through kov_person_upsert (the application role reads no ID code, issue 13):
        // names fill in names not known yet; each code's person id is kept beside the stage.
        // The answer's positions are joined back to the codes (a hash join): subscripting the array
        // row by row would read the whole array each time, quadratic on a large extract.
        await sql`CREATE TEMP TABLE register_stage_person ON COMMIT DROP AS
          WITH a AS (
            SELECT array_agg(d.id_code) AS c, array_agg(d.given_name) AS g, array_agg(d.family_name) AS f, array_agg(d.birth_date) AS b
              FROM (SELECT DISTINCT ON (id_code) id_code, given_name, family_name, birth_date FROM register_stage
                     ORDER BY id_code, valid_from DESC) d
          ), k AS (
            SELECT k.* FROM a, LATERAL kov_person_upsert(a.c, a.g, a.f, a.b, false) k
          ), u AS (
            SELECT u.c, u.n FROM a, unnest(a.c) WITH ORDINALITY AS u(c, n)
          )
          SELECT u.c AS id_code, k.o_id AS person_id, k.o_new AS created FROM k JOIN u ON u.n = k.o_i`.execute(trx);
        const created = await sql<{ n: number }>`
          SELECT count(*) FILTER (WHERE created)::int AS n FROM register_stage_person`.execute(trx);
        const newPersons = created.rows[0]!.n;
        say(
          `  ${persons} persons, ${newPersons} new (${secs()}); replacing the residence records of ${municipalityCode}`,
        );
        const imp = await trx
          .insertInto('register_import')
          .values({
            municipality_code: municipalityCode,
            filename,
            format,
            sha256,
            row_count: seen,
            person_count: persons,
            imported_by: opts.importedBy ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await sql`DELETE FROM register_residence WHERE municipality_code = ${municipalityCode}`.execute(trx);
        await sql`INSERT INTO register_residence (municipality_code, person_id, valid_from, valid_until, residence_municipality_code, settlement_code, address, ads_adr_id, status, source, import_id)
                SELECT ${municipalityCode}, p.person_id, s.valid_from, s.valid_until, s.residence_municipality_code, s.settlement_code, s.address, s.ads_adr_id, s.status, 'extract', ${imp.id}::uuid
                FROM register_stage s JOIN register_stage_person p ON p.id_code = s.id_code
                ORDER BY p.person_id, s.valid_from`.execute(trx);
        say(`  residence records written (${secs()})`);
        await appendAudit(trx, {
          municipalityCode,
          actorId: opts.importedBy ?? null,
          action: 'register.extract-imported',
          subject: `register-import:${imp.id}`,
          details: { filename, format, sha256, rows: seen, persons, newPersons },
        });
        result = report('imported', seen, persons, newPersons, imp.id);
      },
    );
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
    if (!result) result = report('rejected', 0, 0, 0, null);
  } finally {
    client.release();
  }
  return result!;
}
