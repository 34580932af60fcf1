import { Value } from 'typebox/value';
import { parse as parseCsv } from 'csv-parse/sync';
import { defineProblem, Problem, type FieldError } from '../../platform/http/problems';
import { fieldErrors } from '../../platform/http/validation';
import { ACCOUNTS, MEASURE_ACTIVITIES, vatRateBp, type CostLine, type StatedTotal, type VatRule } from './rules';
import { PlanFileSchema, type PlanFile } from './schemas';

export const planRejected = defineProblem(
  'programme-import-rejected',
  422,
  'The plan data has errors; nothing was imported',
  'The plan file or cost-line CSV refers to unknown accounts, measure activities or initiatives, has years outside the plan or amounts that are not money. `errors` lists every problem with its place; nothing was stored.',
);

export const reject = (errors: FieldError[], what: string) =>
  new Problem(
    planRejected,
    `${what} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was imported. ${errors
      .slice(0, 3)
      .map((e) => `${e.pointer}: ${e.detail}`)
      .join('; ')}${errors.length > 3 ? '; …' : ''}`,
    { errors },
  );

const knownAccounts = () => Object.keys(ACCOUNTS).map(Number);
const accountList = () =>
  Object.entries(ACCOUNTS)
    .map(([k, v]) => `${k} (${v.split(' (')[0]})`)
    .join(', ');
const knownMeasures = () => Object.keys(MEASURE_ACTIVITIES).map(Number);

/** Euros (at most two decimals) to integer cents, or undefined. */
export function eurosToCents(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const cents = Math.round(value * 100);
  if (Math.abs(cents - value * 100) > 1e-6) return undefined;
  return cents;
}

export interface NormalizedInitiative {
  code: string;
  name: string;
  problem: string;
  activities: Record<string, string>;
  expectedResult: string;
  implementer: string;
  partners: string[];
  status: string;
  note: string;
}

export interface NormalizedPlan {
  id: string;
  title: string;
  firstYear: number;
  lastYear: number;
  source: string;
  vat: VatRule;
  initiatives: NormalizedInitiative[];
  costLines: CostLine[];
  statedTotals: StatedTotal[];
}

export function checkVatRule(
  vat: {
    accounts: number[];
    rates: { fromYear: number; ratePercent: number }[];
    rounding?: 'euro' | 'cent' | undefined;
  },
  base: string,
  errors: FieldError[],
): VatRule {
  vat.accounts.forEach((a, i) => {
    if (!knownAccounts().includes(a))
      errors.push({
        pointer: `${base}/accounts/${i}`,
        detail: `unknown account ${a}; known accounts are ${accountList()}`,
      });
  });
  const years = new Set<number>();
  vat.rates.forEach((r, i) => {
    if (years.has(r.fromYear))
      errors.push({ pointer: `${base}/rates/${i}/fromYear`, detail: `a rate from ${r.fromYear} is given twice` });
    years.add(r.fromYear);
    if (Math.round(r.ratePercent * 100) !== r.ratePercent * 100)
      errors.push({ pointer: `${base}/rates/${i}/ratePercent`, detail: 'at most two decimals' });
  });
  return {
    accounts: [...new Set(vat.accounts)],
    rates: vat.rates
      .map((r) => ({ fromYear: r.fromYear, rateBp: Math.round(r.ratePercent * 100) }))
      .sort((a, b) => a.fromYear - b.fromYear),
    rounding: vat.rounding ?? 'euro',
  };
}

function checkLine(
  l: { initiative: string; measureActivity: number; account: number; year: number; amount: number },
  base: string,
  ctx: { initiatives: Set<string>; firstYear: number; lastYear: number; vat: VatRule },
  errors: FieldError[],
): CostLine | undefined {
  const before = errors.length;
  if (!ctx.initiatives.has(l.initiative))
    errors.push({
      pointer: `${base}/initiative`,
      detail: `unknown initiative "${l.initiative}"; the plan has ${[...ctx.initiatives].join(', ')}`,
    });
  if (!knownMeasures().includes(l.measureActivity))
    errors.push({
      pointer: `${base}/measureActivity`,
      detail: `unknown measure activity ${l.measureActivity}; SF measure activities are 1–4`,
    });
  if (!knownAccounts().includes(l.account))
    errors.push({
      pointer: `${base}/account`,
      detail: `unknown account ${l.account}; known accounts are ${accountList()}`,
    });
  if (l.year < ctx.firstYear || l.year > ctx.lastYear)
    errors.push({
      pointer: `${base}/year`,
      detail: `${l.year} is outside the plan's years ${ctx.firstYear}–${ctx.lastYear}`,
    });
  else if (ctx.vat.accounts.includes(l.account) && vatRateBp(ctx.vat, l.year) === undefined)
    errors.push({ pointer: `${base}/year`, detail: `no VAT rate is set for ${l.year}` });
  const cents = eurosToCents(l.amount);
  if (cents === undefined)
    errors.push({
      pointer: `${base}/amount`,
      detail: `${l.amount} is not an amount in euros (not negative, at most two decimals)`,
    });
  if (errors.length > before || cents === undefined) return undefined;
  return {
    initiative: l.initiative,
    measureActivity: l.measureActivity,
    account: l.account,
    year: l.year,
    amountCents: cents,
  };
}

function duplicateLines(lines: CostLine[], pointerOf: (i: number) => string, errors: FieldError[]) {
  const seen = new Map<string, number>();
  lines.forEach((l, i) => {
    const key = `${l.initiative}|${l.measureActivity}|${l.account}|${l.year}`;
    const first = seen.get(key);
    if (first !== undefined)
      errors.push({
        pointer: pointerOf(i),
        detail: `the same initiative, measure activity, account and year as ${pointerOf(first)}; give one line per combination`,
      });
    else seen.set(key, i);
  });
}

/** Checks a plan file completely; returns the plan in cents or throws a report of every error. */
export function validatePlanDocument(doc: unknown): NormalizedPlan {
  if (!Value.Check(PlanFileSchema, doc)) {
    const errors = fieldErrors([...Value.Errors(PlanFileSchema, doc)] as never, 'body').map((e) => ({
      ...e,
      pointer: e.pointer.replace(/^\/body/, '') || '/',
    }));
    throw reject(errors, 'The plan file');
  }
  const f = doc as PlanFile;
  const errors: FieldError[] = [];
  if (f.plan.lastYear < f.plan.firstYear) errors.push({ pointer: '/plan/lastYear', detail: 'is before firstYear' });
  const vat = checkVatRule(f.plan.vat, '/plan/vat', errors);
  const codes = new Set<string>();
  f.initiatives.forEach((ini, i) => {
    if (codes.has(ini.code))
      errors.push({ pointer: `/initiatives/${i}/code`, detail: `initiative ${ini.code} is listed twice` });
    codes.add(ini.code);
  });
  const lines: CostLine[] = [];
  f.costLines.forEach((l, i) => {
    const line = checkLine(
      l,
      `/costLines/${i}`,
      { initiatives: codes, firstYear: f.plan.firstYear, lastYear: f.plan.lastYear, vat },
      errors,
    );
    if (line) lines.push(line);
  });
  if (lines.length === f.costLines.length) duplicateLines(lines, (i) => `/costLines/${i}`, errors);
  const stated: StatedTotal[] = [];
  const ids = new Set<string>();
  (f.statedTotals ?? []).forEach((s, i) => {
    const base = `/statedTotals/${i}`;
    if (ids.has(s.id)) errors.push({ pointer: `${base}/id`, detail: `id ${s.id} is used twice` });
    ids.add(s.id);
    if (s.initiative !== undefined && !codes.has(s.initiative))
      errors.push({ pointer: `${base}/initiative`, detail: `unknown initiative "${s.initiative}"` });
    if (s.measureActivity !== undefined && !knownMeasures().includes(s.measureActivity))
      errors.push({
        pointer: `${base}/measureActivity`,
        detail: `unknown measure activity ${s.measureActivity}; SF measure activities are 1–4`,
      });
    if (s.account !== undefined && !knownAccounts().includes(s.account))
      errors.push({
        pointer: `${base}/account`,
        detail: `unknown account ${s.account}; known accounts are ${accountList()}`,
      });
    if (s.total === undefined && !s.byYear) errors.push({ pointer: base, detail: 'give total, byYear or both' });
    const scope = {
      initiative: s.initiative ?? null,
      measureActivity: s.measureActivity ?? null,
      account: s.account ?? null,
    };
    if (s.total !== undefined) {
      const c = eurosToCents(s.total);
      if (c === undefined) errors.push({ pointer: `${base}/total`, detail: 'is not an amount in euros' });
      else stated.push({ id: s.id, label: s.label, withVat: s.withVat, amountCents: c, ...scope, year: null });
    }
    for (const [year, amount] of Object.entries(s.byYear ?? {})) {
      const y = Number(year);
      if (y < f.plan.firstYear || y > f.plan.lastYear)
        errors.push({ pointer: `${base}/byYear/${year}`, detail: `${year} is outside the plan's years` });
      const c = eurosToCents(amount);
      if (c === undefined) errors.push({ pointer: `${base}/byYear/${year}`, detail: 'is not an amount in euros' });
      else
        stated.push({
          id: `${s.id}.${year}`,
          label: `${s.label}, ${year}`,
          withVat: s.withVat,
          amountCents: c,
          ...scope,
          year: y,
        });
    }
  });
  if (errors.length) throw reject(errors, 'The plan file');
  return {
    id: f.plan.id,
    title: f.plan.title,
    firstYear: f.plan.firstYear,
    lastYear: f.plan.lastYear,
    source: f.plan.source ?? '',
    vat,
    initiatives: f.initiatives.map((i) => ({
      code: i.code,
      name: i.name,
      problem: i.problem ?? '',
      activities: i.activities ?? {},
      expectedResult: i.expectedResult ?? '',
      implementer: i.implementer ?? '',
      partners: i.partners ?? [],
      status: i.status ?? 'planned',
      note: i.note ?? '',
    })),
    costLines: lines,
    statedTotals: stated,
  };
}

const CSV_COLUMNS = ['initiative', 'measure_activity', 'account', 'year', 'amount'] as const;

/**
 * Cost lines from CSV: a header row naming the columns initiative, measure_activity, account,
 * year, amount (any order; comma or semicolon separated); amounts in euros, spaces as thousands
 * separators allowed, decimal point (or comma with semicolon separation).
 */
export function parseCostLinesCsv(
  text: string,
  plan: { initiatives: Set<string>; firstYear: number; lastYear: number; vat: VatRule },
): CostLine[] {
  const errors: FieldError[] = [];
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') ? ';' : ',';
  let rows: string[][];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), {
      delimiter,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as string[][];
  } catch (err) {
    throw reject([{ pointer: '/csv', detail: `not readable as CSV: ${(err as Error).message}` }], 'The CSV');
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const index: Partial<Record<(typeof CSV_COLUMNS)[number], number>> = {};
  for (const c of CSV_COLUMNS) {
    const i = header.indexOf(c);
    if (i < 0)
      errors.push({
        pointer: '/csv/line/1',
        detail: `the header has no column "${c}" (expected ${CSV_COLUMNS.join(', ')})`,
      });
    else index[c] = i;
  }
  if (errors.length) throw reject(errors, 'The CSV');
  if (rows.length < 2) throw reject([{ pointer: '/csv', detail: 'has no cost lines below the header' }], 'The CSV');
  const lines: CostLine[] = [];
  const lineNumbers: number[] = [];
  rows.slice(1).forEach((row, i) => {
    const n = i + 2;
    const cell = (c: (typeof CSV_COLUMNS)[number]) => (row[index[c]!] ?? '').trim();
    const int = (c: (typeof CSV_COLUMNS)[number]) => {
      const v = cell(c);
      if (!/^-?[0-9]+$/.test(v)) {
        errors.push({ pointer: `/csv/line/${n}/${c}`, detail: v ? `"${v}" is not a whole number` : 'is empty' });
        return NaN;
      }
      return Number(v);
    };
    const rawAmount = cell('amount').replace(/[\s\u00a0]/g, '');
    const amountText = delimiter === ';' ? rawAmount.replace(',', '.') : rawAmount;
    const amount = /^[0-9]+(\.[0-9]{1,2})?$/.test(amountText) ? Number(amountText) : NaN;
    if (Number.isNaN(amount))
      errors.push({ pointer: `/csv/line/${n}/amount`, detail: `"${cell('amount')}" is not an amount in euros` });
    const raw = {
      initiative: cell('initiative'),
      measureActivity: int('measure_activity'),
      account: int('account'),
      year: int('year'),
      amount,
    };
    if ([raw.measureActivity, raw.account, raw.year, raw.amount].some(Number.isNaN)) return;
    const line = checkLine(raw, `/csv/line/${n}`, plan, errors);
    if (line) {
      lines.push(line);
      lineNumbers.push(n);
    }
  });
  if (!errors.length) duplicateLines(lines, (i) => `/csv/line/${lineNumbers[i]}`, errors);
  // checkLine names fields as in JSON; say them as the CSV's columns.
  for (const e of errors) e.pointer = e.pointer.replace('/measureActivity', '/measure_activity');
  if (errors.length) throw reject(errors, 'The CSV');
  return lines;
}
