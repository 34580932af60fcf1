import type { AppContext } from '../../platform/context';
import type { Actor } from '../../platform/auth/actor';
import { inScope, type Trx } from '../../platform/db/database';
import { appendAudit } from '../../platform/audit/audit';
import { fieldError, invalid, notFound } from '../../platform/http/problems';
import { R_REPORTS } from './reasons';
import { type CategoryAttribute, type CategoryRow } from './store';
import { ensureCategories } from './taxonomy';
import { canConfigure } from './policy';

export interface Category {
  code: string;
  name: { et: string; en: string; ru: string };
  description: string;
  domain: string;
  department: string | null;
  bodyCode: string | null;
  slaDays: number | null;
  attributes: CategoryAttribute[];
  open311Type: 'realtime' | 'batch';
  endpointId: string | null;
  active: boolean;
  position: number;
}

const toCategory = (r: CategoryRow): Category => ({
  code: r.code,
  name: { et: r.name_et, en: r.name_en, ru: r.name_ru },
  description: r.description,
  domain: r.domain,
  department: r.department,
  bodyCode: r.body_code,
  slaDays: r.sla_days,
  attributes: r.attributes as unknown as CategoryAttribute[],
  open311Type: r.open311_type,
  endpointId: r.endpoint_id,
  active: r.active,
  position: r.position,
});

// Categories are read on every report intake: keep them a few seconds per municipality. A change
// on this node clears its entry at once; other nodes see it within CACHE_MS.
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; list: Category[] }>();

/** All categories of a municipality (the defaults are given on first use), in display order. */
export async function categoriesOf(trx: Trx, municipalityCode: string): Promise<Category[]> {
  const hit = cache.get(municipalityCode);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.list;
  const read = () =>
    trx
      .selectFrom('report_category')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .orderBy('position')
      .orderBy('code')
      .execute();
  let rows = await read();
  if (rows.length === 0) {
    await ensureCategories(trx, municipalityCode);
    rows = await read();
  }
  const list = rows.map(toCategory);
  cache.set(municipalityCode, { at: Date.now(), list });
  return list;
}

/** The categories from the cache, or read in their own tenant scope. */
export async function cachedCategories(ctx: AppContext, municipalityCode: string): Promise<Category[]> {
  const hit = cache.get(municipalityCode);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.list;
  return inScope(ctx.db, { tenant: municipalityCode }, (trx) => categoriesOf(trx, municipalityCode));
}

export function forgetCategories(municipalityCode?: string) {
  if (municipalityCode) cache.delete(municipalityCode);
  else cache.clear();
}

export function categoryName(c: Category, lang: string): string {
  return lang === 'en' ? c.name.en : lang === 'ru' ? c.name.ru : c.name.et;
}

export async function listCategories(
  ctx: AppContext,
  municipalityCode: string,
  opts: { includeInactive?: boolean } = {},
): Promise<Category[]> {
  const list = await inScope(ctx.db, { tenant: municipalityCode }, (trx) => categoriesOf(trx, municipalityCode));
  return opts.includeInactive ? list : list.filter((c) => c.active);
}

export interface CategoryInput {
  name?: { et: string; en: string; ru: string };
  description?: string;
  domain?: string;
  department?: string | null;
  bodyCode?: string | null;
  slaDays?: number | null;
  attributes?: CategoryAttribute[];
  open311Type?: 'realtime' | 'batch';
  endpointId?: string | null;
  active?: boolean;
  position?: number;
}

function checkAttributes(attrs: CategoryAttribute[]) {
  const seen = new Set<string>();
  attrs.forEach((a, i) => {
    if (seen.has(a.code)) throw invalid([fieldError(`/body/attributes/${i}/code`, R_REPORTS.categoryAttributeTwice)]);
    seen.add(a.code);
    const list = a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist';
    if (list && !a.values?.length)
      throw invalid([fieldError(`/body/attributes/${i}/values`, R_REPORTS.categoryListNeedsValues)]);
  });
}

/** Creates a category (code new) or changes one; audited. */
export async function saveCategory(
  ctx: AppContext,
  actor: Actor,
  municipalityCode: string,
  code: string,
  input: CategoryInput,
  opts: { create: boolean },
) {
  const admin = canConfigure(actor, municipalityCode);
  if (input.attributes) checkAttributes(input.attributes);
  const result = await inScope(ctx.db, { tenant: municipalityCode, actor: admin.personId }, async (trx) => {
    await categoriesOf(trx, municipalityCode);
    const db = trx;
    if (input.bodyCode) {
      const body = await db
        .selectFrom('report_body')
        .select('code')
        .where('code', '=', input.bodyCode)
        .executeTakeFirst();
      if (!body) throw invalid([fieldError('/body/bodyCode', R_REPORTS.categoryNoBody, { value: input.bodyCode })]);
    }
    if (input.endpointId) {
      const ep = await db
        .selectFrom('report_endpoint')
        .select('id')
        .where('municipality_code', '=', municipalityCode)
        .where('id', '=', input.endpointId)
        .executeTakeFirst();
      if (!ep) throw invalid([fieldError('/body/endpointId', R_REPORTS.categoryNoEndpoint)]);
    }
    const existing = await db
      .selectFrom('report_category')
      .selectAll()
      .where('municipality_code', '=', municipalityCode)
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (opts.create && existing) throw invalid([fieldError('/body/code', R_REPORTS.categoryExists)]);
    if (!opts.create && !existing) throw notFound(`Category ${code}`);
    const values = {
      ...(input.name ? { name_et: input.name.et, name_en: input.name.en, name_ru: input.name.ru } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.domain !== undefined ? { domain: input.domain } : {}),
      ...(input.department !== undefined ? { department: input.department } : {}),
      ...(input.bodyCode !== undefined ? { body_code: input.bodyCode } : {}),
      ...(input.slaDays !== undefined ? { sla_days: input.slaDays } : {}),
      ...(input.attributes !== undefined ? { attributes: JSON.stringify(input.attributes) } : {}),
      ...(input.open311Type !== undefined ? { open311_type: input.open311Type } : {}),
      ...(input.endpointId !== undefined ? { endpoint_id: input.endpointId } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      updated_at: ctx.now(),
    };
    let row: CategoryRow;
    if (opts.create) {
      if (!input.name || !input.domain) throw invalid([fieldError('/body/name', R_REPORTS.categoryNeedsName)]);
      row = await db
        .insertInto('report_category')
        .values({
          municipality_code: municipalityCode,
          code,
          description: '',
          attributes: '[]',
          ...values,
          name_et: input.name.et,
          name_en: input.name.en,
          name_ru: input.name.ru,
          domain: input.domain,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      row = await db
        .updateTable('report_category')
        .set(values)
        .where('municipality_code', '=', municipalityCode)
        .where('code', '=', code)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await appendAudit(trx, {
      municipalityCode,
      actorId: admin.personId,
      action: opts.create ? 'report-category.created' : 'report-category.changed',
      subject: `report-category:${code}`,
      details: { ...input } as Record<string, unknown>,
    });
    return toCategory(row);
  });
  forgetCategories(municipalityCode);
  return result;
}
