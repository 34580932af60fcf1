import { sql } from 'kysely';
import type { Trx } from '../../platform/db/database';
import { isValidIdCode } from '../../platform/identity/personalIdCode';
import {
  DEFAULT_MIN_GROUP_SIZE,
  type DatasetProvider,
  type OpenDataCell,
  type ProvidedDataset,
} from '../../platform/openData';

/**
 * The publisher's check of the anonymisation contract (src/platform/openData.ts) on everything a
 * provider hands over, before a single file is written. A dataset with any problem is refused
 * whole and the problems go to the publication log.
 */
export interface GuardProblem {
  table: string;
  row?: number;
  column?: string;
  detail: string;
}

const ID_CODE_LIKE = /(?<!\d)[1-8]\d{10}(?!\d)/g;
const IMAGE = /(\.(jpe?g|png|gif|webp|heic|heif|tiff?|bmp|avif)(\?|#|$|\s))|^data:image\/|\/files\/[0-9a-f-]{36}/i;
const TABLE_NAME = /^[a-z0-9][a-z0-9-]{0,59}$/;
const FILE_NAME = /^[a-z0-9][a-z0-9.-]{0,79}$/;
const COLUMN_NAME = /^[a-z][a-z0-9_]{0,59}$/;

export function findIdCodes(text: string): string[] {
  return [...text.matchAll(ID_CODE_LIKE)].map((m) => m[0]).filter(isValidIdCode);
}

/** Consecutive word pairs that could be "Given Family" (names are compared case-insensitively). */
function namePairs(text: string): string[] {
  const words = text.split(/[^\p{L}'-]+/u).filter((w) => w.length >= 2);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) pairs.push(`${words[i]} ${words[i + 1]}`.toLowerCase());
  return pairs;
}

/** Which of these "given family" strings are the name of a person in the register (any municipality). */
export async function residentNamesAmong(trx: Trx, candidates: string[]): Promise<Set<string>> {
  const unique = [...new Set(candidates)];
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += 5000) {
    const chunk = unique.slice(i, i + 5000);
    // Of any person, whichever municipality (SECURITY DEFINER: row-level security on person
    // shows a tenant's scope only its own).
    const r = await sql<{ n: string }>`SELECT kov_person_names_among(${chunk}::text[]) AS n`.execute(trx);
    for (const x of r.rows) found.add(x.n);
  }
  return found;
}

function decimals(x: number): number {
  const s = String(x);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  return s.includes('.') ? s.split('.')[1]!.length : 0;
}

function typeOk(v: OpenDataCell, type: string): boolean {
  if (v === null) return true;
  switch (type) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    case 'datetime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    default:
      return typeof v === 'string';
  }
}

export async function checkAnonymisation(
  trx: Trx,
  provider: DatasetProvider,
  ds: ProvidedDataset,
): Promise<GuardProblem[]> {
  const min = provider.anonymisation.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  const problems: GuardProblem[] = [];
  const nameCells: { table: string; row?: number; column?: string; pairs: string[] }[] = [];
  const scanText = (table: string, text: string, at: { row?: number; column?: string }) => {
    for (const code of findIdCodes(text))
      problems.push({ table, ...at, detail: `contains a personal ID code (${code.slice(0, 6)}*****)` });
    if (IMAGE.test(text))
      problems.push({ table, ...at, detail: 'refers to an image or a stored file (datasets are photo-free)' });
  };
  if (ds.tables.length === 0 && !ds.files?.length)
    problems.push({ table: '-', detail: 'the dataset has no tables or files' });
  const tableNames = new Set<string>();
  for (const t of ds.tables) {
    if (!TABLE_NAME.test(t.name) || tableNames.has(t.name))
      problems.push({ table: t.name, detail: 'table name must be unique, lowercase letters, digits and -' });
    tableNames.add(t.name);
    const cols = new Map(t.columns.map((c) => [c.name, c]));
    for (const c of t.columns)
      if (!COLUMN_NAME.test(c.name))
        problems.push({ table: t.name, column: c.name, detail: 'column name must be lowercase letters, digits and _' });
    if (cols.size !== t.columns.length) problems.push({ table: t.name, detail: 'two columns have the same name' });
    t.rows.forEach((r, i) => {
      const row = i + 1;
      for (const key of Object.keys(r))
        if (!cols.has(key))
          problems.push({ table: t.name, row, column: key, detail: 'value in a column that is not declared' });
      for (const c of t.columns) {
        const v = r[c.name] ?? null;
        const kind = c.kind ?? 'dimension';
        if (!typeOk(v, c.type))
          problems.push({ table: t.name, row, column: c.name, detail: `is not of type ${c.type}` });
        if (kind === 'groupSize' && (typeof v !== 'number' || v < min))
          problems.push({
            table: t.name,
            row,
            column: c.name,
            detail: `group of ${v === null ? 'unknown size' : v} is smaller than the minimum of ${min}`,
          });
        if ((kind === 'latitude' || kind === 'longitude') && typeof v === 'number' && decimals(v) > 3)
          problems.push({
            table: t.name,
            row,
            column: c.name,
            detail: 'location is not rounded to 3 decimals (about 100 m)',
          });
        if (v === null) continue;
        const text = String(v);
        scanText(t.name, text, { row, column: c.name });
        if (typeof v === 'string' && kind !== 'officialName')
          nameCells.push({ table: t.name, row, column: c.name, pairs: namePairs(text) });
      }
    });
  }
  for (const f of ds.files ?? []) {
    if (!FILE_NAME.test(f.name) || tableNames.has(f.name))
      problems.push({ table: f.name, detail: 'file name must be unique, lowercase letters, digits, - and .' });
    tableNames.add(f.name);
    f.content.split('\n').forEach((line, i) => {
      scanText(f.name, line, { row: i + 1 });
      nameCells.push({ table: f.name, row: i + 1, pairs: namePairs(line) });
    });
  }
  const found = await residentNamesAmong(
    trx,
    nameCells.flatMap((c) => c.pairs),
  );
  if (found.size) {
    for (const c of nameCells) {
      const hit = c.pairs.find((p) => found.has(p));
      if (hit)
        problems.push({
          table: c.table,
          ...(c.row ? { row: c.row } : {}),
          ...(c.column ? { column: c.column } : {}),
          detail: 'contains the name of a resident',
        });
    }
  }
  return problems;
}

export function describeProblems(problems: GuardProblem[], max = 10): string {
  const lines = problems
    .slice(0, max)
    .map((p) => `${p.table}${p.row ? ` row ${p.row}` : ''}${p.column ? ` column ${p.column}` : ''}: ${p.detail}`);
  if (problems.length > max) lines.push(`…and ${problems.length - max} more`);
  return `Refused by the anonymisation check: ${lines.join('; ')}`;
}
