import type { Generated } from 'kysely';
import type { Trx } from '../../platform/db/database';
import type { Json } from '../../platform/db/tables';
import type { CostLine, StatedTotal, VatRule } from './rules';
import type { NormalizedInitiative, NormalizedPlan } from './validatePlan';

export const ELVL = '0000';

declare module '../../platform/db/tables' {
  interface KovTables {
    programme_plan: {
      municipality_code: string;
      id: string;
      title: string;
      first_year: number;
      last_year: number;
      vat_accounts: number[];
      vat_rates: Json<{ fromYear: number; rateBp: number }[]>;
      vat_rounding: 'euro' | 'cent';
      source: string;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
    programme_initiative: {
      municipality_code: string;
      plan_id: string;
      code: string;
      name: string;
      problem: string;
      activities: Json<Record<string, string>>;
      expected_result: string;
      implementer: string;
      partners: string[];
      status: string;
      note: string;
      ordinal: number;
    };
    programme_cost_line: {
      municipality_code: string;
      plan_id: string;
      initiative_code: string;
      measure_activity: number;
      account: number;
      year: number;
      amount_cents: number;
    };
    programme_stated_total: {
      municipality_code: string;
      plan_id: string;
      id: string;
      label: string;
      initiative_code: string | null;
      measure_activity: number | null;
      account: number | null;
      year: number | null;
      with_vat: boolean;
      amount_cents: number;
    };
    programme_spending: {
      municipality_code: string;
      plan_id: string;
      id: Generated<string>;
      initiative_code: string;
      measure_activity: number;
      account: number;
      spent_on: string;
      amount_cents: number;
      vat_cents: number;
      description: string;
      reference: string;
      recorded_by: string | null;
      recorded_at: Generated<Date>;
    };
  }
}

export interface StoredPlan {
  id: string;
  title: string;
  firstYear: number;
  lastYear: number;
  source: string;
  vat: VatRule;
}

export async function listPlans(trx: Trx) {
  const rows = await trx
    .selectFrom('programme_plan')
    .select(['id', 'title', 'first_year', 'last_year', 'updated_at'])
    .where('municipality_code', '=', ELVL)
    .orderBy('first_year', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    firstYear: r.first_year,
    lastYear: r.last_year,
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function getPlan(trx: Trx, id: string, lock = false): Promise<StoredPlan | undefined> {
  let query = trx.selectFrom('programme_plan').selectAll().where('municipality_code', '=', ELVL).where('id', '=', id);
  if (lock) query = query.forUpdate();
  const r = await query.executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    title: r.title,
    firstYear: r.first_year,
    lastYear: r.last_year,
    source: r.source,
    vat: { accounts: r.vat_accounts, rates: r.vat_rates, rounding: r.vat_rounding },
  };
}

export async function replacePlan(trx: Trx, p: NormalizedPlan): Promise<boolean> {
  const db = trx;
  const existed = await db
    .deleteFrom('programme_plan')
    .where('municipality_code', '=', ELVL)
    .where('id', '=', p.id)
    .executeTakeFirst();
  await db
    .insertInto('programme_plan')
    .values({
      municipality_code: ELVL,
      id: p.id,
      title: p.title,
      first_year: p.firstYear,
      last_year: p.lastYear,
      vat_accounts: p.vat.accounts,
      vat_rates: JSON.stringify(p.vat.rates),
      vat_rounding: p.vat.rounding,
      source: p.source,
    })
    .execute();
  await db
    .insertInto('programme_initiative')
    .values(
      p.initiatives.map((i, n) => ({
        municipality_code: ELVL,
        plan_id: p.id,
        code: i.code,
        name: i.name,
        problem: i.problem,
        activities: JSON.stringify(i.activities),
        expected_result: i.expectedResult,
        implementer: i.implementer,
        partners: i.partners,
        status: i.status,
        note: i.note,
        ordinal: n,
      })),
    )
    .execute();
  await insertLines(trx, p.id, p.costLines);
  if (p.statedTotals.length) {
    await db
      .insertInto('programme_stated_total')
      .values(
        p.statedTotals.map((s) => ({
          municipality_code: ELVL,
          plan_id: p.id,
          id: s.id,
          label: s.label,
          initiative_code: s.initiative ?? null,
          measure_activity: s.measureActivity ?? null,
          account: s.account ?? null,
          year: s.year ?? null,
          with_vat: s.withVat,
          amount_cents: s.amountCents,
        })),
      )
      .execute();
  }
  return Number(existed.numDeletedRows) > 0;
}

export async function insertLines(trx: Trx, planId: string, lines: CostLine[]) {
  if (!lines.length) return;
  await trx
    .insertInto('programme_cost_line')
    .values(
      lines.map((l) => ({
        municipality_code: ELVL,
        plan_id: planId,
        initiative_code: l.initiative,
        measure_activity: l.measureActivity,
        account: l.account,
        year: l.year,
        amount_cents: l.amountCents,
      })),
    )
    .execute();
}

export async function deleteLines(trx: Trx, planId: string) {
  const r = await trx
    .deleteFrom('programme_cost_line')
    .where('municipality_code', '=', ELVL)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function readInitiatives(trx: Trx, planId: string): Promise<NormalizedInitiative[]> {
  const rows = await trx
    .selectFrom('programme_initiative')
    .selectAll()
    .where('municipality_code', '=', ELVL)
    .where('plan_id', '=', planId)
    .orderBy('ordinal')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    problem: r.problem,
    activities: r.activities,
    expectedResult: r.expected_result,
    implementer: r.implementer,
    partners: r.partners,
    status: r.status,
    note: r.note,
  }));
}

export async function readLines(trx: Trx, planId: string): Promise<CostLine[]> {
  const rows = await trx
    .selectFrom('programme_cost_line')
    .selectAll()
    .where('municipality_code', '=', ELVL)
    .where('plan_id', '=', planId)
    .orderBy('initiative_code')
    .orderBy('measure_activity')
    .orderBy('account')
    .orderBy('year')
    .execute();
  return rows.map((r) => ({
    initiative: r.initiative_code,
    measureActivity: r.measure_activity,
    account: r.account,
    year: r.year,
    amountCents: Number(r.amount_cents),
  }));
}

export async function readStated(trx: Trx, planId: string): Promise<StatedTotal[]> {
  const rows = await trx
    .selectFrom('programme_stated_total')
    .selectAll()
    .where('municipality_code', '=', ELVL)
    .where('plan_id', '=', planId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    initiative: r.initiative_code,
    measureActivity: r.measure_activity,
    account: r.account,
    year: r.year,
    withVat: r.with_vat,
    amountCents: Number(r.amount_cents),
  }));
}

export async function updateVat(trx: Trx, planId: string, vat: VatRule) {
  await trx
    .updateTable('programme_plan')
    .set({
      vat_accounts: vat.accounts,
      vat_rates: JSON.stringify(vat.rates),
      vat_rounding: vat.rounding,
      updated_at: new Date(),
    })
    .where('municipality_code', '=', ELVL)
    .where('id', '=', planId)
    .execute();
}

export async function patchInitiative(
  trx: Trx,
  planId: string,
  code: string,
  patch: { status?: string; note?: string; implementer?: string; partners?: string[]; expectedResult?: string },
) {
  const set: Record<string, unknown> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.note !== undefined) set.note = patch.note;
  if (patch.implementer !== undefined) set.implementer = patch.implementer;
  if (patch.partners !== undefined) set.partners = patch.partners;
  if (patch.expectedResult !== undefined) set.expected_result = patch.expectedResult;
  if (!Object.keys(set).length) return true;
  const r = await trx
    .updateTable('programme_initiative')
    .set(set)
    .where('municipality_code', '=', ELVL)
    .where('plan_id', '=', planId)
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface Spending {
  id: string;
  initiative: string;
  measureActivity: number;
  account: number;
  spentOn: string;
  amountCents: number;
  vatCents: number;
  description: string;
  reference: string;
  recordedAt: string;
}

export async function insertSpending(
  trx: Trx,
  planId: string,
  s: Omit<Spending, 'id' | 'recordedAt'>,
  by: string,
): Promise<Spending> {
  const r = await trx
    .insertInto('programme_spending')
    .values({
      municipality_code: ELVL,
      plan_id: planId,
      initiative_code: s.initiative,
      measure_activity: s.measureActivity,
      account: s.account,
      spent_on: s.spentOn,
      amount_cents: s.amountCents,
      vat_cents: s.vatCents,
      description: s.description,
      reference: s.reference,
      recorded_by: by,
    })
    .returning(['id', 'recorded_at'])
    .executeTakeFirstOrThrow();
  return { ...s, id: r.id, recordedAt: r.recorded_at.toISOString() };
}

export async function readSpending(trx: Trx, planId: string): Promise<Spending[]> {
  const rows = await trx
    .selectFrom('programme_spending')
    .selectAll()
    .where('municipality_code', '=', ELVL)
    .where('plan_id', '=', planId)
    .orderBy('spent_on')
    .orderBy('recorded_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    initiative: r.initiative_code,
    measureActivity: r.measure_activity,
    account: r.account,
    spentOn: r.spent_on,
    amountCents: Number(r.amount_cents),
    vatCents: Number(r.vat_cents),
    description: r.description,
    reference: r.reference,
    recordedAt: r.recorded_at.toISOString(),
  }));
}
